//! Playlists through the CLI: every fixture in tests/fixtures/playlists imports to the songs it
//! holds, malformed ones are refused with file and line and change nothing, and every export
//! format reads back to the same songs in the same order, duplicates kept.

use std::path::{Path, PathBuf};

use cuesheet_tests::{cli_json, run_cli, workspace_root};

fn fixture(name: &str) -> PathBuf {
    workspace_root().join("tests/fixtures/playlists").join(name)
}

fn import(dir: &Path, file: &Path) -> serde_json::Value {
    cli_json(dir, &["import", file.to_str().unwrap(), "--json"])
}

/// A song as the tests compare it: title and artists in order.
type Song = (String, Vec<String>);

fn songs(dir: &Path, playlist: &str) -> Vec<Song> {
    let shown = cli_json(dir, &["playlist", "show", playlist, "--json"]);
    shown["songs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let artists = s["song"]["artists"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_owned())
                .collect();
            (s["song"]["title"].as_str().unwrap().to_owned(), artists)
        })
        .collect()
}

fn song(title: &str, artists: &[&str]) -> Song {
    (
        title.to_owned(),
        artists.iter().map(|a| (*a).to_owned()).collect(),
    )
}

#[test]
fn each_format_and_dialect_imports_its_songs() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, &str, Vec<Song>)> = vec![
        (
            "crow-night.m3u8",
            "Crow night",
            vec![
                song("Burn", &["The Cure"]),
                song("Big Empty", &["Stone Temple Pilots"]),
                song("Merry Christmas Mr. Lawrence", &["坂本龍一"]),
            ],
        ),
        (
            "grunge.pls",
            "grunge",
            vec![
                song("Would?", &["Alice in Chains"]),
                song("Overblown", &["Mudhoney"]),
            ],
        ),
        (
            "no-namespace.xspf",
            "Lynch & friends",
            vec![
                song("Rammstein", &["Rammstein"]),
                song("Hoppípolla", &["Sigur Rós"]),
            ],
        ),
        (
            "mix.jspf",
            "Romeo mix",
            vec![
                song("#1 Crush", &["Garbage"]),
                song("Lovefool", &["The Cardigans"]),
            ],
        ),
        (
            "exportify.csv",
            "exportify",
            vec![song(
                "Suite: Judy Blue Eyes",
                &["Crosby, Stills & Nash", "Neil Young"],
            )],
        ),
        (
            "exportify-new.csv",
            "exportify-new",
            vec![
                song(
                    "Suite: Judy Blue Eyes",
                    &["Crosby, Stills & Nash", "Neil Young"],
                ),
                song("夢で逢えたら", &["大瀧詠一"]),
            ],
        ),
        (
            "soundiiz.csv",
            "soundiiz",
            vec![
                song("Hyperballad", &["Björk"]),
                song("Semi; colon", &["Artist, with comma"]),
            ],
        ),
        (
            "pasted.txt",
            "pasted",
            vec![
                song("Would?", &["Alice in Chains"]),
                song("Breath", &["Pearl Jam"]),
            ],
        ),
        // What VLC writes for untagged files: valid XSPF whose tracks have only a location.
        (
            "vlc-untagged.xspf",
            "Untagged rips",
            vec![
                song("Would?", &["Alice in Chains"]),
                song("Breath", &["Pearl Jam"]),
                song("Overblown", &["Mudhoney"]),
            ],
        ),
        (
            "identifier-only.xspf",
            "identifier-only",
            vec![
                song("spotify:track:5sFDReWLrZHLFZFjHsjUTS", &[]),
                song("Nearly Lost You", &["Screaming Trees"]),
            ],
        ),
        // ListenBrainz's export: identifiers as a string or a list, extensions of its own.
        (
            "listenbrainz.jspf",
            "Weekly Jams for curator",
            vec![
                song("Would?", &["Alice in Chains"]),
                song("Breath", &["Pearl Jam"]),
                song("Birth Ritual", &["Soundgarden"]),
            ],
        ),
        // CRLF, file:// URIs percent-encoded, an entry without #EXTINF, #EXTART before #EXTINF.
        (
            "vlc-uris.m3u",
            "vlc-uris",
            vec![
                song("Would?", &["Alice in Chains"]),
                song("Breath", &["Pearl Jam"]),
                song("Overblown", &["Mudhoney"]),
            ],
        ),
    ];
    for (file, name, expected) in cases {
        let created = import(dir.path(), &fixture(file));
        assert_eq!(created[0]["name"], name, "{file}");
        let id = created[0]["id"].to_string();
        assert_eq!(songs(dir.path(), &id), expected, "{file}");
    }
}

#[test]
fn tunemymusic_makes_one_playlist_per_name_and_links_library_songs() {
    let dir = tempfile::tempdir().unwrap();
    let created = import(dir.path(), &fixture("tunemymusic.csv"));
    let names: Vec<&str> = created
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Grunge", "Goth"]);
    // Would? names the album, Breath the film: both are songs of the Singles soundtrack; Burn
    // names the film The Crow, whose album opens with it.
    assert_eq!(created[0]["linked_to_library"], 2);
    assert_eq!(created[1]["linked_to_library"], 1);
    assert_eq!(
        songs(dir.path(), "Grunge"),
        [
            song("Would?", &["Alice in Chains"]),
            song("Breath", &["Pearl Jam"])
        ]
    );
}

/// TuneMyMusic writes a row with every song column empty for a deleted or private video: the
/// row is skipped and counted, and the rest of the file imports.
#[test]
fn tunemymusic_rows_naming_no_song_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture("tunemymusic-deleted.csv");
    let output = run_cli(dir.path(), &["import", path.to_str().unwrap(), "--json"]);
    assert!(output.status.success());
    let created: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(created[0]["name"], "Liked videos");
    assert_eq!(created[0]["song_count"], 2);
    assert_eq!(created[0]["skipped"], 2);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("skipped 2 row(s) that named no song"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        songs(dir.path(), "Liked videos"),
        [
            song("Would?", &["Alice in Chains"]),
            song("Breath", &["Pearl Jam"])
        ]
    );
}

#[test]
fn malformed_files_are_refused_with_file_and_line_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    import(dir.path(), &fixture("grunge.pls"));
    let before = cli_json(dir.path(), &["playlists", "--json"]);
    for (file, expected) in [
        ("broken-extinf.m3u8", "line 2"),
        ("unclosed.xspf", "never closed"),
        ("empty-title.csv", "line 3"),
        ("no-title.jspf", "no \"title\""),
        ("bad-key.pls", "line 4: filex is not a numbered key"),
        (
            "bad-extension.m3u8",
            "line 3: the #CUESHEET line is not valid",
        ),
        (
            "stray-quote.csv",
            "line 3: 1 field(s) where the header has 2",
        ),
        (
            "unclosed-quote.csv",
            "line 3: a quote opened on this row is never closed",
        ),
        ("nul-title.m3u8", "line 4: the title holds a NUL character"),
    ] {
        let path = fixture(file);
        let output = run_cli(dir.path(), &["import", path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{file}");
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(message.contains(file), "{file}: {message}");
        assert!(message.contains(expected), "{file}: {message}");
        assert_eq!(
            cli_json(dir.path(), &["playlists", "--json"]),
            before,
            "{file}"
        );
    }
}

#[test]
fn every_export_format_reads_back_to_the_same_songs_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let made = run_cli(
        dir.path(),
        &["playlist", "from-soundtrack", "Singles", "--with-film-only"],
    );
    assert!(made.status.success());
    let add = run_cli(
        dir.path(),
        &["playlist", "add", "1", "Singles", "--track", "would"],
    );
    assert!(add.status.success());
    assert!(String::from_utf8_lossy(&add.stderr).contains("already on"));
    let original = songs(dir.path(), "1");
    assert_eq!(original.len(), 18);
    assert_eq!(
        original[0], original[17],
        "the duplicate is kept at the end"
    );
    for format in ["m3u8", "pls", "xspf", "jspf", "csv"] {
        let file = dir.path().join(format!("singles.{format}"));
        let output = run_cli(
            dir.path(),
            &[
                "export",
                "1",
                "--format",
                format,
                "-o",
                file.to_str().unwrap(),
            ],
        );
        assert!(
            output.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let created = import(dir.path(), &file);
        let id = created[0]["id"].to_string();
        assert_eq!(songs(dir.path(), &id), original, "{format}");
        assert_eq!(created[0]["linked_to_library"], 18, "{format}");
    }
    let bad = run_cli(dir.path(), &["export", "1", "--format", "wav"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_ranked_list_makes_a_playlist_of_its_top_songs() {
    let dir = tempfile::tempdir().unwrap();
    let ok = |args: &[&str]| {
        let output = run_cli(dir.path(), args);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    ok(&["ranked", "create", "Best of"]);
    ok(&[
        "ranked",
        "add",
        "Best of",
        "The Crow",
        "--note",
        "Burn opens it",
    ]);
    ok(&["ranked", "add", "Best of", "Singles", "--rank", "1"]);
    ok(&["ranked", "add", "Best of", "Lost Highway"]);
    ok(&["ranked", "move", "Best of", "3", "2"]);
    ok(&["favourite", "Singles", "--track", "seasons"]);
    let shown = cli_json(dir.path(), &["ranked", "show", "Best of", "--json"]);
    let films: Vec<&str> = shown["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["soundtrack"]["film_title"].as_str().unwrap())
        .collect();
    assert_eq!(films, ["Singles", "Lost Highway", "The Crow"]);
    assert_eq!(shown["entries"][2]["note"], "Burn opens it");

    let twice = run_cli(dir.path(), &["ranked", "add", "Best of", "Singles"]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("already on Best of"));

    ok(&[
        "ranked", "playlist", "Best of", "--top", "2", "--songs", "2",
    ]);
    let titles: Vec<String> = songs(dir.path(), "Best of — top 2 of the top 2")
        .into_iter()
        .map(|(title, _)| title)
        .collect();
    assert_eq!(titles.len(), 4);
    assert_eq!(
        &titles[..2],
        ["Seasons", "Would?"],
        "the favourite first, then album order"
    );
}

#[test]
fn backup_and_restore_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let ok = |args: &[&str]| {
        let output = run_cli(dir.path(), args);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    ok(&["playlist", "from-soundtrack", "Singles"]);
    ok(&["rate", "Singles", "4.5"]);
    let before = (
        cli_json(dir.path(), &["soundtracks", "--json"]),
        cli_json(dir.path(), &["playlist", "show", "1", "--json"]),
    );
    let file = dir.path().join("mine.cuesheet");
    let file = file.to_str().unwrap();
    assert!(ok(&["backup", file]).contains("26 soundtracks"));

    ok(&["delete", "Singles"]);
    ok(&["playlist", "delete", "1"]);
    let refused = run_cli(dir.path(), &["restore", file]);
    assert_eq!(refused.status.code(), Some(2));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("--replace") && message.contains("--merge"),
        "{message}"
    );
    assert!(cli_json(dir.path(), &["playlists", "--json"])
        .as_array()
        .unwrap()
        .is_empty());

    assert!(ok(&["restore", file, "--replace"]).contains("previous library is kept"));
    let after = (
        cli_json(dir.path(), &["soundtracks", "--json"]),
        cli_json(dir.path(), &["playlist", "show", "1", "--json"]),
    );
    assert_eq!(after, before);

    // Merging the same backup into the restored library adds nothing.
    assert!(ok(&["restore", file, "--merge"]).contains("added 0 soundtracks"));
    assert_eq!(cli_json(dir.path(), &["soundtracks", "--json"]), before.0);

    let junk = dir.path().join("junk.txt");
    std::fs::write(&junk, "hello").unwrap();
    let refused = run_cli(
        dir.path(),
        &["restore", junk.to_str().unwrap(), "--replace"],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(cli_json(dir.path(), &["soundtracks", "--json"]), before.0);
}

#[test]
fn an_old_winamp_m3u_in_the_western_code_page_imports_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    // As Winamp saved it on a Western European Windows: "ö" is the single byte 0xF6.
    let file = fixture("winamp-western.m3u");
    let data = dir.path().join("data");
    let output = run_cli(&data, &["import", file.to_str().unwrap(), "--json"]);
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("line 2 is not UTF-8"), "{said}");
    assert!(said.contains("Windows-1252"), "{said}");
    let created: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(created[0]["song_count"], 2);
    assert_eq!(
        songs(&data, "winamp-western"),
        [
            song("Jóga", &["Björk"]),
            song("Ace of Spades", &["Motörhead"])
        ]
    );
    // A UTF-8 file says nothing of the kind.
    let plain = dir.path().join("plain.m3u8");
    std::fs::write(&plain, "#EXTM3U\n#EXTINF:245,Björk - Jóga\njoga.mp3\n").unwrap();
    let output = run_cli(&data, &["import", plain.to_str().unwrap()]);
    assert!(output.status.success());
    assert!(!String::from_utf8_lossy(&output.stderr).contains("UTF-8"));
}
