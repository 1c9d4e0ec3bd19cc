//! Seeds the starter catalog (the soundtracks of a reader survey of the best alt-rock movie
//! soundtracks) into a library the first time it is opened.
//!
//! The catalog is embedded in the binary. Seeding happens once per library: a flag in
//! `library_meta` records it, so soundtracks the user deleted never come back. This module must
//! not decide anything about how soundtracks are shown.

use rusqlite::{params, Connection, TransactionBehavior};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::library::{insert_soundtrack, NewSoundtrack, NewTrack};
use crate::model::Media;

const CATALOG_JSON: &str = include_str!("../starter-catalog.json");
const SEEDED_KEY: &str = "starter_catalog_seeded";

#[derive(Debug, Deserialize)]
struct Catalog {
    source_note: String,
    soundtracks: Vec<CatalogSoundtrack>,
}

#[derive(Debug, Deserialize)]
struct CatalogSoundtrack {
    film: String,
    film_year: Option<i32>,
    media: String,
    album_title: Option<String>,
    album_year: Option<i32>,
    label: Option<String>,
    source_url: Option<String>,
    #[serde(default)]
    additional_source_urls: Vec<String>,
    #[serde(default = "yes")]
    tracklist_complete: bool,
    #[serde(default)]
    notes: String,
    tracks: Vec<CatalogTrack>,
    #[serde(default)]
    featured_not_on_album: Vec<CatalogFeatured>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
struct CatalogTrack {
    position: u32,
    title: String,
    #[serde(default)]
    artists: Vec<String>,
    duration_s: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct CatalogFeatured {
    title: String,
    #[serde(default)]
    artists: Vec<String>,
    source_url: Option<String>,
    #[serde(default)]
    note: String,
}

fn catalog() -> Result<Catalog> {
    serde_json::from_str(CATALOG_JSON)
        .map_err(|e| Error::Internal(format!("the embedded starter catalog is unreadable: {e}")))
}

/// Where the starter catalog's facts came from; shown in the app beside the source links.
pub fn source_note() -> String {
    catalog().map(|c| c.source_note).unwrap_or_default()
}

/// Seeds the starter catalog unless this library was seeded before. Returns how many
/// soundtracks were added (0 when it had been seeded already). All or nothing.
pub fn seed_once(conn: &mut Connection) -> Result<usize> {
    // Asked first without a transaction: every open after the first finds the flag, and must
    // not wait for (or block) another process's writer to learn that.
    if seeded(conn)? {
        return Ok(0);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Asked again under the write lock: another process may have seeded in between.
    if seeded(&tx)? {
        return Ok(0);
    }
    let catalog = catalog()?;
    for entry in &catalog.soundtracks {
        insert_soundtrack(&tx, &to_new_soundtrack(entry)?)?;
    }
    tx.execute(
        "INSERT INTO library_meta (key, value) VALUES (?1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        params![SEEDED_KEY],
    )?;
    tx.commit()?;
    tracing::info!(
        soundtracks = catalog.soundtracks.len(),
        "seeded the starter catalog"
    );
    Ok(catalog.soundtracks.len())
}

fn seeded(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM library_meta WHERE key = ?1)",
        [SEEDED_KEY],
        |row| row.get(0),
    )?)
}

fn to_new_soundtrack(entry: &CatalogSoundtrack) -> Result<NewSoundtrack> {
    let media = Media::parse(&entry.media).ok_or_else(|| {
        Error::Internal(format!(
            "starter catalog: unknown media {:?} for {}",
            entry.media, entry.film
        ))
    })?;
    let source_urls = entry
        .source_url
        .iter()
        .chain(&entry.additional_source_urls)
        .cloned()
        .collect();
    let album = entry.tracks.iter().map(|t| NewTrack {
        disc: 1,
        position: Some(t.position),
        title: t.title.clone(),
        artists: t.artists.clone(),
        duration_ms: t.duration_s.map(|s| s * 1000),
        on_album: true,
        scene_note: String::new(),
        source_url: None,
    });
    let film_only = entry.featured_not_on_album.iter().map(|t| NewTrack {
        disc: 1,
        position: None,
        title: t.title.clone(),
        artists: t.artists.clone(),
        duration_ms: None,
        on_album: false,
        scene_note: t.note.clone(),
        source_url: t.source_url.clone(),
    });
    Ok(NewSoundtrack {
        film_title: entry.film.clone(),
        film_year: entry.film_year,
        media,
        album_title: entry.album_title.clone(),
        album_year: entry.album_year,
        label: entry.label.clone(),
        notes: entry.notes.clone(),
        tracklist_complete: entry.tracklist_complete,
        source_urls,
        tracks: album.chain(film_only).collect(),
    })
}

/// An in-memory library at the latest schema holding the starter catalog, for tests.
#[cfg(test)]
pub(crate) fn seeded_in_memory() -> rusqlite::Connection {
    let mut conn = crate::db::open_in_memory().unwrap();
    seed_once(&mut conn).unwrap();
    conn
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{get_soundtrack, list_soundtracks};

    #[test]
    fn embedded_catalog_reads_whole() {
        let catalog = catalog().unwrap();
        assert_eq!(catalog.soundtracks.len(), 26);
    }

    #[test]
    fn seeds_26_soundtracks_and_357_album_tracks_once() {
        let mut conn = crate::db::open_in_memory().unwrap();
        assert_eq!(seed_once(&mut conn).unwrap(), 26);
        assert_eq!(seed_once(&mut conn).unwrap(), 0);
        let list = list_soundtracks(&conn).unwrap();
        assert_eq!(list.len(), 26);
        assert_eq!(list.iter().map(|s| s.track_count).sum::<u32>(), 357);
        assert_eq!(list.iter().map(|s| s.film_only_count).sum::<u32>(), 15);
    }

    #[test]
    fn singles_keeps_album_order_film_only_songs_and_sources() {
        let mut conn = crate::db::open_in_memory().unwrap();
        seed_once(&mut conn).unwrap();
        let singles = list_soundtracks(&conn)
            .unwrap()
            .into_iter()
            .find(|s| s.film_title == "Singles")
            .unwrap();
        let detail = get_soundtrack(&conn, singles.id).unwrap();
        let album: Vec<_> = detail.tracks.iter().filter(|t| t.on_album).collect();
        assert_eq!(album.len(), 13);
        assert_eq!(album[0].title, "Would?");
        assert_eq!(album[0].artists, vec!["Alice in Chains"]);
        assert_eq!(album[0].duration_ms, Some(207_000));
        let positions: Vec<_> = album.iter().map(|t| t.position.unwrap()).collect();
        assert_eq!(positions, (1..=13).collect::<Vec<_>>());
        let film_only: Vec<_> = detail
            .tracks
            .iter()
            .filter(|t| !t.on_album)
            .map(|t| t.title.as_str())
            .collect();
        assert_eq!(
            film_only,
            ["Three Days", "Little Girl", "Dig for Fire", "Radio Song"]
        );
        assert!(detail.tracks[13..]
            .iter()
            .all(|t| t.position.is_none() && t.source_url.is_some()));
        assert!(detail.source_urls[0].starts_with("https://music.fandom.com/"));
        assert_eq!(detail.source_urls.len(), 3);
    }

    #[test]
    fn a_deleted_soundtrack_does_not_come_back() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut conn = crate::db::open(dir.path()).unwrap();
            seed_once(&mut conn).unwrap();
            conn.execute("DELETE FROM soundtracks WHERE film_title = 'Singles'", [])
                .unwrap();
        }
        let mut conn = crate::db::open(dir.path()).unwrap();
        assert_eq!(seed_once(&mut conn).unwrap(), 0);
        let list = list_soundtracks(&conn).unwrap();
        assert_eq!(list.len(), 25);
        assert!(list.iter().all(|s| s.film_title != "Singles"));
    }
}
