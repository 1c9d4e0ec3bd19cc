//! Backup and restore of the whole library — soundtracks, songs, notes, ratings, tags,
//! playlists, ranked lists and covers — as one file, and merging such a file into the library.
//!
//! The format is a SQLite database: a `VACUUM INTO` copy of the library plus two tables,
//! `cuesheet_backup` (key/value: format, schema version, when, app version) and
//! `cuesheet_backup_covers` (each cover's file name and bytes). Any SQLite tool can open it,
//! which is also why a backup is untrusted input: anyone can hand a person a file with a
//! trigger, a view, a changed table or rows no edit would accept.
//!
//! So a backup is never adopted as it is. Restoring and merging both go: copy its bytes
//! (`check`: never a `-wal` beside it), open the copy defensively and compare its schema with
//! the one Cuesheet's migrations make for its version, check its integrity, then build a fresh
//! library through the migrations and copy each row in only after it passes the same rules as
//! an edit (`rebuild`, `tables`), covers decoded and re-encoded. All of that runs with no lock on
//! the live library. Only then does a restore swap the files (`restore`, under the exclusive
//! lock) or a merge add what the library lacks in one transaction (`merge`), watched so it can
//! never hold the write lock for long without progress (`work`). Writing a backup is `write`.
//!
//! This module owns the backup format; it must not know about windows or terminals.

mod check;
mod merge;
mod rebuild;
mod restore;
mod tables;
mod work;
mod write;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use work::Work;

const FORMAT: &str = "cuesheet-backup-1";

/// The backup's own tables, as `write` makes them and `check` expects them.
const BACKUP_TABLES_SQL: &str =
    "CREATE TABLE cuesheet_backup (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE cuesheet_backup_covers (name TEXT PRIMARY KEY, data BLOB NOT NULL);";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BackupSummary {
    pub file: String,
    pub soundtracks: u32,
    pub tracks: u32,
    pub playlists: u32,
    pub covers: u32,
    /// Where the library that a restore replaced was kept, if there was one.
    pub previous_library: Option<String>,
    /// A non-empty `-wal` file beside the backup, never read: a copy of a library that was
    /// open may have its latest changes only there.
    pub unread_wal: Option<String>,
}

/// What a merge added to the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MergeSummary {
    pub file: String,
    pub soundtracks_added: u32,
    pub tracks_added: u32,
    pub playlists_added: u32,
    pub ranked_lists_added: u32,
    /// A non-empty `-wal` file beside the backup, never read: a copy of a library that was
    /// open may have its latest changes only there.
    pub unread_wal: Option<String>,
}

/// The steps of a restore or merge, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupStage {
    /// Copying the backup's bytes (`done`/`total` in bytes).
    Copying,
    /// Checking its schema and integrity (three steps).
    Checking,
    /// Checking and copying its rows into a new library (rows).
    Reading,
    /// Decoding and writing its covers (covers).
    Covers,
    /// Adding to the library, for a merge (soundtracks, playlists and ranked lists).
    Writing,
}

/// How far a restore or merge has come, for a progress bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BackupProgress {
    pub stage: BackupStage,
    pub done: u64,
    pub total: u64,
}

/// A refusal of a backup: the file, the problem, and that nothing changed.
fn refused(shown: &str, problem: &str) -> Error {
    Error::InvalidInput(format!(
        "the backup {shown} was refused: {problem}. Nothing was changed."
    ))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The `-wal` beside a backup when it holds anything. It is never read (a hostile backup could
/// hide damage there, and what is checked must be what is used), but a file copied from a live
/// library may have its latest changes only there, so the person is told rather than left to
/// find them missing. Our own backups are single files and never have one.
fn unread_wal(file: &Path) -> Option<String> {
    let wal = with_suffix(file, "-wal");
    let meta = std::fs::symlink_metadata(&wal).ok()?;
    (meta.len() > 0).then(|| wal.display().to_string())
}

/// An absolute form of `path`: the bundled SQLite reads any name starting with `file:` as a
/// URI, which an absolute path never does.
fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).map_err(|e| Error::io(format!("cannot use {}", path.display()), e))
}

/// `path` as SQLite needs it: absolute (see [`absolute`]) and UTF-8.
fn sqlite_path(path: &Path) -> Result<String> {
    absolute(path)?.into_os_string().into_string().map_err(|_| {
        Error::InvalidInput(format!(
            "{}: the path is not valid UTF-8, which SQLite needs; pick another folder",
            path.display()
        ))
    })
}

/// Writes a backup of the library in `data_dir` (open in `conn`) to `file`. The file appears
/// only when complete; the target is checked first (`safe_file`).
pub fn backup(conn: &Connection, data_dir: &Path, file: &Path) -> Result<BackupSummary> {
    write::backup(conn, data_dir, file)
}

/// Replaces the library in `data_dir` with the backup in `file`, reporting progress and
/// stopping when `cancel` is set. Refused while another process has the library open. The
/// replaced library is kept beside it as `library.sqlite3.before-restore-<time>`, and nothing
/// is touched until the backup has been checked and rebuilt in full.
pub fn restore_replacing(
    data_dir: &Path,
    file: &Path,
    report: &mut dyn FnMut(BackupProgress),
    cancel: Arc<AtomicBool>,
) -> Result<BackupSummary> {
    let mut work = Work::new(report, cancel);
    restore::restore_replacing(data_dir, file, &mut work)
}

/// A backup checked and rebuilt into a library of Cuesheet's own making, ready to be merged.
/// Preparing takes no lock of the live library, so the window prepares on its own thread while
/// the library stays usable. Its working files are removed when it is dropped.
#[derive(Debug)]
pub struct PreparedBackup {
    rebuilt: rebuild::Rebuilt,
    file: PathBuf,
    unread_wal: Option<String>,
}

/// Copies, checks and rebuilds the backup in `file` beside the library in `data_dir`.
pub fn prepare(
    data_dir: &Path,
    file: &Path,
    report: &mut dyn FnMut(BackupProgress),
    cancel: Arc<AtomicBool>,
) -> Result<PreparedBackup> {
    let mut work = Work::new(report, cancel);
    crate::validate::path("backup file", file)?;
    std::fs::create_dir_all(data_dir)
        .map_err(|e| Error::io(format!("cannot create {}", data_dir.display()), e))?;
    let checked = check::open_checked(file, data_dir, &mut work)?;
    let rebuilt = rebuild::rebuild(&checked, data_dir, data_dir, &mut work)?;
    Ok(PreparedBackup {
        rebuilt,
        file: file.to_path_buf(),
        unread_wal: unread_wal(file),
    })
}

/// Adds what a prepared backup has and the library lacks, in one transaction; see `merge.rs`
/// for what counts as already there. Nothing the library holds is changed or removed.
pub fn merge(
    conn: &mut Connection,
    data_dir: &Path,
    prepared: &PreparedBackup,
    report: &mut dyn FnMut(BackupProgress),
    cancel: Arc<AtomicBool>,
) -> Result<MergeSummary> {
    let mut work = Work::new(report, cancel);
    let mut summary =
        merge::merge_rebuilt(conn, data_dir, &prepared.rebuilt, &prepared.file, &mut work)?;
    summary.unread_wal = prepared.unread_wal.clone();
    Ok(summary)
}

impl crate::Library {
    pub fn backup(&self, file: &Path) -> Result<BackupSummary> {
        backup(self.conn(), self.data_dir(), file)
    }

    /// Adds what a backup has and this library lacks; see [`merge`].
    pub fn merge_backup(&mut self, file: &Path) -> Result<MergeSummary> {
        let cancel = Arc::new(AtomicBool::new(false));
        let prepared = prepare(self.data_dir(), file, &mut |_| {}, Arc::clone(&cancel))?;
        self.merge_prepared(&prepared, &mut |_| {}, cancel)
    }

    /// Merges a backup [`prepare`]d beforehand, with progress for a bar and a cancel flag.
    pub fn merge_prepared(
        &mut self,
        prepared: &PreparedBackup,
        report: &mut dyn FnMut(BackupProgress),
        cancel: Arc<AtomicBool>,
    ) -> Result<MergeSummary> {
        let data_dir = self.data_dir().to_path_buf();
        merge(&mut self.conn, &data_dir, prepared, report, cancel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{DATABASE_FILE, SCHEMA_VERSION};
    use crate::Library;

    fn restore(data_dir: &Path, file: &Path) -> Result<BackupSummary> {
        restore_replacing(
            data_dir,
            file,
            &mut |_| {},
            Arc::new(AtomicBool::new(false)),
        )
    }

    /// Working copies a restore or merge left in the data folder (there must be none).
    fn working_files(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(".cuesheet-"))
            .collect()
    }

    /// The search index's triggers are on: a note written to soundtrack `id` is found at once,
    /// and the index still agrees with the tables.
    fn assert_an_edit_reaches_the_index(target: &mut Library, id: i64) {
        target
            .set_notes(crate::edit::Target::Soundtrack(id), "zeppelinesque")
            .unwrap();
        assert_eq!(
            target.search("zeppelinesque", 5).unwrap().soundtracks.len(),
            1
        );
        assert_index_in_step(target);
    }

    /// The search index holds exactly what its views compute from the tables, row for row, and
    /// FTS5's own check passes: what the triggers (or a merge's one refresh) must leave.
    fn assert_index_in_step(library: &Library) {
        let conn = library.conn();
        let rows = |sql: &str| -> Vec<(i64, String, String, String, String, String)> {
            let mut stmt = conn.prepare(sql).unwrap();
            stmt.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
        };
        let indexed = rows(
            "SELECT rowid, title, artists, album, tags, notes FROM search_index ORDER BY rowid",
        );
        let computed = rows(
            "SELECT -id AS rowid, title, artists, album, tags, notes FROM search_soundtrack_docs
             UNION ALL
             SELECT id, title, artists, album, tags, notes FROM search_track_docs
             ORDER BY rowid",
        );
        assert_eq!(indexed.len(), computed.len());
        assert!(indexed == computed, "the search index is out of step");
        conn.execute(
            "INSERT INTO search_index (search_index) VALUES ('integrity-check')",
            [],
        )
        .unwrap();
    }

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
        let summary = restore(restored_dir.path(), &file).unwrap();
        assert_eq!(summary.previous_library, None);
        let restored = Library::open(restored_dir.path()).unwrap();
        assert_eq!(snapshot(&restored), before);
        // The cover was decoded and written anew: the same picture, not the same bytes.
        let restored_cover =
            image::open(crate::covers::cover_path(restored_dir.path(), &cover).unwrap())
                .unwrap()
                .to_rgb8();
        assert_eq!(restored_cover.dimensions(), (40, 40));
        let red = restored_cover.get_pixel(20, 20);
        assert!(red[0] > 180 && red[1] < 60 && red[2] < 60, "{red:?}");
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
        let summary = restore(dir.path(), &file).unwrap();
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
        // Tags on a soundtrack and a song the target has too: the merge adds them there.
        source
            .set_tags(crate::edit::Target::Soundtrack(1), &["gothic".into()])
            .unwrap();
        source
            .set_tags(crate::edit::Target::Track(1), &["opener".into()])
            .unwrap();
        // A second copy of that soundtrack, tagged too: both are the target's one soundtrack.
        let first = source.get_soundtrack(1).unwrap();
        let twin = source
            .create_soundtrack(
                &crate::edit::SoundtrackFields {
                    film_title: first.film_title.to_uppercase(),
                    film_year: first.film_year,
                    media: first.media,
                    album_title: first.album_title.clone(),
                    album_year: first.album_year,
                    label: None,
                    notes: String::new(),
                    source_urls: Vec::new(),
                    tracklist_complete: false,
                },
                &[],
            )
            .unwrap();
        source
            .set_tags(crate::edit::Target::Soundtrack(twin), &["twin".into()])
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
        assert_eq!(target.get_soundtrack(1).unwrap().tags, ["gothic", "twin"]);
        assert_eq!(target.search("gothic", 5).unwrap().soundtracks.len(), 1);
        assert_eq!(target.search("opener", 5).unwrap().songs.len(), 1);
        assert_index_in_step(&target);
        // The triggers are on again: an edit after the merge reaches the index.
        assert_an_edit_reaches_the_index(&mut target, 2);

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
        assert_eq!(working_files(target_dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_backup_of_an_older_version_restores_through_todays_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("old.cuesheet-backup");
        {
            // A library as version 3 made it (no playlists, no Spotify), backed up.
            let old = crate::db::schema_at(3).unwrap();
            old.execute_batch(
                "INSERT INTO soundtracks (film_title, film_year) VALUES ('Singles', 1992);
                 INSERT INTO tracks (soundtrack_id, position, title) VALUES (1, 1, 'Would?');
                 INSERT INTO track_artists (track_id, ord, name) VALUES (1, 0, 'Alice in Chains');
                 INSERT INTO tags (name) VALUES ('grunge');
                 INSERT INTO soundtrack_tags VALUES (1, 1);
                 INSERT INTO library_meta VALUES ('starter_catalog_seeded', '1992-01-01T00:00:00Z');",
            )
            .unwrap();
            old.execute("VACUUM INTO ?1", [file.to_str().unwrap()])
                .unwrap();
            let copy = Connection::open(&file).unwrap();
            copy.execute_batch(BACKUP_TABLES_SQL).unwrap();
            copy.execute(
                "INSERT INTO cuesheet_backup VALUES ('format', ?1)",
                [FORMAT],
            )
            .unwrap();
        }
        let data = dir.path().join("data");
        let summary = restore(&data, &file).unwrap();
        assert_eq!((summary.soundtracks, summary.tracks), (1, 1));
        let library = Library::open(&data).unwrap();
        assert_eq!(
            crate::db::schema_version(library.conn()).unwrap(),
            SCHEMA_VERSION
        );
        let singles = library.find_soundtrack("Singles").unwrap();
        assert_eq!(singles.tags, ["grunge"]);
        assert_eq!(singles.tracks[0].artists, ["Alice in Chains"]);
        assert_eq!(library.search("alice", 5).unwrap().songs.len(), 1);
        assert!(library.list_playlists().unwrap().is_empty());
    }

    #[test]
    fn a_merge_can_be_cancelled_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("b.cuesheet-backup");
        let source = Library::open(&dir.path().join("source")).unwrap();
        source.backup(&file).unwrap();
        let mut target = Library::open(&dir.path().join("target")).unwrap();
        target.create_playlist("Mine", "").unwrap();
        let before = snapshot(&target);
        let cancel = Arc::new(AtomicBool::new(false));
        let mut steps = 0;
        let flag = Arc::clone(&cancel);
        let result = prepare(
            target.data_dir(),
            &file,
            &mut |progress| {
                steps += 1;
                if progress.stage == BackupStage::Reading {
                    flag.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            },
            Arc::clone(&cancel),
        );
        assert_eq!(result.unwrap_err().code(), crate::ErrorCode::Cancelled);
        assert!(steps > 1);
        assert_eq!(snapshot(&target), before);
        assert_eq!(working_files(target.data_dir()), Vec::<String>::new());

        // Cancelled while adding: the transaction is rolled back.
        let go_on = Arc::new(AtomicBool::new(false));
        let prepared = prepare(target.data_dir(), &file, &mut |_| {}, Arc::clone(&go_on)).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let result = target.merge_prepared(
            &prepared,
            &mut |progress| {
                if progress.stage == BackupStage::Writing && progress.done > 3 {
                    flag.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            },
            stop,
        );
        assert_eq!(result.unwrap_err().code(), crate::ErrorCode::Cancelled);
        assert_eq!(snapshot(&target), before);
        // The triggers are on again after a merge that did not commit.
        assert_an_edit_reaches_the_index(&mut target, 1);
        drop(prepared);
        assert_eq!(working_files(target.data_dir()), Vec::<String>::new());
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
        let error = restore(dir.path(), &newer).unwrap_err().to_string();
        assert!(error.contains("newer Cuesheet"), "{error}");
        let foreign = dir.path().join("notes.txt");
        std::fs::write(&foreign, "not a database").unwrap();
        assert!(restore(dir.path(), &foreign).is_err());
        assert!(restore(dir.path(), &dir.path().join("missing.db")).is_err());
        assert_eq!(std::fs::read(&live).unwrap(), before);
        assert_eq!(working_files(dir.path()), Vec::<String>::new());
    }
}
