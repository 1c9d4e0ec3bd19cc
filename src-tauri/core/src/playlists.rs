//! Playlists: made by hand from library songs, in one click from a soundtrack or the favourite
//! songs, or imported from files; reordered, and exported through `formats`. It owns the
//! playlist tables and their rules (dense order, duplicates kept with a warning, every change in
//! one transaction); it never parses or writes file text itself.

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use std::io::{BufRead, Read};

use crate::formats::{self, Entry, EntrySink, Format, PlaylistFile};
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

/// What an import would create, for the preview before anything is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportPreview {
    pub format: Format,
    pub playlists: Vec<PreviewPlaylist>,
}

/// What an import created, one line per playlist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportedPlaylist {
    pub id: i64,
    pub name: String,
    pub song_count: u32,
    /// Songs linked to a song of a library soundtrack (same album and title).
    pub linked_to_library: u32,
}

fn write_tx(conn: &mut Connection) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

fn clean_name(name: &str) -> Result<String> {
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
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.ord, e.track_id, s.film_title, e.title, e.artists, e.album,
                e.duration_ms, e.spotify_uri, e.isrc, e.location, e.notes
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

fn insert_playlist(tx: &Transaction<'_>, name: &str, description: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO playlists (name, description) VALUES (?1, ?2)",
        params![clean_name(name)?, clean_description(description)?],
    )?;
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
fn insert_entry(
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

/// The library's songs by (album or film title, song title), lowercased, for linking imported
/// songs. Built once per import: one query per imported row was most of a large CSV's import
/// time (3.4 s of 3.4 s for 100,000 rows, measured).
struct LibraryIndex(std::collections::HashMap<(String, String), i64>);

impl LibraryIndex {
    fn load(tx: &Transaction<'_>) -> Result<LibraryIndex> {
        let mut map = std::collections::HashMap::new();
        let mut stmt = tx.prepare(
            "SELECT s.album_title, s.film_title, t.title, t.id
             FROM tracks t JOIN soundtracks s ON s.id = t.soundtrack_id
             WHERE t.deleted_at IS NULL AND s.deleted_at IS NULL ORDER BY t.id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        for row in rows {
            let (album, film, title, id) = row?;
            let title = title.trim().to_lowercase();
            // Descending ids: the lowest id wins when two songs share album and title.
            for name in album.into_iter().chain(std::iter::once(film)) {
                map.insert((name.trim().to_lowercase(), title.clone()), id);
            }
        }
        Ok(LibraryIndex(map))
    }

    /// The library song an imported entry is, when a live soundtrack's album (or film) title and
    /// a song title match, ignoring case.
    fn find(&self, entry: &Entry) -> Option<i64> {
        let album = entry.album.as_deref()?.trim().to_lowercase();
        self.0
            .get(&(album, entry.title.trim().to_lowercase()))
            .copied()
    }
}

/// How far an import has got, for the window's progress bar: songs written, and bytes of the
/// file read (the song count of a file being streamed is not known until its end).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportProgress {
    pub songs: u32,
    pub bytes_read: u64,
    pub bytes_total: u64,
}

/// Songs between two progress reports: often enough for a smooth bar, rare enough to cost
/// nothing next to the inserts.
const PROGRESS_EVERY: u32 = 2_000;

/// A reader that counts what has been consumed, for progress by bytes.
struct Counting<R> {
    inner: R,
    consumed: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.set(self.consumed.get() + n as u64);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amount: usize) {
        self.consumed.set(self.consumed.get() + amount as u64);
        self.inner.consume(amount);
    }
}

/// One playlist being written by an import.
struct Group {
    key: Option<String>,
    id: i64,
    next_ord: i64,
    linked: u32,
}

/// Writes each song as the reader meets it, inside the import's one transaction, creating a
/// playlist the first time a playlist name (or the file's one playlist) appears.
struct ImportSink<'t, 'p> {
    tx: &'t Transaction<'t>,
    library: LibraryIndex,
    groups: Vec<Group>,
    title: Option<String>,
    description: Option<String>,
    songs: u32,
    report: &'p mut dyn FnMut(u32),
}

impl EntrySink for ImportSink<'_, '_> {
    fn entry(&mut self, playlist: Option<&str>, entry: Entry) -> Result<()> {
        let key = playlist.map(str::to_owned);
        let index = match self.groups.iter().position(|g| g.key == key) {
            Some(index) => index,
            None => {
                // A provisional name; `finish` gives each playlist its real one.
                let id =
                    insert_playlist(self.tx, key.as_deref().unwrap_or("Imported playlist"), "")?;
                self.groups.push(Group {
                    key,
                    id,
                    next_ord: 0,
                    linked: 0,
                });
                self.groups.len() - 1
            }
        };
        let group = &mut self.groups[index];
        let track_id = self.library.find(&entry);
        group.linked += u32::from(track_id.is_some());
        insert_entry(self.tx, group.id, group.next_ord, track_id, &entry)?;
        group.next_ord += 1;
        self.songs += 1;
        if self.songs % PROGRESS_EVERY == 0 {
            (self.report)(self.songs);
        }
        Ok(())
    }

    fn title(&mut self, name: Option<String>, description: Option<String>) {
        if name.is_some() {
            self.title = name;
        }
        if description.is_some() {
            self.description = description;
        }
    }
}

impl ImportSink<'_, '_> {
    /// Names every playlist the import made: `name` when given (suffixed with each playlist's
    /// own name when the file held several), else the file's own names, else `fallback_name`.
    fn finish(self, name: Option<&str>, fallback_name: &str) -> Result<Vec<ImportedPlaylist>> {
        let several = self.groups.len() > 1;
        let mut created = Vec::with_capacity(self.groups.len());
        for (index, group) in self.groups.iter().enumerate() {
            let own = group
                .key
                .clone()
                .or_else(|| self.title.clone())
                .filter(|n| !n.trim().is_empty());
            let playlist_name = match (name, own) {
                (Some(given), _) if !several => given.to_owned(),
                (Some(given), Some(own)) => format!("{given} — {own}"),
                (Some(given), None) => format!("{given} {}", index + 1),
                (None, Some(own)) => own,
                (None, None) => fallback_name.to_owned(),
            };
            let playlist_name = clean_name(&playlist_name)?;
            let description = if group.key.is_none() {
                self.description.clone().unwrap_or_default()
            } else {
                String::new()
            };
            self.tx.execute(
                "UPDATE playlists SET name = ?2, description = ?3 WHERE id = ?1",
                params![group.id, playlist_name, description.trim()],
            )?;
            created.push(ImportedPlaylist {
                id: group.id,
                name: playlist_name,
                song_count: group.next_ord as u32,
                linked_to_library: group.linked,
            });
        }
        Ok(created)
    }
}

/// Streams a playlist file into the library: every song is written as it is read, all in one
/// transaction, so a file of any size is never held whole and a bad line anywhere leaves the
/// library as it was. `name` overrides the file's own name.
#[allow(clippy::too_many_arguments)] // each is a distinct fact about the import; a struct would only rename them
pub fn import_from(
    conn: &mut Connection,
    reader: &mut dyn BufRead,
    format: Format,
    source: &str,
    name: Option<&str>,
    fallback_name: &str,
    bytes_total: u64,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<Vec<ImportedPlaylist>> {
    // A name given for the new playlist is checked before a large file is read for nothing.
    if let Some(name) = name {
        clean_name(name)?;
    }
    let consumed = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let mut counting = Counting {
        inner: reader,
        consumed: consumed.clone(),
    };
    progress(ImportProgress {
        songs: 0,
        bytes_read: 0,
        bytes_total,
    });
    let tx = write_tx(conn)?;
    let library = LibraryIndex::load(&tx)?;
    let created = {
        let mut report = |songs: u32| {
            progress(ImportProgress {
                songs,
                bytes_read: consumed.get(),
                bytes_total,
            });
        };
        let mut sink = ImportSink {
            tx: &tx,
            library,
            groups: Vec::new(),
            title: None,
            description: None,
            songs: 0,
            report: &mut report,
        };
        formats::read_from(&mut counting, format, source, &mut sink)?;
        if sink.songs == 0 {
            return Err(Error::InvalidInput(format!(
                "{source}: no songs found (read as {})",
                format.name()
            )));
        }
        sink.finish(name, fallback_name)?
    };
    tx.commit()?;
    let songs = created.iter().map(|p| p.song_count).sum();
    progress(ImportProgress {
        songs,
        bytes_read: bytes_total,
        bytes_total,
    });
    Ok(created)
}

/// Creates playlists from playlists already read (one per file playlist), in one transaction.
pub fn import(
    conn: &mut Connection,
    files: &[PlaylistFile],
    name: Option<&str>,
    fallback_name: &str,
) -> Result<Vec<ImportedPlaylist>> {
    let tx = write_tx(conn)?;
    let library = LibraryIndex::load(&tx)?;
    let created = {
        let mut ignore = |_: u32| {};
        let mut sink = ImportSink {
            tx: &tx,
            library,
            groups: Vec::new(),
            title: None,
            description: None,
            songs: 0,
            report: &mut ignore,
        };
        for (index, file) in files.iter().enumerate() {
            if files.len() == 1 {
                sink.title(file.name.clone(), file.description.clone());
            }
            let key = if files.len() == 1 {
                None
            } else {
                Some(
                    file.name
                        .clone()
                        .unwrap_or_else(|| format!("Playlist {}", index + 1)),
                )
            };
            for entry in &file.entries {
                sink.entry(key.as_deref(), entry.clone())?;
            }
        }
        sink.finish(name, fallback_name)?
    };
    tx.commit()?;
    Ok(created)
}

/// The first songs of each playlist a file holds and how many there are, without writing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PreviewPlaylist {
    pub name: Option<String>,
    pub song_count: u32,
    pub first_songs: Vec<Entry>,
}

/// Songs shown per playlist in the preview.
const PREVIEW_SONGS: usize = 8;

#[derive(Default)]
struct PreviewSink {
    playlists: Vec<(Option<String>, PreviewPlaylist)>,
    title: Option<String>,
}

impl EntrySink for PreviewSink {
    fn entry(&mut self, playlist: Option<&str>, entry: Entry) -> Result<()> {
        let key = playlist.map(str::to_owned);
        let index = match self.playlists.iter().position(|(k, _)| *k == key) {
            Some(index) => index,
            None => {
                self.playlists.push((
                    key.clone(),
                    PreviewPlaylist {
                        name: key,
                        song_count: 0,
                        first_songs: Vec::new(),
                    },
                ));
                self.playlists.len() - 1
            }
        };
        let preview = &mut self.playlists[index].1;
        preview.song_count += 1;
        if preview.first_songs.len() < PREVIEW_SONGS {
            preview.first_songs.push(entry);
        }
        Ok(())
    }

    fn title(&mut self, name: Option<String>, _description: Option<String>) {
        if name.is_some() {
            self.title = name;
        }
    }
}

/// Reads a whole file as an import would (so every bad line is found), keeping only counts and
/// the first songs.
pub fn preview_from(
    reader: &mut dyn BufRead,
    format: Format,
    source: &str,
) -> Result<ImportPreview> {
    let mut sink = PreviewSink::default();
    formats::read_from(reader, format, source, &mut sink)?;
    if sink.playlists.is_empty() {
        return Err(Error::InvalidInput(format!(
            "{source}: no songs found (read as {})",
            format.name()
        )));
    }
    let title = sink.title;
    Ok(ImportPreview {
        format,
        playlists: sink
            .playlists
            .into_iter()
            .map(|(key, mut preview)| {
                if key.is_none() {
                    preview.name = title.clone();
                }
                preview
            })
            .collect(),
    })
}

/// Opens a playlist file for streaming and tells its format from its first 8 KiB (and name).
fn open_playlist_file(
    path: &std::path::Path,
    format: Option<Format>,
) -> Result<(std::io::BufReader<std::fs::File>, Format, u64)> {
    validate::path("playlist file", path)?;
    let file = std::fs::File::open(path)
        .map_err(|e| Error::InvalidInput(format!("cannot read {}: {e}", path.display())))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = std::io::BufReader::with_capacity(64 * 1024, file);
    let format = match format {
        Some(format) => format,
        None => {
            let head = reader
                .fill_buf()
                .map_err(|e| Error::InvalidInput(format!("cannot read {}: {e}", path.display())))?;
            let head = String::from_utf8_lossy(&head[..head.len().min(8 * 1024)]).into_owned();
            formats::detect(&head, path.file_name().and_then(|n| n.to_str()))
        }
    };
    Ok((reader, format, size))
}

fn file_stem(source: &str) -> String {
    std::path::Path::new(source)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "Imported playlist".into())
}

/// The playlist in a file format, songs in order, duplicates kept. Library songs carry their
/// film, rating and tags into the formats that have room for them.
pub fn export(conn: &Connection, playlist_id: i64, format: Format) -> Result<String> {
    let detail = get_playlist(conn, playlist_id)?;
    let mut curated = conn.prepare_cached(
        "SELECT t.rating,
                (SELECT json_group_array(name) FROM (SELECT g.name FROM track_tags tt
                    JOIN tags g ON g.id = tt.tag_id WHERE tt.track_id = t.id ORDER BY g.name))
         FROM tracks t WHERE t.id = ?1",
    )?;
    let mut entries = Vec::with_capacity(detail.songs.len());
    for song in detail.songs {
        let mut entry = song.song;
        if let Some(track_id) = song.track_id {
            entry.film = song.film_title;
            let found: Option<(Option<u8>, String)> = curated
                .query_row([track_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            if let Some((rating, tags)) = found {
                entry.rating = rating;
                entry.tags = serde_json::from_str(&tags).unwrap_or_default();
            }
        }
        entries.push(entry);
    }
    let file = PlaylistFile {
        name: Some(detail.summary.name),
        description: Some(detail.summary.description).filter(|d| !d.is_empty()),
        entries,
    };
    Ok(formats::write(&file, format))
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
    pub fn export_playlist(&self, id: i64, format: Format) -> Result<String> {
        export(self.conn(), id, format)
    }
    /// Writes the playlist in `format` to the file at `path` (never over the library itself);
    /// returns how many songs it holds.
    pub fn export_playlist_to(
        &self,
        id: i64,
        format: Format,
        path: &std::path::Path,
    ) -> Result<u32> {
        crate::safe_file::check_target("export file", path, self.data_dir())?;
        let detail = get_playlist(self.conn(), id)?;
        let text = export(self.conn(), id, format)?;
        crate::safe_file::write_whole("export file", path, self.data_dir(), text.as_bytes())?;
        Ok(detail.summary.song_count)
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
    /// What importing `content` would create, without writing anything (the window's preview).
    pub fn preview_import(
        &self,
        content: &str,
        format: Option<Format>,
        source: &str,
    ) -> Result<ImportPreview> {
        validate::import_text(content)?;
        let format = format.unwrap_or_else(|| formats::detect(content, Some(source)));
        preview_from(&mut content.as_bytes(), format, source)
    }

    /// What importing the file at `path` would create, read as a stream.
    pub fn preview_file(
        &self,
        path: &std::path::Path,
        format: Option<Format>,
    ) -> Result<ImportPreview> {
        let (mut reader, format, _) = open_playlist_file(path, format)?;
        preview_from(&mut reader, format, &path.display().to_string())
    }

    /// Reads `content` (format detected unless given) and creates its playlists.
    pub fn import_playlists(
        &mut self,
        content: &str,
        format: Option<Format>,
        source: &str,
        name: Option<&str>,
    ) -> Result<Vec<ImportedPlaylist>> {
        self.import_playlists_with_progress(content, format, source, name, &mut |_| {})
    }

    /// `import_playlists`, reporting progress as songs are written.
    pub fn import_playlists_with_progress(
        &mut self,
        content: &str,
        format: Option<Format>,
        source: &str,
        name: Option<&str>,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<Vec<ImportedPlaylist>> {
        validate::import_text(content)?;
        let format = format.unwrap_or_else(|| formats::detect(content, Some(source)));
        import_from(
            &mut self.conn,
            &mut content.as_bytes(),
            format,
            source,
            name,
            &file_stem(source),
            content.len() as u64,
            progress,
        )
    }

    /// Streams the playlist file at `path` into the library, reporting progress.
    pub fn import_file(
        &mut self,
        path: &std::path::Path,
        format: Option<Format>,
        name: Option<&str>,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<Vec<ImportedPlaylist>> {
        let (mut reader, format, size) = open_playlist_file(path, format)?;
        let source = path.display().to_string();
        import_from(
            &mut self.conn,
            &mut reader,
            format,
            &source,
            name,
            &file_stem(&source),
            size,
            progress,
        )
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

    #[test]
    fn import_links_songs_of_library_albums_and_exports_back() {
        let mut conn = seeded();
        let file = PlaylistFile {
            name: Some("From a friend".into()),
            description: None,
            entries: vec![
                Entry {
                    title: "would?".into(),
                    artists: vec!["Alice in Chains".into()],
                    album: Some("Singles: Original Motion Picture Soundtrack".into()),
                    ..Entry::default()
                },
                Entry {
                    title: "Not in the library".into(),
                    artists: vec!["Nobody".into()],
                    ..Entry::default()
                },
            ],
        };
        let created = import(&mut conn, std::slice::from_ref(&file), None, "x").unwrap();
        assert_eq!(created[0].name, "From a friend");
        assert_eq!(created[0].linked_to_library, 1);
        let detail = get_playlist(&conn, created[0].id).unwrap();
        assert_eq!(detail.songs[0].track_id, Some(1));
        crate::edit::set_rating(&mut conn, crate::edit::Target::Track(1), Some(8)).unwrap();
        let csv = export(&conn, created[0].id, Format::Csv).unwrap();
        let back = formats::read(&csv, Format::Csv, "x.csv").unwrap();
        let mut expected = file.entries.clone();
        // The linked song carries its film and rating out; the other has none.
        expected[0].film = Some("Singles".into());
        expected[0].rating = Some(8);
        assert_eq!(back[0].entries, expected);
    }

    #[test]
    fn progress_is_reported_from_zero_to_the_total() {
        let mut conn = seeded();
        let entries: Vec<Entry> = (0..4_500)
            .map(|n| Entry {
                title: format!("Song {n}"),
                ..Entry::default()
            })
            .collect();
        let file = PlaylistFile {
            name: Some("Big".into()),
            description: None,
            entries,
        };
        let text = formats::write(&file, Format::M3u8);
        let mut seen = Vec::new();
        let created = import_from(
            &mut conn,
            &mut text.as_bytes(),
            Format::M3u8,
            "big.m3u8",
            None,
            "x",
            text.len() as u64,
            &mut |p| seen.push((p.songs, p.bytes_read, p.bytes_total)),
        )
        .unwrap();
        assert_eq!(created[0].name, "Big");
        assert_eq!(created[0].song_count, 4_500);
        let songs: Vec<u32> = seen.iter().map(|s| s.0).collect();
        assert_eq!(songs, [0, 2_000, 4_000, 4_500]);
        let bytes: Vec<u64> = seen.iter().map(|s| s.1).collect();
        assert!(bytes.windows(2).all(|w| w[0] <= w[1]), "{bytes:?}");
        assert!(seen.iter().all(|s| s.1 <= s.2 && s.2 == text.len() as u64));
        assert_eq!(bytes.last(), Some(&(text.len() as u64)));
    }

    #[test]
    fn a_streamed_file_with_a_bad_last_line_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut library = crate::Library::open(dir.path()).unwrap();
        let mut text = String::from("#EXTM3U\n#PLAYLIST:Long\n");
        for n in 0..20_000 {
            text.push_str(&format!(
                "#EXTINF:200,Artist {n} - Song {n}\nsong-{n}.mp3\n"
            ));
        }
        let good = dir.path().join("long.m3u8");
        std::fs::write(&good, &text).unwrap();
        text.push_str("#EXTINF:oops\nbad.mp3\n");
        let bad = dir.path().join("bad.m3u8");
        std::fs::write(&bad, &text).unwrap();

        let preview = library.preview_file(&bad, None);
        assert!(preview.unwrap_err().to_string().contains("line 40003"));
        let error = library
            .import_file(&bad, None, None, &mut |_| {})
            .unwrap_err();
        assert!(
            error.to_string().contains("bad.m3u8, line 40003"),
            "{error}"
        );
        assert!(
            library.list_playlists().unwrap().is_empty(),
            "20,000 songs were rolled back"
        );

        let preview = library.preview_file(&good, None).unwrap();
        assert_eq!(preview.playlists[0].song_count, 20_000);
        assert_eq!(preview.playlists[0].first_songs.len(), PREVIEW_SONGS);
        let created = library.import_file(&good, None, None, &mut |_| {}).unwrap();
        assert_eq!(
            (created[0].name.as_str(), created[0].song_count),
            ("Long", 20_000)
        );
    }

    #[test]
    fn a_bad_song_in_an_import_leaves_nothing_behind() {
        let mut conn = seeded();
        let good = Entry {
            title: "Fine".into(),
            ..Entry::default()
        };
        let bad = Entry {
            title: "   ".into(),
            ..Entry::default()
        };
        let files = [
            PlaylistFile {
                name: Some("One".into()),
                description: None,
                entries: vec![good.clone()],
            },
            PlaylistFile {
                name: Some("Two".into()),
                description: None,
                entries: vec![good, bad],
            },
        ];
        assert!(import(&mut conn, &files, None, "x").is_err());
        assert!(list_playlists(&conn).unwrap().is_empty());
    }
}
