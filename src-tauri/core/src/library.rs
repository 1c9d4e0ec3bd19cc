//! Soundtracks and their songs in the library: inserting, listing, reading one, finding one by
//! id or title.
//!
//! Every function takes a `&Connection` (or a transaction, which derefs to one) so callers decide
//! the transaction boundary. This module must not know about windows, the CLI or output formats.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::model::{LibraryInfo, Media, SongHit, SoundtrackDetail, SoundtrackSummary, Track};

/// A soundtrack to add, with its songs.
#[derive(Debug, Clone)]
pub struct NewSoundtrack {
    pub film_title: String,
    pub film_year: Option<i32>,
    pub media: Media,
    pub album_title: Option<String>,
    pub album_year: Option<i32>,
    pub label: Option<String>,
    pub notes: String,
    pub tracklist_complete: bool,
    pub source_urls: Vec<String>,
    pub tracks: Vec<NewTrack>,
}

/// A song to add to a soundtrack.
#[derive(Debug, Clone)]
pub struct NewTrack {
    pub disc: u32,
    pub position: Option<u32>,
    pub title: String,
    pub artists: Vec<String>,
    pub duration_ms: Option<u32>,
    pub on_album: bool,
    pub scene_note: String,
    pub source_url: Option<String>,
}

/// Inserts a soundtrack with its sources and songs; returns its id. Run it inside a
/// transaction so the soundtrack lands whole or not at all.
pub fn insert_soundtrack(conn: &Connection, new: &NewSoundtrack) -> Result<i64> {
    if new.film_title.trim().is_empty() {
        return Err(Error::InvalidInput(
            "a soundtrack needs a film title".into(),
        ));
    }
    conn.execute(
        "INSERT INTO soundtracks
             (film_title, film_year, media, album_title, album_year, label, notes, tracklist_complete)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            new.film_title.trim(),
            new.film_year,
            new.media.as_str(),
            new.album_title,
            new.album_year,
            new.label,
            new.notes,
            new.tracklist_complete,
        ],
    )?;
    let soundtrack_id = conn.last_insert_rowid();
    let mut source = conn.prepare_cached(
        "INSERT INTO soundtrack_sources (soundtrack_id, ord, url) VALUES (?1, ?2, ?3)",
    )?;
    for (ord, url) in new.source_urls.iter().enumerate() {
        source.execute(params![soundtrack_id, ord as i64, url])?;
    }
    let mut track = conn.prepare_cached(
        "INSERT INTO tracks
             (soundtrack_id, disc, position, title, duration_ms, on_album, scene_note, source_url, film_order)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut artist =
        conn.prepare_cached("INSERT INTO track_artists (track_id, ord, name) VALUES (?1, ?2, ?3)")?;
    for (index, song) in new.tracks.iter().enumerate() {
        if song.title.trim().is_empty() {
            return Err(Error::InvalidInput(format!(
                "song {} of {} has no title",
                index + 1,
                new.film_title
            )));
        }
        let film_order = (!song.on_album).then_some(index as i64);
        track.execute(params![
            soundtrack_id,
            song.disc,
            song.position,
            song.title.trim(),
            song.duration_ms,
            song.on_album,
            song.scene_note,
            song.source_url,
            film_order,
        ])?;
        let track_id = conn.last_insert_rowid();
        for (ord, name) in song.artists.iter().enumerate() {
            artist.execute(params![track_id, ord as i64, name.trim()])?;
        }
    }
    // Survey lists name titles before the library has them; those entries take their place now.
    crate::ranked::link_waiting_entries(conn, soundtrack_id)?;
    Ok(soundtrack_id)
}

pub(crate) const SUMMARY_COLUMNS: &str = "
    s.id, s.film_title, s.film_year, s.media, s.album_title, s.album_year,
    (SELECT count(*) FROM tracks t
        WHERE t.soundtrack_id = s.id AND t.on_album = 1 AND t.deleted_at IS NULL),
    (SELECT count(*) FROM tracks t
        WHERE t.soundtrack_id = s.id AND t.on_album = 0 AND t.deleted_at IS NULL),
    s.favourite, s.rating, s.cover,
    (SELECT group_concat(name, char(31)) FROM (SELECT tg.name FROM soundtrack_tags st
        JOIN tags tg ON tg.id = st.tag_id WHERE st.soundtrack_id = s.id ORDER BY tg.name)),
    s.added_at";

fn media_from_sql(row: &Row<'_>, index: usize) -> rusqlite::Result<Media> {
    let word: String = row.get(index)?;
    Media::parse(&word).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unknown media {word:?}").into(),
        )
    })
}

pub(crate) fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<SoundtrackSummary> {
    summary_from_row_at(row, 0)
}

/// Reads `SUMMARY_COLUMNS` starting at column `at`, for queries that select other columns first.
pub(crate) fn summary_from_row_at(row: &Row<'_>, at: usize) -> rusqlite::Result<SoundtrackSummary> {
    Ok(SoundtrackSummary {
        id: row.get(at)?,
        film_title: row.get(at + 1)?,
        film_year: row.get(at + 2)?,
        media: media_from_sql(row, at + 3)?,
        album_title: row.get(at + 4)?,
        album_year: row.get(at + 5)?,
        track_count: row.get(at + 6)?,
        film_only_count: row.get(at + 7)?,
        favourite: row.get(at + 8)?,
        rating: row.get(at + 9)?,
        cover: row.get(at + 10)?,
        // Unit separator: a character no tag can hold once clean_tags has trimmed it.
        tags: row
            .get::<_, Option<String>>(at + 11)?
            .map(|joined| joined.split('\u{1f}').map(str::to_owned).collect())
            .unwrap_or_default(),
        added_at: row.get(at + 12)?,
    })
}

/// Every soundtrack, in the order they were added (the starter catalog keeps the survey's order).
pub fn list_soundtracks(conn: &Connection) -> Result<Vec<SoundtrackSummary>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM soundtracks s WHERE s.deleted_at IS NULL ORDER BY s.id"
    ))?;
    let rows = stmt.query_map([], summary_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One soundtrack with its sources, tags and songs (album songs in order, then film-only songs).
pub fn get_soundtrack(conn: &Connection, id: i64) -> Result<SoundtrackDetail> {
    crate::validate::id("soundtrack", id)?;
    let detail = conn
        .query_row(
            "SELECT id, film_title, film_year, media, album_title, album_year, label, notes,
                    rating, favourite, cover, tracklist_complete, musicbrainz_release_id,
                    musicbrainz_release_group_id, provenance
             FROM soundtracks WHERE id = ?1 AND deleted_at IS NULL",
            [id],
            |row| {
                Ok(SoundtrackDetail {
                    id: row.get(0)?,
                    film_title: row.get(1)?,
                    film_year: row.get(2)?,
                    media: media_from_sql(row, 3)?,
                    album_title: row.get(4)?,
                    album_year: row.get(5)?,
                    label: row.get(6)?,
                    notes: row.get(7)?,
                    rating: row.get(8)?,
                    favourite: row.get(9)?,
                    cover: row.get(10)?,
                    tracklist_complete: row.get(11)?,
                    musicbrainz_release_id: row.get(12)?,
                    musicbrainz_release_group_id: row.get(13)?,
                    source_urls: Vec::new(),
                    provenance: row.get(14)?,
                    tags: Vec::new(),
                    tracks: Vec::new(),
                })
            },
        )
        .optional()?;
    let mut detail =
        detail.ok_or_else(|| Error::NotFound(format!("there is no soundtrack with id {id}")))?;
    detail.source_urls = strings(
        conn,
        "SELECT url FROM soundtrack_sources WHERE soundtrack_id = ?1 ORDER BY ord",
        id,
    )?;
    detail.tags = strings(
        conn,
        "SELECT g.name FROM soundtrack_tags st JOIN tags g ON g.id = st.tag_id
         WHERE st.soundtrack_id = ?1 ORDER BY g.name COLLATE NOCASE",
        id,
    )?;
    detail.tracks = tracks_of(conn, id)?;
    Ok(detail)
}

fn strings(conn: &Connection, sql: &str, id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([id], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The columns `track_from_row` reads, over `tracks t`. Artists are folded in with group_concat
/// over a unit separator, which no name contains, so one query returns whole tracks; each name
/// carries its join phrase after a record separator. The column count stays 14: callers read
/// their own columns after these by index.
pub(crate) const TRACK_COLUMNS: &str = "
    t.id, t.soundtrack_id, t.disc, t.position, t.title, t.duration_ms, t.on_album,
    t.scene_note, t.favourite, t.rating, t.notes, t.isrc, t.source_url,
    (SELECT group_concat(name || char(30) || joinphrase, char(31)) FROM
        (SELECT name, joinphrase FROM track_artists a WHERE a.track_id = t.id ORDER BY a.ord))";

pub(crate) fn track_from_row(row: &Row<'_>) -> rusqlite::Result<Track> {
    let credits: Option<String> = row.get(13)?;
    let (artists, joinphrases): (Vec<String>, Vec<String>) = credits
        .as_deref()
        .map(|joined| {
            joined
                .split('\u{1f}')
                .map(|credit| match credit.split_once('\u{1e}') {
                    Some((name, join)) => (name.to_owned(), join.to_owned()),
                    None => (credit.to_owned(), String::new()),
                })
                .unzip()
        })
        .unwrap_or_default();
    let joinphrases = if joinphrases.iter().all(String::is_empty) {
        Vec::new()
    } else {
        joinphrases
    };
    Ok(Track {
        id: row.get(0)?,
        soundtrack_id: row.get(1)?,
        disc: row.get(2)?,
        position: row.get(3)?,
        title: row.get(4)?,
        duration_ms: row.get(5)?,
        on_album: row.get(6)?,
        scene_note: row.get(7)?,
        favourite: row.get(8)?,
        rating: row.get(9)?,
        notes: row.get(10)?,
        isrc: row.get(11)?,
        source_url: row.get(12)?,
        artists,
        joinphrases,
    })
}

fn tracks_of(conn: &Connection, soundtrack_id: i64) -> Result<Vec<Track>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TRACK_COLUMNS} FROM tracks t
         WHERE t.soundtrack_id = ?1 AND t.deleted_at IS NULL
         ORDER BY t.on_album DESC, t.disc, t.position, t.film_order, t.id"
    ))?;
    let rows = stmt.query_map([soundtrack_id], track_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Songs with the film they belong to, for lists that cross soundtracks.
pub(crate) fn song_hit_from_row(row: &Row<'_>) -> rusqlite::Result<SongHit> {
    Ok(SongHit {
        track: track_from_row(row)?,
        film_title: row.get(14)?,
        film_year: row.get(15)?,
    })
}

/// Every song marked as a favourite, across the library, by film then album order.
pub fn favourite_songs(conn: &Connection) -> Result<Vec<SongHit>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TRACK_COLUMNS}, s.film_title, s.film_year
         FROM tracks t JOIN soundtracks s ON s.id = t.soundtrack_id
         WHERE t.favourite = 1 AND t.deleted_at IS NULL AND s.deleted_at IS NULL
         ORDER BY s.film_title COLLATE NOCASE, s.id, t.on_album DESC, t.disc, t.position, t.film_order"
    ))?;
    let rows = stmt.query_map([], song_hit_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Finds one soundtrack by its id, or by its film title: an exact match (ignoring case) first,
/// then a title containing the words. Several matches are an error that lists them.
pub fn find_soundtrack(conn: &Connection, id_or_title: &str) -> Result<SoundtrackDetail> {
    let wanted = id_or_title.trim();
    if wanted.is_empty() {
        return Err(Error::InvalidInput(
            "give a soundtrack id or film title".into(),
        ));
    }
    if let Ok(id) = wanted.parse::<i64>() {
        return get_soundtrack(conn, id);
    }
    let all = list_soundtracks(conn)?;
    let lowered = wanted.to_lowercase();
    let mut matches: Vec<&SoundtrackSummary> = all
        .iter()
        .filter(|s| s.film_title.to_lowercase() == lowered)
        .collect();
    if matches.is_empty() {
        matches = all
            .iter()
            .filter(|s| s.film_title.to_lowercase().contains(&lowered))
            .collect();
    }
    match matches.as_slice() {
        [] => Err(Error::NotFound(format!(
            "no soundtrack's film title matches {wanted:?}; `cuesheet soundtracks` lists them all"
        ))),
        [one] => get_soundtrack(conn, one.id),
        several => {
            let listed: Vec<String> = several
                .iter()
                .map(|s| {
                    format!(
                        "  {}  {} ({}) — {}",
                        s.id,
                        s.film_title,
                        s.film_year
                            .map(|y| y.to_string())
                            .unwrap_or_else(|| "?".into()),
                        s.album_title.as_deref().unwrap_or("untitled album")
                    )
                })
                .collect();
            Err(Error::Conflict(format!(
                "{wanted:?} matches {} soundtracks; give the id of the one you mean:\n{}",
                several.len(),
                listed.join("\n")
            )))
        }
    }
}

/// Counts and locations for the settings page.
pub fn library_info(conn: &Connection, data_dir: &std::path::Path) -> Result<LibraryInfo> {
    let (soundtrack_count, track_count) = conn.query_row(
        "SELECT (SELECT count(*) FROM soundtracks WHERE deleted_at IS NULL),
                (SELECT count(*) FROM tracks t JOIN soundtracks s ON s.id = t.soundtrack_id
                 WHERE t.deleted_at IS NULL AND s.deleted_at IS NULL)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    Ok(LibraryInfo {
        data_dir: data_dir.display().to_string(),
        database_path: data_dir
            .join(crate::db::DATABASE_FILE)
            .display()
            .to_string(),
        schema_version: crate::db::schema_version(conn)?,
        soundtrack_count,
        track_count,
        starter_source_note: crate::starter::source_note(),
    })
}

/// Finds a song of a soundtrack by its album position ("1") or its title (exact ignoring case,
/// else the words it contains). Several matches are an error that lists them.
pub fn find_track<'a>(soundtrack: &'a SoundtrackDetail, wanted: &str) -> Result<&'a Track> {
    let wanted = wanted.trim();
    if let Ok(position) = wanted.parse::<u32>() {
        let at: Vec<&Track> = soundtrack
            .tracks
            .iter()
            .filter(|t| t.on_album && t.position == Some(position))
            .collect();
        return match at.as_slice() {
            [one] => Ok(one),
            [] => Err(Error::NotFound(format!(
                "{} has no song at position {position}",
                soundtrack.film_title
            ))),
            several => Err(Error::Conflict(format!(
                "{} has {} songs at position {position} (on different discs); give the title instead",
                soundtrack.film_title,
                several.len()
            ))),
        };
    }
    let lowered = wanted.to_lowercase();
    let mut matches: Vec<&Track> = soundtrack
        .tracks
        .iter()
        .filter(|t| t.title.to_lowercase() == lowered)
        .collect();
    if matches.is_empty() {
        matches = soundtrack
            .tracks
            .iter()
            .filter(|t| t.title.to_lowercase().contains(&lowered))
            .collect();
    }
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::NotFound(format!(
            "{} has no song whose title matches {wanted:?}",
            soundtrack.film_title
        ))),
        several => Err(Error::Conflict(format!(
            "{wanted:?} matches {} songs of {}: {}; be more precise or give the position",
            several.len(),
            soundtrack.film_title,
            several
                .iter()
                .map(|t| t.title.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::starter::seeded_in_memory as seeded;

    #[test]
    fn finds_by_id_exact_title_and_words() {
        let conn = seeded();
        let singles = find_soundtrack(&conn, "singles").unwrap();
        assert_eq!(singles.film_title, "Singles");
        assert_eq!(
            find_soundtrack(&conn, &singles.id.to_string()).unwrap().id,
            singles.id
        );
        assert_eq!(
            find_soundtrack(&conn, "Romeo + Juliet").unwrap().film_title,
            "William Shakespeare's Romeo + Juliet"
        );
    }

    #[test]
    fn ambiguous_title_lists_the_candidates() {
        let conn = seeded();
        let err = find_soundtrack(&conn, "Trainspotting").unwrap_err();
        assert!(matches!(err, Error::Conflict(_)));
        let message = err.to_string();
        assert!(message.contains("matches 2 soundtracks"), "{message}");
    }

    #[test]
    fn unknown_title_and_id_are_not_found() {
        let conn = seeded();
        assert!(matches!(
            find_soundtrack(&conn, "Hackers").unwrap_err(),
            Error::NotFound(_)
        ));
        assert!(matches!(
            find_soundtrack(&conn, "99999").unwrap_err(),
            Error::NotFound(_)
        ));
        assert!(matches!(
            find_soundtrack(&conn, "  ").unwrap_err(),
            Error::InvalidInput(_)
        ));
    }

    #[test]
    fn finds_a_song_by_position_or_title() {
        let conn = seeded();
        let singles = find_soundtrack(&conn, "Singles").unwrap();
        assert_eq!(find_track(&singles, "1").unwrap().title, "Would?");
        assert_eq!(find_track(&singles, "would?").unwrap().position, Some(1));
        assert_eq!(
            find_track(&singles, "dig for").unwrap().title,
            "Dig for Fire"
        );
        assert!(matches!(
            find_track(&singles, "99"),
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            find_track(&singles, "Hey Jude"),
            Err(Error::NotFound(_))
        ));
        // "State of Love and Trust" and "Seasons" both contain "s".
        assert!(matches!(find_track(&singles, "s"), Err(Error::Conflict(_))));
    }

    #[test]
    fn artists_keep_credit_order() {
        let conn = seeded();
        let all = list_soundtracks(&conn).unwrap();
        let multi = all
            .iter()
            .flat_map(|s| get_soundtrack(&conn, s.id).unwrap().tracks)
            .find(|t| t.artists.len() > 1)
            .expect("the starter catalog has songs with several artists");
        let stored: Vec<String> = {
            let mut stmt = conn
                .prepare("SELECT name FROM track_artists WHERE track_id = ?1 ORDER BY ord")
                .unwrap();
            stmt.query_map([multi.id], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        assert_eq!(multi.artists, stored);
    }

    #[test]
    fn a_failed_insert_inside_a_transaction_leaves_nothing() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let bad = NewSoundtrack {
            film_title: "Hackers".into(),
            film_year: Some(1995),
            media: Media::Film,
            album_title: None,
            album_year: None,
            label: None,
            notes: String::new(),
            tracklist_complete: true,
            source_urls: vec![],
            tracks: vec![NewTrack {
                disc: 1,
                position: Some(1),
                title: "  ".into(),
                artists: vec![],
                duration_ms: None,
                on_album: true,
                scene_note: String::new(),
                source_url: None,
            }],
        };
        let tx = conn.transaction().unwrap();
        assert!(matches!(
            insert_soundtrack(&tx, &bad),
            Err(Error::InvalidInput(_))
        ));
        drop(tx);
        assert!(list_soundtracks(&conn).unwrap().is_empty());
    }
}
