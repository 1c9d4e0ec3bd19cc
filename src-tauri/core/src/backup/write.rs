//! Writing a backup: `VACUUM INTO` makes a consistent, compact copy of the live library while
//! it stays open, into a temporary file beside the target (`safe_file::PendingFile`); the
//! backup's own tables are added to the copy, and only a complete file is renamed into place.
//! A failure (a full disk, a refused target) leaves the old file as it was and no partial file.
//!
//! This module must not change the live library; it only reads it.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{sqlite_path, BackupSummary, BACKUP_TABLES_SQL, FORMAT};
use crate::db::SCHEMA_VERSION;
use crate::error::{Error, Result};
use crate::safe_file::PendingFile;

const FIELD: &str = "backup file";

/// Writes a backup of the library in `data_dir` (open in `conn`) to `file`.
pub(crate) fn backup(conn: &Connection, data_dir: &Path, file: &Path) -> Result<BackupSummary> {
    // Checked first (a link, a folder, a device, the library itself are refused by name); the
    // check is made again just before the rename.
    let pending = PendingFile::create(FIELD, file, data_dir)?;
    let temp = sqlite_path(pending.temp_path())?;
    let cannot_write = |e: rusqlite::Error| {
        Error::InvalidInput(format!("{FIELD}: cannot write {}: {e}", file.display()))
    };
    conn.execute("VACUUM INTO ?1", [&temp])
        .map_err(cannot_write)?;
    let (soundtracks, tracks, playlists, covers) =
        add_backup_tables(&temp, data_dir).map_err(|e| match e {
            Error::Storage(e) => cannot_write(e),
            other => other,
        })?;
    pending.commit()?;
    Ok(BackupSummary {
        file: file.display().to_string(),
        soundtracks,
        tracks,
        playlists,
        covers,
        previous_library: None,
        unread_wal: None,
    })
}

/// Adds the format facts and the covers' bytes to the fresh copy at `temp`; returns the counts
/// the summary shows.
fn add_backup_tables(temp: &str, data_dir: &Path) -> Result<(u32, u32, u32, u32)> {
    let copy = Connection::open_with_flags(
        temp,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // The copy is thrown away unless it is finished and synced (by the commit), so it needs no
    // journal beside it: none is left behind if this process dies here.
    copy.pragma_update(None, "journal_mode", "OFF")?;
    copy.execute_batch(BACKUP_TABLES_SQL)?;
    let now: String = copy.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", [], |r| {
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
    let (soundtracks, tracks, playlists) = copy.query_row(
        "SELECT (SELECT count(*) FROM soundtracks), (SELECT count(*) FROM tracks),
                (SELECT count(*) FROM playlists)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok((soundtracks, tracks, playlists, covers))
}
