//! The CLI as a script uses it: the real binary, a real library file in a temporary folder.

use cuesheet_tests::{cli_json, run_cli};

#[test]
fn soundtracks_json_lists_the_starter_library() {
    let dir = tempfile::tempdir().unwrap();
    let list = cli_json(dir.path(), &["soundtracks", "--json"]);
    let list = list.as_array().expect("an array");
    assert_eq!(list.len(), 26);
    let album_songs: u64 = list
        .iter()
        .map(|s| s["track_count"].as_u64().unwrap())
        .sum();
    let film_only: u64 = list
        .iter()
        .map(|s| s["film_only_count"].as_u64().unwrap())
        .sum();
    assert_eq!(album_songs, 357);
    assert_eq!(film_only, 15);
    assert_eq!(list[0]["film_title"], "Singles");
    assert_eq!(list[0]["media"], "film");
    assert!(dir.path().join("library.sqlite3").exists());
}

#[test]
fn show_singles_json_gives_album_order_and_marks_film_only_songs() {
    let dir = tempfile::tempdir().unwrap();
    let singles = cli_json(dir.path(), &["show", "Singles", "--json"]);
    let tracks = singles["tracks"].as_array().unwrap();
    let album: Vec<_> = tracks.iter().filter(|t| t["on_album"] == true).collect();
    assert_eq!(album.len(), 13);
    let positions: Vec<u64> = album
        .iter()
        .map(|t| t["position"].as_u64().unwrap())
        .collect();
    assert_eq!(positions, (1..=13).collect::<Vec<_>>());
    assert_eq!(album[0]["title"], "Would?");
    assert_eq!(album[0]["artists"], serde_json::json!(["Alice in Chains"]));
    let film_only: Vec<_> = tracks.iter().filter(|t| t["on_album"] == false).collect();
    assert_eq!(film_only.len(), 4);
    assert!(film_only.iter().all(|t| t["position"].is_null()));
    assert!(singles["source_urls"].as_array().unwrap().len() >= 2);
}

#[test]
fn show_by_id_matches_show_by_title() {
    let dir = tempfile::tempdir().unwrap();
    let by_title = cli_json(dir.path(), &["show", "lost highway", "--json"]);
    let id = by_title["id"].to_string();
    let by_id = cli_json(dir.path(), &["show", &id, "--json"]);
    assert_eq!(by_title, by_id);
}

#[test]
fn text_output_marks_film_only_songs() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_cli(dir.path(), &["show", "Singles"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(" 1. Would? — Alice in Chains (3:27)"),
        "{text}"
    );
    assert!(
        text.contains("Heard in the film, not on the album:"),
        "{text}"
    );
    assert!(
        text.contains("Three Days — Jane's Addiction  [film only]"),
        "{text}"
    );
}

#[test]
fn unknown_or_ambiguous_titles_fail_clearly_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let before = cli_json(dir.path(), &["soundtracks", "--json"]);

    let missing = run_cli(dir.path(), &["show", "Hackers"]);
    assert_eq!(missing.status.code(), Some(2));
    let message = String::from_utf8_lossy(&missing.stderr);
    assert!(
        message.contains("no soundtrack's film title matches \"Hackers\""),
        "{message}"
    );
    assert!(missing.stdout.is_empty());

    let ambiguous = run_cli(dir.path(), &["show", "Trainspotting"]);
    assert_eq!(ambiguous.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&ambiguous.stderr).contains("matches 2 soundtracks"));

    let bad_flag = run_cli(dir.path(), &["soundtracks", "--jsno"]);
    assert_eq!(bad_flag.status.code(), Some(2));

    assert_eq!(cli_json(dir.path(), &["soundtracks", "--json"]), before);
}

#[test]
fn help_describes_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_cli(dir.path(), &["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for word in [
        "soundtracks",
        "show",
        "search",
        "add",
        "add-songs",
        "favourite",
        "rate",
        "tag",
        "note",
        "delete",
        "trash",
        "restore",
        "--data-dir",
    ] {
        assert!(
            help.contains(word),
            "--help does not mention {word}:\n{help}"
        );
    }
}

#[test]
fn data_dir_from_the_environment_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(cuesheet_tests::cuesheet_bin())
        .args(["soundtracks", "--json"])
        .env("CUESHEET_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(dir.path().join("library.sqlite3").exists());
}

#[test]
fn a_library_from_a_newer_cuesheet_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.sqlite3");
    // A real SQLite file whose schema version is far ahead, written with the sqlite3 format's
    // own header field (user_version lives at byte offset 60, big-endian).
    cli_json(dir.path(), &["soundtracks", "--json"]);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[60..64].copy_from_slice(&999u32.to_be_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let _ = std::fs::remove_file(dir.path().join("library.sqlite3-wal"));
    let _ = std::fs::remove_file(dir.path().join("library.sqlite3-shm"));

    let output = run_cli(dir.path(), &["soundtracks"]);
    assert_eq!(output.status.code(), Some(1));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("schema version 999"), "{message}");
    assert!(message.contains("newer Cuesheet"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

fn ok(data_dir: &std::path::Path, args: &[&str]) -> String {
    let output = run_cli(data_dir, args);
    assert!(
        output.status.success(),
        "cuesheet {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn an_edit_cycle_through_the_cli_lands_in_the_library_file() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["rate", "Singles", "4.5"]);
    ok(dir.path(), &["favourite", "Singles", "--track", "would"]);
    ok(dir.path(), &["tag", "Singles", "grunge", "Seattle"]);
    ok(
        dir.path(),
        &[
            "note",
            "Singles",
            "--track",
            "2",
            "Opening night.\nSecond line.",
        ],
    );
    ok(dir.path(), &["rate", "Singles", "--track", "Breath", "5"]);

    let singles = cli_json(dir.path(), &["show", "Singles", "--json"]);
    assert_eq!(singles["rating"], 9);
    assert_eq!(singles["tags"], serde_json::json!(["grunge", "Seattle"]));
    assert_eq!(singles["tracks"][0]["favourite"], true);
    assert_eq!(
        singles["tracks"][1]["notes"],
        "Opening night.\nSecond line."
    );
    assert_eq!(singles["tracks"][1]["rating"], 10);

    ok(
        dir.path(),
        &["favourite", "Singles", "--track", "would", "--off"],
    );
    ok(dir.path(), &["rate", "Singles", "0"]);
    ok(dir.path(), &["tag", "Singles"]);
    let singles = cli_json(dir.path(), &["show", "Singles", "--json"]);
    assert_eq!(singles["rating"], serde_json::Value::Null);
    assert_eq!(singles["tags"], serde_json::json!([]));
    assert_eq!(singles["tracks"][0]["favourite"], false);
}

#[test]
fn delete_goes_to_the_trash_and_restore_brings_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let before = cli_json(dir.path(), &["show", "Lost Highway", "--json"]);
    let id = before["id"].to_string();
    let said = ok(dir.path(), &["delete", "Lost Highway"]);
    assert!(
        said.contains(&format!("cuesheet restore soundtrack {id}")),
        "{said}"
    );
    assert_eq!(
        cli_json(dir.path(), &["soundtracks", "--json"])
            .as_array()
            .unwrap()
            .len(),
        25
    );
    let trash = cli_json(dir.path(), &["trash", "--json"]);
    assert_eq!(
        trash[0]["target"],
        serde_json::json!({"kind": "soundtrack", "id": before["id"]})
    );

    ok(dir.path(), &["restore", "soundtrack", &id]);
    assert_eq!(cli_json(dir.path(), &["show", &id, "--json"]), before);
}

#[test]
fn bad_edit_arguments_fail_clearly_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let before = cli_json(dir.path(), &["show", "Singles", "--json"]);
    let cases: &[(&[&str], &str)] = &[
        (&["rate", "Singles", "7"], "not a rating"),
        (&["rate", "Singles", "4.3"], "not a rating"),
        (
            &["rate", "Singles", "--track", "99", "3"],
            "no song at position 99",
        ),
        (
            &["favourite", "Hackers"],
            "no soundtrack's film title matches",
        ),
        (&["favourite", "Trainspotting"], "matches 2 soundtracks"),
        (&["restore", "soundtrack", "1"], "nothing in the trash"),
        (&["restore", "album", "1"], "invalid value"),
        (&["tag", "Singles", &"x".repeat(80)], "too long"),
    ];
    for (args, expected) in cases {
        let output = run_cli(dir.path(), args);
        assert!(!output.status.success(), "{args:?} should fail");
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(message.contains(expected), "{args:?}: {message}");
    }
    assert_eq!(cli_json(dir.path(), &["show", "Singles", "--json"]), before);
}

#[test]
fn add_reads_a_track_list_file_and_film_only_songs() {
    let dir = tempfile::tempdir().unwrap();
    let album = dir.path().join("album.txt");
    std::fs::write(
        &album,
        "1. Paul Westerberg – Dyslexic Heart 4:21\n\
         2. The Lemonheads - Mrs. Robinson (3:44)\n\
         \n\
         3) Mötley Crüe — Home Sweet Home\n",
    )
    .unwrap();
    let film = dir.path().join("film.txt");
    std::fs::write(&film, "Nirvana – Smells Like Teen Spirit\n").unwrap();
    let added = cli_json(
        dir.path(),
        &[
            "add",
            "Reality Bites",
            "--year",
            "1994",
            "--album",
            "Reality Bites (Original Motion Picture Soundtrack)",
            "--source",
            "https://example.org/reality-bites",
            "--tracks",
            album.to_str().unwrap(),
            "--film-only",
            film.to_str().unwrap(),
            "--json",
        ],
    );
    let tracks = added["tracks"].as_array().unwrap();
    let read: Vec<(serde_json::Value, &str, &str, bool)> = tracks
        .iter()
        .map(|t| {
            (
                t["position"].clone(),
                t["artists"][0].as_str().unwrap(),
                t["title"].as_str().unwrap(),
                t["on_album"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            (1.into(), "Paul Westerberg", "Dyslexic Heart", true),
            (2.into(), "The Lemonheads", "Mrs. Robinson", true),
            (3.into(), "Mötley Crüe", "Home Sweet Home", true),
            (
                serde_json::Value::Null,
                "Nirvana",
                "Smells Like Teen Spirit",
                false
            ),
        ]
    );
    assert_eq!(tracks[0]["duration_ms"], 261_000);
    assert_eq!(added["source_urls"][0], "https://example.org/reality-bites");
    let shown = cli_json(dir.path(), &["show", "Reality Bites", "--json"]);
    assert_eq!(shown, added);
}

#[test]
fn add_songs_from_standard_input_appends_after_the_last_position() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(cuesheet_tests::cuesheet_bin())
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "add-songs",
            "Singles",
            "-",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Mother Love Bone – Chloe Dancer / Crown of Thorns\n".as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let singles = cli_json(dir.path(), &["show", "Singles", "--json"]);
    let album: Vec<&serde_json::Value> = singles["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["on_album"] == true)
        .collect();
    assert_eq!(album.len(), 14);
    assert_eq!(album[13]["position"], 14);
    assert_eq!(album[13]["title"], "Chloe Dancer / Crown of Thorns");
}

#[test]
fn an_unreadable_track_list_names_the_file_and_line_and_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let before = cli_json(dir.path(), &["soundtracks", "--json"]);
    let list = dir.path().join("sleeve.txt");
    std::fs::write(&list, "Pixies – Where Is My Mind?\nSide B\n").unwrap();
    let cases: Vec<(Vec<String>, String)> = vec![
        (
            vec![
                "add".into(),
                "Fight Club".into(),
                "--tracks".into(),
                list.display().to_string(),
            ],
            format!("{}, line 2: no dash", list.display()),
        ),
        (
            vec![
                "add".into(),
                "Fight Club".into(),
                "--tracks".into(),
                "/nonexistent/list.txt".into(),
            ],
            "cannot read the track list /nonexistent/list.txt".into(),
        ),
        (vec!["add".into(), "  ".into()], "film title".into()),
        (
            vec![
                "add-songs".into(),
                "Hackers".into(),
                list.display().to_string(),
            ],
            "line 2".into(),
        ),
        (
            vec![
                "add".into(),
                "Fight Club".into(),
                "--media".into(),
                "radio".into(),
            ],
            "invalid value".into(),
        ),
    ];
    for (args, expected) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = run_cli(dir.path(), &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(message.contains(&expected), "{args:?}: {message}");
    }
    assert_eq!(cli_json(dir.path(), &["soundtracks", "--json"]), before);
}

fn search_json(data_dir: &std::path::Path, query: &str) -> serde_json::Value {
    cli_json(data_dir, &["search", query, "--json"])
}

fn song_titles(found: &serde_json::Value) -> Vec<String> {
    found["songs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["track"]["title"].as_str().unwrap().to_owned())
        .collect()
}

fn film_titles(found: &serde_json::Value) -> Vec<String> {
    found["soundtracks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["film_title"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn search_ignores_accents_case_punctuation_and_small_misspellings() {
    let dir = tempfile::tempdir().unwrap();
    assert!(song_titles(&search_json(dir.path(), "blue oyster cult"))
        .contains(&"Veteran of the Psychic Wars".to_owned()));
    assert_eq!(song_titles(&search_json(dir.path(), "would"))[0], "Would?");
    assert_eq!(
        film_titles(&search_json(dir.path(), "romeo juliet")),
        ["William Shakespeare's Romeo + Juliet"]
    );
    assert!(film_titles(&search_json(dir.path(), "judgement night"))
        .contains(&"Judgment Night".to_owned()));
    let misspelt = search_json(dir.path(), "trainspoting");
    assert_eq!(film_titles(&misspelt), ["Trainspotting", "Trainspotting"]);
    assert_eq!(misspelt["corrections"][0]["used"], "trainspotting");
    let text = ok(dir.path(), &["search", "smashing", "pumpk"]);
    assert!(text.contains("Drown — The Smashing Pumpkins"), "{text}");
}

#[test]
fn hostile_queries_never_fail_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let before = cli_json(dir.path(), &["soundtracks", "--json"]);
    for query in [
        "\"",
        "'",
        "(",
        ")",
        "*",
        "-",
        "^",
        ":",
        "AND",
        "OR",
        "NOT",
        "NEAR(",
        "a OR b",
        "title:x",
        "\"unterminated",
        "🎸🎶",
        "'; DROP TABLE tracks; --",
        "%",
        "_",
        "\\",
    ] {
        let output = run_cli(dir.path(), &["search", query, "--json"]);
        assert!(
            output.status.success(),
            "{query:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(found["query"], query);
    }
    let missing = run_cli(dir.path(), &["search"]);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(cli_json(dir.path(), &["soundtracks", "--json"]), before);
}

#[test]
fn a_file_argument_opens_the_window_and_a_typo_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = cuesheet_tests::workspace_root().join("tests/fixtures/playlists/grunge.pls");
    let fixture = fixture.to_str().unwrap();

    // No display here: the file is not lost, the message says how to import it instead.
    let output = cuesheet_tests::run_cli(dir.path(), &[fixture]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cuesheet import {fixture}")),
        "{stderr}"
    );

    let output = cuesheet_tests::run_cli(dir.path(), &["soundtrakcs"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("\"soundtrakcs\" is neither a file nor a subcommand"),
        "{stderr}"
    );

    let output = cuesheet_tests::run_cli(dir.path(), &[fixture, "soundtracks"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not both"));

    // Every subcommand still works beside the file argument.
    let list = cuesheet_tests::cli_json(dir.path(), &["soundtracks", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 26);
}

#[test]
fn notices_are_printed_or_their_absence_explained() {
    let dir = tempfile::tempdir().unwrap();
    let output = cuesheet_tests::run_cli(dir.path(), &["notices"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.success() {
        // A build made with `make notices` (the packages): the crates and the npm packages.
        assert!(
            stdout.contains("rusqlite") && stdout.contains("svelte"),
            "{stdout}"
        );
    } else {
        assert_eq!(output.status.code(), Some(1));
        assert!(stdout.is_empty());
        assert!(stderr.contains("make notices"), "{stderr}");
    }
}
