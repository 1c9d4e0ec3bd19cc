//! A fake of Spotify's accounts service and Web API as they behave in 2026 (see DESIGN.md,
//! "Spotify in 2026"), served over real HTTP on 127.0.0.1 so the app's own Spotify client can be
//! pointed at it through `CUESHEET_SPOTIFY_API_URL` / `CUESHEET_SPOTIFY_ACCOUNTS_URL`.
//!
//! This module owns the fake: its catalogue (seeded from the project's own
//! `src-tauri/core/starter-catalog.json`, plus decoys that punish naive matching), PKCE login
//! and tokens, playlists, the removed 2026 endpoints, and switchable faults (429, quota, 503,
//! slow answers, dropped connections, lost allow-listing). This file holds the handle tests
//! use; `server` the HTTP side and faults, `world` the state and routing, and `accounts`,
//! `search`, `playlists`, `json` and `catalogue` one part of the service each.
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
mod accounts;
mod catalogue;
mod json;
mod playlists;
mod search;
mod server;
mod world;

pub use self::catalogue::STARTER_CATALOG;
use self::catalogue::*;
use self::json::*;
use self::playlists::*;
use self::server::*;
use self::world::*;

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
    /// False once the user "deleted" it in Spotify, which only unfollows it.
    pub followed: bool,
}

/// Something a person adds to a playlist in Spotify's own apps ([`FakeSpotify::add_in_app`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppItem {
    /// A catalogue track, by URI.
    Track(String),
    /// A file from their computer (`is_local`, a `spotify:local:` URI).
    LocalFile { title: String, artist: String },
    /// A song that was available then and is not now.
    Unavailable,
}

/// Switches tests flip to make the fake misbehave. Counters count down as they fire. Apart from
/// `latency`, `deny_login` and `premium_lapsed` (which also refuses the token endpoint), faults
/// touch `/v1` requests only, checked in this order: drop (`drop_next`, then
/// `fail_writes_after`), slow, not allow-listed, lapsed Premium, quota, rate limit, server error,
/// refused write;
/// the token check comes after them, as Spotify's edge answers before it looks at tokens.
/// `quoted_filters_find_nothing` changes what a search finds, not whether it is answered.
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
    /// The next N `/v1` writes (POST, PUT, DELETE) are refused with 400 and change nothing, as
    /// Spotify refuses a request it finds wrong: a 4xx means the write did not happen.
    pub refuse_next_writes: u32,
    /// Searches whose field filters have a quoted value or an apostrophe in a value find
    /// nothing, as other clients have reported of Spotify (200, no items).
    pub quoted_filters_find_nothing: bool,
    /// The app owner's Premium has lapsed: the token endpoint and every `/v1` request answer 403
    /// saying an active premium subscription is required, in the form given.
    pub premium_lapsed: Option<PremiumLapse>,
}

/// How a lapsed Premium's 403 is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PremiumLapse {
    PlainText,
    Json,
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
            quoted_filters_find_nothing: false,
            premium_lapsed: None,
            refuse_next_writes: 0,
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

    /// A playlist's item URIs in order (`spotify:local:…` for local files), followed or not, or
    /// `None` if there is no such playlist.
    pub fn playlist_uris(&self, playlist_id: &str) -> Option<Vec<String>> {
        lock(&self.shared.world)
            .playlist(playlist_id)
            .map(|p| p.items.iter().map(|i| i.uri.clone()).collect())
    }

    /// The playlists the user sees in Spotify (the ones they follow), oldest first.
    pub fn playlists(&self) -> Vec<FakePlaylist> {
        self.all_playlists()
            .into_iter()
            .filter(|p| p.followed)
            .collect()
    }

    /// Every playlist ever made, unfollowed ones included (Spotify keeps them all), oldest first.
    pub fn all_playlists(&self) -> Vec<FakePlaylist> {
        lock(&self.shared.world)
            .playlists
            .iter()
            .map(Playlist::to_fake)
            .collect()
    }

    /// Simulates the user deleting the playlist in Spotify's app, which only unfollows it: it
    /// leaves their list, and stays readable and writable by id (no 404 ever comes). Panics if
    /// there is no such playlist, since that is a mistake in the test.
    pub fn delete_playlist(&self, playlist_id: &str) {
        let mut world = lock(&self.shared.world);
        let playlist = world
            .playlist_mut(playlist_id)
            .unwrap_or_else(|| panic!("the fake has no playlist {playlist_id} to delete"));
        playlist.followed = false;
    }

    /// Simulates the user making a playlist in Spotify's own apps (empty, not shown on their
    /// profile); returns its id.
    pub fn create_in_app(&self, name: &str) -> String {
        let mut world = lock(&self.shared.world);
        let mut playlist = Playlist {
            id: fresh_base62(),
            name: name.to_owned(),
            description: String::new(),
            public: false,
            collaborative: false,
            items: Vec::new(),
            snapshot_id: String::new(),
            snapshots: HashSet::new(),
            followed: true,
        };
        playlist.new_snapshot();
        let id = playlist.id.clone();
        world.playlists.push(playlist);
        id
    }

    /// Simulates adding something to the playlist in Spotify's own apps, before `position` (or
    /// at the end): a catalogue track, a local file, or a song that has since become
    /// unavailable (it reads back as `"item": null`). A new snapshot follows. Panics if there is
    /// no such playlist or the position is past the end.
    pub fn add_in_app(&self, playlist_id: &str, position: Option<usize>, item: AppItem) {
        let mut world = lock(&self.shared.world);
        let playlist = world
            .playlist_mut(playlist_id)
            .unwrap_or_else(|| panic!("the fake has no playlist {playlist_id} to edit"));
        let item = match item {
            AppItem::Track(uri) => Item::added_now(vec![uri]).remove(0),
            AppItem::LocalFile { title, artist } => Item::local_now(LocalFile {
                title,
                artist,
                album: "My Computer".into(),
                seconds: 200,
            }),
            // A track id Spotify no longer serves.
            AppItem::Unavailable => {
                Item::added_now(vec![format!("spotify:track:{}", fresh_base62())]).remove(0)
            }
        };
        let at = position.unwrap_or(playlist.items.len());
        assert!(at <= playlist.items.len(), "position {at} is past the end");
        playlist.items.insert(at, item);
        playlist.new_snapshot();
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
