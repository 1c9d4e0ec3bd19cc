//! The accounts service: `/authorize` with PKCE, and `/api/token` for the code exchange and
//! refreshes, plus the Web API's token check.

use super::*;

impl World {
    pub(super) fn accounts(
        &mut self,
        method: &str,
        path: &str,
        params: &Params,
        headers: &HeaderMap,
        body: &[u8],
        deny_login: bool,
    ) -> Reply {
        match (method, path) {
            ("GET", "/authorize") => self.authorize(params, deny_login),
            ("POST", "/api/token") => self.token(headers, body),
            (_, "/authorize" | "/api/token") => Reply::text(405, "Method not allowed"),
            _ => Reply::text(404, "Not found"),
        }
    }

    pub(super) fn authorize(&mut self, params: &Params, deny_login: bool) -> Reply {
        let Some(client_id) = param(params, "client_id").filter(|c| !c.is_empty()) else {
            return Reply::text(400, "INVALID_CLIENT: Invalid client (client_id is missing)");
        };
        if param(params, "response_type") != Some("code") {
            return Reply::text(
                400,
                "unsupported_response_type: response_type must be \"code\"",
            );
        }
        let redirect_uri = param(params, "redirect_uri").unwrap_or("");
        if !redirect_uri.starts_with("http://127.0.0.1:") {
            return Reply::text(
                400,
                "INVALID_CLIENT: Invalid redirect URI: loopback redirect URIs must be \
                 http://127.0.0.1:PORT/... (Spotify refuses \"localhost\")",
            );
        }
        if param(params, "code_challenge_method") != Some("S256") {
            return Reply::text(400, "code_challenge_method must be S256");
        }
        let challenge = param(params, "code_challenge").unwrap_or("");
        let challenge_ok = (43..=128).contains(&challenge.len())
            && challenge
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b));
        if !challenge_ok {
            return Reply::text(
                400,
                "code_challenge is missing or is not 43 to 128 base64url characters",
            );
        }
        let state = param(params, "state");
        let mut answer: Vec<(&str, String)> = Vec::new();
        if deny_login {
            answer.push(("error", "access_denied".into()));
        } else {
            let code = fresh_secret("AQ", 96);
            self.codes.insert(
                code.clone(),
                AuthCode {
                    challenge: challenge.to_owned(),
                    client_id: client_id.to_owned(),
                    redirect_uri: redirect_uri.to_owned(),
                    scope: param(params, "scope").unwrap_or("").to_owned(),
                    used: false,
                },
            );
            answer.push(("code", code));
        }
        if let Some(state) = state {
            answer.push(("state", state.to_owned()));
        }
        let query: Vec<String> = answer
            .iter()
            .map(|(name, value)| format!("{name}={}", encode(value)))
            .collect();
        let joiner = if redirect_uri.contains('?') { '&' } else { '?' };
        Reply::redirect(format!("{redirect_uri}{joiner}{}", query.join("&")))
    }

    pub(super) fn token(&mut self, headers: &HeaderMap, body: &[u8]) -> Reply {
        let form = headers
            .get(hyper::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !form {
            return Reply::oauth_error(
                "invalid_request",
                "the body must be application/x-www-form-urlencoded",
            );
        }
        let params = parse_form(body);
        // Confidential clients name themselves with HTTP Basic instead of a client_id field.
        let basic_client = headers
            .get(hyper::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Basic "))
            .and_then(|b64| STANDARD.decode(b64.trim()).ok())
            .and_then(|raw| String::from_utf8(raw).ok())
            .and_then(|pair| pair.split(':').next().map(str::to_owned));
        let client_id = param(&params, "client_id")
            .map(str::to_owned)
            .or(basic_client);
        match param(&params, "grant_type") {
            Some("authorization_code") => self.exchange_code(&params, client_id),
            Some("refresh_token") => self.refresh_grant(&params, client_id),
            Some(other) => Reply::oauth_error(
                "unsupported_grant_type",
                &format!("grant_type {other:?} is not supported"),
            ),
            None => Reply::oauth_error("unsupported_grant_type", "grant_type parameter is missing"),
        }
    }

    pub(super) fn exchange_code(&mut self, params: &Params, client_id: Option<String>) -> Reply {
        let Some(code) = param(params, "code") else {
            return Reply::oauth_error("invalid_request", "code is missing");
        };
        let Some(entry) = self.codes.get_mut(code) else {
            return Reply::oauth_error("invalid_grant", "Invalid authorization code");
        };
        if entry.used {
            return Reply::oauth_error("invalid_grant", "Invalid authorization code");
        }
        // Any attempt spends the code, failed ones included: a code is good for one try.
        entry.used = true;
        if param(params, "redirect_uri") != Some(entry.redirect_uri.as_str()) {
            return Reply::oauth_error("invalid_grant", "Invalid redirect URI");
        }
        if client_id.as_deref() != Some(entry.client_id.as_str()) {
            return Reply::oauth_error(
                "invalid_grant",
                "client_id does not match the authorization request",
            );
        }
        let verifier = param(params, "code_verifier").unwrap_or("");
        let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        if verifier.is_empty() || computed != entry.challenge {
            return Reply::oauth_error("invalid_grant", "code_verifier was incorrect");
        }
        let scope = if entry.scope.is_empty() {
            ALL_SCOPES.to_owned()
        } else {
            entry.scope.clone()
        };
        let access_token = self.mint_access();
        let refresh_token = self.mint_refresh(client_id, &scope);
        token_reply(&access_token, &scope, Some(&refresh_token))
    }

    pub(super) fn refresh_grant(&mut self, params: &Params, client_id: Option<String>) -> Reply {
        let Some(refresh_token) = param(params, "refresh_token") else {
            return Reply::oauth_error("invalid_request", "refresh_token is missing");
        };
        let Some(client_id) = client_id else {
            return Reply::oauth_error("invalid_request", "client_id is missing");
        };
        let scope = match self.refresh.get(refresh_token) {
            None => return Reply::oauth_error("invalid_grant", "Refresh token revoked"),
            Some(grant) if grant.client_id.as_ref().is_some_and(|c| *c != client_id) => {
                return Reply::oauth_error("invalid_grant", "Invalid refresh token");
            }
            Some(grant) => grant.scope.clone(),
        };
        let access_token = self.mint_access();
        // Spotify usually leaves refresh_token out: keep using the old one.
        token_reply(&access_token, &scope, None)
    }

    // -- Web API -------------------------------------------------------------------------------

    pub(super) fn check_token(&self, authorization: Option<&str>) -> Result<(), Reply> {
        let unauthorized = |message: &str| {
            Reply::error(401, message)
                .with_header("www-authenticate", "Bearer realm=\"spotify\"".into())
        };
        let Some(header) = authorization else {
            return Err(unauthorized("No token provided"));
        };
        let token = match header.split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
            _ => {
                return Err(Reply::error(
                    400,
                    "Only valid bearer authentication supported",
                ))
            }
        };
        match self.access.get(token) {
            None => Err(unauthorized("Invalid access token")),
            Some(t) if t.expired || t.issued.elapsed() >= TOKEN_LIFETIME => {
                Err(unauthorized("The access token expired"))
            }
            Some(_) => Ok(()),
        }
    }
}

/// What the token endpoint answers a granted request.
pub(super) fn token_reply(access_token: &str, scope: &str, refresh_token: Option<&str>) -> Reply {
    let mut answer = json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "scope": scope,
        "expires_in": TOKEN_LIFETIME.as_secs(),
    });
    if let Some(refresh_token) = refresh_token {
        answer["refresh_token"] = json!(refresh_token);
    }
    Reply::json(200, &answer)
}
