//! Support for the tests that back up and restore through the real `cuesheet` binary: running
//! it with a time limit, a library made the way a curator makes one, a real backup of it, and
//! a row-for-row snapshot that says whether a library is "exactly as it was".
//!
//! It reads libraries with rusqlite only to compare them; it never changes one.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use rusqlite::types::Value;
use rusqlite::Connection;

use crate::cli_command;

/// How long any one command may take before the test calls it hung (a merge that ran a
/// backup's endless view used to never return).
pub const HUNG: Duration = Duration::from_secs(120);

pub fn library_file(dir: &Path) -> PathBuf {
    dir.join("library.sqlite3")
}

/// Runs the CLI, killing it if it runs past [`HUNG`].
pub fn run_bounded(dir: &Path, args: &[&str]) -> Output {
    let mut child = cli_command(dir, args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cuesheet starts");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > HUNG {
            let _ = child.kill();
            panic!("cuesheet {args:?} ran for more than {HUNG:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

pub fn ok(dir: &Path, args: &[&str]) -> String {
    let output = run_bounded(dir, args);
    assert!(
        output.status.success(),
        "cuesheet {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every row of every table of the library (the search index's tables too), and the names and
/// sizes of the files in the data folder: what "the library exactly as it was" means here.
pub fn snapshot(dir: &Path) -> Vec<String> {
    let conn = Connection::open(library_file(dir)).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out: Vec<String> = conn
        .prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")
        .unwrap()
        .query_map([], |r| {
            Ok(format!(
                "schema {:?} {:?} {:?}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let width = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let values: Vec<Value> = (0..width).map(|i| r.get(i)).collect::<Result<_, _>>()?;
                Ok(format!("{table} {values:?}"))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        rows.sort();
        out.extend(rows);
    }
    let mut files: Vec<String> = walk(dir)
        .into_iter()
        .filter(|(name, _)| !name.ends_with("-wal") && !name.ends_with("-shm"))
        .map(|(name, size)| format!("file {name} {size}"))
        .collect();
    files.sort();
    out.extend(files);
    out
}

fn walk(dir: &Path) -> Vec<(String, u64)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            for (name, size) in walk(&entry.path()) {
                found.push((
                    format!("{}/{name}", entry.file_name().to_string_lossy()),
                    size,
                ));
            }
        } else {
            let name = entry.file_name().to_string_lossy().into_owned();
            let size = if name == "library.sqlite3" {
                0
            } else {
                entry.metadata().unwrap().len()
            };
            found.push((name, size));
        }
    }
    found
}

/// A library with a little of everything a curator makes, for backing up or restoring into.
pub fn curated_library(dir: &Path) {
    ok(dir, &["note", "Singles", "Seen at the Egyptian, 1992"]);
    ok(dir, &["tag", "Singles", "grunge", "seattle"]);
    ok(dir, &["rate", "Singles", "4.5", "--track", "1"]);
    ok(dir, &["playlist", "from-soundtrack", "Singles"]);
    ok(dir, &["ranked", "create", "Best of the 90s"]);
    ok(dir, &["ranked", "add", "Best of the 90s", "The Crow"]);
    ok(dir, &["delete", "Heavy Metal"]);
}

/// A real backup of a curated library, made by the binary.
pub fn good_backup(work: &Path) -> PathBuf {
    let source = work.join("source");
    curated_library(&source);
    let file = work.join("good.cuesheet-backup");
    ok(&source, &["backup", file.to_str().unwrap()]);
    file
}

/// The library every refusal must leave as it was: the starter catalogue with edits of its own.
/// Made once per test folder and copied for each use.
pub fn target_library(work: &Path, name: &str) -> PathBuf {
    let base = work.join("target-base");
    if !base.exists() {
        let making = work.join("target-making");
        ok(&making, &["note", "The Crow", "mine, keep"]);
        ok(&making, &["playlist", "create", "Mine"]);
        ok(&making, &["delete", "Singles"]);
        std::fs::rename(&making, &base).unwrap();
    }
    let dir = work.join(name);
    copy_dir(&base, &dir);
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
