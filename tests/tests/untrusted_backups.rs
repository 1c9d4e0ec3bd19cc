//! Backups are untrusted input, and the library has one writer at a time, through the real
//! `cuesheet` binary on throwaway data folders (issue 13, items 1–3 and 5).
//!
//! Each attack is a backup crafted here with rusqlite from a real one: an extra trigger, a view
//! in a table's place, a renamed table, damage hidden by a `-wal`, a huge value, bad links,
//! 100,000-character titles, 1 MB notes, malformed ISRCs, an HTML "cover". Each is restored
//! (`--replace`) and merged (`--merge`); after every refusal the exit status is non-zero, the
//! message names the problem, the library is the same row for row, and an ordinary edit
//! afterwards leaves it whole. Two processes at once, and a restore stopped half-way, are in
//! `backup_processes.rs`.
//!
//! This file reads the library with rusqlite only to compare it; it never changes it.

use std::path::{Path, PathBuf};

use cuesheet_tests::backup_cli::{good_backup, ok, run_bounded as run, target_library};
use cuesheet_tests::cli_json;
use cuesheet_tests::data_dir::{library_file, snapshot};
use rusqlite::Connection;

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
