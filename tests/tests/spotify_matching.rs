//! Matching every starter song against the fake Spotify, in both of the search behaviours other
//! clients have met: field filters working, and quoted or apostrophe filters finding nothing.
//! Through the real `cuesheet spotify match`. Matching must not depend on which one Spotify
//! shows: the same decisions, no wrong automatic match (a decoy, another song, or a song the
//! catalogue lacks), and at most 1.3 searches per song on average either way.

use std::path::Path;

use cuesheet_tests::fake_spotify::{FakeSpotify, FakeTrack};
use cuesheet_tests::spotify_cli::{log_in, spotify_json};
use cuesheet_tests::{cli_json, run_cli};
use serde_json::Value;

const PLAYLIST: &str = "Every starter song";

/// A playlist of every song of the starter library (no song carries a Spotify URI).
fn every_starter_song(dir: &Path) {
    let made = run_cli(dir, &["playlist", "create", PLAYLIST]);
    assert!(made.status.success());
    let soundtracks = cli_json(dir, &["soundtracks", "--json"]);
    for soundtrack in soundtracks.as_array().unwrap() {
        let added = run_cli(
            dir,
            &["playlist", "add", PLAYLIST, &soundtrack["id"].to_string()],
        );
        assert!(added.status.success());
    }
}

fn fold(text: &str) -> String {
    text.to_lowercase()
}

/// Matches the whole starter library in a new library; returns the report.
fn match_everything(fake: &FakeSpotify) -> Value {
    let dir = tempfile::tempdir().unwrap();
    log_in(dir.path(), fake);
    every_starter_song(dir.path());
    spotify_json(dir.path(), fake, &["spotify", "match", PLAYLIST, "--json"])
}

/// Panics on any automatic match that is not the song: a decoy, a track of another name, or
/// any match for a song the catalogue does not hold.
fn check_no_wrong_match(catalogue: &[FakeTrack], report: &Value, behaviour: &str) {
    for song in report["songs"].as_array().unwrap() {
        let title = song["title"].as_str().unwrap();
        let held = catalogue
            .iter()
            .any(|t| !t.decoy && fold(&t.name) == fold(title));
        if song["state"] != "matched" {
            continue;
        }
        let uri = song["uri"].as_str().unwrap();
        let track = catalogue
            .iter()
            .find(|t| t.uri() == uri)
            .unwrap_or_else(|| panic!("{behaviour}: {title} matched {uri}, not in the catalogue"));
        assert!(
            held,
            "{behaviour}: {title} is not on Spotify, yet matched {}",
            track.name
        );
        assert!(
            !track.decoy,
            "{behaviour}: {title} matched the decoy {track:?}"
        );
        assert!(
            fold(&track.name).starts_with(&fold(title)),
            "{behaviour}: {title} matched {}",
            track.name
        );
    }
}

#[test]
fn matching_is_the_same_whether_or_not_quoted_filters_find_anything() {
    let fake = FakeSpotify::start();
    let catalogue = fake.catalogue();
    let normal = match_everything(&fake);
    fake.faults().quoted_filters_find_nothing = true;
    let fragile = match_everything(&fake);

    let songs = normal["songs"].as_array().unwrap().len();
    assert!(songs > 300, "{songs} songs");
    for (behaviour, report) in [
        ("filters work", &normal),
        ("quoted filters find nothing", &fragile),
    ] {
        check_no_wrong_match(&catalogue, report, behaviour);
        let searches = report["calls"]["searches"].as_u64().unwrap();
        let per_song = searches as f64 / songs as f64;
        println!(
            "{behaviour}: {searches} searches for {songs} songs ({per_song:.2} per song), {}",
            report["counts"]
        );
        assert!(
            per_song <= 1.3,
            "{behaviour}: {per_song:.2} searches per song"
        );
        assert!(
            report["counts"]["matched"].as_u64().unwrap() as f64 >= 0.85 * songs as f64,
            "{behaviour}: {}",
            report["counts"]
        );
    }
    let decisions = |report: &Value| -> Vec<(Value, Value)> {
        report["songs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["state"].clone(), s["uri"].clone()))
            .collect()
    };
    assert_eq!(decisions(&normal), decisions(&fragile));
}
