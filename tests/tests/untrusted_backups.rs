//! Backups are untrusted input, and the library has one writer at a time, through the real
//! `cuesheet` binary on throwaway data folders (issue 13, items 1–5 and 8).
//!
//! Each attack is a backup crafted here with rusqlite from a real one: an extra trigger, a view
//! in a table's place, a renamed table, damage hidden by a `-wal`, a huge value, bad links,
//! 100,000-character titles, 1 MB notes, malformed ISRCs, an HTML "cover". Each is restored
//! (`--replace`) and merged (`--merge`); after every refusal the exit status is non-zero, the
//! message names the problem, the library is the same row for row, and an ordinary edit
//! afterwards leaves it whole. The concurrent cases run two real processes.
//!
//! This file reads the library with rusqlite only to compare it; it never changes it.

use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use cuesheet_tests::{cli_command, cli_json, run_cli};
use rusqlite::types::Value;
use rusqlite::Connection;

/// How long any one command may take before the test calls it hung (a merge that ran a
/// backup's endless view used to never return).
const HUNG: Duration = Duration::from_secs(120);

fn library_file(dir: &Path) -> PathBuf {
    dir.join("library.sqlite3")
}

/// Runs the CLI, killing it if it runs past [`HUNG`].
fn run(dir: &Path, args: &[&str]) -> Output {
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

fn ok(dir: &Path, args: &[&str]) -> String {
    let output = run(dir, args);
    assert!(
        output.status.success(),
        "cuesheet {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every row of every table of the library (the search index's tables too), and the names and
/// sizes of the files in the data folder: what "the library exactly as it was" means here.
fn snapshot(dir: &Path) -> Vec<String> {
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
fn curated_library(dir: &Path) {
    ok(dir, &["note", "Singles", "Seen at the Egyptian, 1992"]);
    ok(dir, &["tag", "Singles", "grunge", "seattle"]);
    ok(dir, &["rate", "Singles", "4.5", "--track", "1"]);
    ok(dir, &["playlist", "from-soundtrack", "Singles"]);
    ok(dir, &["ranked", "create", "Best of the 90s"]);
    ok(dir, &["ranked", "add", "Best of the 90s", "The Crow"]);
    ok(dir, &["delete", "Heavy Metal"]);
}

/// A real backup of a curated library, made by the binary.
fn good_backup(work: &Path) -> PathBuf {
    let source = work.join("source");
    curated_library(&source);
    let file = work.join("good.cuesheet-backup");
    ok(&source, &["backup", file.to_str().unwrap()]);
    file
}

/// A copy of `backup` changed by `sql`, run with plain rusqlite as anyone could.
fn crafted(backup: &Path, name: &str, sql: &str) -> PathBuf {
    let file = backup.with_file_name(format!("{name}.cuesheet-backup"));
    std::fs::copy(backup, &file).unwrap();
    let conn = Connection::open(&file).unwrap();
    conn.execute_batch(sql)
        .unwrap_or_else(|e| panic!("crafting {name}: {e}"));
    drop(conn);
    file
}

/// The library every refusal must leave as it was: the starter catalogue with edits of its own.
/// Made once per test folder and copied for each use.
fn target_library(work: &Path, name: &str) -> PathBuf {
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

fn copy_dir(from: &Path, to: &Path) {
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

/// What a planted trigger would empty: the live soundtracks and the trash.
fn soundtracks_and_trash(dir: &Path) -> Vec<(i64, Option<String>)> {
    let conn = Connection::open(library_file(dir)).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, deleted_at FROM soundtracks ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Restores (`--replace`) and merges (`--merge`) `file` into a library of its own each, and
/// checks the refusal: non-zero exit, every word of `says` in the message, the library the same
/// row for row, and an ordinary edit afterwards leaving it whole.
fn assert_refused(work: &Path, file: &Path, says: &[&str]) {
    for how in ["--replace", "--merge"] {
        let name = format!("{}{how}", file.file_stem().unwrap().to_string_lossy());
        let dir = target_library(work, &name);
        let before = snapshot(&dir);
        let output = run(&dir, &["restore", file.to_str().unwrap(), how]);
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success(),
            "{name}: the restore was not refused: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        for word in says {
            assert!(said.contains(word), "{name}: {word:?} not in {said:?}");
        }
        assert!(said.contains("Nothing was changed"), "{name}: {said}");
        let after = snapshot(&dir);
        if after != before {
            let gone: Vec<_> = before
                .iter()
                .filter(|r| !after.contains(r))
                .take(5)
                .collect();
            let new: Vec<_> = after
                .iter()
                .filter(|r| !before.contains(r))
                .take(5)
                .collect();
            panic!("{name}: the library changed:\n gone {gone:?}\n new {new:?}");
        }
        // What a planted trigger would do on the next edit: empty the library and the trash.
        let kept = soundtracks_and_trash(&dir);
        assert_eq!(kept.len(), 26, "{name}");
        ok(&dir, &["playlist", "create", "After the refusal"]);
        assert_eq!(soundtracks_and_trash(&dir), kept, "{name}");
    }
}

#[test]
fn a_backup_with_a_schema_of_its_own_is_refused_by_name() {
    let work = tempfile::tempdir().unwrap();
    let backup = good_backup(work.path());
    let trigger = crafted(
        &backup,
        "trigger",
        "CREATE TRIGGER wipe AFTER INSERT ON playlists BEGIN DELETE FROM soundtracks; END;",
    );
    assert_refused(work.path(), &trigger, &["trigger", "\"wipe\""]);

    // The backup's soundtracks are a view that never ends, calling the app's own function: no
    // statement of the restore or merge may run it.
    let endless = crafted(
        &backup,
        "endless-view",
        "PRAGMA foreign_keys = OFF;
         DROP TABLE soundtracks;
         CREATE VIEW soundtracks AS
           WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
           SELECT i AS id, cuesheet_title_key('x' || i) AS film_title, NULL AS film_year,
                  'film' AS media, NULL AS album_title, NULL AS album_year, NULL AS label,
                  '' AS notes, NULL AS rating, 0 AS favourite, NULL AS cover,
                  1 AS tracklist_complete, '' AS added_at, NULL AS deleted_at FROM n;",
    );
    assert_refused(work.path(), &endless, &["soundtracks"]);

    let extra_view = crafted(&backup, "extra-view", "CREATE VIEW everything AS SELECT 1;");
    assert_refused(work.path(), &extra_view, &["view", "\"everything\""]);

    let renamed = crafted(
        &backup,
        "renamed",
        "ALTER TABLE ranked_lists RENAME TO best_of;",
    );
    assert_refused(work.path(), &renamed, &["best_of"]);

    let changed = crafted(
        &backup,
        "changed-index",
        "DROP INDEX tracks_by_soundtrack; CREATE INDEX tracks_by_soundtrack ON tracks (title);",
    );
    assert_refused(work.path(), &changed, &["index", "tracks_by_soundtrack"]);
}

#[test]
fn rows_no_edit_would_accept_are_refused_by_name() {
    let work = tempfile::tempdir().unwrap();
    let backup = good_backup(work.path());
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "javascript-link",
            "UPDATE soundtrack_sources SET url = 'javascript:alert(1)'
             WHERE soundtrack_id = 7 AND ord = 0;",
            &[
                "source link of soundtrack 7",
                "url",
                "javascript:alert(1)",
                "http",
            ],
        ),
        (
            "file-link",
            "UPDATE tracks SET source_url = 'file:///etc/passwd' WHERE id = 14;",
            &["song 14", "source url", "file:///etc/passwd"],
        ),
        (
            "long-title",
            "UPDATE soundtracks SET film_title = printf('%.*c', 100000, 'x') WHERE id = 2;",
            &["soundtrack 2", "film title", "100,000 characters"],
        ),
        (
            "megabyte-notes",
            "UPDATE tracks SET notes = replace(hex(zeroblob(500000)), '0', 'n') WHERE id = 3;",
            &["song 3", "notes", "1,000,000 characters"],
        ),
        (
            "bad-isrc",
            "UPDATE tracks SET isrc = 'NOT AN ISRC!' WHERE id = 5;",
            &["song 5", "isrc", "not an ISRC"],
        ),
        (
            "nul-title",
            "UPDATE tracks SET title = 'Would' || char(0) || '?' WHERE id = 1;",
            &["song 1", "U+0000"],
        ),
        (
            "bad-playlist-name",
            "UPDATE playlists SET name = printf('%.*c', 5000, 'p');",
            &["playlist 1", "name", "at most 200"],
        ),
        (
            "blob-title",
            "UPDATE soundtracks SET album_title = x'00ff00ff' WHERE id = 4;",
            &["soundtrack 4", "album title", "binary"],
        ),
        (
            "broken-reference",
            "PRAGMA foreign_keys = OFF;
             UPDATE playlist_entries SET track_id = 999999
             WHERE id = (SELECT min(id) FROM playlist_entries);",
            &["playlist entry", "refers to a song"],
        ),
        (
            "broken-order",
            "UPDATE playlist_entries SET ord = ord + 10
             WHERE id = (SELECT min(id) FROM playlist_entries);",
            &["out of order"],
        ),
        (
            "html-cover",
            "UPDATE soundtracks SET cover = '1-abc.jpg' WHERE id = 1;
             INSERT INTO cuesheet_backup_covers (name, data)
             VALUES ('1-abc.jpg', CAST('<html><script>alert(1)</script></html>' AS BLOB));",
            &["cover of soundtrack 1", "not an image"],
        ),
        (
            "cover-outside",
            "UPDATE soundtracks SET cover = '../library.sqlite3' WHERE id = 1;",
            &["soundtrack 1", "cover", "not the name of a cover"],
        ),
    ];
    for (name, sql, says) in cases {
        let file = crafted(&backup, name, sql);
        assert_refused(work.path(), &file, says);
    }
}

#[test]
fn a_huge_value_is_refused_without_reading_it_whole() {
    let work = tempfile::tempdir().unwrap();
    let backup = good_backup(work.path());
    let huge = crafted(
        &backup,
        "huge-blob",
        "UPDATE soundtracks SET notes = zeroblob(60 * 1024 * 1024) WHERE id = 3;",
    );
    assert_refused(work.path(), &huge, &["soundtracks", "larger than anything"]);
    let huge_cover = crafted(
        &backup,
        "huge-cover",
        "UPDATE soundtracks SET cover = '1-abc.jpg' WHERE id = 1;
         INSERT INTO cuesheet_backup_covers (name, data)
         VALUES ('1-abc.jpg', zeroblob(45 * 1024 * 1024));",
    );
    assert_refused(work.path(), &huge_cover, &["cover of soundtrack 1"]);
}

/// The page numbers of the frames in the WAL at `wal`.
fn wal_pages(wal: &Path) -> Vec<u32> {
    let bytes = std::fs::read(wal).unwrap();
    let page_size = u32::from_be_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let mut pages = Vec::new();
    let mut at = 32;
    while at + 24 + page_size <= bytes.len() {
        pages.push(u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()));
        at += 24 + page_size;
    }
    pages
}

fn with_wal(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", path.display()))
}

#[test]
fn damage_hidden_by_a_wal_beside_the_backup_is_found() {
    let work = tempfile::tempdir().unwrap();
    let backup = good_backup(work.path());
    // A backup whose main file is damaged in exactly the pages its -wal holds good copies of:
    // read together they are fine, the main file alone is not.
    let live = work.path().join("wal-source.db");
    std::fs::copy(&backup, &live).unwrap();
    let writer = Connection::open(&live).unwrap();
    writer
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
             UPDATE soundtracks SET notes = notes || ' (checked)';
             UPDATE tracks SET notes = notes || ' (checked)';",
        )
        .unwrap();
    // Copied while the writer is open, so nothing has been folded into the main file yet.
    let damaged = work.path().join("wal-damage.cuesheet-backup");
    std::fs::copy(&live, &damaged).unwrap();
    std::fs::copy(with_wal(&live), with_wal(&damaged)).unwrap();
    drop(writer);
    let mut bytes = std::fs::read(&damaged).unwrap();
    let page_size = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    let mut hidden = 0;
    for page in wal_pages(&with_wal(&damaged)) {
        let start = (page as usize - 1) * page_size;
        if page > 1 && start + page_size <= bytes.len() {
            bytes[start..start + page_size].fill(0xA5);
            hidden += 1;
        }
    }
    assert!(hidden > 0, "the WAL holds table pages");
    std::fs::write(&damaged, bytes).unwrap();
    // Checked on a copy: closing a connection folds the -wal into the file.
    let together = work.path().join("together.db");
    std::fs::copy(&damaged, &together).unwrap();
    std::fs::copy(with_wal(&damaged), with_wal(&together)).unwrap();
    let verdict: String = Connection::open(&together)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(verdict, "ok", "with its -wal the damaged file checks fine");
    assert_refused(work.path(), &damaged, &["damaged"]);
    assert!(
        with_wal(&damaged).exists(),
        "the backup's -wal is left alone"
    );
}

#[test]
fn foreign_newer_and_unreadable_files_are_refused() {
    let work = tempfile::tempdir().unwrap();
    let backup = good_backup(work.path());
    let newer = crafted(&backup, "newer", "PRAGMA user_version = 9999;");
    assert_refused(work.path(), &newer, &["newer Cuesheet"]);
    let library = crafted(&backup, "plain-library", "DROP TABLE cuesheet_backup;");
    assert_refused(work.path(), &library, &["not a Cuesheet backup"]);
    let text = work.path().join("notes.cuesheet-backup");
    std::fs::write(&text, "not a database at all").unwrap();
    assert_refused(work.path(), &text, &["not an SQLite file"]);
    for (file, says) in [("/dev/zero", "device"), ("/", "folder")] {
        let dir = target_library(work.path(), &format!("odd-{}", file.len()));
        let before = snapshot(&dir);
        for how in ["--replace", "--merge"] {
            let output = run(&dir, &["restore", file, how]);
            assert!(!output.status.success(), "{file} {how}");
            let said = String::from_utf8_lossy(&output.stderr);
            assert!(said.contains(says), "{file} {how}: {said}");
        }
        assert_eq!(snapshot(&dir), before);
    }
}

#[test]
fn a_restore_rebuilds_the_same_library_and_keeps_the_old_one() {
    let work = tempfile::tempdir().unwrap();
    let backup = good_backup(work.path());
    let source = work.path().join("source");
    let dir = target_library(work.path(), "restored");
    let said = ok(&dir, &["restore", backup.to_str().unwrap(), "--replace"]);
    assert!(said.contains("previous library is kept"), "{said}");
    // The search index is rebuilt from the rows, so its own pages differ; what it finds is
    // compared below.
    let rows = |dir: &Path| -> Vec<String> {
        snapshot(dir)
            .into_iter()
            .filter(|row| !row.starts_with("file ") && !row.starts_with("search_index"))
            .collect()
    };
    let (restored, original) = (rows(&dir), rows(&source));
    let missing: Vec<_> = original
        .iter()
        .filter(|r| !restored.contains(r))
        .take(5)
        .collect();
    let extra: Vec<_> = restored
        .iter()
        .filter(|r| !original.contains(r))
        .take(5)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "the restored library, row for row:\n missing {missing:?}\n extra {extra:?}"
    );
    // FTS5's own check: the index holds exactly what its rows say.
    Connection::open(library_file(&dir))
        .unwrap()
        .execute(
            "INSERT INTO search_index (search_index) VALUES ('integrity-check')",
            [],
        )
        .expect("the rebuilt search index is whole");
    for words in ["singles egyptian", "grunge", "would", "heavy metal"] {
        assert_eq!(
            cli_json(&dir, &["search", words, "--json"]),
            cli_json(&source, &["search", words, "--json"]),
            "search for {words:?}"
        );
    }
    let kept: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let old = Connection::open(dir.join(&kept[0])).unwrap();
    let mine: i64 = old
        .query_row(
            "SELECT count(*) FROM playlists WHERE name = 'Mine'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(mine, 1, "the replaced library is kept whole");
    ok(&dir, &["playlist", "create", "After the restore"]);
    assert_eq!(
        cli_json(&dir, &["soundtracks", "--json"])
            .as_array()
            .unwrap()
            .len(),
        25
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "working files left: {leftovers:?}");
}

#[test]
fn a_wal_beside_a_backup_is_never_read() {
    let work = tempfile::tempdir().unwrap();
    let backup = good_backup(work.path());
    // A -wal that would add a playlist if SQLite read it with the file.
    let staged = work.path().join("staged.db");
    std::fs::copy(&backup, &staged).unwrap();
    let conn = Connection::open(&staged).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
         INSERT INTO playlists (name) VALUES ('Only in the wal');",
    )
    .unwrap();
    let file = work.path().join("with-wal.cuesheet-backup");
    std::fs::copy(&backup, &file).unwrap();
    std::fs::copy(
        format!("{}-wal", staged.display()),
        format!("{}-wal", file.display()),
    )
    .unwrap();
    drop(conn);
    let wal = format!("{}-wal", file.display());
    let dir = work.path().join("fresh");
    let restored = run(&dir, &["restore", file.to_str().unwrap(), "--replace"]);
    assert!(restored.status.success());
    let playlist_names = |dir: &Path| -> Vec<String> {
        let playlists = cli_json(dir, &["playlists", "--json"]);
        let names = playlists.as_array().unwrap().iter();
        names
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        playlist_names(&dir),
        ["Singles"],
        "only the file's own pages count"
    );
    // …but the person hears of it: a copy of an open library may have its latest changes there.
    let said = String::from_utf8_lossy(&restored.stderr);
    assert!(
        said.contains(&format!("note: {wal} beside the backup was not read"))
            && said.contains("not in what was restored"),
        "{said}"
    );

    let merged = run(&dir, &["restore", file.to_str().unwrap(), "--merge"]);
    assert!(merged.status.success());
    let said = String::from_utf8_lossy(&merged.stderr);
    assert!(
        said.contains(&format!("note: {wal} beside the backup was not read")),
        "{said}"
    );
    assert_eq!(playlist_names(&dir), ["Singles"]);

    // An empty -wal (SQLite leaves one after a clean checkpoint) holds nothing to miss.
    std::fs::write(&wal, b"").unwrap();
    let quiet = run(
        &work.path().join("other"),
        &["restore", file.to_str().unwrap(), "--replace"],
    );
    assert!(quiet.status.success());
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("note:"));
}

// ---------------------------------------------------------------------------------------------
// Two processes at once

/// An M3U8 of `rows` songs: an import long enough to be caught writing.
fn big_playlist(path: &Path, rows: usize) {
    let mut text = String::with_capacity(rows * 80);
    text.push_str("#EXTM3U\n");
    for i in 0..rows {
        text.push_str(&format!(
            "#EXTINF:{},Busy Artist {} - Busy song {i}\n/music/busy/{i}.mp3\n",
            120 + i % 200,
            i % 997
        ));
    }
    std::fs::write(path, text).unwrap();
}

/// Whether some connection holds the library's write lock right now.
fn someone_writes(probe: &Connection) -> bool {
    match probe.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
        Ok(()) => false,
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => true,
        Err(e) => panic!("the probe failed: {e}"),
    }
}

/// Starts a long import into `dir` and returns once it is inside its write transaction.
fn start_long_import(dir: &Path, work: &Path) -> Child {
    let file = work.join("busy.m3u8");
    big_playlist(&file, 50_000);
    let mut child = cli_command(dir, &["import", file.to_str().unwrap(), "--name", "Busy"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let probe = Connection::open(library_file(dir)).unwrap();
    probe.busy_timeout(Duration::ZERO).unwrap();
    let started = Instant::now();
    while !someone_writes(&probe) {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the import ended ({status}) before it was seen writing");
        }
        assert!(started.elapsed() < HUNG, "the import never started writing");
        std::thread::sleep(Duration::from_millis(5));
    }
    child
}

fn finish(child: Child) -> String {
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "the import failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn reading_works_while_another_process_imports() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("library");
    ok(&dir, &["playlists"]);
    let import = start_long_import(&dir, work.path());
    let read = run(&dir, &["soundtracks", "--json"]);
    let still_writing = import.id();
    assert!(
        read.status.success(),
        "a read during an import: {}",
        String::from_utf8_lossy(&read.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&read.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 26);
    let shown = run(&dir, &["show", "Singles", "--json"]);
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    assert!(still_writing > 0);
    assert!(finish(import).contains("Busy"));
}

#[test]
fn a_restore_is_refused_while_another_process_has_the_library_open() {
    let work = tempfile::tempdir().unwrap();
    let backup = good_backup(work.path());
    let dir = target_library(work.path(), "busy");
    let import = start_long_import(&dir, work.path());
    let refused = run(&dir, &["restore", backup.to_str().unwrap(), "--replace"]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success(),
        "the restore ran during an import"
    );
    assert!(said.contains("open in another Cuesheet"), "{said}");
    assert!(said.contains("Nothing was changed"), "{said}");
    finish(import);
    // The import landed in the library that is still in place, and nothing was swapped.
    let playlists = cli_json(&dir, &["playlists", "--json"]);
    let mut names: Vec<&str> = playlists
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["Busy", "Mine"]);
    assert!(std::fs::read_dir(&dir).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains("before-restore")));
    // With nobody else there, the same restore goes through.
    ok(&dir, &["restore", backup.to_str().unwrap(), "--replace"]);
}

#[test]
fn a_restore_is_refused_while_any_program_writes_the_file() {
    let work = tempfile::tempdir().unwrap();
    let backup = good_backup(work.path());
    let dir = target_library(work.path(), "sqlite-writer");
    // Not a Cuesheet: a plain SQLite writer in the middle of a transaction.
    let writer = Connection::open(library_file(&dir)).unwrap();
    writer
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO playlists (name) VALUES ('Written outside');")
        .unwrap();
    let refused = run(&dir, &["restore", backup.to_str().unwrap(), "--replace"]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "the restore ran under a writer");
    assert!(said.contains("another program"), "{said}");
    writer.execute_batch("COMMIT").unwrap();
    drop(writer);
    let playlists = cli_json(&dir, &["playlists", "--json"]);
    assert_eq!(playlists.as_array().unwrap().len(), 2, "{playlists}");
}

// ---------------------------------------------------------------------------------------------
// Writing a backup

#[test]
fn a_backup_that_cannot_be_written_leaves_nothing_behind() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("library");
    curated_library(&dir);
    let out = work.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let target = out.join("old.cuesheet-backup");
    std::fs::write(&target, b"the previous backup").unwrap();
    // A disk that fills after 64 KiB: the shell's file size limit, with the signal it would
    // send ignored so writes fail with an error instead.
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 128; trap '' XFSZ; exec \"$@\"")
        .arg("sh")
        .arg(cuesheet_tests::cuesheet_bin())
        .arg("--data-dir")
        .arg(&dir)
        .arg("backup")
        .arg(&target)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the backup did not fail");
    assert!(said.contains("backup file"), "{said}");
    assert_eq!(std::fs::read(&target).unwrap(), b"the previous backup");
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "no partial file is left: {names:?}");

    let link = out.join("link.cuesheet-backup");
    std::os::unix::fs::symlink(library_file(&dir), &link).unwrap();
    let before = snapshot(&dir);
    let refused = run_cli(&dir, &["backup", link.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("symbolic link"));
    assert_eq!(snapshot(&dir), before);
}
