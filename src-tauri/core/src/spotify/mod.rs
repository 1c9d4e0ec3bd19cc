//! Export to Spotify: log in with the user's own Client ID, match each song to a Spotify track
//! (automatically when sure, by the curator's review when not), and keep one Spotify playlist per
//! playlist of ours in sync by difference.
//!
//! The window and the CLI call the functions here, which open their own connection to the
//! library file so a long export never holds the window's connection (WAL lets both work).
//! Progress goes to a plain callback and cancelling is an `AtomicBool`; this module must not know
//! about Tauri channels or terminals. Submodules: `auth` (login, tokens), `client` (HTTP),
//! `matcher` (pure scoring), `sync` (pure diff planning), `store` (what we remember).

pub mod auth;
pub mod client;
pub mod matcher;
pub mod store;
pub mod sync;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::db;
use crate::error::{Error, Result};
use crate::playlists::{self, PlaylistDetail};
use crate::validate::{self, MAX_SPOTIFY_LINK, MAX_SPOTIFY_WORDS};
use auth::{Session, TokenStore, TokenStoreKind};
use client::{CallCounts, Client};
use matcher::{Scored, SongQuery, Verdict};
pub use store::MatchState;
use store::{Decision, Link};

pub const API_URL_ENV: &str = "CUESHEET_SPOTIFY_API_URL";
pub const ACCOUNTS_URL_ENV: &str = "CUESHEET_SPOTIFY_ACCOUNTS_URL";
pub const CLIENT_ID_ENV: &str = "CUESHEET_SPOTIFY_CLIENT_ID";
/// Seconds before a silent Spotify call is abandoned (tests shorten it).
pub const TIMEOUT_ENV: &str = "CUESHEET_SPOTIFY_TIMEOUT_SECS";
pub const DEFAULT_API_URL: &str = "https://api.spotify.com/v1";
pub const DEFAULT_ACCOUNTS_URL: &str = "https://accounts.spotify.com";

/// Where Spotify is and who we are to it.
#[derive(Debug, Clone, PartialEq)]
pub struct SpotifyConfig {
    /// Always ends in `/v1`, without a trailing slash.
    pub api_url: String,
    /// Without a trailing slash; `/authorize` and `/api/token` live under it.
    pub accounts_url: String,
    pub client_id: Option<String>,
    pub client_id_source: Option<ClientIdSource>,
    pub timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClientIdSource {
    Settings,
    Environment,
}

impl SpotifyConfig {
    /// The settings in the library, then the environment, then Spotify's real addresses.
    pub fn load(conn: &Connection) -> Result<SpotifyConfig> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let (client_id, client_id_source) = match store::client_id_setting(conn)? {
            Some(id) => (Some(id), Some(ClientIdSource::Settings)),
            None => match env(CLIENT_ID_ENV) {
                Some(id) => (
                    Some(id.trim().to_string()),
                    Some(ClientIdSource::Environment),
                ),
                None => (None, None),
            },
        };
        let timeout = env(TIMEOUT_ENV)
            .and_then(|v| v.parse::<u64>().ok())
            .map(Duration::from_secs)
            .unwrap_or(Duration::from_secs(30));
        Ok(SpotifyConfig {
            api_url: api_base(&env(API_URL_ENV).unwrap_or_else(|| DEFAULT_API_URL.into())),
            accounts_url: env(ACCOUNTS_URL_ENV)
                .unwrap_or_else(|| DEFAULT_ACCOUNTS_URL.into())
                .trim_end_matches('/')
                .to_string(),
            client_id,
            client_id_source,
            timeout,
        })
    }

    pub fn require_client_id(&self) -> Result<String> {
        self.client_id.clone().ok_or_else(|| {
            Error::InvalidInput(format!(
                "no Spotify Client ID yet: create one in Spotify's developer dashboard (see \
                 Settings → Spotify) and enter it there, or set {CLIENT_ID_ENV}."
            ))
        })
    }
}

/// Accepts the API address with or without `/v1` (people write both).
fn api_base(url: &str) -> String {
    let trimmed = url.trim().trim_end_matches('/');
    if trimmed.ends_with("/v1") {
        trimmed.to_string()
    } else {
        format!("{trimmed}/v1")
    }
}

/// Progress of matching and export, for a progress bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SpotifyEvent {
    Matching {
        done: u32,
        total: u32,
    },
    Reading,
    Writing {
        done: u32,
        total: u32,
    },
    /// Spotify said 429: we sit out `Retry-After`.
    Waiting {
        seconds: u64,
    },
    Finished,
}

/// How long work reports and is stopped.
pub struct Work<'a> {
    pub on_event: &'a (dyn Fn(SpotifyEvent) + Sync),
    pub cancel: &'a AtomicBool,
}

impl fmt::Debug for Work<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Work")
            .field("cancel", &self.cancel)
            .finish()
    }
}

/// Settings → Spotify, and `cuesheet spotify status`. Reading it makes no network call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SpotifyStatus {
    pub client_id: Option<String>,
    pub client_id_source: Option<ClientIdSource>,
    pub logged_in: bool,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    pub token_store: TokenStoreKind,
    /// The file tokens are kept in, when they are not in the keychain.
    pub token_file: Option<String>,
    /// Unix seconds when the current access token expires (it is refreshed before).
    pub expires_at: Option<i64>,
    pub api_url: String,
    pub accounts_url: String,
}

/// One song of a playlist and where it stands with Spotify.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SongMatch {
    /// What `cuesheet spotify choose` takes: the library song's id, or `e<entry id>` for a
    /// song that only lives in playlists.
    pub song_id: String,
    /// 1-based place in the playlist (a song there twice is listed once, at its first place).
    pub position: u32,
    pub title: String,
    pub artists: Vec<String>,
    pub album: Option<String>,
    pub film: Option<String>,
    pub duration_ms: Option<u32>,
    pub state: MatchState,
    pub uri: Option<String>,
    pub score: Option<f64>,
    pub candidates: Vec<Scored>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatchCounts {
    pub matched: u32,
    pub chosen: u32,
    pub doubtful: u32,
    pub not_found: u32,
    pub not_on_spotify: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MatchReport {
    pub playlist_id: i64,
    pub playlist_name: String,
    pub songs: Vec<SongMatch>,
    pub counts: MatchCounts,
    pub calls: CallCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportSummary {
    pub playlist_id: i64,
    pub remote_id: String,
    /// Opens the playlist in Spotify.
    pub url: String,
    /// A new Spotify playlist was made (first export, or made again after a deletion).
    pub created: bool,
    /// Nothing had changed, so no call was made.
    pub unchanged: bool,
    /// Songs on the Spotify playlist now.
    pub exported: u32,
    pub counts: MatchCounts,
    pub calls: CallCounts,
    /// The fewest write calls any plan could have used for this export (for the benchmark).
    pub minimum_writes: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    pub public: bool,
    /// Make a new Spotify playlist when the one we synced with was deleted.
    pub recreate: bool,
}

// ---------------------------------------------------------------------------------------------
// Settings and login

fn open(data_dir: &Path) -> Result<(Connection, SpotifyConfig)> {
    let conn = db::open(data_dir)?;
    let config = SpotifyConfig::load(&conn)?;
    Ok((conn, config))
}

pub fn status(data_dir: &Path) -> Result<SpotifyStatus> {
    let (_conn, config) = open(data_dir)?;
    let store = TokenStore::for_data_dir(data_dir);
    let tokens = store.load()?;
    Ok(SpotifyStatus {
        client_id: config.client_id.clone(),
        client_id_source: config.client_id_source,
        logged_in: tokens.is_some(),
        user_id: tokens.as_ref().and_then(|t| t.user_id.clone()),
        user_name: tokens.as_ref().and_then(|t| t.user_name.clone()),
        token_store: store.kind(),
        token_file: (store.kind() == TokenStoreKind::File)
            .then(|| store.file().display().to_string()),
        expires_at: tokens.as_ref().map(|t| t.expires_at),
        api_url: config.api_url,
        accounts_url: config.accounts_url,
    })
}

/// Saves the Client ID (or clears it with `None`). A different ID logs out: tokens belong to
/// the app they were granted to.
pub fn set_client_id(data_dir: &Path, client_id: Option<&str>) -> Result<SpotifyStatus> {
    let client_id = client_id.map(str::trim).filter(|id| !id.is_empty());
    if let Some(id) = client_id {
        let plausible =
            (16..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric());
        if !plausible {
            return Err(Error::InvalidInput(
                "that does not look like a Spotify Client ID: copy the 32 letters and digits \
                 shown as \"Client ID\" on your app's page in Spotify's developer dashboard."
                    .into(),
            ));
        }
    }
    let (conn, before) = open(data_dir)?;
    store::set_client_id_setting(&conn, client_id)?;
    let after = SpotifyConfig::load(&conn)?;
    if before.client_id != after.client_id {
        TokenStore::for_data_dir(data_dir).clear()?;
    }
    status(data_dir)
}

/// The whole login: binds the listener, hands the authorization URL to `show_url` (which opens
/// the browser or prints it), waits for the redirect, stores the tokens.
pub fn login(
    data_dir: &Path,
    show_url: &mut dyn FnMut(&str) -> Result<()>,
    timeout: Duration,
    cancel: &AtomicBool,
) -> Result<SpotifyStatus> {
    let (_conn, config) = open(data_dir)?;
    let pending = auth::begin_login(&config)?;
    show_url(pending.authorize_url())?;
    let tokens = pending.finish(timeout, cancel)?;
    let store = TokenStore::for_data_dir(data_dir);
    store.save(&tokens)?;
    let session = Session::from_tokens(&config, store.clone(), tokens);
    let quiet = |_: SpotifyEvent| {};
    let work = Work {
        on_event: &quiet,
        cancel,
    };
    let client = Client::new(&config, &session, &work);
    match client.me() {
        Ok((id, name)) => session.set_user(Some(id), name)?,
        // Not on the app's allow-list: the login is useless, so it is not kept.
        Err(error @ Error::AuthRequired(_)) => {
            store.clear()?;
            return Err(error);
        }
        // Anything else (a slow Spotify) leaves a working login without a display name.
        Err(error) => tracing::warn!(%error, "could not read the Spotify profile after login"),
    }
    status(data_dir)
}

pub fn logout(data_dir: &Path) -> Result<SpotifyStatus> {
    TokenStore::for_data_dir(data_dir).clear()?;
    status(data_dir)
}

// ---------------------------------------------------------------------------------------------
// Songs and decisions

/// One song of the playlist as matching sees it.
#[derive(Debug, Clone)]
struct SongRef {
    key: String,
    song_id: String,
    position: u32,
    query: SongQuery,
    known_uri: Option<String>,
}

/// The key decisions are kept under: a library song by id, any other by its normalised
/// artists and title, so the same song in two imported playlists shares one decision.
fn song_key(track_id: Option<i64>, artists: &[String], title: &str) -> String {
    match track_id {
        Some(id) => format!("t{id}"),
        None => format!(
            "n{}|{}",
            matcher::normalise(&artists.join(", ")),
            matcher::normalise(title)
        ),
    }
}

fn song_refs(detail: &PlaylistDetail) -> Vec<SongRef> {
    detail
        .songs
        .iter()
        .map(|song| SongRef {
            key: song_key(song.track_id, &song.song.artists, &song.song.title),
            song_id: song
                .track_id
                .map(|id| id.to_string())
                .unwrap_or_else(|| format!("e{}", song.entry_id)),
            position: song.position,
            query: SongQuery {
                title: song.song.title.clone(),
                artists: song.song.artists.clone(),
                album: song.song.album.clone(),
                film: song.film_title.clone(),
                duration_ms: song.song.duration_ms.map(i64::from),
                isrc: song.song.isrc.clone(),
            },
            known_uri: song
                .song
                .spotify_uri
                .as_deref()
                .and_then(|uri| normalise_track_uri(uri).ok()),
        })
        .collect()
}

/// The decision a song has without searching: the curator's, the file's URI, or a remembered
/// search (unless `rematch`). `None` means it must be searched.
fn settled_decision(conn: &Connection, song: &SongRef, rematch: bool) -> Result<Option<Decision>> {
    let stored = store::decision(conn, &song.key)?;
    if let Some(decision) = &stored {
        if decision.state.is_curated() {
            return Ok(stored);
        }
    }
    if let Some(uri) = &song.known_uri {
        return Ok(Some(Decision {
            state: MatchState::Matched,
            uri: Some(uri.clone()),
            score: Some(1.0),
            candidates: Vec::new(),
        }));
    }
    Ok(if rematch { None } else { stored })
}

/// Runs the planned searches for one song, stopping at the first confident answer.
fn search_song(client: &Client<'_>, song: &SongQuery) -> Result<Decision> {
    let mut candidates = Vec::new();
    for planned in matcher::plan_searches(song) {
        candidates.extend(client.search(&planned.query)?);
        if matcher::is_confident(&matcher::judge(song, &candidates)) {
            break;
        }
    }
    Ok(decision_from(matcher::judge(song, &candidates)))
}

fn decision_from(judgement: matcher::Judgement) -> Decision {
    let best = judgement.best().cloned();
    let (state, uri) = match judgement.verdict {
        Verdict::Matched => (
            MatchState::Matched,
            best.as_ref().map(|b| b.candidate.uri.clone()),
        ),
        Verdict::Doubtful => (MatchState::Doubtful, None),
        Verdict::NotFound => (MatchState::NotFound, None),
    };
    Decision {
        state,
        uri,
        score: best.map(|b| b.score),
        candidates: judgement.ranked,
    }
}

/// What a song never searched shows: not found, no candidates.
fn unsearched() -> Decision {
    Decision {
        state: MatchState::NotFound,
        uri: None,
        score: None,
        candidates: Vec::new(),
    }
}

/// Decides every song, searching only those without a decision. Each decision is saved at
/// once, so matching interrupted half-way keeps the half it did. The result lines up with
/// `songs`: two entries of one library song share its decision, unless their files named
/// different Spotify recordings.
fn resolve(
    conn: &Connection,
    songs: &[SongRef],
    rematch: bool,
    client: Option<&Client<'_>>,
    work: &Work<'_>,
) -> Result<Vec<Decision>> {
    let mut seen: HashMap<(String, Option<String>), Decision> = HashMap::new();
    let mut decisions = Vec::with_capacity(songs.len());
    let total = songs.len() as u32;
    for (done, song) in songs.iter().enumerate() {
        let cache_key = (song.key.clone(), song.known_uri.clone());
        let decision = match seen.get(&cache_key) {
            Some(decision) => decision.clone(),
            None => {
                let decision = match settled_decision(conn, song, rematch)? {
                    Some(decision) => decision,
                    None => {
                        let client = client.ok_or_else(|| {
                            Error::Internal("a song needs searching but no client was made".into())
                        })?;
                        let decision = search_song(client, &song.query)?;
                        store::save_decision(conn, &song.key, &decision)?;
                        decision
                    }
                };
                seen.insert(cache_key, decision.clone());
                decision
            }
        };
        decisions.push(decision);
        (work.on_event)(SpotifyEvent::Matching {
            done: done as u32 + 1,
            total,
        });
    }
    Ok(decisions)
}

fn needs_search(conn: &Connection, songs: &[SongRef], rematch: bool) -> Result<bool> {
    for song in songs {
        if settled_decision(conn, song, rematch)?.is_none() {
            return Ok(true);
        }
    }
    Ok(false)
}

fn report(
    detail: &PlaylistDetail,
    songs: &[SongRef],
    decisions: &[Decision],
    calls: CallCounts,
) -> MatchReport {
    let mut seen = std::collections::HashSet::new();
    let mut counts = MatchCounts::default();
    let mut listed = Vec::new();
    for (song, decision) in songs.iter().zip(decisions) {
        if !seen.insert((song.key.clone(), decision.uri.clone())) {
            continue;
        }
        match decision.state {
            MatchState::Matched => counts.matched += 1,
            MatchState::Chosen => counts.chosen += 1,
            MatchState::Doubtful => counts.doubtful += 1,
            MatchState::NotFound => counts.not_found += 1,
            MatchState::NotOnSpotify => counts.not_on_spotify += 1,
        }
        listed.push(song_match(song, decision));
    }
    MatchReport {
        playlist_id: detail.summary.id,
        playlist_name: detail.summary.name.clone(),
        songs: listed,
        counts,
        calls,
    }
}

/// The URIs to export, in playlist order, duplicates kept.
fn wanted_uris(decisions: &[Decision]) -> Vec<String> {
    decisions
        .iter()
        .filter(|d| matches!(d.state, MatchState::Matched | MatchState::Chosen))
        .filter_map(|d| d.uri.clone())
        .collect()
}

/// The review's view of a playlist, from what is remembered: no network call.
pub fn review(data_dir: &Path, playlist: &str) -> Result<MatchReport> {
    let conn = db::open(data_dir)?;
    let detail = playlists::find_playlist(&conn, playlist)?;
    let songs = song_refs(&detail);
    let mut decisions = Vec::with_capacity(songs.len());
    for song in &songs {
        decisions.push(settled_decision(&conn, song, false)?.unwrap_or_else(unsearched));
    }
    // Songs never searched show as not found with no candidates until matching runs.
    Ok(report(&detail, &songs, &decisions, CallCounts::default()))
}

/// Matches every song of a playlist without writing to Spotify (`cuesheet spotify match`).
pub fn match_playlist(
    data_dir: &Path,
    playlist: &str,
    rematch: bool,
    work: &Work<'_>,
) -> Result<MatchReport> {
    let (conn, config) = open(data_dir)?;
    let detail = playlists::find_playlist(&conn, playlist)?;
    let songs = song_refs(&detail);
    if !needs_search(&conn, &songs, rematch)? {
        let decisions = resolve(&conn, &songs, rematch, None, work)?;
        return Ok(report(&detail, &songs, &decisions, CallCounts::default()));
    }
    let session = Session::open(&config, TokenStore::for_data_dir(data_dir))?;
    let client = Client::new(&config, &session, work);
    let decisions = resolve(&conn, &songs, rematch, Some(&client), work)?;
    (work.on_event)(SpotifyEvent::Finished);
    Ok(report(&detail, &songs, &decisions, client.counts()))
}

/// The Spotify pages the window may open in the browser (an exported playlist, the developer
/// dashboard): only Spotify's own https sites, so the window cannot be made to open arbitrary
/// addresses through this.
pub fn check_page_link(url: &str) -> Result<()> {
    const ALLOWED: [&str; 2] = [
        "https://open.spotify.com/",
        "https://developer.spotify.com/",
    ];
    validate::text("Spotify link", url, MAX_SPOTIFY_LINK)?;
    let plain = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !plain || !ALLOWED.iter().any(|prefix| url.starts_with(prefix)) {
        return Err(Error::InvalidInput(format!(
            "Spotify link: {} is not a Spotify page",
            validate::quoted(url)
        )));
    }
    Ok(())
}

/// Parses a track URI or an open.spotify.com link into `spotify:track:<id>`.
pub fn normalise_track_uri(text: &str) -> Result<String> {
    let text = text.trim();
    validate::text("Spotify track", text, MAX_SPOTIFY_LINK)?;
    let id = if let Some(id) = text.strip_prefix("spotify:track:") {
        id
    } else if let Some(rest) = text
        .strip_prefix("https://open.spotify.com/")
        .or_else(|| text.strip_prefix("http://open.spotify.com/"))
    {
        // Links may carry a locale segment ("intl-de/track/…") and a `?si=` share tag.
        let rest = rest.split(['?', '#']).next().unwrap_or("");
        rest.rsplit_once("track/").map(|(_, id)| id).unwrap_or("")
    } else {
        ""
    };
    if id.len() == 22 && id.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(format!("spotify:track:{id}"))
    } else {
        Err(Error::InvalidInput(format!(
            "Spotify track: {} is not a Spotify track; give a URI like \
             spotify:track:4uLU6hMCjMI75M1A2tKUQC or a link like \
             https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
            validate::quoted(text)
        )))
    }
}

/// A song as the review names it: a library song's id ("12") or, for a playlist song that is
/// not from the library, its entry's id with an `e` ("e34").
#[derive(Debug, Clone, Copy)]
enum SongId {
    Track(i64),
    Entry(i64),
}

/// Reads a song id without touching the library, so a malformed one is an `InvalidInput`
/// before anything is opened (and never a `NotFound`, which would suggest it once existed).
fn parse_song_id(song_id: &str) -> Result<SongId> {
    let text = song_id.trim();
    let (entry, digits) = match text.strip_prefix('e') {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    let number = (!digits.is_empty() && digits.len() <= 19)
        .then(|| digits.parse::<i64>().ok())
        .flatten()
        .filter(|n| *n > 0 && digits.bytes().all(|b| b.is_ascii_digit()));
    match (number, entry) {
        (Some(id), true) => Ok(SongId::Entry(id)),
        (Some(id), false) => Ok(SongId::Track(id)),
        (None, _) => Err(Error::InvalidInput(format!(
            "song id: {} is not a song id (a number, or e and a number, as `cuesheet spotify \
             match` prints them)",
            validate::quoted(text)
        ))),
    }
}

/// Finds the song `song_id` names (a library song's id, or `e<entry id>`).
fn song_by_id(conn: &Connection, song_id: &str) -> Result<SongRef> {
    let parsed = parse_song_id(song_id)?;
    let song_id = song_id.trim();
    let not_found = || {
        Error::NotFound(format!(
            "there is no song {song_id}: use the ids `cuesheet spotify match` prints"
        ))
    };
    let (sql, id) = match parsed {
        SongId::Entry(id) => (
            "SELECT e.playlist_id, e.ord FROM playlist_entries e WHERE e.id = ?1",
            id,
        ),
        SongId::Track(id) => (
            "SELECT e.playlist_id, e.ord FROM playlist_entries e WHERE e.track_id = ?1
             UNION ALL SELECT NULL, NULL FROM tracks t WHERE t.id = ?1 AND t.deleted_at IS NULL
             LIMIT 1",
            id,
        ),
    };
    let place: Option<(Option<i64>, Option<u32>)> = {
        use rusqlite::OptionalExtension;
        conn.query_row(sql, [id], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?
    };
    match place {
        Some((Some(playlist_id), Some(ord))) => {
            let detail = playlists::get_playlist(conn, playlist_id)?;
            song_refs(&detail)
                .into_iter()
                .nth(ord as usize)
                .ok_or_else(not_found)
        }
        // A library song on no playlist yet: decide it from its library row.
        Some(_) => {
            let sql = format!(
                "SELECT {}, s.album_title, s.film_title FROM tracks t
                 JOIN soundtracks s ON s.id = t.soundtrack_id WHERE t.id = ?1",
                crate::library::TRACK_COLUMNS
            );
            let (track, album, film) = conn.query_row(&sql, [id], |row| {
                Ok((
                    crate::library::track_from_row(row)?,
                    row.get::<_, Option<String>>(14)?,
                    row.get::<_, String>(15)?,
                ))
            })?;
            Ok(SongRef {
                key: format!("t{id}"),
                song_id: id.to_string(),
                position: 0,
                query: SongQuery {
                    title: track.title,
                    artists: track.artists,
                    album,
                    film: Some(film),
                    duration_ms: track.duration_ms.map(i64::from),
                    isrc: track.isrc,
                },
                known_uri: None,
            })
        }
        None => Err(not_found()),
    }
}

/// The curator's decision for one song: a Spotify track, or `None` for "not on Spotify".
/// Reused by every later export of every playlist holding the song.
pub fn choose(data_dir: &Path, song_id: &str, uri: Option<&str>) -> Result<SongMatch> {
    // Both arguments are checked before the library is opened.
    parse_song_id(song_id)?;
    let uri = uri.map(normalise_track_uri).transpose()?;
    let conn = db::open(data_dir)?;
    let song = song_by_id(&conn, song_id)?;
    let previous = store::decision(&conn, &song.key)?;
    let candidates = previous.map(|p| p.candidates).unwrap_or_default();
    let decision = match uri {
        Some(uri) => Decision {
            state: MatchState::Chosen,
            uri: Some(uri),
            score: None,
            candidates,
        },
        None => Decision {
            state: MatchState::NotOnSpotify,
            uri: None,
            score: None,
            candidates,
        },
    };
    store::save_decision(&conn, &song.key, &decision)?;
    Ok(song_match(&song, &decision))
}

/// Forgets a decision (the review's "undo"): the song is searched again at the next match.
pub fn forget_choice(data_dir: &Path, song_id: &str) -> Result<()> {
    parse_song_id(song_id)?;
    let conn = db::open(data_dir)?;
    let song = song_by_id(&conn, song_id)?;
    conn.execute(
        "DELETE FROM spotify_matches WHERE song_key = ?1",
        [&song.key],
    )?;
    Ok(())
}

/// Searches Spotify with the curator's own words and scores the results against the song;
/// the candidates are remembered for the review (the decision itself does not change).
pub fn search_for_song(
    data_dir: &Path,
    song_id: &str,
    words: &str,
    work: &Work<'_>,
) -> Result<SongMatch> {
    parse_song_id(song_id)?;
    let words = words.trim();
    if words.is_empty() {
        return Err(Error::InvalidInput(format!(
            "search words: empty; type a few words to search Spotify for (at most \
             {MAX_SPOTIFY_WORDS} characters)"
        )));
    }
    validate::text("search words", words, MAX_SPOTIFY_WORDS)?;
    let (conn, config) = open(data_dir)?;
    let song = song_by_id(&conn, song_id)?;
    let session = Session::open(&config, TokenStore::for_data_dir(data_dir))?;
    let client = Client::new(&config, &session, work);
    let found = client.search(words)?;
    let judged = matcher::judge(&song.query, &found);
    let mut decision = store::decision(&conn, &song.key)?.unwrap_or_else(unsearched);
    if !decision.state.is_curated() && decision.state != MatchState::Matched {
        decision.state = if judged.ranked.is_empty() {
            MatchState::NotFound
        } else {
            MatchState::Doubtful
        };
    }
    decision.candidates = judged.ranked;
    store::save_decision(&conn, &song.key, &decision)?;
    Ok(song_match(&song, &decision))
}

fn song_match(song: &SongRef, decision: &Decision) -> SongMatch {
    SongMatch {
        song_id: song.song_id.clone(),
        position: song.position,
        title: song.query.title.clone(),
        artists: song.query.artists.clone(),
        album: song.query.album.clone(),
        film: song.query.film.clone(),
        duration_ms: song.query.duration_ms.map(|d| d as u32),
        state: decision.state,
        uri: decision.uri.clone(),
        score: decision.score,
        candidates: decision.candidates.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Export

/// At most this many re-reads after writes whose answers were lost.
const MAX_SYNC_ROUNDS: u32 = 4;

/// Exports a playlist: matches what is undecided, then makes the Spotify playlist hold exactly
/// the matched songs in our order. Safe to run again after any interruption.
pub fn export_playlist(
    data_dir: &Path,
    playlist: &str,
    options: ExportOptions,
    work: &Work<'_>,
) -> Result<ExportSummary> {
    let (conn, config) = open(data_dir)?;
    let detail = playlists::find_playlist(&conn, playlist)?;
    let playlist_id = detail.summary.id;
    let songs = song_refs(&detail);
    let link = store::link(&conn, playlist_id)?;

    // Nothing undecided and nothing changed since the last finished export: no call at all.
    if !options.recreate && !needs_search(&conn, &songs, false)? {
        let decisions = resolve(&conn, &songs, false, None, work)?;
        let wanted = wanted_uris(&decisions);
        if let Some(link) = &link {
            if link.synced_uris.as_ref() == Some(&wanted) {
                let counts = report(&detail, &songs, &decisions, CallCounts::default()).counts;
                (work.on_event)(SpotifyEvent::Finished);
                return Ok(ExportSummary {
                    playlist_id,
                    remote_id: link.remote_id.clone(),
                    url: link.url.clone(),
                    created: false,
                    unchanged: true,
                    exported: wanted.len() as u32,
                    counts,
                    calls: CallCounts::default(),
                    minimum_writes: 0,
                });
            }
        }
    }

    let session = Session::open(&config, TokenStore::for_data_dir(data_dir))?;
    let client = Client::new(&config, &session, work);
    let decisions = resolve(&conn, &songs, false, Some(&client), work)?;
    let wanted = wanted_uris(&decisions);
    let counts = report(&detail, &songs, &decisions, CallCounts::default()).counts;

    let (remote_id, url, created, remote) =
        remote_playlist(&conn, &client, &detail, link.as_ref(), options)?;
    let minimum_writes = sync::minimum_calls(&remote, &wanted) as u32;
    sync_items(
        &conn,
        &client,
        playlist_id,
        &remote_id,
        remote,
        &wanted,
        &detail,
        work,
    )?;
    (work.on_event)(SpotifyEvent::Finished);
    Ok(ExportSummary {
        playlist_id,
        remote_id,
        url,
        created,
        unchanged: false,
        exported: wanted.len() as u32,
        counts,
        calls: client.counts(),
        minimum_writes,
    })
}

fn gone(name: &str) -> Error {
    Error::NotFound(format!(
        "the Spotify playlist made from \"{name}\" no longer exists (it was deleted in Spotify). \
         Export again and choose to create it again (CLI: --recreate); nothing else changed."
    ))
}

/// The tag in a created playlist's description that lets an interrupted first export find it.
fn marker(conn: &Connection, playlist_id: i64) -> Result<String> {
    Ok(format!(
        "[cuesheet {}-{playlist_id}]",
        store::library_id(conn)?
    ))
}

/// Finds (or makes) the remote playlist and learns its current content.
fn remote_playlist(
    conn: &Connection,
    client: &Client<'_>,
    detail: &PlaylistDetail,
    link: Option<&Link>,
    options: ExportOptions,
) -> Result<(String, String, bool, Vec<String>)> {
    let name = &detail.summary.name;
    if let (Some(link), false) = (link, options.recreate) {
        client.report(SpotifyEvent::Reading);
        let remote = match (&link.synced_uris, &link.snapshot_id) {
            (Some(synced), Some(snapshot)) => match client.playlist_snapshot(&link.remote_id)? {
                None => return Err(gone(name)),
                Some(current) if &current == snapshot => synced.clone(),
                Some(_) => client
                    .playlist_items(&link.remote_id)?
                    .ok_or_else(|| gone(name))?,
            },
            _ => client
                .playlist_items(&link.remote_id)?
                .ok_or_else(|| gone(name))?,
        };
        return Ok((link.remote_id.clone(), link.url.clone(), false, remote));
    }
    let tag = marker(conn, detail.summary.id)?;
    if !options.recreate {
        if let Some(found) = client.find_own_playlist(|p| p.description.contains(&tag))? {
            store::save_new_link(
                conn,
                detail.summary.id,
                &found.id,
                &found.url,
                options.public,
            )?;
            let remote = client
                .playlist_items(&found.id)?
                .ok_or_else(|| gone(name))?;
            return Ok((found.id, found.url, false, remote));
        }
    }
    let description = if detail.summary.description.trim().is_empty() {
        format!("Made with Cuesheet {tag}")
    } else {
        // Spotify keeps at most 300 characters of a description; the tag must survive.
        let room = 300usize.saturating_sub(tag.chars().count() + 1);
        let text: String = detail.summary.description.chars().take(room).collect();
        format!("{text} {tag}")
    };
    let created = create_once(client, name, &description, &tag, options.public)?;
    // Recorded before anything else happens, so a kill now cannot lead to a second playlist.
    store::save_new_link(
        conn,
        detail.summary.id,
        &created.id,
        &created.url,
        options.public,
    )?;
    Ok((created.id, created.url, true, Vec::new()))
}

/// Creates the playlist. When the answer is lost (or Spotify fails), it may exist anyway: look
/// for our tag before trying again, so a retry never makes a second one.
fn create_once(
    client: &Client<'_>,
    name: &str,
    description: &str,
    tag: &str,
    public: bool,
) -> Result<client::RemotePlaylist> {
    let mut attempt = 0;
    loop {
        match client.create_playlist(name, description, public) {
            Ok(created) => return Ok(created),
            Err(error @ (Error::Offline(_) | Error::Spotify(_))) if attempt < 2 => {
                attempt += 1;
                tracing::info!(%error, "creating the Spotify playlist failed; checking whether it exists");
                if let Some(found) = client.find_own_playlist(|p| p.description.contains(tag))? {
                    return Ok(found);
                }
            }
            Err(error) => return Err(error),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn sync_items(
    conn: &Connection,
    client: &Client<'_>,
    playlist_id: i64,
    remote_id: &str,
    mut remote: Vec<String>,
    wanted: &[String],
    detail: &PlaylistDetail,
    work: &Work<'_>,
) -> Result<()> {
    let mut snapshot = None;
    let mut round = 0;
    'rounds: loop {
        let ops = sync::plan(&remote, wanted);
        if ops.is_empty() {
            if snapshot.is_none() {
                snapshot = client.playlist_snapshot(remote_id)?;
            }
            store::mark_synced(conn, playlist_id, wanted, snapshot.as_deref())?;
            return Ok(());
        }
        store::mark_unsynced(conn, playlist_id)?;
        let total = ops.len() as u32;
        for (done, op) in ops.iter().enumerate() {
            match client.apply(remote_id, op) {
                Ok(new_snapshot) => {
                    snapshot = new_snapshot;
                    sync::apply(&mut remote, op);
                    (work.on_event)(SpotifyEvent::Writing {
                        done: done as u32 + 1,
                        total,
                    });
                }
                Err(Error::NotFound(_)) => return Err(gone(&detail.summary.name)),
                // The answer was lost or Spotify failed mid-way: the write may or may not have
                // happened, so read what is there and plan again rather than guess.
                Err(Error::Offline(_) | Error::Spotify(_)) if round < MAX_SYNC_ROUNDS => {
                    round += 1;
                    (work.on_event)(SpotifyEvent::Reading);
                    remote = client
                        .playlist_items(remote_id)?
                        .ok_or_else(|| gone(&detail.summary.name))?;
                    snapshot = None;
                    continue 'rounds;
                }
                Err(error) => return Err(error),
            }
        }
    }
}
