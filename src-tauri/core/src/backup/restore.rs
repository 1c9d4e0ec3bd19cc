//! Replacing the library with a backup. The backup is checked and a new library is built from
//! it first, beside the live one, with no lock held; then — only if no other process has the
//! library open (`lock::LibraryLock::exclusive`) and SQLite agrees nobody is reading or writing
//! it — the live file is kept under a new name and the new one renamed into its place.
//!
//! Nothing of the old library is ever deleted: its file (and its `-wal`, if SQLite left one)
//! is renamed to `library.sqlite3.before-restore-<time>`. This module must not check rows
//! (that is `rebuild`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::check::open_checked;
use super::rebuild::rebuild;
use super::work::Work;
use super::{sqlite_path, with_suffix, BackupSummary};
use crate::db::DATABASE_FILE;
use crate::error::{Error, Result};
use crate::lock::LibraryLock;

pub(crate) fn restore_replacing(
    data_dir: &Path,
    file: &Path,
    work: &mut Work,
) -> Result<BackupSummary> {
    crate::validate::path("backup file", file)?;
    // Asked once before the work, so a person with the window open hears it at once rather
    // than after the backup has been read; asked again (and kept) before the swap.
    drop(LibraryLock::exclusive(data_dir)?);
    let checked = open_checked(file, data_dir, work)?;
    let rebuilt = rebuild(&checked, data_dir, data_dir, work)?;
    drop(checked);

    let _alone = LibraryLock::exclusive(data_dir)?;
    let live = data_dir.join(DATABASE_FILE);
    let previous = if live.exists() {
        ensure_unused(&live)?;
        Some(keep_aside(&live)?)
    } else {
        None
    };
    let covers_dir = crate::covers::covers_dir(data_dir);
    std::fs::create_dir_all(&covers_dir)
        .map_err(|e| Error::io(format!("cannot create {}", covers_dir.display()), e))?;
    let (soundtracks, tracks, playlists, covers) = (
        rebuilt.soundtracks,
        rebuilt.tracks,
        rebuilt.playlists,
        rebuilt.cover_count,
    );
    move_covers(rebuilt.covers.path(), &covers_dir)?;
    rebuilt.file.persist(&live).map_err(|e| {
        Error::io(
            format!(
                "cannot put the restored library in place at {} (the previous one is {})",
                live.display(),
                previous
                    .as_ref()
                    .map_or("untouched".into(), |p| format!("kept at {}", p.display()))
            ),
            e.error,
        )
    })?;
    if let Ok(folder) = std::fs::File::open(data_dir) {
        let _ = folder.sync_all();
    }
    Ok(BackupSummary {
        file: file.display().to_string(),
        soundtracks,
        tracks,
        playlists,
        covers,
        previous_library: previous.map(|p| p.display().to_string()),
        unread_wal: super::unread_wal(file),
    })
}

/// Refuses when any program — even one that does not take Cuesheet's lock, such as the
/// `sqlite3` shell — is reading or writing the library: SQLite cannot fold its journal into the
/// file then. When it can, the file alone is the whole library.
fn ensure_unused(live: &Path) -> Result<()> {
    let in_use = || {
        Error::Conflict(format!(
            "another program is reading or writing {} right now; close it and try again. \
             Nothing was changed.",
            live.display()
        ))
    };
    let conn = Connection::open_with_flags(
        sqlite_path(live)?,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::ZERO)?;
    // BEGIN EXCLUSIVE waits for nobody: it fails at once if any writer (or, for a file not in
    // WAL mode, any reader) is there.
    let answer = conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            r.get::<_, i64>(0)
        })
        .and_then(|busy| {
            conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;")
                .map(|()| busy)
        });
    match answer {
        Ok(0) => Ok(()),
        Ok(_) => Err(in_use()),
        Err(e) => match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                Err(in_use())
            }
            // A damaged library is what a restore is for: nothing can be using it as a
            // library, and it is kept aside like any other.
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
                Ok(())
            }
            _ => Err(Error::Storage(e)),
        },
    }
}

/// Keeps the live library under a new name (a hard link first, so the live name never points
/// at nothing), with its `-wal` and `-shm` beside it if SQLite left them.
fn keep_aside(live: &Path) -> Result<PathBuf> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut kept = with_suffix(live, &format!(".before-restore-{stamp}"));
    let mut n = 1;
    while kept.exists() {
        n += 1;
        kept = with_suffix(live, &format!(".before-restore-{stamp}-{n}"));
    }
    std::fs::hard_link(live, &kept)
        .map_err(|e| Error::io(format!("cannot keep {} aside", live.display()), e))?;
    for side in ["-wal", "-shm"] {
        let from = with_suffix(live, side);
        if from.exists() {
            std::fs::rename(&from, with_suffix(&kept, side))
                .map_err(|e| Error::io(format!("cannot keep {} aside", from.display()), e))?;
        }
    }
    Ok(kept)
}

/// Moves the re-encoded covers into the library's covers folder; their names were chosen to
/// be free there.
fn move_covers(from: &Path, to: &Path) -> Result<()> {
    let entries = std::fs::read_dir(from)
        .map_err(|e| Error::io(format!("cannot read {}", from.display()), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(format!("cannot read {}", from.display()), e))?;
        let target = to.join(entry.file_name());
        if !target.exists() {
            std::fs::rename(entry.path(), &target)
                .map_err(|e| Error::io(format!("cannot write {}", target.display()), e))?;
        }
    }
    Ok(())
}
