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

impl crate::Library {
    pub fn backup(&self, file: &Path) -> Result<BackupSummary> {
        backup(self.conn(), self.data_dir(), file)
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
