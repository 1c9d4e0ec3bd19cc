//! What Spotify export remembers in the library file: the decision for each song, the remote
//! playlist each of ours is synced with, and the Client ID setting.
//!
//! Plain reads and single-row writes, each its own transaction, so an export killed at any
//! moment leaves every finished step recorded. This module must not call Spotify.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::matcher::Scored;
use crate::error::{Error, Result};

const CLIENT_ID_KEY: &str = "spotify_client_id";
const LIBRARY_ID_KEY: &str = "library_id";

/// Where a song stands with Spotify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchState {
    /// Found automatically (or the song's file named its Spotify URI).
    Matched,
    /// Picked by the curator in the review.
    Chosen,
    /// Candidates exist but none is sure enough: the curator reviews.
    Doubtful,
    /// Nothing close enough was found.
    NotFound,
    /// The curator said Spotify does not have it: never searched again.
    NotOnSpotify,
}

impl MatchState {
    fn as_str(self) -> &'static str {
        match self {
            MatchState::Matched => "matched",
            MatchState::Chosen => "chosen",
            MatchState::Doubtful => "doubtful",
            MatchState::NotFound => "not_found",
            MatchState::NotOnSpotify => "not_on_spotify",
        }
    }

    fn parse(text: &str) -> MatchState {
        match text {
            "matched" => MatchState::Matched,
            "chosen" => MatchState::Chosen,
            "doubtful" => MatchState::Doubtful,
            "not_on_spotify" => MatchState::NotOnSpotify,
            _ => MatchState::NotFound,
        }
    }

    /// A decision the curator made, which no automatic search may overwrite.
    pub fn is_curated(self) -> bool {
        matches!(self, MatchState::Chosen | MatchState::NotOnSpotify)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub state: MatchState,
    pub uri: Option<String>,
    pub score: Option<f64>,
    pub candidates: Vec<Scored>,
}

pub fn decision(conn: &Connection, key: &str) -> Result<Option<Decision>> {
    Ok(conn
        .query_row(
            "SELECT state, uri, score, candidates FROM spotify_matches WHERE song_key = ?1",
            [key],
            |row| {
                let candidates: String = row.get(3)?;
                Ok(Decision {
                    state: MatchState::parse(&row.get::<_, String>(0)?),
                    uri: row.get(1)?,
                    score: row.get(2)?,
                    candidates: serde_json::from_str(&candidates).unwrap_or_default(),
                })
            },
        )
        .optional()?)
}

pub fn save_decision(conn: &Connection, key: &str, decision: &Decision) -> Result<()> {
    let candidates =
        serde_json::to_string(&decision.candidates).map_err(|e| Error::Internal(e.to_string()))?;
    conn.execute(
        "INSERT INTO spotify_matches (song_key, state, uri, score, candidates)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (song_key) DO UPDATE SET state = excluded.state, uri = excluded.uri,
             score = excluded.score, candidates = excluded.candidates,
             decided_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        params![
            key,
            decision.state.as_str(),
            decision.uri,
            decision.score,
            candidates
        ],
    )?;
    Ok(())
}

/// The remote playlist one of ours is synced with.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub remote_id: String,
    pub url: String,
    pub public: bool,
    pub snapshot_id: Option<String>,
    /// The remote content after the last export that finished; `None` while one is unfinished.
    pub synced_uris: Option<Vec<String>>,
    pub exported_at: Option<String>,
}

pub fn link(conn: &Connection, playlist_id: i64) -> Result<Option<Link>> {
    Ok(conn
        .query_row(
            "SELECT remote_id, url, public, snapshot_id, synced_uris, exported_at
             FROM spotify_playlists WHERE playlist_id = ?1",
            [playlist_id],
            |row| {
                let synced: Option<String> = row.get(4)?;
                Ok(Link {
                    remote_id: row.get(0)?,
                    url: row.get(1)?,
                    public: row.get(2)?,
                    snapshot_id: row.get(3)?,
                    synced_uris: synced.and_then(|s| serde_json::from_str(&s).ok()),
                    exported_at: row.get(5)?,
                })
            },
        )
        .optional()?)
}

/// Records a remote playlist the moment it exists, with its content unknown.
pub fn save_new_link(
    conn: &Connection,
    playlist_id: i64,
    remote_id: &str,
    url: &str,
    public: bool,
) -> Result<()> {
    conn.execute(
        "INSERT INTO spotify_playlists (playlist_id, remote_id, url, public)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (playlist_id) DO UPDATE SET remote_id = excluded.remote_id,
             url = excluded.url, public = excluded.public, snapshot_id = NULL,
             synced_uris = NULL, exported_at = NULL",
        params![playlist_id, remote_id, url, public],
    )?;
    Ok(())
}

/// Before the first write of an export: the remote content is about to differ from the record.
pub fn mark_unsynced(conn: &Connection, playlist_id: i64) -> Result<()> {
    conn.execute(
        "UPDATE spotify_playlists SET synced_uris = NULL WHERE playlist_id = ?1",
        [playlist_id],
    )?;
    Ok(())
}

pub fn mark_synced(
    conn: &Connection,
    playlist_id: i64,
    uris: &[String],
    snapshot_id: Option<&str>,
) -> Result<()> {
    let uris = serde_json::to_string(uris).map_err(|e| Error::Internal(e.to_string()))?;
    conn.execute(
        "UPDATE spotify_playlists SET synced_uris = ?2, snapshot_id = ?3,
             exported_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE playlist_id = ?1",
        params![playlist_id, uris, snapshot_id],
    )?;
    Ok(())
}

pub fn client_id_setting(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM library_meta WHERE key = ?1",
            [CLIENT_ID_KEY],
            |row| row.get(0),
        )
        .optional()?)
}

pub fn set_client_id_setting(conn: &Connection, client_id: Option<&str>) -> Result<()> {
    match client_id {
        Some(id) => conn.execute(
            "INSERT INTO library_meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![CLIENT_ID_KEY, id],
        )?,
        None => conn.execute("DELETE FROM library_meta WHERE key = ?1", [CLIENT_ID_KEY])?,
    };
    Ok(())
}

/// A random id for this library, made once: it tags the playlists it creates on Spotify so an
/// export interrupted right after creating one finds it again instead of making a second.
pub fn library_id(conn: &Connection) -> Result<String> {
    if let Some(id) = conn
        .query_row(
            "SELECT value FROM library_meta WHERE key = ?1",
            [LIBRARY_ID_KEY],
            |row| row.get::<_, String>(0),
        )
        .optional()?
    {
        return Ok(id);
    }
    let id: String = conn.query_row("SELECT lower(hex(randomblob(4)))", [], |row| row.get(0))?;
    conn.execute(
        "INSERT OR IGNORE INTO library_meta (key, value) VALUES (?1, ?2)",
        params![LIBRARY_ID_KEY, id],
    )?;
    // Another process may have won the race; theirs is the one.
    Ok(conn.query_row(
        "SELECT value FROM library_meta WHERE key = ?1",
        [LIBRARY_ID_KEY],
        |row| row.get(0),
    )?)
}
