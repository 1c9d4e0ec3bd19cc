//! `cuesheet survey --online` through the real binary against the fake MusicBrainz: titles the
//! library lacks are found as soundtrack release groups, a band's album of the same name is
//! never a vote, each phrase is asked once (and a second count is answered from the cache),
//! `--add-found` adds what was found before the ranked list is made, and without the network
//! there is one clear message and no change.
//!
//! The fake keeps MusicBrainz's one-request-per-second rule, so each count here takes as many
//! seconds as it has phrases to ask.

use std::path::Path;

use cuesheet_tests::fake_musicbrainz::catalogue::mbid;
use cuesheet_tests::fake_musicbrainz::{FakeMusicBrainz, Host};
use cuesheet_tests::musicbrainz_cli::{assert_good_citizen, mb, mb_json, musicbrainz_requests};
use cuesheet_tests::survey_json::{entry, fixture, pairs, ranked_films, tally};
use cuesheet_tests::{cli_command, cli_json};
use serde_json::Value;

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

fn survey(dir: &Path, fake: &FakeMusicBrainz, name: &str, extra: &[&str]) -> Value {
    let path = fixture(name);
    let mut args = vec!["survey", path.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    mb_json(dir, fake, &args)
}

/// The search queries MusicBrainz received, in order.
fn searches(fake: &FakeMusicBrainz) -> Vec<String> {
    fake.requests()
        .iter()
        .filter(|r| r.host == Host::MusicBrainz && r.path == "/ws/2/release")
        .map(|r| r.query.clone())
        .collect()
}

#[test]
fn titles_known_only_online_count_and_bands_never_do() {
    let fake = FakeMusicBrainz::start();
    let dir = tempfile::tempdir().unwrap();
    let offline = cli_json(
        dir.path(),
        &["survey", fixture("online.txt").to_str().unwrap(), "--json"],
    );
    assert_eq!(offline["tally"], serde_json::json!([]), "{offline:#}");

    let online = survey(dir.path(), &fake, "online.txt", &["--online"]);
    assert_eq!(
        tally(&online),
        pairs(&[
            ("Reality Bites", 2),
            ("Natural Born Killers", 1),
            ("Tank Girl", 1),
            ("Clerks", 1),
        ]),
        "a title quoted, lower-case, next to \"soundtrack\" and in a sentence; Tank Girl named \
         twice in one comment is one vote"
    );
    let reality = entry(&online, "Reality Bites");
    assert_eq!(reality["soundtrack_id"], Value::Null);
    assert_eq!(
        reality["release_group_id"],
        mbid("group reality bites"),
        "the film's soundtrack, not the band album of the same name"
    );
    assert_eq!(
        reality["release_id"],
        mbid("release reality bites"),
        "the edition adding it would store"
    );
    assert_eq!(
        entry(&online, "Clerks")["release_group_id"],
        mbid("group clerks"),
        "the original, not Clerks II or III"
    );
    let titles: Vec<String> = tally(&online).into_iter().map(|(t, _)| t).collect();
    for band in ["Garbage", "Radiohead", "Singles"] {
        assert!(
            !titles.contains(&band.to_owned()),
            "{band} counted: {titles:?}"
        );
    }
    assert!(
        strings(&online["unrecognised"]).contains(&"Hackers"),
        "a title MusicBrainz does not know stays for the curator: {online:#}"
    );

    // Every search asked for soundtracks only, each phrase once, at MusicBrainz's pace.
    let asked = searches(&fake);
    assert!(!asked.is_empty());
    assert!(
        asked
            .iter()
            .all(|q| q.contains("secondarytype%3Asoundtrack")
                || q.contains("secondarytype:soundtrack")),
        "{asked:?}"
    );
    let mut distinct = asked.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        asked.len(),
        "a phrase asked twice: {asked:?}"
    );
    assert_good_citizen(&fake);

    // Counted again, the answers come from the library's cache: no request at all.
    fake.clear_requests();
    let again = survey(dir.path(), &fake, "online.txt", &["--online"]);
    assert_eq!(tally(&again), tally(&online));
    assert_eq!(musicbrainz_requests(&fake), 0);
}

#[test]
fn the_library_wins_and_the_rest_is_found_online() {
    let fake = FakeMusicBrainz::start();
    let dir = tempfile::tempdir().unwrap();
    let online = survey(dir.path(), &fake, "wordpress.txt", &["--online"]);
    assert_eq!(
        tally(&online),
        pairs(&[
            ("Singles", 3),
            ("The Crow", 2),
            ("Judgment Night", 1),
            ("Trainspotting", 1),
            ("Pump Up the Volume", 1),
            ("Lost Highway", 1),
            ("Empire Records", 1),
            ("Tank Girl", 1),
        ]),
        "the offline count stands; the post's own mention of Empire Records is not a vote"
    );
    assert_eq!(entry(&online, "Singles")["soundtrack_id"], 1);
    assert_eq!(
        entry(&online, "Empire Records")["release_group_id"],
        mbid("group empire records")
    );
    let asked = searches(&fake).join("\n");
    for never_asked in ["garbage", "radiohead", "singles", "underworld"] {
        assert!(
            !asked
                .to_lowercase()
                .contains(&format!("release%3A%28{never_asked}%29"))
                && !asked.contains(&format!("release:({never_asked})")),
            "{never_asked} was looked up: {asked}"
        );
    }
    assert_good_citizen(&fake);
}

#[test]
fn add_found_adds_the_soundtracks_before_the_list_is_made() {
    let fake = FakeMusicBrainz::start();
    let dir = tempfile::tempdir().unwrap();
    let before = cli_json(dir.path(), &["soundtracks", "--json"]);
    let saved = survey(
        dir.path(),
        &fake,
        "online.txt",
        &["--online", "--add-found", "--ranked-list", "Found online"],
    );
    let added: Vec<&str> = saved["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        added,
        [
            "Reality Bites",
            "Natural Born Killers",
            "Tank Girl",
            "Clerks"
        ]
    );
    let after = cli_json(dir.path(), &["soundtracks", "--json"]);
    assert_eq!(
        after.as_array().unwrap().len(),
        before.as_array().unwrap().len() + 4
    );
    let id = saved["ranked_list_id"].as_i64().unwrap();
    let list = cli_json(dir.path(), &["ranked", "show", &id.to_string(), "--json"]);
    let films = ranked_films(&list);
    assert_eq!(
        films,
        [
            "Reality Bites",
            "Natural Born Killers",
            "Tank Girl",
            "Clerks"
        ]
    );
    assert_eq!(list["waiting"], serde_json::json!([]));
    // The added soundtrack holds what MusicBrainz served.
    let reality_id = saved["added"][0]["soundtrack_id"].as_i64().unwrap();
    let detail = cli_json(dir.path(), &["show", &reality_id.to_string(), "--json"]);
    let songs: Vec<&str> = detail["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(songs, ["My Sharona", "Stay (I Missed You)"]);
    assert_good_citizen(&fake);

    // A name already taken is refused before anything is added.
    fake.clear_requests();
    let soundtracks = cli_json(dir.path(), &["soundtracks", "--json"]);
    let path = fixture("wordpress.txt");
    let refused = mb(
        dir.path(),
        &fake,
        &[
            "survey",
            path.to_str().unwrap(),
            "--online",
            "--add-found",
            "--ranked-list",
            "FOUND ONLINE",
        ],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already exists"));
    assert_eq!(
        cli_json(dir.path(), &["soundtracks", "--json"]),
        soundtracks
    );
    assert!(
        fake.requests()
            .iter()
            .all(|r| !r.path.starts_with("/ws/2/release/")),
        "a release was fetched for a list that could not be made"
    );
}

#[test]
fn without_the_network_one_message_and_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let lists = cli_json(dir.path(), &["ranked", "list", "--json"]);
    let path = fixture("online.txt");
    let output = cli_command(
        dir.path(),
        &[
            "survey",
            path.to_str().unwrap(),
            "--online",
            "--ranked-list",
            "Never made",
        ],
    )
    .env(
        "CUESHEET_MUSICBRAINZ_URL",
        format!("http://127.0.0.1:{port}/ws/2"),
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("looking up"))
        .collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("could not reach MusicBrainz"), "{stderr}");
    assert!(output.stdout.is_empty());
    assert_eq!(cli_json(dir.path(), &["ranked", "list", "--json"]), lists);
}

/// A long thread in the shape of the blog post the starter library comes from (numbered
/// WordPress comments with nested replies), counted by hand: the library's titles offline, the
/// rest online, and none of its bands, songs or Don McLean's "American Pie".
#[test]
fn a_long_blog_thread_counted_by_hand() {
    let fake = FakeMusicBrainz::start();
    let dir = tempfile::tempdir().unwrap();
    let online = survey(dir.path(), &fake, "alt_rock_survey.txt", &["--online"]);
    assert_eq!(
        online["comments"], 27,
        "24 comments and 3 replies; the post is not one"
    );
    assert_eq!(
        tally(&online),
        pairs(&[
            ("Singles", 5),
            ("The Crow", 3),
            ("Trainspotting", 2),
            ("Empire Records", 2),
            ("Pump Up the Volume", 2),
            ("Natural Born Killers", 2),
            ("Judgment Night", 1),
            ("William Shakespeare's Romeo + Juliet", 1),
            ("Lost Highway", 1),
            ("Reality Bites", 1),
            ("Clerks", 1),
            ("Dazed and Confused", 1),
            ("Tank Girl", 1),
            ("Heavy Metal", 1),
            ("Scott Pilgrim vs. the World", 1),
            ("The Crow: City of Angels", 1),
            ("Pretty in Pink", 1),
        ])
    );
    let titles: Vec<String> = tally(&online).into_iter().map(|(t, _)| t).collect();
    for not_a_film in [
        "American Pie",
        "Garbage",
        "Radiohead",
        "Born Slippy",
        "Got Me Wrong",
    ] {
        assert!(
            !titles.contains(&not_a_film.to_owned()),
            "{not_a_film} counted"
        );
    }
    assert_good_citizen(&fake);
}
