//! Playlists: made by hand from library songs, in one click from a soundtrack or the favourite
//! songs, or imported from files; reordered, and exported through `formats`. It owns the
//! playlist tables and their rules (dense order, duplicates kept with a warning, every change in
//! one transaction); it never parses or writes file text itself. Importing (`import.rs`) and
//! exporting (`export.rs`) live beside it.

mod export;
mod import;

pub use export::export;
pub use import::{
    import, import_from, preview_from, ImportPreview, ImportProgress, ImportSummary,
    ImportedPlaylist, PreviewPlaylist, PREVIEW_PLAYLISTS,
};

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::formats::Entry;
use crate::ordering::OrderedTable;
use crate::validate::{self, MAX_DESCRIPTION, MAX_IDS_PER_CALL, MAX_NAME};

const ENTRIES: OrderedTable = OrderedTable {
    table: "playlist_entries",
    group_column: "playlist_id",
    row_name: "playlist entry",
    place_name: "position",
    group_name: "the playlist",
};

/// One row of the playlists list and of `cuesheet playlists --json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlaylistSummary {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub song_count: u32,
    /// Sum of the known durations.
    pub duration_ms: u64,
    /// Songs whose duration is unknown (so the total is a lower bound).
    pub unknown_durations: u32,
}

/// A playlist with its songs in order: `cuesheet playlist show --json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlaylistDetail {
    pub summary: PlaylistSummary,
    pub songs: Vec<PlaylistSong>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlaylistSong {
    /// The entry's own id (a song that appears twice has two).
    pub entry_id: i64,
    /// 1-based place in the playlist.
    pub position: u32,
    /// The library song it came from or was linked to, when there is one.
    pub track_id: Option<i64>,
    pub film_title: Option<String>,
    pub song: Entry,
}

/// What adding songs did: how many, and which were already on the playlist (kept anyway).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AddedSongs {
    pub added: u32,
    pub already_there: Vec<String>,
}

pub(super) fn write_tx(conn: &mut Connection) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

pub(super) fn clean_name(name: &str) -> Result<String> {
    validate::name("playlist name", name, MAX_NAME)
}

fn clean_description(description: &str) -> Result<&str> {
    let description = description.trim();
    validate::text("playlist description", description, MAX_DESCRIPTION)?;
    Ok(description)
}

pub fn list_playlists(conn: &Connection) -> Result<Vec<PlaylistSummary>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.name, p.description, count(e.id), coalesce(sum(e.duration_ms), 0),
                count(e.id) - count(e.duration_ms)
         FROM playlists p LEFT JOIN playlist_entries e ON e.playlist_id = p.id
         GROUP BY p.id ORDER BY p.name COLLATE NOCASE, p.id",
    )?;
    let rows = stmt.query_map([], summary_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn summary_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<PlaylistSummary> {
    Ok(PlaylistSummary {
        id: row.get(0)?,
        name: row.get(1)?,
        description: row.get(2)?,
        song_count: row.get(3)?,
        duration_ms: row.get::<_, i64>(4)?.max(0) as u64,
        unknown_durations: row.get(5)?,
    })
}

pub fn get_playlist(conn: &Connection, id: i64) -> Result<PlaylistDetail> {
    validate::id("playlist", id)?;
    let summary = conn
        .query_row(
            "SELECT p.id, p.name, p.description, count(e.id), coalesce(sum(e.duration_ms), 0),
                    count(e.id) - count(e.duration_ms)
             FROM playlists p LEFT JOIN playlist_entries e ON e.playlist_id = p.id
             WHERE p.id = ?1 GROUP BY p.id",
            [id],
            summary_from_row,
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("there is no playlist with id {id}")))?;
    // A linked song's ISRC may have been filled in after it was added (by "Find covers and
    // details"): the library's song knows it even when the entry does not, and Spotify's
    // matching and the exports are better for it.
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.ord, e.track_id, s.film_title, e.title, e.artists, e.album,
                e.duration_ms, e.spotify_uri, coalesce(e.isrc, t.isrc), e.location, e.notes
         FROM playlist_entries e
         LEFT JOIN tracks t ON t.id = e.track_id AND t.deleted_at IS NULL
         LEFT JOIN soundtracks s ON s.id = t.soundtrack_id AND s.deleted_at IS NULL
         WHERE e.playlist_id = ?1 ORDER BY e.ord",
    )?;
    let songs = stmt
        .query_map([id], |row| {
            let artists: String = row.get(5)?;
            Ok(PlaylistSong {
                entry_id: row.get(0)?,
                position: row.get::<_, u32>(1)? + 1,
                track_id: row.get(2)?,
                film_title: row.get(3)?,
                song: Entry {
                    title: row.get(4)?,
                    artists: serde_json::from_str(&artists).unwrap_or_default(),
                    album: row.get(6)?,
                    duration_ms: row.get(7)?,
                    spotify_uri: row.get(8)?,
                    isrc: row.get(9)?,
                    location: row.get(10)?,
                    notes: row.get(11)?,
                    ..Entry::default()
                },
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(PlaylistDetail { summary, songs })
}

/// By id, exact name (ignoring case), or the one name containing the words.
pub fn find_playlist(conn: &Connection, id_or_name: &str) -> Result<PlaylistDetail> {
    let wanted = id_or_name.trim();
    if let Ok(id) = wanted.parse::<i64>() {
        return get_playlist(conn, id);
    }
    let all = list_playlists(conn)?;
    let lowered = wanted.to_lowercase();
    let exact: Vec<&PlaylistSummary> = all
        .iter()
        .filter(|p| p.name.to_lowercase() == lowered)
        .collect();
    let matches = if exact.is_empty() {
        all.iter()
            .filter(|p| p.name.to_lowercase().contains(&lowered))
            .collect()
    } else {
        exact
    };
    match matches.as_slice() {
        [one] => get_playlist(conn, one.id),
        [] => Err(Error::NotFound(format!("no playlist is named {wanted:?}"))),
        many => Err(Error::Conflict(format!(
            "{wanted:?} matches {} playlists: {}; use an id",
            many.len(),
            many.iter()
                .map(|p| format!("{} ({})", p.name, p.id))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

pub(super) fn insert_playlist(tx: &Transaction<'_>, name: &str, description: &str) -> Result<i64> {
    // Cached: an import of a file naming 100,000 playlists makes 100,000 of these.
    tx.prepare_cached("INSERT INTO playlists (name, description) VALUES (?1, ?2)")?
        .execute(params![clean_name(name)?, clean_description(description)?])?;
    Ok(tx.last_insert_rowid())
}

pub fn create_playlist(conn: &mut Connection, name: &str, description: &str) -> Result<i64> {
    let tx = write_tx(conn)?;
    let id = insert_playlist(&tx, name, description)?;
    tx.commit()?;
    Ok(id)
}

pub fn update_playlist(
    conn: &mut Connection,
    id: i64,
    name: &str,
    description: &str,
) -> Result<()> {
    validate::id("playlist", id)?;
    let name = clean_name(name)?;
    let description = clean_description(description)?;
    let tx = write_tx(conn)?;
    let changed = tx.execute(
        "UPDATE playlists SET name = ?2, description = ?3 WHERE id = ?1",
        params![id, name, description],
    )?;
    if changed == 0 {
        return Err(Error::NotFound(format!(
            "there is no playlist with id {id}"
        )));
    }
    tx.commit()?;
    Ok(())
}

pub fn delete_playlist(conn: &mut Connection, id: i64) -> Result<()> {
    validate::id("playlist", id)?;
    let tx = write_tx(conn)?;
    if tx.execute("DELETE FROM playlists WHERE id = ?1", [id])? == 0 {
        return Err(Error::NotFound(format!(
            "there is no playlist with id {id}"
        )));
    }
    tx.commit()?;
    Ok(())
}

fn ensure_playlist(tx: &Transaction<'_>, id: i64) -> Result<()> {
    let found: Option<i64> = tx
        .query_row("SELECT id FROM playlists WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    found
        .map(|_| ())
        .ok_or_else(|| Error::NotFound(format!("there is no playlist with id {id}")))
}

/// Inserts an entry at place `ord`. Callers count places themselves: asking SQLite for the
/// count on every row made a 100,000-song import quadratic (measured: 157 s).
pub(super) fn insert_entry(
    tx: &Transaction<'_>,
    playlist_id: i64,
    ord: i64,
    track_id: Option<i64>,
    entry: &Entry,
) -> Result<()> {
    if entry.title.trim().is_empty() {
        return Err(Error::InvalidInput(
            "a song on a playlist needs a title".into(),
        ));
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO playlist_entries
            (playlist_id, ord, track_id, title, artists, album, duration_ms, spotify_uri, isrc,
             location, notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    stmt.execute(params![
        playlist_id,
        ord,
        track_id,
        entry.title.trim(),
        serde_json::to_string(&entry.artists).unwrap_or_else(|_| "[]".into()),
        entry.album,
        entry.duration_ms,
        entry.spotify_uri,
        entry.isrc,
        entry.location,
        entry.notes,
    ])?;
    Ok(())
}

/// A library song as a playlist entry: its facts now, its album (or the film) as the album.
fn entry_of_track(tx: &Transaction<'_>, track_id: i64) -> Result<Entry> {
    tx.query_row(
        "SELECT t.title,
                (SELECT json_group_array(name) FROM
                    (SELECT name FROM track_artists WHERE track_id = t.id ORDER BY ord)),
                CASE WHEN t.on_album THEN coalesce(s.album_title, s.film_title) ELSE s.film_title END,
                t.duration_ms, t.isrc
         FROM tracks t JOIN soundtracks s ON s.id = t.soundtrack_id
         WHERE t.id = ?1 AND t.deleted_at IS NULL AND s.deleted_at IS NULL",
        [track_id],
        |row| {
            let artists: String = row.get(1)?;
            Ok(Entry {
                title: row.get(0)?,
                artists: serde_json::from_str(&artists).unwrap_or_default(),
                album: row.get(2)?,
                duration_ms: row.get(3)?,
                isrc: row.get(4)?,
                ..Entry::default()
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("there is no song with id {track_id}")))
}

/// Appends library songs in the order given. A song already on the playlist is added again
/// (people do that on purpose) and named in `already_there` so the window can say so. An
/// empty list is refused: "added 0 songs" would hide a caller's mistake.
pub fn add_tracks(
    conn: &mut Connection,
    playlist_id: i64,
    track_ids: &[i64],
) -> Result<AddedSongs> {
    validate::id("playlist", playlist_id)?;
    if track_ids.is_empty() {
        return Err(Error::InvalidInput(
            "song ids: none given; there are no songs to add".into(),
        ));
    }
    validate::count("song ids", track_ids.len(), MAX_IDS_PER_CALL)?;
    for &track_id in track_ids {
        validate::id("song", track_id)?;
    }
    let tx = write_tx(conn)?;
    ensure_playlist(&tx, playlist_id)?;
    let mut already_there = Vec::new();
    let end = ENTRIES.next_ord(&tx, playlist_id)?;
    for (ord, &track_id) in (end..).zip(track_ids) {
        let entry = entry_of_track(&tx, track_id)?;
        let present: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM playlist_entries WHERE playlist_id = ?1 AND track_id = ?2)",
            params![playlist_id, track_id],
            |r| r.get(0),
        )?;
        if present {
            already_there.push(entry.title.clone());
        }
        insert_entry(&tx, playlist_id, ord, Some(track_id), &entry)?;
    }
    tx.commit()?;
    Ok(AddedSongs {
        added: track_ids.len() as u32,
        already_there,
    })
}

/// Removes one entry and closes the gap.
pub fn remove_entry(conn: &mut Connection, entry_id: i64) -> Result<()> {
    let tx = write_tx(conn)?;
    ENTRIES.remove(&tx, entry_id)?;
    tx.commit()?;
    Ok(())
}

/// Moves an entry to a 1-based position (clamped to the playlist), shifting the others.
pub fn move_entry(conn: &mut Connection, entry_id: i64, to_position: u32) -> Result<()> {
    let tx = write_tx(conn)?;
    ENTRIES.move_to(&tx, entry_id, to_position)?;
    tx.commit()?;
    Ok(())
}

/// One click: a playlist of a soundtrack's album (and, if asked, the songs heard in the film).
pub fn playlist_from_soundtrack(
    conn: &mut Connection,
    soundtrack_id: i64,
    with_film_only: bool,
) -> Result<i64> {
    validate::id("soundtrack", soundtrack_id)?;
    let tx = write_tx(conn)?;
    let film: String = tx
        .query_row(
            "SELECT film_title FROM soundtracks WHERE id = ?1 AND deleted_at IS NULL",
            [soundtrack_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| {
            Error::NotFound(format!("there is no soundtrack with id {soundtrack_id}"))
        })?;
    let ids: Vec<i64> = {
        let mut stmt = tx.prepare(
            "SELECT id FROM tracks WHERE soundtrack_id = ?1 AND deleted_at IS NULL
               AND (on_album = 1 OR ?2)
             ORDER BY on_album DESC, disc, position, film_order, id",
        )?;
        let rows = stmt.query_map(params![soundtrack_id, with_film_only], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let name = if with_film_only {
        format!("{film} (album and film)")
    } else {
        film
    };
    let id = insert_playlist_of_tracks(&tx, &name, &ids)?;
    tx.commit()?;
    Ok(id)
}

/// A new playlist holding library songs in the given order, inside the caller's transaction:
/// the one-click playlists are all made this way, so each lands whole or not at all.
pub(crate) fn insert_playlist_of_tracks(
    tx: &Transaction<'_>,
    name: &str,
    track_ids: &[i64],
) -> Result<i64> {
    let id = insert_playlist(tx, name, "")?;
    for (ord, &track_id) in (0..).zip(track_ids) {
        let entry = entry_of_track(tx, track_id)?;
        insert_entry(tx, id, ord, Some(track_id), &entry)?;
    }
    Ok(id)
}

/// One click: every favourite song, by film.
pub fn playlist_from_favourites(conn: &mut Connection) -> Result<i64> {
    let tx = write_tx(conn)?;
    let ids: Vec<i64> = crate::library::favourite_songs(&tx)?
        .into_iter()
        .map(|hit| hit.track.id)
        .collect();
    if ids.is_empty() {
        return Err(Error::InvalidInput(
            "there are no favourite songs yet".into(),
        ));
    }
    let id = insert_playlist_of_tracks(&tx, "Favourite songs", &ids)?;
    tx.commit()?;
    Ok(id)
}

impl crate::Library {
    pub fn list_playlists(&self) -> Result<Vec<PlaylistSummary>> {
        list_playlists(self.conn())
    }
    pub fn get_playlist(&self, id: i64) -> Result<PlaylistDetail> {
        get_playlist(self.conn(), id)
    }
    pub fn find_playlist(&self, id_or_name: &str) -> Result<PlaylistDetail> {
        find_playlist(self.conn(), id_or_name)
    }
    pub fn create_playlist(&mut self, name: &str, description: &str) -> Result<i64> {
        create_playlist(&mut self.conn, name, description)
    }
    pub fn update_playlist(&mut self, id: i64, name: &str, description: &str) -> Result<()> {
        update_playlist(&mut self.conn, id, name, description)
    }
    pub fn delete_playlist(&mut self, id: i64) -> Result<()> {
        delete_playlist(&mut self.conn, id)
    }
    pub fn add_to_playlist(&mut self, playlist_id: i64, track_ids: &[i64]) -> Result<AddedSongs> {
        add_tracks(&mut self.conn, playlist_id, track_ids)
    }
    pub fn remove_playlist_entry(&mut self, entry_id: i64) -> Result<()> {
        remove_entry(&mut self.conn, entry_id)
    }
    pub fn move_playlist_entry(&mut self, entry_id: i64, to_position: u32) -> Result<()> {
        move_entry(&mut self.conn, entry_id, to_position)
    }
    pub fn playlist_from_soundtrack(
        &mut self,
        soundtrack_id: i64,
        with_film_only: bool,
    ) -> Result<i64> {
        playlist_from_soundtrack(&mut self.conn, soundtrack_id, with_film_only)
    }
    pub fn playlist_from_favourites(&mut self) -> Result<i64> {
        playlist_from_favourites(&mut self.conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::starter::seeded_in_memory as seeded;

    fn titles(conn: &Connection, id: i64) -> Vec<String> {
        get_playlist(conn, id)
            .unwrap()
            .songs
            .into_iter()
            .map(|s| s.song.title)
            .collect()
    }

    #[test]
    fn a_soundtrack_in_one_click_with_or_without_film_only_songs() {
        let mut conn = seeded();
        let album = playlist_from_soundtrack(&mut conn, 1, false).unwrap();
        let detail = get_playlist(&conn, album).unwrap();
        assert_eq!(detail.summary.name, "Singles");
        assert_eq!(detail.summary.song_count, 13);
        assert_eq!(detail.songs[0].song.title, "Would?");
        assert_eq!(detail.songs[0].song.artists, ["Alice in Chains"]);
        assert_eq!(detail.songs[0].film_title.as_deref(), Some("Singles"));
        assert!(detail.summary.duration_ms > 0);
        let both = playlist_from_soundtrack(&mut conn, 1, true).unwrap();
        assert_eq!(get_playlist(&conn, both).unwrap().summary.song_count, 17);
    }

    #[test]
    fn duplicates_are_kept_and_named_and_order_moves() {
        let mut conn = seeded();
        let id = create_playlist(&mut conn, "  Mix  ", "rainy day").unwrap();
        let first = add_tracks(&mut conn, id, &[1, 2, 3]).unwrap();
        assert!(first.already_there.is_empty());
        let again = add_tracks(&mut conn, id, &[1]).unwrap();
        assert_eq!(again.already_there, ["Would?"]);
        let detail = get_playlist(&conn, id).unwrap();
        assert_eq!(detail.summary.name, "Mix");
        assert_eq!(detail.songs.len(), 4);
        let last = detail.songs[3].entry_id;
        move_entry(&mut conn, last, 2).unwrap();
        let order = titles(&conn, id);
        assert_eq!(order[0], "Would?");
        assert_eq!(order[1], "Would?");
        let positions: Vec<u32> = get_playlist(&conn, id)
            .unwrap()
            .songs
            .iter()
            .map(|s| s.position)
            .collect();
        assert_eq!(positions, [1, 2, 3, 4]);
        remove_entry(&mut conn, last).unwrap();
        assert_eq!(titles(&conn, id).len(), 3);
        let positions: Vec<u32> = get_playlist(&conn, id)
            .unwrap()
            .songs
            .iter()
            .map(|s| s.position)
            .collect();
        assert_eq!(positions, [1, 2, 3]);
    }

    #[test]
    fn bad_input_changes_nothing() {
        let mut conn = seeded();
        assert!(create_playlist(&mut conn, "   ", "").is_err());
        let id = create_playlist(&mut conn, "Mix", "").unwrap();
        assert!(add_tracks(&mut conn, id, &[1, 999_999]).is_err());
        assert!(
            titles(&conn, id).is_empty(),
            "the good song was not added either"
        );
        assert!(add_tracks(&mut conn, 77, &[1]).is_err());
        assert!(move_entry(&mut conn, 12345, 1).is_err());
    }
}
