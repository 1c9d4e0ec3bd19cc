//! Export to Spotify: log in with the user's own Client ID, match each song to a Spotify track
//! (automatically when sure, by the curator's review when not), and keep one Spotify playlist per
//! playlist of ours in sync by difference.
//!
//! The window and the CLI call the functions here, which open their own connection to the
//! library file so a long export never holds the window's connection (WAL lets both work).
//! Progress goes to a plain callback and cancelling is an `AtomicBool`; this module must not know
//! about Tauri channels or terminals. This file holds the settings, login and the types both
//! share; submodules: `auth` (login, tokens), `client` (HTTP), `matcher` (pure scoring),
//! `matching` (deciding songs), `export` (one export), `sync` (pure diff planning), `store`
//! (what we remember).

pub mod auth;
pub mod client;
mod export;
pub mod matcher;
mod matching;
pub mod outside;
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
pub use export::{export_playlist, ExportOptions, ExportSummary};
use matcher::{Scored, SearchKind, SongQuery, Verdict};
pub use matching::{
    check_page_link, choose, forget_choice, match_playlist, normalise_track_uri, review,
    search_for_song, MatchCounts, MatchReport, SongMatch,
};
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
        // Not on the app's allow-list, or the app owner's Premium has lapsed: the login is
        // useless until that is fixed, so it is not kept.
        Err(error @ Error::AuthRequired(_)) => {
            store.clear()?;
            return Err(error);
        }
        Err(error) if client.last_was_refused() => {
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
