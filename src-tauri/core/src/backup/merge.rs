//! Merging a rebuilt backup into the live library: what the backup has and the library lacks
//! is added in one transaction — soundtracks not already there (same film title ignoring case,
//! year and album) with their songs, sources, tags and covers; tags of soundtracks and songs
//! both have; playlists and ranked lists whose name (and size) the library does not have, their
//! songs linked to the library's copies. Nothing the library holds is changed or removed.
//!
//! It reads only the rebuilt file (Cuesheet's own schema, rows already checked), never the
//! backup. Matching is done with hash maps, and every statement touches a few rows through an
//! index, so the write lock is held for time in proportion to what is added, with the
//! watchdog (`work`) stopping the merge if a row ever takes longer than a few seconds. The
//! search index's triggers are off while rows go in, and the rows the merge added or tagged are
//! indexed once at the end, in the same transaction: row by row the triggers index each song
//! three times (its insert, its artists, its tags) and held the write lock 12 times as long
//! (40.2 s against 3.4 s for 150,000 songs, docs/BENCHMARKS.md "Backups"). This module must not
//! check rows (that was `rebuild`).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::config::DbConfig;
use rusqlite::{params, Connection, Transaction, TransactionBehavior};

use super::rebuild::Rebuilt;
use super::tables::table;
use super::work::{Work, MAX_STALL};
use super::{BackupStage, MergeSummary};
use crate::error::{Error, Result};
use crate::validate::{self, MAX_NAME, MAX_TAGS};

/// Added to a merged playlist's name when the library has a different playlist of that name.
const FROM_BACKUP: &str = " (from backup)";

/// Merges `rebuilt` into the library open in `conn`. Covers written for it are removed again if
/// the merge does not commit.
pub(crate) fn merge_rebuilt(
    conn: &mut Connection,
    data_dir: &Path,
    rebuilt: &Rebuilt,
    file: &Path,
    work: &mut Work,
) -> Result<MergeSummary> {
    let path = super::sqlite_path(rebuilt.file.path())?;
    conn.execute("ATTACH DATABASE ?1 AS b", [&path])?;
    work.watch(conn, Some(MAX_STALL));
    let mut written = Vec::new();
    let result = TriggersOff::new(conn)
        .and_then(|mut conn| {
            merge_attached(
                &mut conn,
                data_dir,
                rebuilt.covers.path(),
                work,
                &mut written,
            )
        })
        .map_err(|e| match e {
            Error::Storage(e) => work.sql_error(e, locked_or_storage),
            other => other,
        });
    Work::unwatch(conn);
    let _ = conn.execute_batch("DETACH DATABASE b");
    match result {
        Ok(mut summary) => {
            summary.file = file.display().to_string();
            Ok(summary)
        }
        Err(error) => {
            for cover in written {
                let _ = std::fs::remove_file(cover);
            }
            Err(error)
        }
    }
}

/// The library's connection with its triggers off, on again when this is dropped, whatever
/// happened in between (an error, a cancel, a panic), so no later edit can miss the index.
struct TriggersOff<'c>(&'c mut Connection);

impl<'c> TriggersOff<'c> {
    fn new(conn: &'c mut Connection) -> Result<Self> {
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
        Ok(TriggersOff(conn))
    }
}

impl Drop for TriggersOff<'_> {
    fn drop(&mut self) {
        if let Err(e) = self
            .0
            .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true)
        {
            // Only misuse of the connection can make this fail; an edit without the triggers
            // would leave search behind, so this is not one to let pass quietly.
            tracing::error!("could not turn the search index's triggers back on: {e}");
        }
    }
}

impl std::ops::Deref for TriggersOff<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.0
    }
}

impl std::ops::DerefMut for TriggersOff<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.0
    }
}

/// What the merge changed that the search index shows: soundtracks and songs it added, and
/// those the library had that gained tags. Indexed once at the end by [`refresh_search_index`].
#[derive(Default)]
struct ToIndex {
    added_soundtracks: Vec<i64>,
    added_tracks: Vec<i64>,
    // Sets: two of the backup's rows can be one of the library's, and a row is indexed once.
    retagged_soundtracks: BTreeSet<i64>,
    retagged_tracks: BTreeSet<i64>,
}

/// Rows indexed per statement by [`refresh_search_index`]: one statement per row took three
/// times as long in all (19.0 s of write lock against 8.2 s for 150,000 songs), one statement
/// for all of them is a single step of 4.8 s (release build) the watchdog cannot see into,
/// too close to [`MAX_STALL`] on a slower machine. A chunk takes about 60 ms.
const INDEX_CHUNK: usize = 2_000;

/// Brings the search index in step with what the merge wrote with the triggers off: each row
/// as the triggers would have left it, computed by the same views, a chunk of rows at a time.
fn refresh_search_index(tx: &Transaction, to_index: &ToIndex, work: &Work) -> Result<()> {
    // Only rows the library had can be in the index already; the added ones never were.
    let mut forget = tx.prepare_cached("DELETE FROM main.search_index WHERE rowid = ?1")?;
    for id in &to_index.retagged_soundtracks {
        forget.execute([-id])?;
    }
    for id in &to_index.retagged_tracks {
        forget.execute([id])?;
    }
    let soundtracks: BTreeSet<i64> = to_index
        .added_soundtracks
        .iter()
        .chain(&to_index.retagged_soundtracks)
        .copied()
        .collect();
    let tracks: BTreeSet<i64> = to_index
        .added_tracks
        .iter()
        .chain(&to_index.retagged_tracks)
        .copied()
        .collect();
    for (ids, docs, rowid) in [
        (soundtracks, "search_soundtrack_docs", "-id"),
        (tracks, "search_track_docs", "id"),
    ] {
        tx.execute_batch(
            "DROP TABLE IF EXISTS temp.merge_index;
             CREATE TEMP TABLE merge_index (id INTEGER PRIMARY KEY);",
        )?;
        let ids: Vec<i64> = ids.into_iter().collect();
        {
            let mut note = tx.prepare("INSERT INTO temp.merge_index VALUES (?1)")?;
            for id in &ids {
                note.execute([id])?;
            }
            let mut fill = tx.prepare(&format!(
                "INSERT INTO main.search_index (rowid, title, artists, album, tags, notes)
                 SELECT {rowid}, title, artists, album, tags, notes FROM main.{docs}
                 WHERE id IN (SELECT id FROM temp.merge_index WHERE id BETWEEN ?1 AND ?2)"
            ))?;
            for chunk in ids.chunks(INDEX_CHUNK) {
                fill.execute([chunk[0], chunk[chunk.len() - 1]])?;
                work.beat();
            }
        }
        tx.execute_batch("DROP TABLE temp.merge_index")?;
    }
    Ok(())
}

/// "database is locked" in the person's words: another process is writing.
fn locked_or_storage(error: rusqlite::Error) -> Error {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            Error::Conflict(
                "another Cuesheet is writing to the library (an import, or the window); try \
                 again when it has finished. Nothing was changed."
                    .into(),
            )
        }
        _ => Error::Storage(error),
    }
}

/// `INSERT INTO main.<table> (<fixed columns>, <data columns>) SELECT <fixed values>, <data
/// columns> FROM b.<table> WHERE <where>`: the data columns come from the backup's table list,
/// so a column added there is carried by merges too. `fixed` replaces columns by parameters.
fn copy_sql(name: &str, fixed: &[(&str, &str)], filter: &str) -> Result<String> {
    let spec = table(name).ok_or_else(|| Error::Internal(format!("no backup table {name}")))?;
    let mut columns: Vec<&str> = fixed.iter().map(|(c, _)| *c).collect();
    let mut values: Vec<&str> = fixed.iter().map(|(_, v)| *v).collect();
    for column in spec.data_columns() {
        if !columns.contains(&column) {
            columns.push(column);
            values.push(column);
        }
    }
    Ok(format!(
        "INSERT INTO main.{name} ({}) SELECT {} FROM b.{name} WHERE {filter}",
        columns.join(", "),
        values.join(", ")
    ))
}

/// How `COLLATE NOCASE` compares: ASCII letters folded, everything else as it is.
fn nocase(text: &str) -> String {
    text.to_ascii_lowercase()
}

type SoundtrackKey = (String, Option<i64>, Option<String>);
type TrackKey = (String, bool, Option<i64>);

fn merge_attached(
    conn: &mut Connection,
    data_dir: &Path,
    covers: &Path,
    work: &mut Work,
    written: &mut Vec<PathBuf>,
) -> Result<MergeSummary> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Waiting for another writer to finish is not this merge stalling.
    work.beat();
    let backup_soundtracks: Vec<(i64, SoundtrackKey, Option<String>)> = {
        let mut stmt = tx.prepare(
            "SELECT id, film_title, film_year, album_title, cover FROM b.soundtracks
             WHERE deleted_at IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                (nocase(&r.get::<_, String>(1)?), r.get(2)?, r.get(3)?),
                r.get(4)?,
            ))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let backup_playlists: i64 =
        tx.query_row("SELECT count(*) FROM b.playlists", [], |r| r.get(0))?;
    let backup_lists: i64 =
        tx.query_row("SELECT count(*) FROM b.ranked_lists", [], |r| r.get(0))?;
    let total = backup_soundtracks.len() as u64 + backup_playlists as u64 + backup_lists as u64;
    let mut done = 0u64;
    work.step(BackupStage::Writing, done, total)?;

    let mut library: HashMap<SoundtrackKey, i64> = HashMap::new();
    {
        let mut stmt = tx.prepare(
            "SELECT id, film_title, film_year, album_title FROM main.soundtracks
             WHERE deleted_at IS NULL ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let key = (nocase(&row.get::<_, String>(1)?), row.get(2)?, row.get(3)?);
            library.entry(key).or_insert(row.get(0)?);
        }
    }

    let mut soundtracks: HashMap<i64, i64> = HashMap::new();
    let mut tracks: HashMap<i64, i64> = HashMap::new();
    let mut soundtracks_added = 0;
    let mut to_index = ToIndex::default();
    for (old, key, cover) in &backup_soundtracks {
        match library.get(key) {
            Some(&new) => {
                soundtracks.insert(*old, new);
                match_songs(&tx, *old, new, &mut tracks)?;
            }
            None => {
                let new = add_soundtrack(&tx, *old, &mut tracks, &mut to_index, work)?;
                to_index.added_soundtracks.push(new);
                soundtracks.insert(*old, new);
                soundtracks_added += 1;
                let stored = match cover {
                    Some(name) if covers.join(name).is_file() => {
                        let stored = crate::covers::fresh_name(new);
                        let dir = crate::covers::covers_dir(data_dir);
                        std::fs::create_dir_all(&dir).map_err(|e| {
                            Error::io(format!("cannot create {}", dir.display()), e)
                        })?;
                        let target = dir.join(&stored);
                        std::fs::copy(covers.join(name), &target).map_err(|e| {
                            Error::io(format!("cannot write {}", target.display()), e)
                        })?;
                        written.push(target);
                        Some(stored)
                    }
                    _ => None,
                };
                tx.execute(
                    "UPDATE main.soundtracks SET cover = ?2 WHERE id = ?1",
                    params![new, stored],
                )?;
            }
        }
        done += 1;
        work.step(BackupStage::Writing, done, total)?;
    }
    let tracks_added = to_index.added_tracks.len() as u32;
    merge_tags(&tx, &soundtracks, &tracks, &mut to_index, work)?;
    let playlists_added = merge_playlists(&tx, &tracks, work, &mut done, total)?;
    let ranked_lists_added = merge_ranked_lists(&tx, &soundtracks, work, &mut done, total)?;
    refresh_search_index(&tx, &to_index, work)?;
    tx.commit()?;
    work.step(BackupStage::Writing, total, total)?;
    Ok(MergeSummary {
        file: String::new(),
        soundtracks_added,
        tracks_added,
        playlists_added,
        ranked_lists_added,
        unread_wal: None,
    })
}

/// Links the backup's songs of a soundtrack both have to the library's song with the same
/// title (ignoring case), side (album or film) and place.
fn match_songs(tx: &Transaction, old: i64, new: i64, tracks: &mut HashMap<i64, i64>) -> Result<()> {
    let mut ours: HashMap<TrackKey, i64> = HashMap::new();
    let mut stmt = tx.prepare_cached(
        "SELECT id, title, on_album, position FROM main.tracks
         WHERE soundtrack_id = ?1 AND deleted_at IS NULL ORDER BY id",
    )?;
    let mut rows = stmt.query([new])?;
    while let Some(row) = rows.next()? {
        let key = (nocase(&row.get::<_, String>(1)?), row.get(2)?, row.get(3)?);
        ours.entry(key).or_insert(row.get(0)?);
    }
    drop(rows);
    let mut stmt = tx.prepare_cached(
        "SELECT id, title, on_album, position FROM b.tracks
         WHERE soundtrack_id = ?1 AND deleted_at IS NULL ORDER BY id",
    )?;
    let mut rows = stmt.query([old])?;
    while let Some(row) = rows.next()? {
        let key: TrackKey = (nocase(&row.get::<_, String>(1)?), row.get(2)?, row.get(3)?);
        if let Some(&mine) = ours.get(&key) {
            tracks.insert(row.get(0)?, mine);
        }
    }
    Ok(())
}

/// Adds a soundtrack the library lacks, with its sources and its songs (not those in the
/// backup's trash) and their artists; returns its new id.
fn add_soundtrack(
    tx: &Transaction,
    old: i64,
    tracks: &mut HashMap<i64, i64>,
    to_index: &mut ToIndex,
    work: &Work,
) -> Result<i64> {
    tx.prepare_cached(&copy_sql("soundtracks", &[], "id = ?1")?)?
        .execute([old])?;
    let new = tx.last_insert_rowid();
    tx.prepare_cached(&copy_sql(
        "soundtrack_sources",
        &[("soundtrack_id", "?2")],
        "soundtrack_id = ?1",
    )?)?
    .execute([old, new])?;
    let songs: Vec<i64> = {
        let mut stmt = tx.prepare_cached(
            "SELECT id FROM b.tracks WHERE soundtrack_id = ?1 AND deleted_at IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([old], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for song in songs {
        tx.prepare_cached(&copy_sql("tracks", &[("soundtrack_id", "?2")], "id = ?1")?)?
            .execute([song, new])?;
        let new_song = tx.last_insert_rowid();
        tx.prepare_cached(&copy_sql(
            "track_artists",
            &[("track_id", "?2")],
            "track_id = ?1",
        )?)?
        .execute([song, new_song])?;
        tracks.insert(song, new_song);
        to_index.added_tracks.push(new_song);
        // A soundtrack may hold thousands of songs; each one is progress.
        work.beat();
    }
    Ok(new)
}

/// Tags of every merged soundtrack and song, up to [`MAX_TAGS`] each as an edit allows.
fn merge_tags(
    tx: &Transaction,
    soundtracks: &HashMap<i64, i64>,
    tracks: &HashMap<i64, i64>,
    to_index: &mut ToIndex,
    work: &Work,
) -> Result<()> {
    let added_soundtracks: HashSet<i64> = to_index.added_soundtracks.iter().copied().collect();
    let added_tracks: HashSet<i64> = to_index.added_tracks.iter().copied().collect();
    for (links, owner, pairs, added, retagged) in [
        (
            "soundtrack_tags",
            "soundtrack_id",
            soundtracks,
            &added_soundtracks,
            &mut to_index.retagged_soundtracks,
        ),
        (
            "track_tags",
            "track_id",
            tracks,
            &added_tracks,
            &mut to_index.retagged_tracks,
        ),
    ] {
        let mut names = tx.prepare_cached(&format!(
            "SELECT g.name FROM b.{links} l JOIN b.tags g ON g.id = l.tag_id
             WHERE l.{owner} = ?1 ORDER BY g.name"
        ))?;
        let mut count = tx.prepare_cached(&format!(
            "SELECT count(*) FROM main.{links} WHERE {owner} = ?1"
        ))?;
        let mut add_tag = tx.prepare_cached(
            "INSERT INTO main.tags (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
        )?;
        let mut link = tx.prepare_cached(&format!(
            "INSERT OR IGNORE INTO main.{links} ({owner}, tag_id)
             SELECT ?1, id FROM main.tags WHERE name = ?2"
        ))?;
        let mut sorted: Vec<(&i64, &i64)> = pairs.iter().collect();
        sorted.sort();
        for (old, new) in sorted {
            work.beat();
            let tags: Vec<String> = names
                .query_map([old], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut linked = false;
            for tag in tags {
                let held: i64 = count.query_row([new], |r| r.get(0))?;
                if held as usize >= MAX_TAGS {
                    break;
                }
                add_tag.execute([&tag])?;
                linked |= link.execute(params![new, tag])? > 0;
            }
            // An added row is indexed whole at the end anyway.
            if linked && !added.contains(new) {
                retagged.insert(*new);
            }
        }
    }
    Ok(())
}

/// Playlists the library does not have by name and size; a name the library uses for a
/// different playlist gets [`FROM_BACKUP`] added.
fn merge_playlists(
    tx: &Transaction,
    tracks: &HashMap<i64, i64>,
    work: &mut Work,
    done: &mut u64,
    total: u64,
) -> Result<u32> {
    let mut sizes: HashMap<String, HashSet<i64>> = HashMap::new();
    {
        let mut stmt = tx.prepare(
            "SELECT p.name, count(e.id) FROM main.playlists p
             LEFT JOIN main.playlist_entries e ON e.playlist_id = p.id GROUP BY p.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            sizes.entry(row.get(0)?).or_default().insert(row.get(1)?);
        }
    }
    let theirs: Vec<(i64, String, i64)> = {
        let mut stmt = tx.prepare(
            "SELECT p.id, p.name, count(e.id) FROM b.playlists p
             LEFT JOIN b.playlist_entries e ON e.playlist_id = p.id GROUP BY p.id ORDER BY p.id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut added = 0;
    for (old, name, size) in theirs {
        *done += 1;
        work.step(BackupStage::Writing, *done, total)?;
        if sizes.get(&name).is_some_and(|held| held.contains(&size)) {
            continue;
        }
        let name = if sizes.contains_key(&name) {
            let room = MAX_NAME - FROM_BACKUP.chars().count();
            format!("{}{FROM_BACKUP}", validate::cut(&name, room))
        } else {
            name
        };
        tx.prepare_cached(&copy_sql("playlists", &[("name", "?2")], "id = ?1")?)?
            .execute(params![old, name])?;
        let new = tx.last_insert_rowid();
        sizes.entry(name).or_default().insert(size);
        let entries: Vec<(i64, Option<i64>)> = {
            let mut stmt = tx.prepare_cached(
                "SELECT id, track_id FROM b.playlist_entries WHERE playlist_id = ?1 ORDER BY ord",
            )?;
            let rows = stmt.query_map([old], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut insert = tx.prepare_cached(&copy_sql(
            "playlist_entries",
            &[("playlist_id", "?2"), ("track_id", "?3")],
            "id = ?1",
        )?)?;
        for (entry, song) in entries {
            let linked = song.and_then(|song| tracks.get(&song).copied());
            insert.execute(params![entry, new, linked])?;
            work.step(BackupStage::Writing, *done, total)?;
        }
        added += 1;
    }
    Ok(added)
}

/// Ranked lists the library does not have by name, with their entries for soundtracks the
/// merge knows, ranks renumbered densely.
fn merge_ranked_lists(
    tx: &Transaction,
    soundtracks: &HashMap<i64, i64>,
    work: &mut Work,
    done: &mut u64,
    total: u64,
) -> Result<u32> {
    let mut names: HashSet<String> = {
        let mut stmt = tx.prepare("SELECT name FROM main.ranked_lists")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let theirs: Vec<(i64, String)> = {
        let mut stmt = tx.prepare("SELECT id, name FROM b.ranked_lists ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut added = 0;
    for (old, name) in theirs {
        *done += 1;
        work.step(BackupStage::Writing, *done, total)?;
        if !names.insert(name) {
            continue;
        }
        tx.prepare_cached(&copy_sql("ranked_lists", &[], "id = ?1")?)?
            .execute([old])?;
        let new = tx.last_insert_rowid();
        let entries: Vec<(i64, Option<i64>)> = {
            let mut stmt = tx.prepare_cached(
                "SELECT id, soundtrack_id FROM b.ranked_entries WHERE list_id = ?1 ORDER BY ord",
            )?;
            let rows = stmt.query_map([old], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut insert = tx.prepare_cached(&copy_sql(
            "ranked_entries",
            &[("list_id", "?2"), ("soundtrack_id", "?3"), ("ord", "?4")],
            "id = ?1",
        )?)?;
        let mut ranked = HashSet::new();
        let mut places = 0_i64;
        for (entry, soundtrack) in entries {
            // An entry waiting for its soundtrack (made from a survey) comes with its title.
            let mine = match soundtrack {
                None => None,
                Some(theirs) => match soundtracks.get(&theirs) {
                    // Two of the backup's soundtracks can be one of the library's; it is ranked once.
                    Some(&mine) if ranked.insert(mine) => Some(mine),
                    _ => continue,
                },
            };
            insert.execute(params![entry, new, mine, places])?;
            places += 1;
        }
        // The thread the list was counted from, so it can be counted again.
        tx.prepare_cached(&copy_sql(
            "ranked_list_surveys",
            &[("list_id", "?2")],
            "list_id = ?1",
        )?)?
        .execute([old, new])?;
        added += 1;
    }
    Ok(added)
}
