//! A data folder as the tests see it from outside: its library file, every row of every table,
//! a copy of the folder, and a long playlist file to keep an import busy. What "the library is
//! exactly as it was" means is [`snapshot`] (or [`table_rows`] for the rows alone).
//!
//! It reads libraries with rusqlite only to compare them; it never changes one.

use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};

pub fn library_file(data_dir: &Path) -> PathBuf {
    data_dir.join("library.sqlite3")
}

/// Every row of every table (the search index and its shadow tables included), as text, sorted
/// within each table.
pub fn table_rows(data_dir: &Path) -> Vec<String> {
    let conn =
        Connection::open_with_flags(library_file(data_dir), OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("the library opens");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = Vec::new();
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
    out
}

/// The library's schema, every row of every table, and the names and sizes of the files in
/// the data folder: what "the library exactly as it was" means for a restore.
pub fn snapshot(data_dir: &Path) -> Vec<String> {
    let conn =
        Connection::open_with_flags(library_file(data_dir), OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("the library opens");
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
    drop(conn);
    out.extend(table_rows(data_dir));
    let mut files: Vec<String> = walk(data_dir)
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

/// Copies a data folder (library, tokens, covers), so a test can start several times from one
/// state.
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

/// An M3U8 of `rows` distinct songs named after `label` that match nothing in the library: an
/// import long enough to be caught writing, or killed half-way.
pub fn write_long_m3u8(path: &Path, rows: usize, label: &str) {
    let folder = label.to_lowercase();
    let mut text = String::with_capacity(rows * 80);
    text.push_str("#EXTM3U\n");
    for i in 0..rows {
        text.push_str(&format!(
            "#EXTINF:{},{label} Artist {} - {label} song number {i}\n/music/{folder}/{}/{i}.mp3\n",
            120 + i % 200,
            i % 997,
            i % 997
        ));
    }
    std::fs::write(path, text).unwrap();
}
