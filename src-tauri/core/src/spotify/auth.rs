//! Spotify login and tokens: the PKCE authorization in the system browser with a one-shot
//! loopback listener, where the tokens are kept, and refreshing them before they expire.
//!
//! rspotify builds the authorization URL (S256 challenge, random `state`) and talks to the token
//! endpoint; this module owns the listener, the token store (OS keychain, else a 0600 file) and
//! the refresh policy. It must never log, print or put in an error message a token, an
//! authorization code or the PKCE verifier: [`Tokens`] has a redacting `Debug` for that reason.

use std::fmt;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rspotify::clients::{BaseClient, OAuthClient};
use rspotify::{AuthCodePkceSpotify, Config, Credentials, OAuth, Token};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::SpotifyConfig;
use crate::error::{Error, Result};

/// Only what export needs: write the user's playlists, and read them back to sync by difference.
pub const SCOPES: &[&str] = &[
    "playlist-read-private",
    "playlist-modify-private",
    "playlist-modify-public",
];

/// Refresh this long before Spotify's expiry, so a call never starts with a dying token.
const REFRESH_MARGIN_SECS: i64 = 120;

/// How long a login waits for the browser when nobody says otherwise.
pub const DEFAULT_LOGIN_TIMEOUT: Duration = Duration::from_secs(300);

/// Where tokens are kept: the OS keychain, or a file only the user can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TokenStoreKind {
    Keychain,
    File,
}

/// What a login leaves behind. `Debug` prints no secret.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    /// Unix seconds.
    pub expires_at: i64,
    pub client_id: String,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &"<redacted>")
            .field("refresh_token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field("client_id", &self.client_id)
            .field("user_id", &self.user_id)
            .finish()
    }
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// The token store

/// Chooses and uses the place tokens live. `CUESHEET_TOKEN_STORE=file|keychain` forces one
/// (tests force the file); otherwise the keychain is used when the desktop session offers one.
#[derive(Debug, Clone)]
pub struct TokenStore {
    kind: TokenStoreKind,
    file: PathBuf,
    account: String,
}

pub const TOKEN_STORE_ENV: &str = "CUESHEET_TOKEN_STORE";
const KEYCHAIN_SERVICE: &str = "cuesheet-spotify";

impl TokenStore {
    pub fn for_data_dir(data_dir: &Path) -> TokenStore {
        let file = data_dir.join("spotify-tokens.json");
        // One keychain item per data dir, so a test library never sees the real one's login.
        let account = data_dir.display().to_string();
        let forced = std::env::var(TOKEN_STORE_ENV).unwrap_or_default();
        let kind = match forced.as_str() {
            "file" => TokenStoreKind::File,
            "keychain" => TokenStoreKind::Keychain,
            _ if keychain_answers(&account) => TokenStoreKind::Keychain,
            _ => TokenStoreKind::File,
        };
        TokenStore {
            kind,
            file,
            account,
        }
    }

    pub fn kind(&self) -> TokenStoreKind {
        self.kind
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    pub fn load(&self) -> Result<Option<Tokens>> {
        let text = match self.kind {
            TokenStoreKind::Keychain => match self.entry()?.get_password() {
                Ok(text) => text,
                Err(keyring::Error::NoEntry) => return Ok(None),
                Err(e) => return Err(keychain_error(e)),
            },
            TokenStoreKind::File => match std::fs::read_to_string(&self.file) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(e) => {
                    return Err(Error::io(
                        format!("could not read {}", self.file.display()),
                        e,
                    ))
                }
            },
        };
        // A damaged store is the same as no login: the user logs in again, nothing else breaks.
        Ok(serde_json::from_str(&text).ok())
    }

    pub fn save(&self, tokens: &Tokens) -> Result<()> {
        let text = serde_json::to_string(tokens).map_err(|e| Error::Internal(e.to_string()))?;
        match self.kind {
            TokenStoreKind::Keychain => self.entry()?.set_password(&text).map_err(keychain_error),
            TokenStoreKind::File => write_private_file(&self.file, &text),
        }
    }

    pub fn clear(&self) -> Result<()> {
        match self.kind {
            TokenStoreKind::Keychain => match self.entry()?.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(e) => Err(keychain_error(e)),
            },
            TokenStoreKind::File => match std::fs::remove_file(&self.file) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(Error::io(
                    format!("could not delete {}", self.file.display()),
                    e,
                )),
            },
        }
    }

    fn entry(&self) -> Result<keyring::Entry> {
        keyring::Entry::new(KEYCHAIN_SERVICE, &self.account).map_err(keychain_error)
    }
}

fn keychain_error(e: keyring::Error) -> Error {
    Error::io(
        "the OS keychain refused the Spotify login",
        std::io::Error::other(e.to_string()),
    )
}

/// A keychain "answers" when a desktop session bus exists and a lookup returns a definite
/// result. Without a session bus, libdbus would try to start one, which we never want.
fn keychain_answers(account: &str) -> bool {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        return false;
    }
    match keyring::Entry::new(KEYCHAIN_SERVICE, account) {
        Ok(entry) => matches!(entry.get_password(), Ok(_) | Err(keyring::Error::NoEntry)),
        Err(_) => false,
    }
}

/// Writes `text` to `path` readable by the owner only, replacing it atomically.
fn write_private_file(path: &Path, text: &str) -> Result<()> {
    let temporary = path.with_extension("json.tmp");
    let context = || format!("could not save the Spotify login in {}", path.display());
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options
            .open(&temporary)
            .map_err(|e| Error::io(context(), e))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(context(), e))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io(context(), e))?;
    }
    std::fs::rename(&temporary, path).map_err(|e| Error::io(context(), e))
}

// ---------------------------------------------------------------------------------------------
// Login

/// A login waiting for the browser: the listener is bound to 127.0.0.1 on a free port and
/// closes when this value is dropped (after the login, on time-out, or on cancel).
pub struct PendingLogin {
    listener: TcpListener,
    spotify: AuthCodePkceSpotify,
    authorize_url: String,
    client_id: String,
}

impl fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingLogin")
            .field("port", &self.port())
            .finish_non_exhaustive()
    }
}

fn rspotify_config(config: &SpotifyConfig) -> Config {
    Config {
        api_base_url: format!("{}/", config.api_url),
        auth_base_url: format!("{}/", config.accounts_url),
        token_refreshing: false,
        ..Config::default()
    }
}

/// Binds the listener and builds the authorization URL (to open in the browser).
pub fn begin_login(config: &SpotifyConfig) -> Result<PendingLogin> {
    let client_id = config.require_client_id()?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| {
        Error::io(
            "could not open a port on 127.0.0.1 for the Spotify login",
            e,
        )
    })?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::io("could not read the login port", e))?
        .port();
    let oauth = OAuth {
        redirect_uri: format!("http://127.0.0.1:{port}/callback"),
        scopes: SCOPES.iter().map(|s| s.to_string()).collect(),
        ..OAuth::default()
    };
    let mut spotify = AuthCodePkceSpotify::with_config(
        Credentials::new_pkce(&client_id),
        oauth,
        rspotify_config(config),
    );
    let authorize_url = spotify
        .get_authorize_url(None)
        .map_err(|e| Error::Internal(format!("could not build the Spotify login address: {e}")))?;
    Ok(PendingLogin {
        listener,
        spotify,
        authorize_url,
        client_id,
    })
}

/// What the browser delivered to the callback.
enum Callback {
    Code(String),
    Denied(String),
}

impl PendingLogin {
    pub fn authorize_url(&self) -> &str {
        &self.authorize_url
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Waits for the redirect, exchanges the code, and returns the tokens (not yet stored).
    pub fn finish(self, timeout: Duration, cancel: &AtomicBool) -> Result<Tokens> {
        let code = match self.wait_for_callback(timeout, cancel)? {
            Callback::Code(code) => code,
            Callback::Denied(reason) => {
                return Err(Error::AuthRequired(format!(
                    "Spotify did not grant access ({reason}). Nothing was changed; log in again \
                     when you are ready."
                )))
            }
        };
        // The listener closes here: nothing listens once the code has arrived.
        drop(self.listener);
        self.spotify.request_token(&code).map_err(token_error)?;
        let token = self
            .spotify
            .token
            .lock()
            .map_err(|_| Error::Internal("the login's token lock was poisoned".into()))?
            .clone()
            .ok_or_else(|| Error::Spotify("Spotify answered the login without a token".into()))?;
        tokens_from(token, &self.client_id, None)
    }

    fn wait_for_callback(&self, timeout: Duration, cancel: &AtomicBool) -> Result<Callback> {
        self.listener
            .set_nonblocking(true)
            .map_err(|e| Error::io("could not watch the login port", e))?;
        let deadline = Instant::now() + timeout;
        let expected_state = self.spotify.oauth.state.clone();
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled("the Spotify login was cancelled".into()));
            }
            if Instant::now() >= deadline {
                return Err(Error::AuthRequired(format!(
                    "the Spotify login timed out after {} seconds without an answer from the \
                     browser. Nothing was changed; start the login again.",
                    timeout.as_secs()
                )));
            }
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if let Some(callback) = answer_request(stream, &expected_state) {
                        return Ok(callback);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => return Err(Error::io("the login listener failed", e)),
            }
        }
    }
}

const DONE_PAGE: &str = "<!doctype html><meta charset=utf-8><title>Cuesheet</title>\
<body style=\"font-family:sans-serif;margin:3em\"><h1>Cuesheet is connected to Spotify</h1>\
<p>You can close this tab and go back to Cuesheet.</p></body>";
const DENIED_PAGE: &str = "<!doctype html><meta charset=utf-8><title>Cuesheet</title>\
<body style=\"font-family:sans-serif;margin:3em\"><h1>Spotify did not connect</h1>\
<p>You can close this tab. Cuesheet shows what happened.</p></body>";
const WRONG_STATE_PAGE: &str = "<!doctype html><meta charset=utf-8><title>Cuesheet</title>\
<body style=\"font-family:sans-serif;margin:3em\"><h1>This login link is not the one Cuesheet \
started</h1><p>It was ignored. Start the login again from Cuesheet.</p></body>";

/// Reads one request. Returns the callback when it is the real one; stray requests (favicon,
/// prefetch of other paths, a wrong `state`) get an answer and are otherwise ignored.
fn answer_request(mut stream: TcpStream, expected_state: &str) -> Option<Callback> {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut parts = head.lines().next().unwrap_or("").split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let parsed = url::Url::parse(&format!("http://127.0.0.1{target}")).ok();
    let is_callback = method == "GET" && parsed.as_ref().is_some_and(|u| u.path() == "/callback");
    if !is_callback {
        respond(&mut stream, "404 Not Found", "text/plain", "not here");
        return None;
    }
    let parsed = parsed?;
    let query = |key: &str| {
        parsed
            .query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    };
    if query("state").as_deref() != Some(expected_state) {
        tracing::warn!("ignored a login callback whose state did not match");
        respond(
            &mut stream,
            "400 Bad Request",
            "text/html",
            WRONG_STATE_PAGE,
        );
        return None;
    }
    if let Some(error) = query("error") {
        respond(&mut stream, "200 OK", "text/html", DENIED_PAGE);
        return Some(Callback::Denied(error));
    }
    match query("code") {
        Some(code) if !code.is_empty() => {
            respond(&mut stream, "200 OK", "text/html", DONE_PAGE);
            Some(Callback::Code(code))
        }
        _ => {
            respond(&mut stream, "400 Bad Request", "text/html", DENIED_PAGE);
            None
        }
    }
}

fn respond(stream: &mut TcpStream, status: &str, content_type: &str, body: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.flush();
}

fn tokens_from(token: Token, client_id: &str, previous: Option<&Tokens>) -> Result<Tokens> {
    let refresh_token = token
        .refresh_token
        .clone()
        .or_else(|| previous.map(|p| p.refresh_token.clone()))
        .ok_or_else(|| Error::Spotify("Spotify gave no refresh token with the login".into()))?;
    let expires_at = token
        .expires_at
        .map(|at| at.timestamp())
        .unwrap_or_else(|| now_secs() + token.expires_in.num_seconds());
    Ok(Tokens {
        access_token: token.access_token,
        refresh_token,
        expires_at,
        client_id: client_id.to_string(),
        user_id: previous.and_then(|p| p.user_id.clone()),
        user_name: previous.and_then(|p| p.user_name.clone()),
    })
}

/// Maps an error from the token endpoint. Its messages never carry the request (which holds
/// the code or the refresh token), only the status and Spotify's own error name.
fn token_error(error: rspotify::ClientError) -> Error {
    use rspotify::http::HttpError;
    match error {
        rspotify::ClientError::Http(http) => match *http {
            HttpError::StatusCode(response) => {
                let status = response.status();
                let body = response.into_string().unwrap_or_default();
                let error_name = serde_json::from_str::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string))
                    .unwrap_or_default();
                if status == 403 && super::client::is_premium_lapse(&body) {
                    // Said as plain text or as JSON; either way the owner must renew Premium.
                    let said = serde_json::from_str::<serde_json::Value>(&body)
                        .ok()
                        .and_then(|v| v["error_description"].as_str().map(str::to_string))
                        .unwrap_or_else(|| body.chars().take(200).collect());
                    super::client::premium_lapsed(&said)
                } else if error_name == "invalid_grant" || error_name == "invalid_client" {
                    Error::AuthRequired(
                        "Spotify no longer accepts this login (logins expire six months after \
                         you agreed, or access was removed). Log in to Spotify again."
                            .into(),
                    )
                } else if status == 429 {
                    Error::RateLimited(
                        "Spotify's login service asks us to slow down; try again in a minute."
                            .into(),
                    )
                } else {
                    Error::Spotify(format!(
                        "Spotify's login service answered {status} {error_name}; try again later."
                    ))
                }
            }
            HttpError::Transport(_) | HttpError::Io(_) => Error::Offline(
                "could not reach Spotify's login service: check your internet connection. \
                 Nothing in your library changed."
                    .into(),
            ),
        },
        other => Error::Spotify(format!("the Spotify login failed: {}", redact(&other))),
    }
}

/// rspotify's errors other than HTTP ones (JSON, URL) carry no secrets, but only their kind is
/// shown, never their text, to keep that true whatever a future version puts there.
fn redact(error: &rspotify::ClientError) -> &'static str {
    match error {
        rspotify::ClientError::ParseJson(_) => "Spotify's answer was not understood",
        rspotify::ClientError::ParseUrl(_) => "an address was malformed",
        _ => "unexpected error",
    }
}

// ---------------------------------------------------------------------------------------------
// A session: tokens in use, refreshed before expiry, once at a time.

/// Hands out a valid access token. The mutex makes concurrent callers wait for one refresh
/// instead of each spending the refresh token.
#[derive(Debug)]
pub struct Session {
    config: SpotifyConfig,
    store: TokenStore,
    tokens: Mutex<Tokens>,
}

impl Session {
    /// The stored login, or `auth_required` when there is none.
    pub fn open(config: &SpotifyConfig, store: TokenStore) -> Result<Session> {
        let tokens = store.load()?.ok_or_else(|| {
            Error::AuthRequired(
                "you are not logged in to Spotify: log in from Settings (or run `cuesheet \
                 spotify login`) first."
                    .into(),
            )
        })?;
        Ok(Session {
            config: config.clone(),
            store,
            tokens: Mutex::new(tokens),
        })
    }

    pub fn from_tokens(config: &SpotifyConfig, store: TokenStore, tokens: Tokens) -> Session {
        Session {
            config: config.clone(),
            store,
            tokens: Mutex::new(tokens),
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Tokens>> {
        self.tokens
            .lock()
            .map_err(|_| Error::Internal("the Spotify session lock was poisoned".into()))
    }

    pub fn tokens(&self) -> Result<Tokens> {
        Ok(self.lock()?.clone())
    }

    /// A token good for at least the refresh margin.
    pub fn access_token(&self) -> Result<String> {
        let mut tokens = self.lock()?;
        if tokens.expires_at - now_secs() <= REFRESH_MARGIN_SECS {
            self.refresh_locked(&mut tokens)?;
        }
        Ok(tokens.access_token.clone())
    }

    /// After a 401: refresh, unless another caller already replaced the token that failed.
    pub fn refresh_after_rejection(&self, rejected: &str) -> Result<String> {
        let mut tokens = self.lock()?;
        if tokens.access_token == rejected {
            self.refresh_locked(&mut tokens)?;
        }
        Ok(tokens.access_token.clone())
    }

    /// Records who is logged in (shown in Settings and `spotify status`).
    pub fn set_user(&self, id: Option<String>, name: Option<String>) -> Result<()> {
        let mut tokens = self.lock()?;
        tokens.user_id = id;
        tokens.user_name = name;
        self.store.save(&tokens)
    }

    fn refresh_locked(&self, tokens: &mut Tokens) -> Result<()> {
        tracing::debug!("refreshing the Spotify access token");
        let oauth = OAuth {
            scopes: SCOPES.iter().map(|s| s.to_string()).collect(),
            ..OAuth::default()
        };
        let spotify = AuthCodePkceSpotify::with_config(
            Credentials::new_pkce(&tokens.client_id),
            oauth,
            rspotify_config(&self.config),
        );
        let current = Token {
            access_token: tokens.access_token.clone(),
            refresh_token: Some(tokens.refresh_token.clone()),
            ..Token::default()
        };
        *spotify
            .token
            .lock()
            .map_err(|_| Error::Internal("token lock poisoned".into()))? = Some(current);
        let refreshed = match spotify.refetch_token() {
            Ok(Some(token)) => token,
            Ok(None) => {
                return Err(Error::AuthRequired(
                    "the Spotify login has no refresh token; log in again.".into(),
                ))
            }
            Err(e) => {
                let error = token_error(e);
                if matches!(error, Error::AuthRequired(_)) {
                    // A rejected refresh token never comes back to life: forget it.
                    let _ = self.store.clear();
                }
                return Err(error);
            }
        };
        let client_id = tokens.client_id.clone();
        *tokens = tokens_from(refreshed, &client_id, Some(&*tokens))?;
        self.store.save(tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Tokens {
        Tokens {
            access_token: "access-secret-123".into(),
            refresh_token: "refresh-secret-456".into(),
            expires_at: now_secs() + 3600,
            client_id: "client".into(),
            user_id: Some("fan".into()),
            user_name: None,
        }
    }

    #[test]
    fn debug_output_never_shows_tokens() {
        let shown = format!("{:?}", sample());
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("client"));
    }

    #[test]
    fn the_file_store_is_private_and_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore {
            kind: TokenStoreKind::File,
            file: dir.path().join("spotify-tokens.json"),
            account: "test".into(),
        };
        assert_eq!(store.load().unwrap(), None);
        // One sample: two could straddle a second and differ in `expires_at`.
        let tokens = sample();
        store.save(&tokens).unwrap();
        assert_eq!(store.load().unwrap(), Some(tokens));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.file())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        store.clear().unwrap();
        assert_eq!(store.load().unwrap(), None);
        store.clear().unwrap();
    }

    #[test]
    fn the_listener_ignores_strays_and_wrong_state() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let send = move |path: &str| {
            let path = path.to_string();
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
                write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
                let mut answer = String::new();
                let _ = stream.read_to_string(&mut answer);
                answer
            })
        };
        let favicon = send("/favicon.ico");
        assert!(answer_request(listener.accept().unwrap().0, "good").is_none());
        assert!(favicon.join().unwrap().starts_with("HTTP/1.1 404"));
        let forged = send("/callback?code=abc&state=bad");
        assert!(answer_request(listener.accept().unwrap().0, "good").is_none());
        assert!(forged.join().unwrap().starts_with("HTTP/1.1 400"));
        let real = send("/callback?code=abc&state=good");
        let callback = answer_request(listener.accept().unwrap().0, "good");
        assert!(matches!(callback, Some(Callback::Code(code)) if code == "abc"));
        assert!(real.join().unwrap().contains("You can close this tab"));
        let denied = send("/callback?error=access_denied&state=good");
        let callback = answer_request(listener.accept().unwrap().0, "good");
        assert!(matches!(callback, Some(Callback::Denied(reason)) if reason == "access_denied"));
        denied.join().unwrap();
    }
}
