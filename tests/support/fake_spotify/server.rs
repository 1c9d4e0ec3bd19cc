//! The fake's HTTP side: accepting connections, recording every request, applying the
//! switchable faults, and the shapes of an answer. What a request means is `World`'s business.

use super::*;

// ---------------------------------------------------------------------------------------------
// The server loop

/// The service's error: the one way to make hyper close a connection without answering.
#[derive(Debug)]
pub(super) struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped on purpose by a fault")
    }
}

impl std::error::Error for DropConnection {}

pub(super) async fn serve(listener: StdTcpListener, shared: Arc<Shared>) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("fake Spotify: cannot serve: {e}");
            return;
        }
    };
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors and the like: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| handle(Arc::clone(&shared), req));
            // A failed connection is the client's business (it hung up) or ours on purpose
            // (a drop fault); neither is worth reporting.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

pub(super) async fn handle(
    shared: Arc<Shared>,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, DropConnection> {
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or("").to_owned();
    let headers = req.headers().clone();
    let body = match req.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Err(DropConnection),
    };
    let seq = shared.next_seq.fetch_add(1, Ordering::Relaxed);
    lock(&shared.log).push((
        seq,
        RecordedRequest {
            method: method.clone(),
            path: path.clone(),
            query: query.clone(),
            body: String::from_utf8_lossy(&body).into_owned(),
            status: 0,
        },
    ));
    let outcome = respond(&shared, &method, &path, &query, &headers, &body).await;
    let status = match &outcome {
        Outcome::Reply(reply) => reply.status,
        Outcome::Drop => 0,
    };
    if let Some((_, recorded)) = lock(&shared.log).iter_mut().find(|(s, _)| *s == seq) {
        recorded.status = status;
    }
    match outcome {
        Outcome::Reply(reply) => Ok(reply.into_response()),
        Outcome::Drop => Err(DropConnection),
    }
}

pub(super) async fn respond(
    shared: &Shared,
    method: &str,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Outcome {
    let latency = lock(&shared.faults).latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let params = parse_form(query.as_bytes());
    if !is_api_path(path) {
        let (deny_login, premium_lapsed) = {
            let faults = lock(&shared.faults);
            (faults.deny_login, faults.premium_lapsed)
        };
        if let (Some(lapse), "/api/token") = (premium_lapsed, path) {
            return Outcome::Reply(premium_refusal(lapse, true));
        }
        let mut world = lock(&shared.world);
        return Outcome::Reply(world.accounts(method, path, &params, headers, body, deny_login));
    }
    if let Some(outcome) = api_faults(shared).await {
        return outcome;
    }
    if matches!(method, "POST" | "PUT" | "DELETE") {
        let mut faults = lock(&shared.faults);
        if faults.refuse_next_writes > 0 {
            faults.refuse_next_writes -= 1;
            return Outcome::Reply(Reply::error(400, "Bad request"));
        }
    }
    let auth = headers
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let quoted_filters_find_nothing = lock(&shared.faults).quoted_filters_find_nothing;
    let request = ApiRequest {
        method,
        path,
        params: &params,
        authorization: auth,
        body,
        quoted_filters_find_nothing,
    };
    let reply = lock(&shared.world).api(&shared.base_url, request);
    let wrote = matches!(method, "POST" | "PUT" | "DELETE") && (200..300).contains(&reply.status);
    if wrote {
        if let Some(left) = lock(&shared.faults).fail_writes_after.as_mut() {
            *left = left.saturating_sub(1);
        }
    }
    Outcome::Reply(reply)
}

/// Applies the `/v1` faults in their documented order; `None` lets the request through.
pub(super) async fn api_faults(shared: &Shared) -> Option<Outcome> {
    let slow = {
        let mut faults = lock(&shared.faults);
        if faults.drop_next > 0 {
            faults.drop_next -= 1;
            return Some(Outcome::Drop);
        }
        if faults.fail_writes_after == Some(0) {
            return Some(Outcome::Drop);
        }
        if faults.slow_next > 0 {
            faults.slow_next -= 1;
            Some(faults.slow_for)
        } else {
            None
        }
    };
    if let Some(wait) = slow {
        tokio::time::sleep(wait).await;
    }
    let mut faults = lock(&shared.faults);
    if faults.not_allowlisted {
        return Some(Outcome::Reply(Reply::error(
            403,
            "Check settings on developer.spotify.com/dashboard, the user may not be registered.",
        )));
    }
    if let Some(lapse) = faults.premium_lapsed {
        return Some(Outcome::Reply(premium_refusal(lapse, false)));
    }
    if faults.quota_exceeded {
        return Some(Outcome::Reply(Reply::error(
            429,
            "QUOTA_EXCEEDED: this app has used up its request quota; waiting will not restore it",
        )));
    }
    if faults.rate_limit_next > 0 {
        faults.rate_limit_next -= 1;
        return Some(Outcome::Reply(
            Reply::error(429, "API rate limit exceeded")
                .with_header("retry-after", faults.retry_after_secs.to_string()),
        ));
    }
    if faults.server_error_next > 0 {
        faults.server_error_next -= 1;
        return Some(Outcome::Reply(Reply::error(503, "Service unavailable")));
    }
    None
}

/// What Spotify says when the app owner's Premium has lapsed, as plain text or as JSON (the
/// accounts service's OAuth shape on the token endpoint, the Web API's shape elsewhere).
pub(super) fn premium_refusal(lapse: PremiumLapse, accounts: bool) -> Reply {
    const TEXT: &str = "Active premium subscription required for the owner of the app.";
    match (lapse, accounts) {
        (PremiumLapse::PlainText, _) => Reply::text(403, TEXT),
        (PremiumLapse::Json, true) => Reply::json(
            403,
            &json!({"error": "invalid_request", "error_description": TEXT}),
        ),
        (PremiumLapse::Json, false) => Reply::error(403, TEXT),
    }
}

pub(super) enum Outcome {
    Reply(Reply),
    /// Close the connection without a response.
    Drop,
}

pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) body: Vec<u8>,
}

impl Reply {
    pub(super) fn json(status: u16, value: &Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", "application/json; charset=utf-8".into())],
            body: value.to_string().into_bytes(),
        }
    }

    /// The Web API's error shape.
    pub(super) fn error(status: u16, message: &str) -> Reply {
        Reply::json(
            status,
            &json!({"error": {"status": status, "message": message}}),
        )
    }

    /// The accounts service's OAuth error shape.
    pub(super) fn oauth_error(error: &str, description: &str) -> Reply {
        Reply::json(
            400,
            &json!({"error": error, "error_description": description}),
        )
    }

    pub(super) fn text(status: u16, message: &str) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", "text/plain; charset=utf-8".into())],
            body: message.as_bytes().to_vec(),
        }
    }

    pub(super) fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub(super) fn redirect(location: String) -> Reply {
        Reply::empty(303).with_header("location", location)
    }

    pub(super) fn with_header(mut self, name: &'static str, value: String) -> Reply {
        self.headers.push((name, value));
        self
    }

    pub(super) fn into_response(self) -> hyper::Response<Full<Bytes>> {
        let mut response = hyper::Response::new(Full::new(Bytes::from(self.body)));
        *response.status_mut() =
            hyper::StatusCode::from_u16(self.status).unwrap_or(hyper::StatusCode::OK);
        for (name, value) in self.headers {
            if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
                response.headers_mut().append(name, value);
            }
        }
        response
    }
}
