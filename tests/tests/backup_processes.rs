//! Two processes on one library, and a backup or restore that is stopped half-way, through
//! the real `cuesheet` binary on throwaway data folders (issue 13, items 4, 6 and 8): reads go
//! on while another process imports; a restore is refused while anyone else has the library
//! open or writes it; a backup that cannot be written leaves nothing behind; a restore stopped
//! with Ctrl+C leaves the library and its folder exactly as they were.

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use cuesheet_tests::backup_cli::{
    curated_library, good_backup, ok, run_bounded as run, target_library, HUNG,
};
use cuesheet_tests::data_dir::{library_file, snapshot, write_long_m3u8};
use cuesheet_tests::{cli_command, cli_json, run_cli};
use rusqlite::Connection;

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
    write_long_m3u8(&file, 50_000, "Busy");
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

// ---------------------------------------------------------------------------------------------
// Stopped half-way

/// The working copies a restore or merge keeps in the data folder while it runs.
fn working_copies(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".cuesheet-"))
        .collect()
}

#[test]
fn ctrl_c_stops_a_restore_and_leaves_the_library_as_it_was() {
    let work = tempfile::tempdir().unwrap();
    // A backup big enough that a debug build takes seconds to check and rebuild it.
    let source = work.path().join("source");
    ok(
        &source,
        &[
            "generate-library",
            "--soundtracks",
            "3000",
            "--tracks-per",
            "12",
        ],
    );
    let backup = work.path().join("big.cuesheet-backup");
    ok(&source, &["backup", backup.to_str().unwrap()]);
    for how in ["--replace", "--merge"] {
        let dir = target_library(work.path(), &format!("interrupted{how}"));
        let before = snapshot(&dir);
        let child = cli_command(&dir, &["restore", backup.to_str().unwrap(), how])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut child = child;
        let started = Instant::now();
        while working_copies(&dir).is_empty() {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("{how}: the restore ended ({status}) before it could be interrupted");
            }
            assert!(started.elapsed() < HUNG, "{how}: the restore never started");
            std::thread::sleep(Duration::from_millis(2));
        }
        // What a terminal sends on Ctrl+C.
        let sent = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let output = child.wait_with_output().unwrap();
        let said = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(130), "{how}: {said}");
        assert!(
            said.contains("cancelled; nothing was changed"),
            "{how}: {said}"
        );
        assert!(output.stdout.is_empty(), "{how}: reported a result");
        assert_eq!(working_copies(&dir), Vec::<String>::new(), "{how}");
        assert!(snapshot(&dir) == before, "{how}: the library changed");
    }
}
