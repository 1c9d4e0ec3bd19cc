//! Writing a file the user named — an export, a backup — so that nothing else is ever damaged:
//! the target is checked first, the bytes go to a temporary file in the target's folder, and only
//! a complete, flushed file is renamed into place. A failure at any point (a full disk, a refused
//! target, a crash) leaves the old file as it was and no partial file behind.
//!
//! This module owns those checks and the temporary file's life; it must not know what is written
//! (formats and backups decide that) and never follows a symbolic link it was given.

use std::fs::{File, Metadata};
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Permissions of a new export or backup when no file is replaced: readable by others, like a
/// file saved by any other program under the usual umask (the temporary file starts at 0600).
const NEW_FILE_MODE: u32 = 0o644;

/// Refuses a target that writing would destroy or that is not a plain file: the library itself
/// or its `-wal`/`-shm` (by name in the data folder, or by identity anywhere, so hard links count),
/// a folder, a device, a pipe, a socket, or a symbolic link (to anything: renaming over a link
/// would replace the link, and following it is how an export once overwrote the library).
/// `field` names the argument in the message ("export file", "backup file").
pub fn check_target(field: &str, path: &Path, data_dir: &Path) -> Result<()> {
    crate::validate::path(field, path)?;
    let shown = path.display();
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        let kind = meta.file_type();
        if kind.is_symlink() {
            return Err(Error::InvalidInput(format!(
                "{field}: {shown} is a symbolic link; give the path of a real file"
            )));
        }
        if kind.is_dir() {
            return Err(Error::InvalidInput(format!(
                "{field}: {shown} is a folder; give a file name"
            )));
        }
        if !kind.is_file() {
            return Err(Error::InvalidInput(format!(
                "{field}: {shown} is a device, pipe or socket, not a file; give a file name"
            )));
        }
        if library_files(data_dir)
            .iter()
            .filter_map(|file| std::fs::metadata(file).ok())
            .any(|library| same_file(&meta, &library))
        {
            return Err(Error::InvalidInput(format!(
                "{field}: {shown} is the library itself; pick another file"
            )));
        }
    }
    let folder = parent_folder(path);
    let folder_meta = std::fs::metadata(folder).map_err(|e| {
        Error::InvalidInput(format!(
            "{field}: the folder {} cannot be used: {e}",
            folder.display()
        ))
    })?;
    if !folder_meta.is_dir() {
        return Err(Error::InvalidInput(format!(
            "{field}: {} is not a folder",
            folder.display()
        )));
    }
    // A library file that does not exist yet (a `-wal` between checkpoints) is still the library's.
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let in_data_dir = match (folder.canonicalize(), data_dir.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if in_data_dir && name.starts_with(crate::db::DATABASE_FILE) {
        return Err(Error::InvalidInput(format!(
            "{field}: {shown} is the library itself; pick another file"
        )));
    }
    Ok(())
}

/// A file being written: bytes go to a hidden temporary file beside the target until
/// [`PendingFile::commit`] renames it into place. Dropped without a commit, it is removed.
#[derive(Debug)]
pub struct PendingFile {
    temp: tempfile::NamedTempFile,
    target: PathBuf,
    field: String,
    data_dir: PathBuf,
}

impl PendingFile {
    /// Checks `target` (see [`check_target`]) and creates the empty temporary file beside it.
    pub fn create(field: &str, target: &Path, data_dir: &Path) -> Result<PendingFile> {
        check_target(field, target, data_dir)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".partial")
            .tempfile_in(parent_folder(target))
            .map_err(|e| {
                Error::io(
                    format!("{field}: cannot create a file beside {}", target.display()),
                    e,
                )
            })?;
        Ok(PendingFile {
            temp,
            target: target.to_path_buf(),
            field: field.to_owned(),
            data_dir: data_dir.to_path_buf(),
        })
    }

    /// The temporary file's path, for writers that open it themselves (SQLite's `VACUUM INTO`
    /// accepts an existing empty file).
    pub fn temp_path(&self) -> &Path {
        self.temp.path()
    }

    /// The temporary file, for writing.
    pub fn file(&mut self) -> &mut File {
        self.temp.as_file_mut()
    }

    /// Flushes the bytes to disk and renames the file over the target. The target is checked
    /// again first, since it may have changed while the bytes were written.
    pub fn commit(mut self) -> Result<()> {
        let field = self.field.clone();
        let target = self.target.clone();
        let write_error =
            |e: std::io::Error| Error::io(format!("{field}: cannot write {}", target.display()), e);
        self.temp.as_file_mut().flush().map_err(write_error)?;
        self.temp.as_file().sync_all().map_err(write_error)?;
        check_target(&self.field, &self.target, &self.data_dir)?;
        let mode = std::fs::metadata(&self.target)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(NEW_FILE_MODE);
        std::fs::set_permissions(self.temp.path(), std::fs::Permissions::from_mode(mode))
            .map_err(write_error)?;
        self.temp
            .persist(&self.target)
            .map_err(|e| write_error(e.error))?;
        // The rename is durable only once the folder's entry is on disk.
        if let Ok(folder) = File::open(parent_folder(&self.target)) {
            let _ = folder.sync_all();
        }
        Ok(())
    }
}

/// Writes `bytes` to `target` through a [`PendingFile`]: all of them, or nothing changes.
pub fn write_whole(field: &str, target: &Path, data_dir: &Path, bytes: &[u8]) -> Result<()> {
    let mut pending = PendingFile::create(field, target, data_dir)?;
    pending
        .file()
        .write_all(bytes)
        .map_err(|e| Error::io(format!("{field}: cannot write {}", target.display()), e))?;
    pending.commit()
}

fn parent_folder(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn library_files(data_dir: &Path) -> [PathBuf; 3] {
    let main = data_dir.join(crate::db::DATABASE_FILE);
    let with = |suffix: &str| {
        let mut name = main.clone().into_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    [with("-wal"), with("-shm"), main]
}

fn same_file(a: &Metadata, b: &Metadata) -> bool {
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(crate::db::DATABASE_FILE), b"library").unwrap();
        dir
    }

    #[test]
    fn a_committed_file_replaces_the_target_whole() {
        let data = library_dir();
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("mix.m3u8");
        std::fs::write(&target, b"old").unwrap();
        write_whole("export file", &target, data.path(), b"new contents").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new contents");
        let names: Vec<_> = std::fs::read_dir(out.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left: {names:?}");
    }

    #[test]
    fn an_uncommitted_file_leaves_the_old_one_and_no_partial() {
        let data = library_dir();
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("mix.m3u8");
        std::fs::write(&target, b"old").unwrap();
        let mut pending = PendingFile::create("export file", &target, data.path()).unwrap();
        pending.file().write_all(b"half").unwrap();
        drop(pending);
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_links_folders_devices_and_the_library() {
        let data = library_dir();
        let library = data.path().join(crate::db::DATABASE_FILE);
        let out = tempfile::tempdir().unwrap();
        let link = out.path().join("link.m3u8");
        std::os::unix::fs::symlink(&library, &link).unwrap();
        let hard = out.path().join("hard.m3u8");
        std::fs::hard_link(&library, &hard).unwrap();
        let wal = data.path().join("library.sqlite3-wal");
        for (target, says) in [
            (link.as_path(), "symbolic link"),
            (out.path(), "folder"),
            (Path::new("/dev/null"), "device"),
            (library.as_path(), "library itself"),
            (hard.as_path(), "library itself"),
            (wal.as_path(), "library itself"),
        ] {
            let err = write_whole("export file", target, data.path(), b"x").unwrap_err();
            assert!(
                err.to_string().contains(says),
                "{}: {err}",
                target.display()
            );
        }
        assert_eq!(std::fs::read(&library).unwrap(), b"library");
        assert!(!wal.exists());
    }

    #[test]
    fn a_missing_folder_is_named() {
        let data = library_dir();
        let err = write_whole(
            "backup file",
            Path::new("/nonexistent-cuesheet-folder/backup.cuesheet"),
            data.path(),
            b"x",
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("nonexistent-cuesheet-folder"),
            "{err}"
        );
    }

    #[test]
    fn a_uri_looking_name_is_a_plain_file_name() {
        let data = library_dir();
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("file:mix.m3u8");
        write_whole("export file", &target, data.path(), b"ok").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"ok");
    }
}
