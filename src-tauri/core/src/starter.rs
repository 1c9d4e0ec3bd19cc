//! Seeds the starter catalog (the soundtracks of a reader survey of the best alt-rock movie
//! soundtracks) into a library the first time it is opened.
//!
//! The catalog is embedded in the binary. Seeding happens once per library: a flag in
//! `library_meta` records it, so soundtracks the user deleted never come back. Each entry's
//! notes on where its facts came from go to the soundtrack's `provenance`, beside its sources,
//! never to `notes`, which are the fan's; libraries seeded before that had them in `notes`, and
//! [`seed_once`] moves them once (issue 17). This module must not decide anything about how
//! soundtracks are shown.

use rusqlite::{params, Connection, TransactionBehavior};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::library::{insert_soundtrack, NewSoundtrack, NewTrack};
use crate::model::Media;

const CATALOG_JSON: &str = include_str!("../starter-catalog.json");
const SEEDED_KEY: &str = "starter_catalog_seeded";
/// Set once the catalogue's provenance notes are out of the fan's notes (issue 17).
const PROVENANCE_MOVED_KEY: &str = "starter_provenance_moved";

#[derive(Debug, Deserialize)]
struct Catalog {
    // The file's own `source_note` is for its maintainers (it names the fields) and is not read.
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

/// What the starter library is, for a fan reading Settings. The catalogue's own `source_note`
/// is written for whoever maintains the file (it names its fields) and stays in the file.
pub fn source_note() -> String {
    let count = catalog().map(|c| c.soundtracks.len()).unwrap_or_default();
    format!(
        "Cuesheet starts with the {count} soundtracks named in Alan Cross's reader survey \
         “What's the best alt-rock-based movie soundtrack of all time?”. Their songs come from \
         public web pages, never from memory: each soundtrack lists its pages and says which fact \
         came from which. Where the pages showed only part of an album, the soundtrack says its \
         track list is incomplete and keeps just the songs whose places were shown. A song \
         without a length or a performer is one no page gave. Songs heard in a film but left off \
         its album are listed apart. These soundtracks are yours: change them, add your notes, or \
         delete them — deleted ones do not come back."
    )
}

/// Seeds the starter catalog unless this library was seeded before. Returns how many
/// soundtracks were added (0 when it had been seeded already). All or nothing.
pub fn seed_once(conn: &mut Connection) -> Result<usize> {
    // Asked first without a transaction: every open after the first finds the flags, and must
    // not wait for (or block) another process's writer to learn that.
    if seeded(conn, SEEDED_KEY)? {
        if !seeded(conn, PROVENANCE_MOVED_KEY)? {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let moved = move_provenance_once(&tx)?;
            tx.commit()?;
            if moved > 0 {
                tracing::info!(
                    soundtracks = moved,
                    "moved the starter catalogue's provenance out of the notes"
                );
            }
        }
        return Ok(0);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Asked again under the write lock: another process may have seeded in between.
    if seeded(&tx, SEEDED_KEY)? {
        return Ok(0);
    }
    let catalog = catalog()?;
    for entry in &catalog.soundtracks {
        let id = insert_soundtrack(&tx, &to_new_soundtrack(entry)?)?;
        tx.execute(
            "UPDATE soundtracks SET provenance = ?1 WHERE id = ?2",
            params![entry.notes, id],
        )?;
    }
    for key in [SEEDED_KEY, PROVENANCE_MOVED_KEY] {
        mark_done(&tx, key)?;
    }
    tx.commit()?;
    tracing::info!(
        soundtracks = catalog.soundtracks.len(),
        "seeded the starter catalog"
    );
    Ok(catalog.soundtracks.len())
}

fn seeded(conn: &Connection, key: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM library_meta WHERE key = ?1)",
        [key],
        |row| row.get(0),
    )?)
}

fn mark_done(conn: &Connection, key: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO library_meta (key, value) VALUES (?1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        params![key],
    )?;
    Ok(())
}

/// In a library seeded before provenance had its own column, moves each starter soundtrack's
/// provenance out of `notes` — only where the notes are still exactly the catalogue's text, so a
/// fan's edited or own notes stay. Runs once per library; returns how many soundtracks moved.
fn move_provenance_once(conn: &Connection) -> Result<usize> {
    // Asked again under the write lock: another process may have moved it in between.
    if seeded(conn, PROVENANCE_MOVED_KEY)? {
        return Ok(0);
    }
    let mut moved = 0;
    let mut update = conn.prepare(
        "UPDATE soundtracks SET provenance = notes, notes = ''
         WHERE notes = ?1 AND provenance = ''",
    )?;
    for entry in catalog()?
        .soundtracks
        .iter()
        .filter(|e| !e.notes.is_empty())
    {
        moved += update.execute(params![entry.notes])?;
    }
    mark_done(conn, PROVENANCE_MOVED_KEY)?;
    Ok(moved)
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
        // The fan's notes start empty; the catalogue's notes are provenance (see seed_once).
        notes: String::new(),
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

    fn notes_and_provenance(conn: &Connection, film: &str) -> Vec<(String, String)> {
        let mut stmt = conn
            .prepare("SELECT notes, provenance FROM soundtracks WHERE film_title = ?1 ORDER BY id")
            .unwrap();
        stmt.query_map([film], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn a_new_library_has_empty_notes_and_the_provenance_beside_the_sources() {
        let mut conn = crate::db::open_in_memory().unwrap();
        seed_once(&mut conn).unwrap();
        let empty_notes: i64 = conn
            .query_row(
                "SELECT count(*) FROM soundtracks WHERE notes = ''",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(empty_notes, 26, "the fan's notes start empty");
        let singles = &notes_and_provenance(&conn, "Singles")[0];
        assert!(singles
            .1
            .starts_with("Track list and durations from music.fandom.com"));
        let id: i64 = conn
            .query_row(
                "SELECT id FROM soundtracks WHERE film_title = 'The Crow'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let detail = get_soundtrack(&conn, id).unwrap();
        assert_eq!(detail.notes, "");
        assert!(detail
            .provenance
            .starts_with("Titles/order from excite.co.jp"));
    }

    #[test]
    fn an_older_library_moves_only_notes_that_are_exactly_the_catalogues() {
        let dir = tempfile::tempdir().unwrap();
        {
            // A library as seeded before issue 17: provenance in the notes, no flag.
            let mut conn = crate::db::open(dir.path()).unwrap();
            seed_once(&mut conn).unwrap();
            conn.execute_batch(
                "UPDATE soundtracks SET notes = provenance, provenance = '';
                 DELETE FROM library_meta WHERE key = 'starter_provenance_moved';
                 UPDATE soundtracks SET notes = notes || ' Saw it twice.'
                   WHERE film_title = 'Singles';
                 UPDATE soundtracks SET notes = 'My favourite.' WHERE film_title = 'The Crow';",
            )
            .unwrap();
        }
        let mut conn = crate::db::open(dir.path()).unwrap();
        assert_eq!(seed_once(&mut conn).unwrap(), 0);
        let singles = &notes_and_provenance(&conn, "Singles")[0];
        assert!(
            singles.0.ends_with("Saw it twice.") && singles.1.is_empty(),
            "edited notes stay the fan's: {singles:?}"
        );
        assert_eq!(
            notes_and_provenance(&conn, "The Crow")[0],
            ("My favourite.".to_string(), String::new())
        );
        let trainspotting = notes_and_provenance(&conn, "Trainspotting");
        assert_eq!(trainspotting.len(), 2);
        assert!(trainspotting
            .iter()
            .all(|(notes, provenance)| notes.is_empty() && !provenance.is_empty()));
        assert!(trainspotting[1].1.starts_with("PARTIAL."));

        // Once only: notes a fan later sets to the same text stay notes.
        conn.execute(
            "UPDATE soundtracks SET notes = provenance WHERE film_title = 'Lost Highway'",
            [],
        )
        .unwrap();
        seed_once(&mut conn).unwrap();
        let lost_highway = &notes_and_provenance(&conn, "Lost Highway")[0];
        assert_eq!(lost_highway.0, lost_highway.1);
    }

    #[test]
    fn the_settings_paragraph_is_written_for_a_fan() {
        let note = source_note();
        assert!(note.contains("26 soundtracks"), "{note}");
        for internal in [
            "source_url",
            "tracklist_complete",
            "duration_s",
            "featured_not_on_album",
            "'notes'",
        ] {
            assert!(
                !note.contains(internal),
                "names the field {internal}: {note}"
            );
        }
    }
}
