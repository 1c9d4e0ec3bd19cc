//! Files the library does not trust, through the real `cuesheet` binary: exports aimed at the
//! library through a link, at a folder or a device, or cut short by a full disk; imports of
//! devices, pipes, folders, endless lines, huge files, NUL and other control characters, stray
//! quotes, and a file naming thousands of playlists. Each attack must end with a message that
//! names the problem (file and line where there is one), a non-zero exit, and a library whose
//! every row (and, for exports, every byte) is what it was.
//!
//! This file owns those promises for the CLI; the readers' own rules are tested beside them in
//! `src-tauri/core/src/formats/`. It reads the library with rusqlite only to compare it.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use cuesheet_tests::data_dir::{library_file, table_rows};
use cuesheet_tests::{cli_command, cli_json, run_cli};
use rusqlite::Connection;

/// Every row of the library, after checking the starter library is there (so an empty read
/// cannot pass for "unchanged").
fn rows(data: &Path) -> Vec<String> {
    let lines = table_rows(data);
    assert!(lines.len() > 100, "the starter library is there");
    lines
}

/// A library with the starter catalog and one playlist, closed.
fn library_with_a_playlist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let made = run_cli(
        &dir.path().join("data"),
        &["playlist", "from-soundtrack", "Singles"],
    );
    assert!(made.status.success(), "{}", stderr(&made));
    dir
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The command failed with status 2 (input the user can fix) and a message holding `says`.
#[track_caller]
fn refused(output: &Output, says: &[&str]) {
    let message = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    for words in says {
        assert!(message.contains(words), "expected {words:?} in: {message}");
    }
}

/// Runs a command that must end by itself: a read that blocks (a FIFO) or never ends
/// (`/dev/zero`) fails the test instead of hanging it.
fn run_with_deadline(mut command: Command, limit: Duration) -> Output {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cuesheet starts");
    let id = child.id();
    let (done, wait) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    match wait.recv_timeout(limit) {
        Ok(output) => output.expect("cuesheet ran"),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &id.to_string()]).status();
            panic!("cuesheet was still running after {limit:?}");
        }
    }
}

fn export(data: &Path, target: &Path) -> Output {
    run_cli(
        data,
        &[
            "export",
            "1",
            "--format",
            "m3u8",
            "-o",
            target.to_str().unwrap(),
        ],
    )
}

fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_export_never_writes_through_a_link_into_the_library_a_folder_or_a_device() {
    let dir = library_with_a_playlist();
    let data = dir.path().join("data");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let library = library_file(&data);
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "someone else's file").unwrap();
    let to_library = out.join("link.m3u8");
    std::os::unix::fs::symlink(&library, &to_library).unwrap();
    let to_victim = out.join("other-link.m3u8");
    std::os::unix::fs::symlink(&victim, &to_victim).unwrap();
    let hard = out.join("hard.m3u8");
    std::fs::hard_link(&library, &hard).unwrap();
    let dangling = out.join("dangling.m3u8");
    std::os::unix::fs::symlink(dir.path().join("nowhere.m3u8"), &dangling).unwrap();

    let bytes = std::fs::read(&library).unwrap();
    let before = rows(&data);
    let folder_names = names_in(&out);
    for (target, says) in [
        (to_library.clone(), "is a symbolic link"),
        (to_victim.clone(), "is a symbolic link"),
        (dangling.clone(), "is a symbolic link"),
        (hard.clone(), "is the library itself"),
        (library.clone(), "is the library itself"),
        (data.join("library.sqlite3-wal"), "is the library itself"),
        (
            data.join("library.sqlite3-journal"),
            "is the library itself",
        ),
        (out.clone(), "is a folder"),
        (PathBuf::from("/dev/full"), "is a device, pipe or socket"),
        (PathBuf::from("/dev/null"), "is a device, pipe or socket"),
    ] {
        let output = export(&data, &target);
        refused(
            &output,
            &["export file", &target.display().to_string(), says],
        );
        assert_eq!(
            std::fs::read(&library).unwrap(),
            bytes,
            "{}",
            target.display()
        );
        assert_eq!(rows(&data), before, "{}", target.display());
        assert_eq!(names_in(&out), folder_names, "{}", target.display());
    }
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "someone else's file"
    );
    assert_eq!(std::fs::read_link(&to_library).unwrap(), library);
    assert!(!dir.path().join("nowhere.m3u8").exists());
}

#[test]
fn a_failed_export_leaves_the_old_file_whole_and_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // A playlist whose JSPF is far larger than the file size limit below.
    let list = dir.path().join("long.m3u8");
    let mut text = String::from("#EXTM3U\n#PLAYLIST:Long\n");
    for n in 0..2_000 {
        text.push_str(&format!(
            "#EXTINF:200,Artist {n} - Song {n}\nsong-{n}.mp3\n"
        ));
    }
    std::fs::write(&list, text).unwrap();
    let imported = run_cli(&data, &["import", list.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let old = out.join("long.jspf");
    std::fs::write(&old, "the export of last week").unwrap();
    let before = rows(&data);

    // A real short write: the shell limits the size of files the process may write to 256 KiB
    // (RLIMIT_FSIZE; dash counts 512-byte blocks) and ignores SIGXFSZ, so the write fails with
    // EFBIG, as on a full disk, instead of killing the process.
    let cuesheet = cuesheet_tests::cuesheet_bin();
    let output = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 512; exec \"$0\" \"$@\"")
        .arg(&cuesheet)
        .arg("--data-dir")
        .arg(&data)
        .args(["export", "1", "--format", "jspf", "-o"])
        .arg(&old)
        .env("CUESHEET_LOG", "warn")
        .output()
        .unwrap();
    let message = stderr(&output);
    assert!(!output.status.success(), "the export cannot have fitted");
    assert!(
        message.contains("export file") && message.contains("cannot write"),
        "{message}"
    );
    assert_eq!(
        std::fs::read_to_string(&old).unwrap(),
        "the export of last week"
    );
    assert_eq!(names_in(&out), ["long.jspf"], "no partial file is left");
    assert_eq!(rows(&data), before);

    // Without the limit the same export replaces the old file whole.
    let output = run_cli(
        &data,
        &[
            "export",
            "1",
            "--format",
            "jspf",
            "-o",
            old.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let written = std::fs::read_to_string(&old).unwrap();
    assert!(written.len() > 512 * 1024, "{} bytes", written.len());
    assert!(written.trim_end().ends_with('}'));
    assert_eq!(names_in(&out), ["long.jspf"]);
}

#[test]
fn uri_looking_export_names_are_plain_file_names() {
    let dir = library_with_a_playlist();
    let data = dir.path().join("data");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let run_in_out = |target: &str| {
        cli_command(&data, &["export", "1", "--format", "m3u8", "-o", target])
            .current_dir(&out)
            .output()
            .unwrap()
    };
    let written = run_in_out("file:mix.m3u8");
    assert!(written.status.success(), "{}", stderr(&written));
    let text = std::fs::read_to_string(out.join("file:mix.m3u8")).unwrap();
    assert!(text.starts_with("#EXTM3U\n#PLAYLIST:Singles"));
    let before = rows(&data);
    for target in [
        "file:///tmp/cuesheet-uri-export.m3u8",
        "https://example.org/mix.m3u8",
    ] {
        let output = run_in_out(target);
        refused(&output, &["export file", "cannot be used"]);
        assert_eq!(rows(&data), before);
    }
    assert!(!Path::new("/tmp/cuesheet-uri-export.m3u8").exists());
    assert_eq!(names_in(&out), ["file:mix.m3u8"]);
}

#[test]
fn devices_pipes_and_folders_are_refused_by_name_before_anything_is_read() {
    let dir = library_with_a_playlist();
    let data = dir.path().join("data");
    let fifo = dir.path().join("playlist.m3u8");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo");
    let folder = dir.path().join("folder.m3u8");
    std::fs::create_dir(&folder).unwrap();
    let before = rows(&data);
    for (path, says) in [
        (PathBuf::from("/dev/zero"), "is a device, pipe or socket"),
        (PathBuf::from("/dev/urandom"), "is a device, pipe or socket"),
        (fifo.clone(), "is a device, pipe or socket"),
        (folder.clone(), "is a folder"),
    ] {
        let output = run_with_deadline(
            cli_command(&data, &["import", path.to_str().unwrap()]),
            Duration::from_secs(60),
        );
        refused(
            &output,
            &["playlist file", &path.display().to_string(), says],
        );
        assert_eq!(rows(&data), before, "{}", path.display());
    }
    // Standard input is read like a paste: at most 64 MiB, however much is sent.
    let mut endless = cli_command(&data, &["import", "-"]);
    endless.stdin(std::fs::File::open("/dev/zero").unwrap());
    let started = Instant::now();
    let output = endless.output().unwrap();
    refused(&output, &["standard input", "more than 64 MiB"]);
    assert!(started.elapsed() < Duration::from_secs(120));
    assert_eq!(rows(&data), before);
}

#[test]
fn oversized_lines_fields_and_files_are_refused_naming_file_and_line() {
    let dir = library_with_a_playlist();
    let data = dir.path().join("data");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let big_field = "x".repeat(3 << 20);
    let long_title = "é".repeat(501);
    let sparse = |name: &str, head: &str, size: u64| {
        let path = files.join(name);
        std::fs::write(&path, head).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(size)
            .unwrap();
        path
    };
    let write = |name: &str, text: String| {
        let path = files.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let cases = [
        (
            write(
                "field.csv",
                format!("Track name,Artist name\nFine,Someone\n\"{big_field}\",Someone\n"),
            ),
            "field.csv, line 3: a row longer than 1 MiB",
        ),
        (
            write(
                "line.m3u8",
                format!("#EXTM3U\n#EXTINF:1,A - B\na.mp3\n{big_field}\n"),
            ),
            "line.m3u8, line 4: longer than 1 MiB",
        ),
        (
            write(
                "title.csv",
                format!("Track name,Artist name\n{long_title},Someone\n"),
            ),
            "title.csv, line 2: title: too long (501 characters; at most 500)",
        ),
        (
            write(
                "deep.xspf",
                format!("<playlist>\n{}", "<trackList>".repeat(100)),
            ),
            "deep.xspf, line 2: elements nested more than 32 deep",
        ),
        (
            sparse("huge.jspf", "{\"playlist\": {\"track\": [", 300 << 20),
            "huge.jspf: larger than 16 MiB",
        ),
        (
            sparse("huge.pls", "[playlist]\n", 20 << 20),
            "huge.pls: larger than 16 MiB",
        ),
    ];
    let before = rows(&data);
    for (path, says) in &cases {
        let output = run_with_deadline(
            cli_command(&data, &["import", path.to_str().unwrap()]),
            Duration::from_secs(120),
        );
        refused(&output, &[says]);
        assert!(
            stderr(&output).len() < 600,
            "the message is short: {}",
            stderr(&output).len()
        );
        assert_eq!(rows(&data), before, "{}", path.display());
    }
}

#[test]
fn a_nul_is_refused_naming_the_line_and_other_control_characters_are_removed() {
    let dir = library_with_a_playlist();
    let data = dir.path().join("data");
    let with_nul = dir.path().join("nul.m3u8");
    std::fs::write(
        &with_nul,
        "#EXTM3U\n#EXTINF:1,Alice in Chains - Would?\na.mp3\n#EXTINF:1,Pearl\0Jam - Breath\nb.mp3\n",
    )
    .unwrap();
    let before = rows(&data);
    let output = run_cli(&data, &["import", with_nul.to_str().unwrap()]);
    refused(&output, &["nul.m3u8, line 4", "NUL"]);
    assert_eq!(rows(&data), before);

    let with_controls = dir.path().join("controls.csv");
    std::fs::write(
        &with_controls,
        "Track name,Artist name,Album\n\"Would?\u{1b}[31m\u{7}\",\"Alice\u{8} in Chains\",\"Singles\tOST\"\n",
    )
    .unwrap();
    let created = cli_json(
        &data,
        &["import", with_controls.to_str().unwrap(), "--json"],
    );
    let id = created[0]["id"].to_string();
    let shown = cli_json(&data, &["playlist", "show", &id, "--json"]);
    let song = &shown["songs"][0]["song"];
    assert_eq!(song["title"], "Would?[31m");
    assert_eq!(song["artists"][0], "Alice in Chains");
    assert_eq!(song["album"], "Singles\tOST", "tab is kept");
    let conn = Connection::open(library_file(&data)).unwrap();
    let stored: Vec<String> = conn
        .prepare("SELECT title || artists || coalesce(album, '') FROM playlist_entries")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let controls: Vec<&String> = stored
        .iter()
        .filter(|text| {
            text.chars()
                .any(|c| c.is_control() && c != '\t' && c != '\n')
        })
        .collect();
    assert!(controls.is_empty(), "{controls:?}");
}

#[test]
fn a_csv_row_with_a_stray_or_unclosed_quote_is_refused_naming_it() {
    let dir = library_with_a_playlist();
    let data = dir.path().join("data");
    let before = rows(&data);
    for (name, text, says) in [
        (
            "stray.csv",
            "Track name,Artist name\nWould?,Alice in Chains\n\"Unbalanced,\"Someone\n",
            "stray.csv, line 3: 1 field(s) where the header has 2",
        ),
        (
            "unclosed.csv",
            "Track name,Artist name\nWould?,Alice in Chains\nBreath,\"Pearl Jam\nNearly Lost You,Screaming Trees\n",
            "unclosed.csv, line 3: a quote opened on this row is never closed",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let output = run_cli(&data, &["import", path.to_str().unwrap()]);
        refused(&output, &[says]);
        assert_eq!(rows(&data), before, "{name}");
    }
}

#[test]
fn a_file_naming_thousands_of_playlists_imports_them_all_in_one_go() {
    // Linear grouping is what this exercises; its speed at 100,000 names is in
    // docs/BENCHMARKS.md ("Untrusted imports").
    const NAMES: usize = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("names.csv");
    let mut text = String::from("Track name,Artist name,Playlist name\n");
    for n in 0..NAMES {
        text.push_str(&format!("Song {n},Artist {n},List {n}\n"));
    }
    text.push_str("Song again,Artist,List 0\n");
    std::fs::write(&file, text).unwrap();
    let created = cli_json(&data, &["import", file.to_str().unwrap(), "--json"]);
    let created = created.as_array().unwrap();
    assert_eq!(created.len(), NAMES);
    assert_eq!(created[0]["name"], "List 0");
    assert_eq!(created[0]["song_count"], 2);
    assert_eq!(created[NAMES - 1]["name"], format!("List {}", NAMES - 1));
    let conn = Connection::open(library_file(&data)).unwrap();
    let playlists: i64 = conn
        .query_row("SELECT count(*) FROM playlists", [], |r| r.get(0))
        .unwrap();
    assert_eq!(playlists as usize, NAMES);
}
