//! Backup and restore of the whole library — soundtracks, songs, notes, ratings, tags,
//! playlists, ranked lists and covers — as one file. It owns the backup format; it never edits
//! the library's rows (restore replaces the whole file, keeping the old one beside it).
//!
//! The format is a SQLite database: `VACUUM INTO` makes a consistent, compact copy of the live
//! library while it stays open, and two tables are added to the copy: `cuesheet_backup`
//! (key/value: format, schema version, when, app version) and `cuesheet_backup_covers` (each
//! cover's file name and bytes). Any SQLite tool can open it; its `user_version` is the schema
//! version, so a backup from a newer Cuesheet is recognised and refused before anything changes.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::db::{self, DATABASE_FILE, SCHEMA_VERSION};
use crate::error::{Error, Result};

const FORMAT: &str = "cuesheet-backup-1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BackupSummary {
    pub file: String,
    pub soundtracks: u32,
    pub tracks: u32,
    pub playlists: u32,
    pub covers: u32,
    /// Where the library that a restore replaced was kept, if there was one.
    pub previous_library: Option<String>,
}

fn io(context: String) -> impl FnOnce(std::io::Error) -> Error {
    move |e| Error::io(context, e)
}

fn counts(conn: &Connection) -> Result<(u32, u32, u32)> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM soundtracks), (SELECT count(*) FROM tracks),
                (SELECT count(*) FROM playlists)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// Writes a backup of the library in `data_dir` (open in `conn`) to `file`. The file appears
/// only when complete: it is written beside its final name and renamed.
pub fn backup(conn: &Connection, data_dir: &Path, file: &Path) -> Result<BackupSummary> {
    // Checked first: the rename at the end would otherwise put the backup over the live
    // library, and a NUL in the name would make SQLite write somewhere else than asked.
    crate::validate::output_file("backup file", file, data_dir)?;
    let partial = with_suffix(file, ".partial");
    let _ = std::fs::remove_file(&partial);
    conn.execute("VACUUM INTO ?1", [partial.to_string_lossy()])
        .map_err(|e| {
            Error::InvalidInput(format!("cannot write the backup {}: {e}", file.display()))
        })?;
    let result = (|| {
        let copy = Connection::open(&partial)?;
        copy.execute_batch(
            "CREATE TABLE cuesheet_backup (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE cuesheet_backup_covers (name TEXT PRIMARY KEY, data BLOB NOT NULL);",
        )?;
        let now: String =
            copy.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", [], |r| {
                r.get(0)
            })?;
        for (key, value) in [
            ("format", FORMAT.to_owned()),
            ("schema_version", SCHEMA_VERSION.to_string()),
            ("created_at", now),
            ("app_version", env!("CARGO_PKG_VERSION").to_owned()),
        ] {
            copy.execute(
                "INSERT INTO cuesheet_backup (key, value) VALUES (?1, ?2)",
                [key, &value],
            )?;
        }
        let names: Vec<String> = {
            let mut stmt =
                copy.prepare("SELECT DISTINCT cover FROM soundtracks WHERE cover IS NOT NULL")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut covers = 0;
        for name in names {
            if let Some(path) = crate::covers::cover_path(data_dir, &name) {
                if let Ok(bytes) = std::fs::read(&path) {
                    copy.execute(
                        "INSERT INTO cuesheet_backup_covers (name, data) VALUES (?1, ?2)",
                        rusqlite::params![name, bytes],
                    )?;
                    covers += 1;
                }
            }
        }
        let (soundtracks, tracks, playlists) = counts(&copy)?;
        drop(copy);
        std::fs::rename(&partial, file)
            .map_err(io(format!("cannot write the backup {}", file.display())))?;
        Ok(BackupSummary {
            file: file.display().to_string(),
            soundtracks,
            tracks,
            playlists,
            covers,
            previous_library: None,
        })
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Checks that `file` is a Cuesheet backup this version can read, without changing it.
fn check_backup(file: &Path) -> Result<()> {
    crate::validate::path("backup file", file)?;
    let shown = file.display();
    if !file.is_file() {
        return Err(Error::InvalidInput(format!("{shown}: no such backup file")));
    }
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::InvalidInput(format!("{shown}: cannot open it: {e}")))?;
    let format: Option<String> = conn
        .query_row(
            "SELECT value FROM cuesheet_backup WHERE key = 'format'",
            [],
            |r| r.get(0),
        )
        .optional()
        .map_err(|_| Error::InvalidInput(format!("{shown} is not a Cuesheet backup")))?;
    if format.as_deref() != Some(FORMAT) {
        return Err(Error::InvalidInput(format!(
            "{shown} is not a Cuesheet backup this version can read (format {format:?})"
        )));
    }
    let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(Error::InvalidInput(format!(
            "{shown} was made by a newer Cuesheet (library schema {version}; this one reads up to \
             {SCHEMA_VERSION}). Update Cuesheet to restore it. Nothing was changed."
        )));
    }
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(Error::InvalidInput(format!("{shown} is damaged: {check}")));
    }
    Ok(())
}

/// Replaces the library in `data_dir` with the backup in `file`. The library must not be open.
/// The replaced library is kept beside it as `library.sqlite3.before-restore-<time>`, and
/// nothing is touched until the backup has been checked and prepared in full.
pub fn restore_replacing(data_dir: &Path, file: &Path) -> Result<BackupSummary> {
    check_backup(file)?;
    std::fs::create_dir_all(data_dir)
        .map_err(io(format!("cannot create {}", data_dir.display())))?;
    let live = data_dir.join(DATABASE_FILE);
    let staged = with_suffix(&live, ".restoring");
    for leftover in [
        staged.clone(),
        with_suffix(&staged, "-wal"),
        with_suffix(&staged, "-shm"),
    ] {
        let _ = std::fs::remove_file(leftover);
    }
    std::fs::copy(file, &staged).map_err(io(format!("cannot copy {}", file.display())))?;
    let prepared = (|| -> Result<(u32, u32, u32, u32)> {
        let conn = db::open_path(&staged)?;
        let covers: Vec<(String, Vec<u8>)> = {
            let mut stmt = conn.prepare("SELECT name, data FROM cuesheet_backup_covers")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let dir = crate::covers::covers_dir(data_dir);
        std::fs::create_dir_all(&dir).map_err(io(format!("cannot create {}", dir.display())))?;
        for (name, bytes) in &covers {
            // Names come from the backup: only names the core itself makes become files.
            if let Some(path) = crate::covers::cover_path(data_dir, name) {
                std::fs::write(&path, bytes)
                    .map_err(io(format!("cannot write {}", path.display())))?;
            }
        }
        conn.execute_batch(
            "DROP TABLE cuesheet_backup; DROP TABLE cuesheet_backup_covers;
             PRAGMA wal_checkpoint(TRUNCATE);",
        )?;
        let (soundtracks, tracks, playlists) = counts(&conn)?;
        Ok((soundtracks, tracks, playlists, covers.len() as u32))
    })();
    let (soundtracks, tracks, playlists, covers) = match prepared {
        Ok(counts) => counts,
        Err(error) => {
            let _ = std::fs::remove_file(&staged);
            return Err(error);
        }
    };
    let mut previous = None;
    if live.exists() {
        // Fold the live WAL into the file first, so the kept copy is complete on its own.
        if let Ok(conn) = Connection::open(&live) {
            let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let kept = with_suffix(&live, &format!(".before-restore-{stamp}"));
        std::fs::rename(&live, &kept)
            .map_err(io(format!("cannot move {} aside", live.display())))?;
        for side in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(&live, side));
        }
        previous = Some(kept.display().to_string());
    }
    std::fs::rename(&staged, &live).map_err(io(format!(
        "cannot put the restored library in place at {}",
        live.display()
    )))?;
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&staged, side));
    }
    Ok(BackupSummary {
        file: file.display().to_string(),
        soundtracks,
        tracks,
        playlists,
        covers,
        previous_library: previous,
    })
}

/// Copies the backup into a migrated file beside the library (or fails, leaving nothing).
fn stage(data_dir: &Path, file: &Path) -> Result<PathBuf> {
    check_backup(file)?;
    let staged = data_dir.join(format!("{DATABASE_FILE}.merging"));
    for leftover in [
        staged.clone(),
        with_suffix(&staged, "-wal"),
        with_suffix(&staged, "-shm"),
    ] {
        let _ = std::fs::remove_file(leftover);
    }
    std::fs::copy(file, &staged).map_err(io(format!("cannot copy {}", file.display())))?;
    match db::open_path(&staged).and_then(|conn| {
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")?;
        Ok(())
    }) {
        Ok(()) => Ok(staged),
        Err(error) => {
            let _ = std::fs::remove_file(&staged);
            Err(error)
        }
    }
}

/// What a merge added to the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MergeSummary {
    pub file: String,
    pub soundtracks_added: u32,
    pub tracks_added: u32,
    pub playlists_added: u32,
    pub ranked_lists_added: u32,
}

/// Adds what the backup has and the library lacks, in one transaction: soundtracks not already
/// there (same film title, year and album) with their songs, sources, tags and covers; tags of
/// soundtracks both have; playlists and ranked lists whose name (and size) the library does not
/// already have, their songs linked to the library's copies. Nothing the library holds is
/// changed or removed.
pub fn merge(conn: &mut Connection, data_dir: &Path, file: &Path) -> Result<MergeSummary> {
    let staged = stage(data_dir, file)?;
    let result = merge_staged(conn, data_dir, &staged, file);
    let _ = conn.execute_batch("DETACH DATABASE b");
    let _ = std::fs::remove_file(&staged);
    result
}

fn merge_staged(
    conn: &mut Connection,
    data_dir: &Path,
    staged: &Path,
    file: &Path,
) -> Result<MergeSummary> {
    conn.execute("ATTACH DATABASE ?1 AS b", [staged.to_string_lossy()])?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TEMP TABLE merge_soundtracks (old_id INTEGER PRIMARY KEY, new_id INTEGER, added INTEGER NOT NULL DEFAULT 0);
         CREATE TEMP TABLE merge_tracks (old_id INTEGER PRIMARY KEY, new_id INTEGER NOT NULL);
         INSERT INTO merge_soundtracks (old_id, new_id)
         SELECT bs.id, (SELECT m.id FROM main.soundtracks m
                        WHERE m.deleted_at IS NULL AND m.film_title = bs.film_title COLLATE NOCASE
                          AND m.film_year IS bs.film_year AND m.album_title IS bs.album_title
                        ORDER BY m.id LIMIT 1)
         FROM b.soundtracks bs WHERE bs.deleted_at IS NULL;
         -- Songs of soundtracks both have: the library's song with the same title and place.
         INSERT INTO merge_tracks (old_id, new_id)
         SELECT bt.id, (SELECT mt.id FROM main.tracks mt
                        WHERE mt.soundtrack_id = ms.new_id AND mt.deleted_at IS NULL
                          AND mt.title = bt.title COLLATE NOCASE AND mt.on_album = bt.on_album
                          AND mt.position IS bt.position ORDER BY mt.id LIMIT 1)
         FROM b.tracks bt JOIN merge_soundtracks ms ON ms.old_id = bt.soundtrack_id
         WHERE ms.new_id IS NOT NULL AND bt.deleted_at IS NULL
           AND EXISTS (SELECT 1 FROM main.tracks mt WHERE mt.soundtrack_id = ms.new_id
                         AND mt.deleted_at IS NULL AND mt.title = bt.title COLLATE NOCASE
                         AND mt.on_album = bt.on_album AND mt.position IS bt.position);",
    )?;
    let missing: Vec<i64> = {
        let mut stmt = tx
            .prepare("SELECT old_id FROM merge_soundtracks WHERE new_id IS NULL ORDER BY old_id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut tracks_added = 0;
    for old in &missing {
        tx.execute(
            "INSERT INTO main.soundtracks (film_title, film_year, media, album_title, album_year, label,
                 notes, rating, favourite, cover, tracklist_complete, added_at)
             SELECT film_title, film_year, media, album_title, album_year, label, notes, rating,
                    favourite, cover, tracklist_complete, added_at
             FROM b.soundtracks WHERE id = ?1",
            [old],
        )?;
        let new = tx.last_insert_rowid();
        tx.execute(
            "UPDATE merge_soundtracks SET new_id = ?2, added = 1 WHERE old_id = ?1",
            [*old, new],
        )?;
        tx.execute(
            "INSERT INTO main.soundtrack_sources (soundtrack_id, ord, url)
             SELECT ?2, ord, url FROM b.soundtrack_sources WHERE soundtrack_id = ?1",
            [*old, new],
        )?;
        let songs: Vec<i64> = {
            let mut stmt = tx.prepare("SELECT id FROM b.tracks WHERE soundtrack_id = ?1 AND deleted_at IS NULL ORDER BY id")?;
            let rows = stmt.query_map([old], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for song in songs {
            tx.execute(
                "INSERT INTO main.tracks (soundtrack_id, disc, position, title, duration_ms, on_album,
                     scene_note, favourite, rating, notes, isrc, source_url, film_order, added_at)
                 SELECT ?2, disc, position, title, duration_ms, on_album, scene_note, favourite,
                        rating, notes, isrc, source_url, film_order, added_at
                 FROM b.tracks WHERE id = ?1",
                [song, new],
            )?;
            let new_song = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO main.track_artists (track_id, ord, name)
                 SELECT ?2, ord, name FROM b.track_artists WHERE track_id = ?1",
                [song, new_song],
            )?;
            tx.execute(
                "INSERT INTO merge_tracks (old_id, new_id) VALUES (?1, ?2)",
                [song, new_song],
            )?;
            tracks_added += 1;
        }
    }
    tx.execute_batch(
        "INSERT OR IGNORE INTO main.tags (name)
         SELECT DISTINCT bg.name FROM b.tags bg
         WHERE bg.id IN (SELECT tag_id FROM b.soundtrack_tags st JOIN merge_soundtracks ms ON ms.old_id = st.soundtrack_id)
            OR bg.id IN (SELECT tag_id FROM b.track_tags tt JOIN merge_tracks mt ON mt.old_id = tt.track_id);
         INSERT OR IGNORE INTO main.soundtrack_tags (soundtrack_id, tag_id)
         SELECT ms.new_id, mg.id FROM b.soundtrack_tags st
         JOIN merge_soundtracks ms ON ms.old_id = st.soundtrack_id
         JOIN b.tags bg ON bg.id = st.tag_id JOIN main.tags mg ON mg.name = bg.name;
         INSERT OR IGNORE INTO main.track_tags (track_id, tag_id)
         SELECT mt.new_id, mg.id FROM b.track_tags tt
         JOIN merge_tracks mt ON mt.old_id = tt.track_id
         JOIN b.tags bg ON bg.id = tt.tag_id JOIN main.tags mg ON mg.name = bg.name;",
    )?;

    // Playlists and ranked lists the library does not already have by name and size.
    let playlists: Vec<i64> = {
        let mut stmt = tx.prepare(
            "SELECT bp.id FROM b.playlists bp WHERE NOT EXISTS (
                 SELECT 1 FROM main.playlists mp WHERE mp.name = bp.name
                   AND (SELECT count(*) FROM main.playlist_entries WHERE playlist_id = mp.id)
                     = (SELECT count(*) FROM b.playlist_entries WHERE playlist_id = bp.id))
             ORDER BY bp.id",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for old in &playlists {
        tx.execute(
            "INSERT INTO main.playlists (name, description, created_at)
             SELECT CASE WHEN EXISTS (SELECT 1 FROM main.playlists WHERE name = bp.name)
                         THEN bp.name || ' (from backup)' ELSE bp.name END,
                    bp.description, bp.created_at
             FROM b.playlists bp WHERE bp.id = ?1",
            [old],
        )?;
        let new = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO main.playlist_entries (playlist_id, ord, track_id, title, artists, album,
                 duration_ms, spotify_uri, isrc, location, notes)
             SELECT ?2, e.ord, mt.new_id, e.title, e.artists, e.album, e.duration_ms, e.spotify_uri,
                    e.isrc, e.location, e.notes
             FROM b.playlist_entries e LEFT JOIN merge_tracks mt ON mt.old_id = e.track_id
             WHERE e.playlist_id = ?1",
            [*old, new],
        )?;
    }
    let lists: Vec<i64> = {
        let mut stmt = tx.prepare(
            "SELECT bl.id FROM b.ranked_lists bl
             WHERE NOT EXISTS (SELECT 1 FROM main.ranked_lists ml WHERE ml.name = bl.name) ORDER BY bl.id",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for old in &lists {
        tx.execute(
            "INSERT INTO main.ranked_lists (name, description, created_at)
             SELECT name, description, created_at FROM b.ranked_lists WHERE id = ?1",
            [old],
        )?;
        let new = tx.last_insert_rowid();
        // Ranks are renumbered densely: entries of soundtracks not in the merge are skipped.
        tx.execute(
            "INSERT INTO main.ranked_entries (list_id, ord, soundtrack_id, note)
             SELECT ?2, row_number() OVER (ORDER BY e.ord) - 1, ms.new_id, e.note
             FROM b.ranked_entries e JOIN merge_soundtracks ms ON ms.old_id = e.soundtrack_id
             WHERE e.list_id = ?1 AND ms.new_id IS NOT NULL",
            [*old, new],
        )?;
    }

    // Covers of the soundtracks that were added, from the backup's copies.
    let covers: Vec<(String, Vec<u8>)> = {
        let mut stmt = tx.prepare(
            "SELECT c.name, c.data FROM b.cuesheet_backup_covers c
             WHERE c.name IN (SELECT bs.cover FROM b.soundtracks bs
                              JOIN merge_soundtracks ms ON ms.old_id = bs.id WHERE ms.added = 1)",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    tx.execute_batch("DROP TABLE temp.merge_soundtracks; DROP TABLE temp.merge_tracks;")?;
    let dir = crate::covers::covers_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(io(format!("cannot create {}", dir.display())))?;
    for (name, bytes) in &covers {
        if let Some(path) = crate::covers::cover_path(data_dir, name) {
            if !path.exists() {
                std::fs::write(&path, bytes)
                    .map_err(io(format!("cannot write {}", path.display())))?;
            }
        }
    }
    tx.commit()?;
    Ok(MergeSummary {
        file: file.display().to_string(),
        soundtracks_added: missing.len() as u32,
        tracks_added,
        playlists_added: playlists.len() as u32,
        ranked_lists_added: lists.len() as u32,
    })
}

impl crate::Library {
    pub fn backup(&self, file: &Path) -> Result<BackupSummary> {
        backup(self.conn(), self.data_dir(), file)
    }

    /// Adds what a backup has and this library lacks; see [`merge`].
    pub fn merge_backup(&mut self, file: &Path) -> Result<MergeSummary> {
        let data_dir = self.data_dir().to_path_buf();
        merge(&mut self.conn, &data_dir, file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Library;

    /// Everything a person would see of a library, for comparing two of them.
    fn snapshot(library: &Library) -> String {
        let mut out = String::new();
        for summary in library.list_soundtracks().unwrap() {
            let detail = library.get_soundtrack(summary.id).unwrap();
            out.push_str(&serde_json::to_string(&detail).unwrap());
        }
        for playlist in library.list_playlists().unwrap() {
            out.push_str(
                &serde_json::to_string(&library.get_playlist(playlist.id).unwrap()).unwrap(),
            );
        }
        for list in library.list_ranked_lists().unwrap() {
            out.push_str(
                &serde_json::to_string(&library.get_ranked_list(list.id).unwrap()).unwrap(),
            );
        }
        out.push_str(&serde_json::to_string(&library.list_trash().unwrap()).unwrap());
        out
    }

    #[test]
    fn a_restore_gives_back_an_identical_library_with_covers() {
        let original_dir = tempfile::tempdir().unwrap();
        let mut library = Library::open(original_dir.path()).unwrap();
        library
            .set_rating(crate::edit::Target::Track(1), Some(9))
            .unwrap();
        library
            .set_tags(crate::edit::Target::Soundtrack(1), &["grunge".into()])
            .unwrap();
        library
            .set_notes(crate::edit::Target::Soundtrack(2), "Burn\nopens it")
            .unwrap();
        library.delete(crate::edit::Target::Soundtrack(3)).unwrap();
        let playlist = library.playlist_from_soundtrack(1, true).unwrap();
        library.add_to_playlist(playlist, &[1]).unwrap();
        let list = library.create_ranked_list("Best", "").unwrap();
        library.add_to_ranked_list(list, 2, None, "first").unwrap();
        let picture = original_dir.path().join("cover.png");
        image::RgbImage::from_pixel(40, 40, image::Rgb([200, 30, 30]))
            .save(&picture)
            .unwrap();
        let cover = library.set_cover(1, &picture).unwrap();
        let before = snapshot(&library);

        let file = original_dir.path().join("library.cuesheet-backup");
        let made = library.backup(&file).unwrap();
        assert_eq!((made.soundtracks, made.playlists, made.covers), (26, 1, 1));

        let restored_dir = tempfile::tempdir().unwrap();
        let summary = restore_replacing(restored_dir.path(), &file).unwrap();
        assert_eq!(summary.previous_library, None);
        let restored = Library::open(restored_dir.path()).unwrap();
        assert_eq!(snapshot(&restored), before);
        let cover_bytes =
            std::fs::read(crate::covers::cover_path(restored_dir.path(), &cover).unwrap()).unwrap();
        let original_bytes =
            std::fs::read(crate::covers::cover_path(original_dir.path(), &cover).unwrap()).unwrap();
        assert_eq!(cover_bytes, original_bytes);
    }

    #[test]
    fn restoring_over_a_library_keeps_the_old_one_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("backup.db");
        {
            let library = Library::open(dir.path()).unwrap();
            library.backup(&file).unwrap();
        }
        {
            let mut library = Library::open(dir.path()).unwrap();
            library
                .create_playlist("made after the backup", "")
                .unwrap();
        }
        let summary = restore_replacing(dir.path(), &file).unwrap();
        let kept = summary.previous_library.expect("the old library is kept");
        let library = Library::open(dir.path()).unwrap();
        assert!(library.list_playlists().unwrap().is_empty());
        let old = Connection::open(kept).unwrap();
        let playlists: i64 = old
            .query_row("SELECT count(*) FROM playlists", [], |r| r.get(0))
            .unwrap();
        assert_eq!(playlists, 1);
    }

    #[test]
    fn merging_adds_what_is_missing_and_changes_nothing_else() {
        let source_dir = tempfile::tempdir().unwrap();
        let mut source = Library::open(source_dir.path()).unwrap();
        let fields = crate::edit::SoundtrackFields {
            film_title: "Reality Bites".into(),
            film_year: Some(1994),
            media: crate::model::Media::Film,
            album_title: Some("Reality Bites".into()),
            album_year: Some(1994),
            label: None,
            notes: "Stay".into(),
            source_urls: vec!["https://example.org/rb".into()],
            tracklist_complete: true,
        };
        let song = crate::edit::TrackFields {
            disc: 1,
            position: None,
            title: "Stay (I Missed You)".into(),
            artists: vec!["Lisa Loeb".into()],
            duration_ms: Some(183_000),
            on_album: true,
            scene_note: String::new(),
            notes: String::new(),
            isrc: None,
        };
        let added = source.create_soundtrack(&fields, &[song]).unwrap();
        source
            .set_tags(crate::edit::Target::Soundtrack(added), &["90s".into()])
            .unwrap();
        let playlist = source.playlist_from_soundtrack(added, false).unwrap();
        source.add_to_playlist(playlist, &[1]).unwrap();
        let list = source.create_ranked_list("Mine", "").unwrap();
        source
            .add_to_ranked_list(list, added, None, "the one")
            .unwrap();
        source.add_to_ranked_list(list, 1, None, "").unwrap();
        let file = source_dir.path().join("b.db");
        source.backup(&file).unwrap();

        let target_dir = tempfile::tempdir().unwrap();
        let mut target = Library::open(target_dir.path()).unwrap();
        target
            .set_notes(crate::edit::Target::Soundtrack(1), "mine, keep")
            .unwrap();
        let summary = target.merge_backup(&file).unwrap();
        assert_eq!(
            (
                summary.soundtracks_added,
                summary.tracks_added,
                summary.playlists_added,
                summary.ranked_lists_added
            ),
            (1, 1, 1, 1)
        );
        assert_eq!(target.list_soundtracks().unwrap().len(), 27);
        assert_eq!(target.get_soundtrack(1).unwrap().notes, "mine, keep");
        let merged = target.find_soundtrack("Reality Bites").unwrap();
        assert_eq!(merged.tags, ["90s"]);
        assert_eq!(merged.tracks[0].artists, ["Lisa Loeb"]);
        let playlist = target.find_playlist("Reality Bites").unwrap();
        let linked: Vec<Option<i64>> = playlist.songs.iter().map(|s| s.track_id).collect();
        assert_eq!(linked, [Some(merged.tracks[0].id), Some(1)]);
        let ranked = target.find_ranked_list("Mine").unwrap();
        assert_eq!(ranked.entries[0].soundtrack.film_title, "Reality Bites");
        assert_eq!(ranked.entries[1].soundtrack.id, 1);
        assert_eq!(
            target.search("lisa loeb", 5).unwrap().songs.len(),
            1,
            "the index follows"
        );

        // Merging the same backup again adds nothing.
        let again = target.merge_backup(&file).unwrap();
        assert_eq!(
            (
                again.soundtracks_added,
                again.playlists_added,
                again.ranked_lists_added
            ),
            (0, 0, 0)
        );
        assert!(!target_dir.path().join("library.sqlite3.merging").exists());
    }

    #[test]
    fn newer_or_foreign_files_are_refused_and_nothing_changes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("backup.db");
        {
            let library = Library::open(dir.path()).unwrap();
            library.backup(&file).unwrap();
        }
        let newer = dir.path().join("newer.db");
        std::fs::copy(&file, &newer).unwrap();
        Connection::open(&newer)
            .unwrap()
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let live = dir.path().join(DATABASE_FILE);
        let before = std::fs::read(&live).unwrap();
        let error = restore_replacing(dir.path(), &newer)
            .unwrap_err()
            .to_string();
        assert!(error.contains("newer Cuesheet"), "{error}");
        let foreign = dir.path().join("notes.txt");
        std::fs::write(&foreign, "not a database").unwrap();
        assert!(restore_replacing(dir.path(), &foreign).is_err());
        assert!(restore_replacing(dir.path(), &dir.path().join("missing.db")).is_err());
        assert_eq!(std::fs::read(&live).unwrap(), before);
        assert!(!dir.path().join("library.sqlite3.restoring").exists());
    }
}
