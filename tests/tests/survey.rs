//! `cuesheet survey` through the real binary on a temporary library: threads written for these
//! tests in each copy-paste shape (tests/fixtures/surveys), with the issue's traps, counted to
//! JSON and saved as ranked lists; bad input refused by name with nothing changed.

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::process::Stdio;

use cuesheet_tests::survey_json::{entry, fixture, pairs, ranked_films, tally};
use cuesheet_tests::{cli_command, cli_json, run_cli};
use serde_json::Value;

fn count(dir: &Path, name: &str, extra: &[&str]) -> Value {
    let path = fixture(name);
    let mut args = vec!["survey", path.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    cli_json(dir, &args)
}

#[test]
fn a_wordpress_thread_with_the_issues_traps() {
    let dir = tempfile::tempdir().unwrap();
    let off = count(dir.path(), "wordpress.txt", &[]);
    assert_eq!(
        off["comments"], 11,
        "the post is not a comment; replies are"
    );
    assert_eq!(
        tally(&off),
        pairs(&[
            ("Singles", 3),
            ("The Crow", 2),
            ("Judgment Night", 1),
            ("Trainspotting", 1),
            ("Pump Up the Volume", 1),
            ("Lost Highway", 1),
        ]),
        "votes, then first mention; a comment naming a film three times is one vote"
    );
    let singles = entry(&off, "Singles");
    assert_eq!(singles["soundtrack_id"], 1);
    assert_eq!(singles["release_group_id"], Value::Null);
    let quoted: Vec<&str> = singles["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(
        quoted.contains(&"Alice in Chains") && quoted.contains(&"Pearl Jam"),
        "{quoted:?}"
    );
    assert_eq!(
        entry(&off, "Judgment Night")["evidence"]
            .as_array()
            .unwrap()
            .len(),
        3,
        "each of the three mentions shown"
    );
    assert_eq!(
        entry(&off, "Trainspotting")["evidence"][0]["text"],
        "Trainspoting"
    );
    // Bands in a list of songs, a band named like a film, and a band's album named like a
    // film are not votes.
    let titles: Vec<String> = tally(&off).into_iter().map(|(t, _)| t).collect();
    for not_a_film in ["Underworld", "William Shakespeare's Romeo + Juliet"] {
        assert!(
            !titles.contains(&not_a_film.to_owned()),
            "{not_a_film} counted: {titles:?}"
        );
    }
    let highway_titles = entry(&off, "Lost Highway")["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "title")
        .count();
    assert_eq!(
        highway_titles, 1,
        "Bon Jovi's album of that name is not a mention"
    );
    let unrecognised: Vec<&str> = off["unrecognised"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(unrecognised.contains(&"Empire Records") && unrecognised.contains(&"Tank Girl"));
    for band_or_song in [
        "Garbage",
        "Radiohead",
        "Smashing Pumpkins",
        "Drown",
        "Underworld",
        "Bon Jovi",
    ] {
        assert!(
            !unrecognised.contains(&band_or_song),
            "{band_or_song} offered as a title: {unrecognised:?}"
        );
    }

    // With the switch on, "You read my mind!!" and "+1" count for the comments they answer.
    let on = count(dir.path(), "wordpress.txt", &["--agreeing-replies"]);
    assert_eq!(
        tally(&on),
        pairs(&[
            ("Singles", 4),
            ("Trainspotting", 2),
            ("The Crow", 2),
            ("Judgment Night", 1),
            ("Pump Up the Volume", 1),
            ("Lost Highway", 1),
        ])
    );
    let agreement = entry(&on, "Trainspotting")["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "agreement")
        .cloned()
        .unwrap();
    assert_eq!(agreement["comment"], 6);
    assert_eq!(agreement["text"], "+1");
}

#[test]
fn threads_in_the_other_shapes() {
    let dir = tempfile::tempdir().unwrap();
    /// A thread, its tally, and its tally with agreeing replies counted.
    type Case<'a> = (&'a str, &'a [(&'a str, u64)], &'a [(&'a str, u64)]);
    let cases: &[Case] = &[
        (
            "reddit.txt",
            &[
                ("William Shakespeare's Romeo + Juliet", 2),
                ("Garden State", 2),
                ("Heavy Metal", 1),
            ],
            &[
                ("William Shakespeare's Romeo + Juliet", 3),
                ("Garden State", 2),
                ("Heavy Metal", 1),
            ],
        ),
        (
            "disqus.txt",
            &[
                ("Valley Girl", 1),
                ("24 Hour Party People", 1),
                ("Urgh! A Music War", 1),
            ],
            &[
                ("Valley Girl", 2),
                ("24 Hour Party People", 1),
                ("Urgh! A Music War", 1),
            ],
        ),
        (
            "youtube.txt",
            &[
                ("Some Kind of Wonderful", 1),
                ("Phantom of the Paradise", 1),
            ],
            &[
                ("Some Kind of Wonderful", 2),
                ("Phantom of the Paradise", 1),
            ],
        ),
        (
            "paragraphs.txt",
            &[
                ("Love and a .45", 1),
                ("Baby Driver", 1),
                ("A Life Less Ordinary", 1),
                ("The Punisher", 1),
                ("The Twilight Saga: New Moon", 1),
                ("Cha Cha", 1),
            ],
            &[
                ("Love and a .45", 1),
                ("Baby Driver", 1),
                ("A Life Less Ordinary", 1),
                ("The Punisher", 1),
                ("The Twilight Saga: New Moon", 1),
                ("Cha Cha", 1),
            ],
        ),
    ];
    for (file, off, on) in cases {
        assert_eq!(tally(&count(dir.path(), file, &[])), pairs(off), "{file}");
        assert_eq!(
            tally(&count(dir.path(), file, &["--agreeing-replies"])),
            pairs(on),
            "{file} with agreeing replies"
        );
    }
}

#[test]
fn reads_standard_input_and_prints_for_people() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = cli_command(dir.path(), &["survey", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Singles, for sure.\n\nThe Crow.\n\nSingles again\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("3 comment(s), read as Paragraphs"),
        "{text}"
    );
    assert!(
        text.contains("1. Singles — 2 votes (soundtrack 1)"),
        "{text}"
    );
    assert!(text.contains("2. The Crow — 1 vote"), "{text}");
}

#[test]
fn saving_the_count_as_a_ranked_list_and_counting_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture("wordpress.txt");
    let saved = cli_json(
        dir.path(),
        &[
            "survey",
            path.to_str().unwrap(),
            "--agreeing-replies",
            "--ranked-list",
            "Readers' twenties",
            "--json",
        ],
    );
    let id = saved["ranked_list_id"].as_i64().expect("the new list's id");
    let list = cli_json(dir.path(), &["ranked", "show", &id.to_string(), "--json"]);
    let films = ranked_films(&list);
    assert_eq!(
        films,
        [
            "Singles",
            "Trainspotting",
            "The Crow",
            "Judgment Night",
            "Pump Up the Volume",
            "Lost Highway"
        ],
        "vote order, ties by first mention"
    );
    assert_eq!(
        list["entries"][0]["note"],
        "4 votes — “Would? by Alice in Chains, Breath by Pearl Jam, Seasons by Chris Cornell.”"
    );
    assert_eq!(
        list["entries"][3]["note"],
        "1 vote — “Judgement Night, Judgement Night, Judgement Night.”"
    );
    assert_eq!(list["summary"]["from_survey"], true);
    assert_eq!(list["waiting"], serde_json::json!([]));

    // The thread is kept with the list; counted again it gives the same tally.
    let kept = run_cli(dir.path(), &["ranked", "thread", &id.to_string()]);
    assert!(kept.status.success());
    assert_eq!(kept.stdout, std::fs::read(&path).unwrap());
    let mut again = cli_command(dir.path(), &["survey", "-", "--agreeing-replies", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    again.stdin.take().unwrap().write_all(&kept.stdout).unwrap();
    let recount: Value = serde_json::from_slice(&again.wait_with_output().unwrap().stdout).unwrap();
    assert_eq!(tally(&recount), tally(&saved));

    // The same name again is refused and nothing is added.
    let before = cli_json(dir.path(), &["ranked", "list", "--json"]);
    let refused = run_cli(
        dir.path(),
        &[
            "survey",
            path.to_str().unwrap(),
            "--ranked-list",
            "readers' TWENTIES",
        ],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already exists"));
    assert_eq!(cli_json(dir.path(), &["ranked", "list", "--json"]), before);
}

#[test]
fn bad_input_is_refused_by_name_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let before = cli_json(dir.path(), &["ranked", "list", "--json"]);
    let missing = dir.path().join("no-such-thread.txt");
    let binary = dir.path().join("thread.txt");
    std::fs::write(&binary, b"Singles \xff\xfe rules\n").unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n\nReply\nShare\n").unwrap();
    let no_votes = dir.path().join("no-votes.txt");
    std::fs::write(&no_votes, "Nice post.\n\nThanks for writing this!\n").unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["survey".into(), missing.display().to_string()],
            "cannot read the thread",
        ),
        (
            vec!["survey".into(), binary.display().to_string()],
            "is not UTF-8 text",
        ),
        (
            vec!["survey".into(), empty.display().to_string()],
            "holds no comments",
        ),
        (
            vec![
                "survey".into(),
                no_votes.display().to_string(),
                "--ranked-list".into(),
                "Nothing".into(),
            ],
            "no votes",
        ),
        (
            vec![
                "survey".into(),
                fixture("reddit.txt").display().to_string(),
                "--ranked-list".into(),
                "  ".into(),
            ],
            "ranked list name",
        ),
        (
            vec![
                "survey".into(),
                fixture("reddit.txt").display().to_string(),
                "--add-found".into(),
                "--ranked-list".into(),
                "Online".into(),
            ],
            "--online",
        ),
    ];
    for (args, says) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = run_cli(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(says),
            "{args:?} should say {says:?}: {stderr}"
        );
        assert!(
            output.stdout.is_empty(),
            "{args:?} printed {:?}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
    assert_eq!(cli_json(dir.path(), &["ranked", "list", "--json"]), before);
}

#[test]
fn without_online_nothing_touches_the_network() {
    // A listener standing in for MusicBrainz and for any proxy: a count without --online must
    // never connect to it, whatever the environment points at.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let path = fixture("wordpress.txt");
    let output = cli_command(
        dir.path(),
        &[
            "survey",
            path.to_str().unwrap(),
            "--json",
            "--ranked-list",
            "Offline",
        ],
    )
    .env("CUESHEET_MUSICBRAINZ_URL", &address)
    .env("CUESHEET_COVERART_URL", &address)
    .env("HTTP_PROXY", &address)
    .env("HTTPS_PROXY", &address)
    .env("ALL_PROXY", &address)
    .output()
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let count: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(count["unrecognised"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "Empire Records"));
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the count connected to the network"
    );
}
