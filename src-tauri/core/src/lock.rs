//! One writer at a time, visibly: every process that has the library open — the window for its
//! whole life, each CLI command while it runs — holds a shared lock on a small file beside the
//! library, and replacing the library (`restore --replace`) needs the same lock exclusively.
//!
//! SQLite's own locks only cover a transaction, so they cannot tell a restore that a window is
//! open between two edits; a restore that swapped the file under it would leave that window
//! writing to a library nobody sees any more. `flock` locks belong to the open file and vanish
//! when the process ends, however it ends, so a crash never leaves the library locked.
//!
//! This module owns the lock file and the wording of "someone else has it open"; it must not
//! decide what a lock holder may do (the backup module and the front ends say that).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rustix::fs::FlockOperation;

use crate::error::{Error, Result};

/// The lock file's name in the data folder. Its contents are never read; it is never removed
/// (removing a lock file while another process waits on it would split the lock in two).
pub const LOCK_FILE: &str = "library.sqlite3.lock";

/// How long opening the library waits for a restore that holds the lock to finish swapping the
/// files: the swap itself is a few renames, so this is generous.
const SHARED_WAIT: Duration = Duration::from_secs(15);

/// A held lock on the library; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct LibraryLock {
    _file: File,
}

fn lock_path(data_dir: &Path) -> PathBuf {
    data_dir.join(LOCK_FILE)
}

fn open_lock_file(data_dir: &Path) -> Result<File> {
    std::fs::create_dir_all(data_dir).map_err(|e| {
        Error::io(
            format!("could not create the data folder {}", data_dir.display()),
            e,
        )
    })?;
    let path = lock_path(data_dir);
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| {
            Error::io(
                format!("could not open the lock file {}", path.display()),
                e,
            )
        })
}

fn would_block(error: &rustix::io::Errno) -> bool {
    *error == rustix::io::Errno::WOULDBLOCK || *error == rustix::io::Errno::INTR
}

impl LibraryLock {
    /// The lock every user of the library holds. Waits a little for a restore that is swapping
    /// the library, then says so.
    pub fn shared(data_dir: &Path) -> Result<LibraryLock> {
        let file = open_lock_file(data_dir)?;
        let started = Instant::now();
        loop {
            match rustix::fs::flock(&file, FlockOperation::NonBlockingLockShared) {
                Ok(()) => return Ok(LibraryLock { _file: file }),
                Err(e) if would_block(&e) && started.elapsed() < SHARED_WAIT => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) if would_block(&e) => {
                    return Err(Error::Conflict(format!(
                        "the library in {} is being replaced by a restore; try again when it \
                         has finished",
                        data_dir.display()
                    )))
                }
                Err(e) => {
                    return Err(Error::io(
                        format!("could not lock {}", lock_path(data_dir).display()),
                        e.into(),
                    ))
                }
            }
        }
    }

    /// The lock a restore needs to replace the library: refused at once, never waited for,
    /// while any other process has the library open.
    pub fn exclusive(data_dir: &Path) -> Result<LibraryLock> {
        let file = open_lock_file(data_dir)?;
        match rustix::fs::flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => Ok(LibraryLock { _file: file }),
            Err(e) if would_block(&e) => Err(Error::Conflict(format!(
                "the library in {} is open in another Cuesheet (the window, or a command still \
                 running); close it and try again. Nothing was changed.",
                data_dir.display()
            ))),
            Err(e) => Err(Error::io(
                format!("could not lock {}", lock_path(data_dir).display()),
                e.into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_locks_live_together_and_keep_the_exclusive_one_out() {
        let dir = tempfile::tempdir().unwrap();
        let first = LibraryLock::shared(dir.path()).unwrap();
        let second = LibraryLock::shared(dir.path()).unwrap();
        let refused = LibraryLock::exclusive(dir.path()).unwrap_err();
        assert!(
            refused.to_string().contains("open in another Cuesheet"),
            "{refused}"
        );
        assert_eq!(refused.code(), crate::ErrorCode::Conflict);
        drop(first);
        assert!(LibraryLock::exclusive(dir.path()).is_err());
        drop(second);
        let alone = LibraryLock::exclusive(dir.path()).unwrap();
        assert!(LibraryLock::exclusive(dir.path()).is_err());
        drop(alone);
        assert!(LibraryLock::exclusive(dir.path()).is_ok());
    }
}
