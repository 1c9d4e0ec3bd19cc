//! A fake of Spotify's accounts service and Web API as they behave in 2026 (see DESIGN.md,
//! "Spotify in 2026"), served over real HTTP on 127.0.0.1 so the app's own Spotify client can be
//! pointed at it through `CUESHEET_SPOTIFY_API_URL` / `CUESHEET_SPOTIFY_ACCOUNTS_URL`.
//!
//! This file owns the fake: its catalogue (seeded from the project's own
//! `src-tauri/core/starter-catalog.json`, plus decoys that punish naive matching), PKCE login
//! and tokens, playlists, the removed 2026 endpoints, and switchable faults (429, quota, 503,
//! slow answers, dropped connections, lost allow-listing).
//! It must stay a stand-in for Spotify and nothing more: it must not import or know anything of
//! the app, must not be lenient where Spotify is strict (a request real Spotify refuses is refused
//! here too), and must never reach the real network.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpListener as StdTcpListener};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::header::HeaderMap;
use hyper_util::rt::TokioIo;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization as _;

/// The only user of the fake: every token belongs to them and they own every playlist.
const USER_ID: &str = "fan";
const USER_NAME: &str = "Film Fan";
/// What a login grants when the app asks for nothing in particular, and what
/// [`FakeSpotify::issue_tokens`] grants.
const ALL_SCOPES: &str =
    "playlist-modify-private playlist-modify-public playlist-read-private user-read-private";
/// Access tokens last one hour, as Spotify's do.
const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
/// The most URIs one add, replace or remove request may carry.
const MAX_URIS_PER_REQUEST: usize = 100;
/// Spotify refuses to grow a playlist past this many items.
const MAX_PLAYLIST_ITEMS: usize = 10_000;
/// The highest `offset` search accepts.
const MAX_SEARCH_OFFSET: usize = 1000;

/// One request the fake received, in arrival order. `status` is what it answered, or 0 when it
/// answered nothing (a dropped connection, or a client that hung up while the fake was slow).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    /// The raw query string, without the `?` ("" when there is none).
    pub query: String,
    /// The body verbatim (lossy UTF-8), secrets included: tests inspect token requests too.
    pub body: String,
    pub status: u16,
}

impl RecordedRequest {
    /// Whether this request tried to change something in the Web API (not a token request).
    pub fn is_write(&self) -> bool {
        matches!(self.method.as_str(), "POST" | "PUT" | "DELETE") && is_api_path(&self.path)
    }
}

/// A token pair minted for "fan" as a finished login would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: u64,
}

/// One recording in the fake catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FakeTrack {
    /// 22 base62 characters, like Spotify's ids.
    pub id: String,
    pub name: String,
    pub artists: Vec<String>,
    pub album: String,
    pub duration_ms: u64,
    pub isrc: Option<String>,
    /// A wrong answer for the song it resembles (live, karaoke, cover, or another song of the
    /// same title). Search lists decoys first, so a client that takes the first hit fails.
    pub decoy: bool,
}

impl FakeTrack {
    /// `spotify:track:ID`.
    pub fn uri(&self) -> String {
        format!("spotify:track:{}", self.id)
    }
}

/// A playlist as the fake holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakePlaylist {
    pub id: String,
    pub name: String,
    /// "" when none was given (the Web API then answers `null`).
    pub description: String,
    pub public: bool,
    pub owner: String,
    pub uris: Vec<String>,
    pub snapshot_id: String,
}

/// Switches tests flip to make the fake misbehave. Counters count down as they fire. Apart from
/// `latency` and `deny_login`, faults touch `/v1` requests only, checked in this order: drop
/// (`drop_next`, then `fail_writes_after`), slow, not allow-listed, quota, rate limit, server
/// error; the token check comes after them, as Spotify's edge answers before it looks at tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Faults {
    /// The next N `/v1` requests answer 429 with `Retry-After: retry_after_secs`.
    pub rate_limit_next: u32,
    pub retry_after_secs: u64,
    /// Every `/v1` request answers 429 whose message contains `QUOTA_EXCEEDED`, with no
    /// `Retry-After`: waiting does not help.
    pub quota_exceeded: bool,
    /// The next N `/v1` requests answer 503.
    pub server_error_next: u32,
    /// Added before every request is answered, accounts included.
    pub latency: Duration,
    /// The next N `/v1` requests wait `slow_for` before being handled (for client timeouts).
    pub slow_next: u32,
    pub slow_for: Duration,
    /// The next N `/v1` requests get their connection closed with no response at all.
    pub drop_next: u32,
    /// After N more successful `/v1` writes, every further `/v1` request gets its connection
    /// dropped (network lost mid-export). `None` turns it off.
    pub fail_writes_after: Option<u32>,
    /// Every `/v1` request answers 403 as for a user missing from the app's allow-list.
    pub not_allowlisted: bool,
    /// `/authorize` redirects back with `error=access_denied`, as when the user clicks Cancel.
    pub deny_login: bool,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            rate_limit_next: 0,
            retry_after_secs: 1,
            quota_exceeded: false,
            server_error_next: 0,
            latency: Duration::ZERO,
            slow_next: 0,
            slow_for: Duration::ZERO,
            drop_next: 0,
            fail_writes_after: None,
            not_allowlisted: false,
            deny_login: false,
        }
    }
}

/// The running fake. Its server has its own tokio runtime, so plain synchronous tests can use it
/// (and async ones too); dropping it shuts the server down.
pub struct FakeSpotify {
    shared: Arc<Shared>,
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
}

impl fmt::Debug for FakeSpotify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeSpotify")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl FakeSpotify {
    /// Starts on a free port of 127.0.0.1. Panics if it cannot.
    pub fn start() -> FakeSpotify {
        Self::start_on_port(0)
    }

    /// Starts on 127.0.0.1:`port` (0 = any free port). Panics if it cannot.
    pub fn start_on_port(port: u16) -> FakeSpotify {
        Self::try_start_on_port(port)
            .unwrap_or_else(|e| panic!("the fake Spotify cannot listen on 127.0.0.1:{port}: {e}"))
    }

    /// Like [`FakeSpotify::start_on_port`], but says why it could not start.
    pub fn try_start_on_port(port: u16) -> io::Result<FakeSpotify> {
        // Bind here rather than in the server's thread, so the port is known (and a clash is
        // reported) before this returns.
        let listener = StdTcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            base_url: format!("http://{addr}"),
            faults: Mutex::new(Faults::default()),
            world: Mutex::new(World::seeded()),
            log: Mutex::new(Vec::new()),
            next_seq: AtomicU64::new(0),
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name(format!("fake-spotify-{}", addr.port()))
            .enable_all()
            .build()?;
        runtime.spawn(serve(listener, Arc::clone(&shared)));
        Ok(FakeSpotify {
            shared,
            addr,
            runtime: Some(runtime),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// Where the Web API lives: `http://127.0.0.1:PORT/v1`.
    pub fn api_url(&self) -> String {
        format!("{}/v1", self.shared.base_url)
    }

    /// Where the accounts service lives (`/authorize` and `/api/token` under it).
    pub fn accounts_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.log)
            .iter()
            .map(|(_, r)| r.clone())
            .collect()
    }

    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// The fault switches; hold the guard only while flipping them.
    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        lock(&self.shared.faults)
    }

    /// Mints a valid token pair for "fan" with every scope, as if the login in the browser had
    /// just finished. Its refresh token works with any client id.
    pub fn issue_tokens(&self) -> IssuedTokens {
        let mut world = lock(&self.shared.world);
        let access_token = world.mint_access();
        let refresh_token = world.mint_refresh(None, ALL_SCOPES);
        IssuedTokens {
            access_token,
            refresh_token,
            expires_in: TOKEN_LIFETIME.as_secs(),
        }
    }

    /// Makes every refresh token minted so far invalid (`invalid_grant`), as when the six months
    /// after consent have passed or the user removed the app's access.
    pub fn revoke_refresh_tokens(&self) {
        lock(&self.shared.world).refresh.clear();
    }

    /// Makes every access token minted so far answer 401, as an hour later.
    pub fn expire_access_tokens(&self) {
        for token in lock(&self.shared.world).access.values_mut() {
            token.expired = true;
        }
    }

    /// A playlist's URIs in order, or `None` if there is no such playlist (or it was deleted).
    pub fn playlist_uris(&self, playlist_id: &str) -> Option<Vec<String>> {
        lock(&self.shared.world)
            .playlist(playlist_id)
            .map(|p| p.items.iter().map(|i| i.uri.clone()).collect())
    }

    /// Every playlist that still exists, oldest first.
    pub fn playlists(&self) -> Vec<FakePlaylist> {
        lock(&self.shared.world)
            .playlists
            .iter()
            .filter(|p| !p.deleted)
            .map(Playlist::to_fake)
            .collect()
    }

    /// Simulates the user deleting the playlist in Spotify: later reads and writes answer 404.
    /// Panics if there is no such playlist, since that is a mistake in the test.
    pub fn delete_playlist(&self, playlist_id: &str) {
        let mut world = lock(&self.shared.world);
        let playlist = world
            .playlist_mut(playlist_id)
            .unwrap_or_else(|| panic!("the fake has no playlist {playlist_id} to delete"));
        playlist.deleted = true;
    }

    /// Simulates edits made in Spotify's own apps: replaces the content and the snapshot id.
    /// URIs need not be in the catalogue (they read back as `"item": null`, as unavailable
    /// tracks do). Panics if there is no such playlist.
    pub fn set_playlist_uris(&self, playlist_id: &str, uris: Vec<String>) {
        let mut world = lock(&self.shared.world);
        let playlist = world
            .playlist_mut(playlist_id)
            .unwrap_or_else(|| panic!("the fake has no playlist {playlist_id} to edit"));
        playlist.items = Item::added_now(uris);
        playlist.new_snapshot();
    }

    /// Adds a track to the catalogue (replacing one with the same id). An empty `id` gets a
    /// deterministic one from name, artists and album.
    pub fn add_track(&self, mut track: FakeTrack) {
        if track.id.is_empty() {
            track.id = track_id(&track.name, &track.artists, &track.album, "added");
        }
        lock(&self.shared.world).add_track(track);
    }

    /// The whole catalogue, in catalogue order.
    pub fn catalogue(&self) -> Vec<FakeTrack> {
        lock(&self.shared.world).catalogue.clone()
    }
}

impl Drop for FakeSpotify {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            // Waiting for the server to stop is not allowed inside an async context, and is
            // only needed so a test can reuse the port at once; so wait briefly when allowed.
            if tokio::runtime::Handle::try_current().is_ok() {
                runtime.shutdown_background();
            } else {
                runtime.shutdown_timeout(Duration::from_secs(2));
            }
        }
    }
}

/// What the server's tasks and the [`FakeSpotify`] handle share.
struct Shared {
    base_url: String,
    faults: Mutex<Faults>,
    world: Mutex<World>,
    /// Requests with a sequence number, so an answer can be filled in after the log was read or
    /// cleared meanwhile.
    log: Mutex<Vec<(u64, RecordedRequest)>>,
    next_seq: AtomicU64,
}

/// A poisoned lock only means another test thread panicked; the data is still usable and the
/// panic is reported elsewhere.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn is_api_path(path: &str) -> bool {
    path == "/v1" || path.starts_with("/v1/")
}

// ---------------------------------------------------------------------------------------------
// The server loop

/// The service's error: the one way to make hyper close a connection without answering.
#[derive(Debug)]
struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped on purpose by a fault")
    }
}

impl std::error::Error for DropConnection {}

async fn serve(listener: StdTcpListener, shared: Arc<Shared>) {
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

async fn handle(
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

async fn respond(
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
        let deny_login = lock(&shared.faults).deny_login;
        let mut world = lock(&shared.world);
        return Outcome::Reply(world.accounts(method, path, &params, headers, body, deny_login));
    }
    if let Some(outcome) = api_faults(shared).await {
        return outcome;
    }
    let auth = headers
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let reply = lock(&shared.world).api(&shared.base_url, method, path, &params, auth, body);
    let wrote = matches!(method, "POST" | "PUT" | "DELETE") && (200..300).contains(&reply.status);
    if wrote {
        if let Some(left) = lock(&shared.faults).fail_writes_after.as_mut() {
            *left = left.saturating_sub(1);
        }
    }
    Outcome::Reply(reply)
}

/// Applies the `/v1` faults in their documented order; `None` lets the request through.
async fn api_faults(shared: &Shared) -> Option<Outcome> {
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

enum Outcome {
    Reply(Reply),
    /// Close the connection without a response.
    Drop,
}

struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn json(status: u16, value: &Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", "application/json; charset=utf-8".into())],
            body: value.to_string().into_bytes(),
        }
    }

    /// The Web API's error shape.
    fn error(status: u16, message: &str) -> Reply {
        Reply::json(
            status,
            &json!({"error": {"status": status, "message": message}}),
        )
    }

    /// The accounts service's OAuth error shape.
    fn oauth_error(error: &str, description: &str) -> Reply {
        Reply::json(
            400,
            &json!({"error": error, "error_description": description}),
        )
    }

    fn text(status: u16, message: &str) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", "text/plain; charset=utf-8".into())],
            body: message.as_bytes().to_vec(),
        }
    }

    fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    fn redirect(location: String) -> Reply {
        Reply::empty(303).with_header("location", location)
    }

    fn with_header(mut self, name: &'static str, value: String) -> Reply {
        self.headers.push((name, value));
        self
    }

    fn into_response(self) -> hyper::Response<Full<Bytes>> {
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

// ---------------------------------------------------------------------------------------------
// The world: catalogue, tokens, playlists

struct AuthCode {
    challenge: String,
    client_id: String,
    redirect_uri: String,
    scope: String,
    used: bool,
}

struct AccessToken {
    issued: Instant,
    expired: bool,
}

struct RefreshToken {
    /// The client the token was granted to; `None` (tokens from `issue_tokens`) accepts any.
    client_id: Option<String>,
    scope: String,
}

struct AlbumInfo {
    id: String,
    album_type: &'static str,
    artists: Vec<String>,
    release_date: String,
}

struct Item {
    uri: String,
    added_at: String,
}

impl Item {
    /// The items one write adds: Spotify stamps them all with the write's time.
    fn added_now(uris: Vec<String>) -> Vec<Item> {
        let added_at = iso_now();
        uris.into_iter()
            .map(|uri| Item {
                uri,
                added_at: added_at.clone(),
            })
            .collect()
    }
}

struct Playlist {
    id: String,
    name: String,
    description: String,
    public: bool,
    collaborative: bool,
    items: Vec<Item>,
    snapshot_id: String,
    /// Every snapshot this playlist ever had: Spotify accepts any of them in a write.
    snapshots: HashSet<String>,
    deleted: bool,
}

impl Playlist {
    fn new_snapshot(&mut self) {
        self.snapshot_id = fresh_secret("AAAA", 28);
        self.snapshots.insert(self.snapshot_id.clone());
    }

    /// Ends a write to the items: a new snapshot, which the answer carries.
    fn written(&mut self, status: u16) -> Reply {
        self.new_snapshot();
        Reply::json(status, &json!({"snapshot_id": self.snapshot_id}))
    }

    fn to_fake(&self) -> FakePlaylist {
        FakePlaylist {
            id: self.id.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            public: self.public,
            owner: USER_ID.into(),
            uris: self.items.iter().map(|i| i.uri.clone()).collect(),
            snapshot_id: self.snapshot_id.clone(),
        }
    }
}

struct World {
    catalogue: Vec<FakeTrack>,
    /// Track id → position in `catalogue`.
    index: HashMap<String, usize>,
    /// Release year of albums whose year is known (the seeded ones).
    years: HashMap<String, String>,
    albums: HashMap<String, AlbumInfo>,
    codes: HashMap<String, AuthCode>,
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, RefreshToken>,
    playlists: Vec<Playlist>,
}

/// A parsed query string or form body, in order (names may repeat).
type Params = Vec<(String, String)>;

fn parse_form(bytes: &[u8]) -> Params {
    form_urlencoded::parse(bytes).into_owned().collect()
}

fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Percent-encodes a query value. Spaces become `%20`, not `+`, so that clients which only
/// percent-decode read the same value as those that decode forms.
fn encode(value: &str) -> String {
    let form: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
    // byte_serialize writes a literal `+` as `%2B`, so every `+` left stands for a space.
    form.replace('+', "%20")
}

impl World {
    fn seeded() -> World {
        let (catalogue, years) = seed_catalogue();
        let mut world = World {
            catalogue: Vec::new(),
            index: HashMap::new(),
            years,
            albums: HashMap::new(),
            codes: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            playlists: Vec::new(),
        };
        for track in catalogue {
            world.push_track(track);
        }
        world.rebuild_albums();
        world
    }

    fn push_track(&mut self, track: FakeTrack) {
        if let Some(&at) = self.index.get(&track.id) {
            self.catalogue[at] = track;
        } else {
            self.index.insert(track.id.clone(), self.catalogue.len());
            self.catalogue.push(track);
        }
    }

    fn add_track(&mut self, track: FakeTrack) {
        self.push_track(track);
        self.rebuild_albums();
    }

    /// Album objects follow from the tracks: one main artist → an "album" by them; several →
    /// a "compilation" by Various Artists (which is what most soundtracks are).
    fn rebuild_albums(&mut self) {
        let mut order: Vec<&str> = Vec::new();
        let mut artists: HashMap<&str, Vec<&str>> = HashMap::new();
        for track in &self.catalogue {
            let main = track.artists.first().map_or("", String::as_str);
            let seen = artists.entry(track.album.as_str()).or_insert_with(|| {
                order.push(track.album.as_str());
                Vec::new()
            });
            if !seen.contains(&main) {
                seen.push(main);
            }
        }
        let mut albums = HashMap::new();
        for album in order {
            let (album_type, album_artists) = match artists[album].as_slice() {
                [only] => ("album", vec![(*only).to_owned()]),
                _ => ("compilation", vec!["Various Artists".to_owned()]),
            };
            albums.insert(
                album.to_owned(),
                AlbumInfo {
                    id: base62_id(&["album", album]),
                    album_type,
                    artists: album_artists,
                    // Tracks added by tests have no known year; any fixed one keeps answers
                    // stable.
                    release_date: self
                        .years
                        .get(album)
                        .cloned()
                        .unwrap_or_else(|| "2000".into()),
                },
            );
        }
        self.albums = albums;
    }

    fn mint_access(&mut self) -> String {
        let token = fresh_secret("BQ", 120);
        self.access.insert(
            token.clone(),
            AccessToken {
                issued: Instant::now(),
                expired: false,
            },
        );
        token
    }

    fn mint_refresh(&mut self, client_id: Option<String>, scope: &str) -> String {
        let token = fresh_secret("AQ", 128);
        self.refresh.insert(
            token.clone(),
            RefreshToken {
                client_id,
                scope: scope.to_owned(),
            },
        );
        token
    }

    fn playlist(&self, id: &str) -> Option<&Playlist> {
        self.playlists.iter().find(|p| p.id == id && !p.deleted)
    }

    fn playlist_mut(&mut self, id: &str) -> Option<&mut Playlist> {
        self.playlists.iter_mut().find(|p| p.id == id && !p.deleted)
    }

    fn track_by_uri(&self, uri: &str) -> Option<&FakeTrack> {
        let id = uri.strip_prefix("spotify:track:")?;
        self.index.get(id).map(|&at| &self.catalogue[at])
    }

    // -- accounts ------------------------------------------------------------------------------

    fn accounts(
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

    fn authorize(&mut self, params: &Params, deny_login: bool) -> Reply {
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

    fn token(&mut self, headers: &HeaderMap, body: &[u8]) -> Reply {
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

    fn exchange_code(&mut self, params: &Params, client_id: Option<String>) -> Reply {
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

    fn refresh_grant(&mut self, params: &Params, client_id: Option<String>) -> Reply {
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

    fn check_token(&self, authorization: Option<&str>) -> Result<(), Reply> {
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

    fn api(
        &mut self,
        base: &str,
        method: &str,
        path: &str,
        params: &Params,
        authorization: Option<&str>,
        body: &[u8],
    ) -> Reply {
        if let Err(reply) = self.check_token(authorization) {
            return reply;
        }
        let rest = path.strip_prefix("/v1").unwrap_or(path);
        let segments: Vec<&str> = rest.strip_prefix('/').unwrap_or(rest).split('/').collect();
        let result = match (method, segments.as_slice()) {
            ("GET", ["me"]) => Ok(me_json(base)),
            ("GET", ["me", "playlists"]) => self.list_playlists(base, params),
            ("POST", ["me", "playlists"]) => self.create_playlist(base, body),
            ("GET", ["search"]) => self.search(base, params),
            // Several tracks at once was removed in 2026.
            ("GET", ["tracks"]) => Err(Reply::error(403, "Forbidden")),
            ("GET", ["tracks", id]) => self.get_track(base, id),
            (_, ["playlists", _, "tracks"]) => Err(Reply::error(403, "Forbidden")),
            ("GET" | "POST", ["users", _, "playlists"]) => Err(Reply::error(403, "Forbidden")),
            ("GET", ["playlists", id]) => self.get_playlist(base, id),
            ("PUT", ["playlists", id]) => self.change_details(id, body),
            ("GET", ["playlists", id, "items"]) => self.list_items(base, id, params),
            ("POST", ["playlists", id, "items"]) => self.add_items(id, body),
            ("PUT", ["playlists", id, "items"]) => self.replace_or_reorder(id, body),
            ("DELETE", ["playlists", id, "items"]) => self.remove_items(id, body),
            (
                _,
                ["me"]
                | ["me", "playlists"]
                | ["search"]
                | ["tracks"]
                | ["tracks", _]
                | ["playlists", _]
                | ["playlists", _, "items"]
                | ["users", _, "playlists"],
            ) => Err(Reply::error(405, "Method not allowed")),
            _ => Err(Reply::error(404, "Service not found")),
        };
        result.unwrap_or_else(|reply| reply)
    }

    fn search(&self, base: &str, params: &Params) -> Result<Reply, Reply> {
        let q = param(params, "q").unwrap_or("").trim();
        if q.is_empty() {
            return Err(Reply::error(400, "No search query"));
        }
        let Some(kinds) = param(params, "type") else {
            return Err(Reply::error(400, "Missing parameter type"));
        };
        if !kinds.split(',').any(|k| k.trim() == "track") {
            return Err(Reply::error(400, "Bad search type field"));
        }
        let (limit, offset) = paging_params(params, 5, 10)?;
        if offset > MAX_SEARCH_OFFSET {
            return Err(Reply::error(400, "Invalid offset"));
        }
        let terms = parse_search(q);
        let matching: Vec<&FakeTrack> = {
            let hits = self
                .catalogue
                .iter()
                .filter(|t| self.search_matches(t, &terms));
            // Decoys first, then the rest, each in catalogue order.
            let (mut decoys, rest): (Vec<_>, Vec<_>) = hits.partition(|t| t.decoy);
            decoys.extend(rest);
            decoys
        };
        let items = matching
            .iter()
            .skip(offset)
            .take(limit)
            .map(|t| self.track_json(base, t))
            .collect();
        let href_base = format!(
            "{base}/v1/search?query={}&type={}&",
            encode(q),
            encode(kinds)
        );
        Ok(Reply::json(
            200,
            &json!({"tracks": page(&href_base, items, matching.len(), limit, offset)}),
        ))
    }

    fn search_matches(&self, track: &FakeTrack, terms: &[Term]) -> bool {
        let name = fold(&track.name);
        let album = fold(&track.album);
        let artists: Vec<String> = track.artists.iter().map(|a| fold(a)).collect();
        terms.iter().all(|term| match term {
            Term::Field(Field::Track, v) => name.contains(v),
            Term::Field(Field::Artist, v) => artists.iter().any(|a| a.contains(v)),
            Term::Field(Field::Album, v) => album.contains(v),
            Term::Field(Field::Isrc, v) => {
                track.isrc.as_deref().is_some_and(|i| fold(i).contains(v))
            }
            Term::Field(Field::Year, v) => {
                let year = self
                    .albums
                    .get(&track.album)
                    .and_then(|a| a.release_date.get(..4))
                    .and_then(|y| y.parse::<u32>().ok());
                year.is_some_and(|y| year_matches(v, y))
            }
            Term::Free(v) => {
                name.contains(v) || album.contains(v) || artists.iter().any(|a| a.contains(v))
            }
        })
    }

    fn get_track(&self, base: &str, id: &str) -> Result<Reply, Reply> {
        let at = self.index.get(id).ok_or_else(not_found)?;
        Ok(Reply::json(
            200,
            &self.track_json(base, &self.catalogue[*at]),
        ))
    }

    fn list_playlists(&self, base: &str, params: &Params) -> Result<Reply, Reply> {
        let (limit, offset) = paging_params(params, 20, 50)?;
        let owned: Vec<&Playlist> = self.playlists.iter().rev().filter(|p| !p.deleted).collect();
        let items = owned
            .iter()
            .skip(offset)
            .take(limit)
            .map(|p| playlist_json(base, p, None))
            .collect();
        let href_base = format!("{base}/v1/me/playlists?");
        Ok(Reply::json(
            200,
            &page(&href_base, items, owned.len(), limit, offset),
        ))
    }

    fn create_playlist(&mut self, base: &str, body: &[u8]) -> Result<Reply, Reply> {
        let body = json_object(body)?;
        let name = body
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| Reply::error(400, "Missing required field: name"))?;
        let description = optional_string(&body, "description")?.unwrap_or_default();
        let public = optional_bool(&body, "public")?.unwrap_or(true);
        let collaborative = optional_bool(&body, "collaborative")?.unwrap_or(false);
        if public && collaborative {
            return Err(Reply::error(
                400,
                "Collaborative playlists can only be private.",
            ));
        }
        let mut playlist = Playlist {
            id: fresh_base62(),
            name: name.to_owned(),
            description,
            public,
            collaborative,
            items: Vec::new(),
            snapshot_id: String::new(),
            snapshots: HashSet::new(),
            deleted: false,
        };
        playlist.new_snapshot();
        let answer = playlist_json(base, &playlist, None);
        self.playlists.push(playlist);
        Ok(Reply::json(201, &answer))
    }

    fn get_playlist(&self, base: &str, id: &str) -> Result<Reply, Reply> {
        let playlist = self.playlist(id).ok_or_else(not_found)?;
        let first: Vec<Value> = playlist
            .items
            .iter()
            .take(100)
            .map(|item| self.item_json(base, item))
            .collect();
        let href_base = format!("{base}/v1/playlists/{id}/items?");
        let items = page(&href_base, first, playlist.items.len(), 100, 0);
        Ok(Reply::json(
            200,
            &playlist_json(base, playlist, Some(items)),
        ))
    }

    fn change_details(&mut self, id: &str, body: &[u8]) -> Result<Reply, Reply> {
        let body = json_object(body)?;
        let name = optional_string(&body, "name")?;
        let description = optional_string(&body, "description")?;
        let public = optional_bool(&body, "public")?;
        let collaborative = optional_bool(&body, "collaborative")?;
        let playlist = self.playlist_mut(id).ok_or_else(not_found)?;
        if let Some(name) = name {
            if name.trim().is_empty() {
                return Err(Reply::error(400, "Playlist name must not be empty"));
            }
            playlist.name = name;
        }
        if let Some(description) = description {
            playlist.description = description;
        }
        if let Some(public) = public {
            playlist.public = public;
        }
        if let Some(collaborative) = collaborative {
            playlist.collaborative = collaborative;
        }
        playlist.new_snapshot();
        Ok(Reply::empty(200))
    }

    fn list_items(&self, base: &str, id: &str, params: &Params) -> Result<Reply, Reply> {
        let playlist = self.playlist(id).ok_or_else(not_found)?;
        let (limit, offset) = paging_params(params, 20, 50)?;
        let items = playlist
            .items
            .iter()
            .skip(offset)
            .take(limit)
            .map(|item| self.item_json(base, item))
            .collect();
        let href_base = format!("{base}/v1/playlists/{id}/items?");
        Ok(Reply::json(
            200,
            &page(&href_base, items, playlist.items.len(), limit, offset),
        ))
    }

    /// The URIs of a write, checked: at most 100, each a track of the catalogue.
    fn checked_uris(&self, value: Option<&Value>) -> Result<Vec<String>, Reply> {
        let Some(list) = value.and_then(Value::as_array) else {
            return Err(Reply::error(400, "Missing required field: uris"));
        };
        if list.len() > MAX_URIS_PER_REQUEST {
            return Err(Reply::error(
                400,
                "You can add a maximum of 100 tracks per request.",
            ));
        }
        list.iter()
            .map(|uri| match uri.as_str() {
                Some(uri) if self.track_by_uri(uri).is_some() => Ok(uri.to_owned()),
                Some(uri) => Err(Reply::error(400, &format!("Invalid track uri: {uri}"))),
                None => Err(Reply::error(400, "Invalid track uri")),
            })
            .collect()
    }

    fn add_items(&mut self, id: &str, body: &[u8]) -> Result<Reply, Reply> {
        self.playlist(id).ok_or_else(not_found)?;
        let body = json_object(body)?;
        let uris = self.checked_uris(body.get("uris"))?;
        if uris.is_empty() {
            return Err(Reply::error(400, "No uris provided"));
        }
        let position = match body.get("position") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_u64()
                    .ok_or_else(|| Reply::error(400, "Invalid position"))?,
            ),
        };
        let playlist = self.playlist_mut(id).ok_or_else(not_found)?;
        if playlist.items.len() + uris.len() > MAX_PLAYLIST_ITEMS {
            return Err(Reply::error(400, "Playlist size limit reached"));
        }
        let at = match position {
            None => playlist.items.len(),
            Some(p) => usize::try_from(p)
                .ok()
                .filter(|p| *p <= playlist.items.len())
                .ok_or_else(|| Reply::error(400, "Index out of bounds"))?,
        };
        playlist.items.splice(at..at, Item::added_now(uris));
        Ok(playlist.written(201))
    }

    fn replace_or_reorder(&mut self, id: &str, body: &[u8]) -> Result<Reply, Reply> {
        self.playlist(id).ok_or_else(not_found)?;
        let body = json_object(body)?;
        if body.contains_key("uris") {
            let uris = self.checked_uris(body.get("uris"))?;
            let playlist = self.playlist_mut(id).ok_or_else(not_found)?;
            playlist.items = Item::added_now(uris);
            return Ok(playlist.written(200));
        }
        let index = |key: &str, default: Option<u64>| -> Result<usize, Reply> {
            match body.get(key) {
                None | Some(Value::Null) => default,
                Some(v) => v.as_u64(),
            }
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| Reply::error(400, &format!("Missing or invalid field: {key}")))
        };
        let range_start = index("range_start", None)?;
        let insert_before = index("insert_before", None)?;
        let range_length = index("range_length", Some(1))?;
        let snapshot = optional_string(&body, "snapshot_id")?;
        let playlist = self.playlist_mut(id).ok_or_else(not_found)?;
        check_snapshot(playlist, snapshot.as_deref())?;
        let len = playlist.items.len();
        if range_length == 0 || range_start + range_length > len || insert_before > len {
            return Err(Reply::error(400, "Index out of bounds"));
        }
        // The indices name places in the list before the move. Moving a range before one of
        // its own items, or right after itself, leaves the order as it was.
        let range_end = range_start + range_length;
        if insert_before < range_start || insert_before > range_end {
            let moved: Vec<Item> = playlist.items.drain(range_start..range_end).collect();
            let at = if insert_before < range_start {
                insert_before
            } else {
                insert_before - range_length
            };
            playlist.items.splice(at..at, moved);
        }
        Ok(playlist.written(200))
    }

    fn remove_items(&mut self, id: &str, body: &[u8]) -> Result<Reply, Reply> {
        self.playlist(id).ok_or_else(not_found)?;
        let body = json_object(body)?;
        let Some(list) = body.get("items").and_then(Value::as_array) else {
            // Also what a body still using the pre-2026 key `tracks` gets.
            return Err(Reply::error(400, "Missing required field: items"));
        };
        if list.is_empty() {
            return Err(Reply::error(400, "No uris provided"));
        }
        if list.len() > MAX_URIS_PER_REQUEST {
            return Err(Reply::error(
                400,
                "You can remove a maximum of 100 tracks per request.",
            ));
        }
        let mut doomed = HashSet::new();
        for entry in list {
            match entry.get("uri").and_then(Value::as_str) {
                Some(uri) if is_track_uri(uri) => {
                    doomed.insert(uri.to_owned());
                }
                Some(uri) => return Err(Reply::error(400, &format!("Invalid track uri: {uri}"))),
                None => return Err(Reply::error(400, "Each item needs a uri")),
            }
        }
        let snapshot = optional_string(&body, "snapshot_id")?;
        let playlist = self.playlist_mut(id).ok_or_else(not_found)?;
        check_snapshot(playlist, snapshot.as_deref())?;
        playlist.items.retain(|item| !doomed.contains(&item.uri));
        Ok(playlist.written(200))
    }

    // -- JSON shapes ---------------------------------------------------------------------------

    fn track_json(&self, base: &str, track: &FakeTrack) -> Value {
        let album = self.albums.get(&track.album);
        let album_id = album.map_or_else(|| base62_id(&["album", &track.album]), |a| a.id.clone());
        let album_artists: Vec<Value> = album
            .map_or(&track.artists, |a| &a.artists)
            .iter()
            .map(|name| artist_json(base, name))
            .collect();
        let track_number = self
            .catalogue
            .iter()
            .filter(|t| t.album == track.album)
            .position(|t| t.id == track.id)
            .map_or(1, |p| p + 1);
        let external_ids = match &track.isrc {
            Some(isrc) => json!({"isrc": isrc}),
            None => json!({}),
        };
        json!({
            "id": track.id,
            "uri": track.uri(),
            "name": track.name,
            "type": "track",
            "artists": track.artists.iter().map(|a| artist_json(base, a)).collect::<Vec<_>>(),
            "album": {
                "id": album_id,
                "name": track.album,
                "uri": format!("spotify:album:{album_id}"),
                "album_type": album.map_or("album", |a| a.album_type),
                "artists": album_artists,
                "release_date": album.map_or("2000", |a| a.release_date.as_str()),
                "release_date_precision": "year",
                "images": [],
                "type": "album",
                "href": format!("{base}/v1/albums/{album_id}"),
                "external_urls": {"spotify": format!("https://open.spotify.com/album/{album_id}")},
            },
            "duration_ms": track.duration_ms,
            "explicit": false,
            "external_ids": external_ids,
            "external_urls": {"spotify": format!("https://open.spotify.com/track/{}", track.id)},
            "href": format!("{base}/v1/tracks/{}", track.id),
            "is_local": false,
            "track_number": track_number,
            "disc_number": 1,
        })
    }

    fn item_json(&self, base: &str, item: &Item) -> Value {
        // A URI not in the catalogue reads back as an unavailable item: `"item": null`.
        let track = self
            .track_by_uri(&item.uri)
            .map_or(Value::Null, |t| self.track_json(base, t));
        json!({
            "added_at": item.added_at,
            "added_by": user_json(base),
            "is_local": false,
            "item": track,
        })
    }
}

/// The user as Spotify shows them beside an item they added; an owner also has a name, and
/// `/me` says more.
fn user_json(base: &str) -> Value {
    json!({
        "id": USER_ID,
        "type": "user",
        "uri": format!("spotify:user:{USER_ID}"),
        "href": format!("{base}/v1/users/{USER_ID}"),
        "external_urls": {"spotify": format!("https://open.spotify.com/user/{USER_ID}")},
    })
}

fn owner_json(base: &str) -> Value {
    let mut owner = user_json(base);
    owner["display_name"] = json!(USER_NAME);
    owner
}

fn me_json(base: &str) -> Reply {
    let mut me = owner_json(base);
    me["product"] = json!("premium");
    Reply::json(200, &me)
}

fn artist_json(base: &str, name: &str) -> Value {
    let id = base62_id(&["artist", name]);
    json!({
        "id": id,
        "name": name,
        "uri": format!("spotify:artist:{id}"),
        "type": "artist",
        "href": format!("{base}/v1/artists/{id}"),
        "external_urls": {"spotify": format!("https://open.spotify.com/artist/{id}")},
    })
}

/// A playlist object; `items` is the paging object of a single-playlist read, or `None` for the
/// `{href, total}` summary that creation and listing answer with.
fn playlist_json(base: &str, playlist: &Playlist, items: Option<Value>) -> Value {
    let id = &playlist.id;
    let items = items.unwrap_or_else(|| {
        json!({"href": format!("{base}/v1/playlists/{id}/items"), "total": playlist.items.len()})
    });
    let description = if playlist.description.is_empty() {
        Value::Null
    } else {
        Value::String(playlist.description.clone())
    };
    json!({
        "id": id,
        "name": playlist.name,
        "description": description,
        "public": playlist.public,
        "collaborative": playlist.collaborative,
        "snapshot_id": playlist.snapshot_id,
        "uri": format!("spotify:playlist:{id}"),
        "href": format!("{base}/v1/playlists/{id}"),
        "external_urls": {"spotify": format!("https://open.spotify.com/playlist/{id}")},
        "images": [],
        "primary_color": null,
        "owner": owner_json(base),
        "items": items,
        "type": "playlist",
    })
}

/// A paging object. `href_base` ends in `?` or `&`, ready for `offset=…&limit=…`.
fn page(href_base: &str, items: Vec<Value>, total: usize, limit: usize, offset: usize) -> Value {
    let href = |offset: usize| format!("{href_base}offset={offset}&limit={limit}");
    let next = (offset + limit < total).then(|| href(offset + limit));
    let previous = (offset > 0).then(|| href(offset.saturating_sub(limit)));
    json!({
        "href": href(offset),
        "items": items,
        "limit": limit,
        "next": next,
        "offset": offset,
        "previous": previous,
        "total": total,
    })
}

fn not_found() -> Reply {
    Reply::error(404, "Resource not found")
}

/// `limit` (1..=max, `default` when absent) and `offset` (0 when absent) of a paged read.
fn paging_params(params: &Params, default: usize, max: usize) -> Result<(usize, usize), Reply> {
    let limit = match param(params, "limit") {
        None => default,
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=max).contains(l))
            .ok_or_else(|| Reply::error(400, "Invalid limit"))?,
    };
    let offset = match param(params, "offset") {
        None => 0,
        Some(raw) => raw
            .parse::<usize>()
            .map_err(|_| Reply::error(400, "Invalid offset"))?,
    };
    Ok((limit, offset))
}

/// What the token endpoint answers a granted request.
fn token_reply(access_token: &str, scope: &str, refresh_token: Option<&str>) -> Reply {
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

fn json_object(body: &[u8]) -> Result<Map<String, Value>, Reply> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(Reply::error(400, "Error parsing JSON.")),
    }
}

fn optional_string(body: &Map<String, Value>, key: &str) -> Result<Option<String>, Reply> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Reply::error(400, &format!("{key} must be a string"))),
    }
}

fn optional_bool(body: &Map<String, Value>, key: &str) -> Result<Option<bool>, Reply> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(Reply::error(400, &format!("{key} must be a boolean"))),
    }
}

/// A write may name the snapshot it was computed against; it must be one this playlist had.
fn check_snapshot(playlist: &Playlist, snapshot: Option<&str>) -> Result<(), Reply> {
    match snapshot {
        Some(s) if !playlist.snapshots.contains(s) => Err(Reply::error(400, "Invalid snapshot id")),
        _ => Ok(()),
    }
}

fn is_track_uri(uri: &str) -> bool {
    uri.strip_prefix("spotify:track:")
        .is_some_and(|id| id.len() == 22 && id.bytes().all(|b| b.is_ascii_alphanumeric()))
}

// ---------------------------------------------------------------------------------------------
// Search query language

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Track,
    Artist,
    Album,
    Isrc,
    Year,
}

/// One condition of a search; values are already folded (see [`fold`]).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    Field(Field, String),
    Free(String),
}

const FIELDS: [(&str, Field); 5] = [
    ("track:", Field::Track),
    ("artist:", Field::Artist),
    ("album:", Field::Album),
    ("isrc:", Field::Isrc),
    ("year:", Field::Year),
];

/// Splits `q` into field filters (`field:word` or `field:"a phrase"`) and free words (a bare
/// word or a "quoted phrase").
fn parse_search(q: &str) -> Vec<Term> {
    let chars: Vec<char> = q.chars().collect();
    let mut terms = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let field = FIELDS.iter().find(|(name, _)| {
            let name: Vec<char> = name.chars().collect();
            chars.len() >= i + name.len()
                && chars[i..i + name.len()]
                    .iter()
                    .zip(&name)
                    .all(|(a, b)| a.to_ascii_lowercase() == *b)
        });
        if let Some((name, field)) = field {
            let (value, next) = read_value(&chars, i + name.len());
            i = next;
            let value = fold(&value);
            if !value.trim().is_empty() {
                terms.push(Term::Field(*field, value));
            }
        } else {
            let (value, next) = read_value(&chars, i);
            i = next;
            let value = fold(&value);
            if !value.trim().is_empty() {
                terms.push(Term::Free(value));
            }
        }
    }
    terms
}

/// Reads a "quoted phrase" (to the closing quote or the end) or a word (to the next space)
/// starting at `i`; returns it and where reading stopped.
fn read_value(chars: &[char], i: usize) -> (String, usize) {
    if chars.get(i) == Some(&'"') {
        let end = chars[i + 1..]
            .iter()
            .position(|c| *c == '"')
            .map_or(chars.len(), |p| i + 1 + p);
        (chars[i + 1..end].iter().collect(), end + 1)
    } else {
        let end = chars[i..]
            .iter()
            .position(|c| c.is_whitespace())
            .map_or(chars.len(), |p| i + p);
        (chars[i..end].iter().collect(), end)
    }
}

/// Case- and accent-insensitive form: decomposed, combining marks dropped, lower case.
fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// `year:1996` or `year:1990-1999`.
fn year_matches(filter: &str, year: u32) -> bool {
    match filter.split_once('-') {
        Some((from, to)) => match (from.trim().parse::<u32>(), to.trim().parse::<u32>()) {
            (Ok(from), Ok(to)) => (from..=to).contains(&year),
            _ => false,
        },
        None => filter.trim().parse::<u32>() == Ok(year),
    }
}

// ---------------------------------------------------------------------------------------------
// Catalogue seed

const UNKNOWN_ARTIST: &str = "Unknown Artist";

/// The starter catalogue the app seeds, embedded from the project's own copy.
pub const STARTER_CATALOG: &str = include_str!("../../src-tauri/core/starter-catalog.json");

/// The starter catalogue's songs as they would be on Spotify (every 17th one missing, as some
/// songs are), with decoys for every third, plus a few hand-made cases. Returns the tracks and
/// the release year of each album.
fn seed_catalogue() -> (Vec<FakeTrack>, HashMap<String, String>) {
    // The project's own copy (the one the binary embeds), so a plain clone builds the same
    // catalogue; a missing or broken file fails the build or the first test, never silently.
    let starter: Value = serde_json::from_str(STARTER_CATALOG)
        .expect("src-tauri/core/starter-catalog.json is valid JSON");
    let mut tracks = Vec::new();
    let mut years = HashMap::new();
    let mut seen_ids = HashSet::new();
    let mut push = |tracks: &mut Vec<FakeTrack>, mut track: FakeTrack, kind: &str| {
        // The starter list may hold the same song twice; keep ids unique anyway.
        let mut salt = 0;
        while !seen_ids.insert(track.id.clone()) {
            salt += 1;
            track.id = track_id(
                &track.name,
                &track.artists,
                &track.album,
                &format!("{kind}{salt}"),
            );
        }
        tracks.push(track);
    };

    let mut n = 0_u32;
    for soundtrack in starter["soundtracks"].as_array().into_iter().flatten() {
        let album = soundtrack["album_title"]
            .as_str()
            .or_else(|| soundtrack["film"].as_str())
            .unwrap_or("Soundtrack")
            .to_owned();
        if let Some(year) = soundtrack["album_year"]
            .as_u64()
            .or_else(|| soundtrack["film_year"].as_u64())
        {
            years.insert(album.clone(), year.to_string());
        }
        for song in soundtrack["tracks"].as_array().into_iter().flatten() {
            n += 1;
            if n % 17 == 0 {
                continue;
            }
            let Some(name) = song["title"].as_str() else {
                continue;
            };
            let mut artists: Vec<String> = song["artists"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(str::to_owned))
                .collect();
            if artists.is_empty() {
                // Every Spotify track has an artist; the starter list does not always say who.
                artists.push(UNKNOWN_ARTIST.to_owned());
            }
            let duration_ms = song["duration_s"].as_u64().map_or(200_000, |s| s * 1000);
            let isrc = song["isrc"]
                .as_str()
                .map_or_else(|| format!("USFAKE{n:06}"), str::to_owned);
            let original = FakeTrack {
                id: track_id(name, &artists, &album, "original"),
                name: name.to_owned(),
                artists: artists.clone(),
                album: album.clone(),
                duration_ms,
                isrc: Some(isrc),
                decoy: false,
            };
            push(&mut tracks, original, "original");
            if n % 3 == 0 {
                for decoy in decoys_of(name, &artists, duration_ms, n) {
                    push(&mut tracks, decoy, "decoy");
                }
            }
        }
    }
    for (album, year) in [
        ("Live at Somewhere", "2001"),
        ("Karaoke Hits Vol. 3", "2012"),
        ("Tribute to the 90s", "2018"),
        ("Greatest Hits (2011 Remaster)", "2011"),
        ("Open Water", "2004"),
    ] {
        years.insert(album.to_owned(), year.to_owned());
    }
    if tracks.len() < 2 {
        // No starter file: two originals for the hand-made cases to lean on.
        let album = "Singles: Original Motion Picture Soundtrack";
        years.insert(album.to_owned(), "1992".to_owned());
        for (i, (name, artist, seconds)) in [
            ("Would?", "Alice in Chains", 207),
            ("Breath", "Pearl Jam", 325),
        ]
        .into_iter()
        .enumerate()
        {
            let artists = vec![artist.to_owned()];
            let track = FakeTrack {
                id: track_id(name, &artists, album, "original"),
                name: name.to_owned(),
                artists,
                album: album.to_owned(),
                duration_ms: seconds * 1000,
                isrc: Some(format!("USFAKE{:06}", i + 1)),
                decoy: false,
            };
            push(&mut tracks, track, "original");
        }
    }
    let (first, second) = (tracks[0].clone(), tracks[1].clone());
    // A remaster on another album is an acceptable match for the original.
    let remaster_name = format!("{} - Remastered 2011", first.name);
    let remaster_album = "Greatest Hits (2011 Remaster)".to_owned();
    let remaster = FakeTrack {
        id: track_id(&remaster_name, &first.artists, &remaster_album, "remaster"),
        name: remaster_name,
        artists: first.artists.clone(),
        album: remaster_album,
        duration_ms: first.duration_ms + 2000,
        isrc: Some("GBFAKE000001".into()),
        decoy: false,
    };
    push(&mut tracks, remaster, "remaster");
    // A different song that happens to share the title: a wrong match, so a decoy.
    let namesake_artists = vec!["Nova Harbor".to_owned()];
    let namesake = FakeTrack {
        id: track_id(&second.name, &namesake_artists, "Open Water", "namesake"),
        name: second.name.clone(),
        artists: namesake_artists,
        album: "Open Water".into(),
        duration_ms: 231_000,
        isrc: Some("USNOVA000001".into()),
        decoy: true,
    };
    push(&mut tracks, namesake, "namesake");
    (tracks, years)
}

/// The live, karaoke and cover versions that trail every third original.
fn decoys_of(name: &str, artists: &[String], duration_ms: u64, n: u32) -> Vec<FakeTrack> {
    let make = |name: String, artists: Vec<String>, album: &str, duration_ms: u64, isrc: String| {
        FakeTrack {
            id: track_id(&name, &artists, album, "decoy"),
            name,
            artists,
            album: album.to_owned(),
            duration_ms,
            isrc: Some(isrc),
            decoy: true,
        }
    };
    vec![
        make(
            format!("{name} - Live"),
            artists.to_vec(),
            "Live at Somewhere",
            duration_ms + 25_000,
            format!("USLIVE{n:06}"),
        ),
        make(
            format!("{name} (Karaoke Version)"),
            vec!["The Karaoke Band".to_owned()],
            "Karaoke Hits Vol. 3",
            duration_ms,
            format!("USKARA{n:06}"),
        ),
        make(
            name.to_owned(),
            vec!["The Cover Collective".to_owned()],
            "Tribute to the 90s",
            duration_ms.saturating_sub(7000),
            format!("USCOVR{n:06}"),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Ids, secrets and time

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A stable 22-character base62 id for a catalogue track.
fn track_id(name: &str, artists: &[String], album: &str, kind: &str) -> String {
    let artists = artists.join("\u{1f}");
    base62_id(&["track", kind, name, &artists, album])
}

/// 22 base62 characters from a hash of `parts`: the same parts always give the same id.
fn base62_id(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .take(22)
        .map(|b| char::from(BASE62[usize::from(*b) % BASE62.len()]))
        .collect()
}

/// Unpredictable enough for a fake: a process-wide counter, the clock and the process id, hashed.
/// Each server must refuse the others' tokens, so these are not derived from anything shared.
fn fresh_bytes() -> [u8; 32] {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut hasher = Sha256::new();
    hasher.update(count.to_le_bytes());
    hasher.update(nanos.to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    hasher.finalize().into()
}

fn fresh_base62() -> String {
    let bytes = fresh_bytes();
    base62_id(&[&URL_SAFE_NO_PAD.encode(bytes)])
}

/// `prefix` then base64url characters, `len` in all (tokens, codes and snapshot ids look so).
fn fresh_secret(prefix: &str, len: usize) -> String {
    let mut out = prefix.to_owned();
    while out.len() < len {
        out.push_str(&URL_SAFE_NO_PAD.encode(fresh_bytes()));
    }
    out.truncate(len);
    out
}

/// Now as `2026-03-01T12:34:56Z`.
fn iso_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days, for days since 1970-01-01 (never negative here).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}
