//! Finding soundtracks online through the real `cuesheet` binary, against the fake MusicBrainz
//! and Cover Art Archive (tests/support/fake_musicbrainz): look-ups put the right release group
//! and edition first, `add --release` stores exactly what was served, `enrich --all --apply`
//! fills the starter library without changing anything typed and without a wrong match, and
//! with no network there is one clear message and no change. Every test also checks that the
//! fake never had to answer 503 and saw Cuesheet's User-Agent.
//!
//! The fake keeps MusicBrainz's one-request-per-second rule, so these tests run at that pace:
//! each keeps its request count small (the whole-library test makes about fifty).

use std::path::Path;

use cuesheet_tests::fake_musicbrainz::{FakeMusicBrainz, Host};
use cuesheet_tests::musicbrainz_cli::{assert_good_citizen, mb, mb_json, musicbrainz_requests};
use cuesheet_tests::{cli_command, cli_json, run_cli};
use serde_json::Value;

#[test]
fn lookups_put_the_right_release_group_and_edition_first() {
    let fake = FakeMusicBrainz::start();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        // A sequel's songs, not its score, not the first film; the CD, not the promo or vinyl.
        (
            "the crow city of angels",
            "The Crow: City of Angels (Original Motion Picture Soundtrack)",
            "1996-07-30",
        ),
        // "score" asks for the score.
        (
            "The Crow score",
            "The Crow: Original Motion Picture Score",
            "1994-05-10",
        ),
        // The first film, not Clerks II or III.
        (
            "Clerks",
            "Clerks: Music From the Motion Picture",
            "1994-10-11",
        ),
        // The original CD, not the cassette of the same day or the vinyl reissue.
        (
            "Empire Records soundtrack",
            "Empire Records: The Original Motion Picture Soundtrack",
            "1995-08-22",
        ),
        // The original, not the deluxe edition with a bonus disc.
        (
            "Singles",
            "Singles: Original Motion Picture Soundtrack",
            "1992",
        ),
        // The 1983 film's album, not the 2020 remake's (the year says which).
        (
            "Valley Girl 1983",
            "Valley Girl: Music From The Soundtrack",
            "1994",
        ),
    ];
    for (query, title, date) in cases {
        let expected = fake.find_release(title, date);
        let expected_group = fake.group_id_of(expected);
        let candidates = mb_json(dir.path(), &fake, &["lookup", query, "--json"]);
        let first = &candidates[0];
        assert_eq!(
            first["release_group_id"], expected_group,
            "{query}: first was {}",
            first["title"]
        );
        assert_eq!(
            first["release"]["id"], expected.id,
            "{query}: suggested {}",
            first["release"]
        );
        assert!(["songs", "score"].contains(&first["kind"].as_str().unwrap()));
        assert_eq!(
            first["editions"][0], first["release"],
            "the suggested edition leads"
        );
    }
    let candidates = mb_json(dir.path(), &fake, &["lookup", "The Crow", "--json"]);
    let kinds: Vec<(&str, &str)> = candidates
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["title"].as_str().unwrap(), c["kind"].as_str().unwrap()))
        .collect();
    // Songs before score, and among the songs the original before the later film.
    assert_eq!(
        kinds[0],
        ("The Crow: Original Motion Picture Soundtrack", "songs")
    );
    assert_eq!(
        kinds[1],
        ("The Crow (Original Motion Picture Soundtrack)", "songs")
    );
    assert_eq!(candidates[1]["year"], 2024);
    assert_eq!(
        kinds[2],
        ("The Crow: Original Motion Picture Score", "score")
    );
    assert_eq!(candidates[0]["artist_credit"], "Various Artists");
    assert_eq!(candidates[2]["artist_credit"], "Graeme Revell");
    assert_eq!(candidates[0]["year"], 1994);
    // One search each ("The Crow" was asked before, as "The Crow score": the words searched
    // are the same, so the answer came from the cache); nothing was added.
    assert_eq!(musicbrainz_requests(&fake), cases.len());
    assert_eq!(
        cli_json(dir.path(), &["soundtracks", "--json"])
            .as_array()
            .unwrap()
            .len(),
        26
    );
    assert_good_citizen(&fake);
}

/// The stored cover is the served one: same colour (it is one colour), at most 500 px.
fn assert_cover_is(dir: &Path, detail: &Value, color: [u8; 3]) {
    let name = detail["cover"].as_str().expect("a cover was stored");
    let picture = image::open(dir.join("covers").join(name))
        .unwrap()
        .to_rgb8();
    assert_eq!(picture.dimensions(), (500, 500));
    let pixel = picture.get_pixel(250, 250).0;
    for (got, want) in pixel.iter().zip(color) {
        assert!(
            got.abs_diff(want) <= 3,
            "cover colour {pixel:?}, served {color:?}"
        );
    }
}

#[test]
fn add_release_stores_exactly_the_tracks_lengths_isrcs_and_cover_served() {
    let fake = FakeMusicBrainz::start();
    let dir = tempfile::tempdir().unwrap();
    // Empire Records' CD through the id it had before a merge: MusicBrainz answers 301 with
    // the release it became.
    let served = fake.find_release(
        "Empire Records: The Original Motion Picture Soundtrack",
        "1995-08-22",
    );
    let merged = fake
        .catalogue()
        .merged
        .iter()
        .find(|(_, new)| **new == served.id)
        .map(|(old, _)| old.clone())
        .expect("the fake merged an old id into the CD");
    let detail = mb_json(dir.path(), &fake, &["add", "--release", &merged, "--json"]);
    assert_eq!(detail["musicbrainz_release_id"], served.id);
    assert_eq!(
        detail["musicbrainz_release_group_id"],
        fake.group_id_of(served)
    );
    assert_eq!(detail["film_title"], "Empire Records");
    assert_eq!(detail["film_year"], 1995);
    assert_eq!(detail["album_title"], served.title);
    assert_eq!(detail["album_year"], 1995);
    assert_eq!(detail["label"], "A&M Records");
    assert_eq!(detail["tracklist_complete"], true);
    assert_eq!(
        detail["source_urls"][0],
        format!("https://musicbrainz.org/release/{}", served.id)
    );
    let tracks = detail["tracks"].as_array().unwrap();
    assert_eq!(tracks.len(), served.track_count());
    for (n, (stored, track)) in tracks.iter().zip(served.tracks()).enumerate() {
        assert_eq!(stored["disc"], 1);
        assert_eq!(stored["position"], n + 1);
        assert_eq!(stored["title"], track.title);
        assert_eq!(stored["duration_ms"], serde_json::json!(track.length));
        assert_eq!(stored["isrc"], track.isrcs[0]);
        let names: Vec<&str> = track.credit.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(stored["artists"], serde_json::json!(names));
    }
    // "Gwar & Renée Zellweger": two artists, the join phrase kept.
    let duet = tracks
        .iter()
        .find(|t| t["title"] == "Say No More, Mon Amour")
        .unwrap();
    assert_eq!(
        duet["artists"],
        serde_json::json!(["Gwar", "Renée Zellweger"])
    );
    assert_eq!(duet["joinphrases"], serde_json::json!([" & ", ""]));
    assert_cover_is(dir.path(), &detail, served.color);
    // One look-up (the 301 carries the release) and one cover request, followed to the image
    // host (which may fail once and be asked again).
    let requests = fake.requests();
    let count = |host| requests.iter().filter(|r| r.host == host).count();
    assert_eq!(count(Host::MusicBrainz), 1);
    assert_eq!(count(Host::CoverArt), 1);
    assert!((1..=2).contains(&count(Host::Images)), "{requests:?}");
    assert!(requests
        .iter()
        .all(|r| r.host != Host::MusicBrainz || r.query.contains("inc=recordings")));

    // The same release again is refused and adds nothing.
    let again = mb(dir.path(), &fake, &["add", "--release", &served.id]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds release"));
    assert_eq!(
        cli_json(dir.path(), &["soundtracks", "--json"])
            .as_array()
            .unwrap()
            .len(),
        27
    );

    // Clerks: dialogue tracks keep their place, with no length and no artist; a film title
    // given on the command line wins.
    let clerks = fake.find_release("Clerks: Music From the Motion Picture", "1994");
    let detail = mb_json(
        dir.path(),
        &fake,
        &[
            "add",
            "--release",
            &clerks.id,
            "--film",
            "Clerks.",
            "--year",
            "1994",
            "--json",
        ],
    );
    assert_eq!(detail["film_title"], "Clerks.");
    let dialogue = &detail["tracks"][2];
    assert_eq!(dialogue["title"], "Dialogue: \"Someday\"");
    assert_eq!(dialogue["duration_ms"], Value::Null);
    assert_eq!(dialogue["artists"], serde_json::json!([]));
    assert_cover_is(dir.path(), &detail, clerks.color);
    assert_eq!(
        cli_json(dir.path(), &["enrich", "--pending", "--json"]),
        serde_json::json!([]),
        "settled"
    );
    assert_good_citizen(&fake);
}

#[test]
fn a_bad_release_id_is_refused_before_any_request() {
    let fake = FakeMusicBrainz::start();
    let dir = tempfile::tempdir().unwrap();
    let output = mb(dir.path(), &fake, &["add", "--release", "not-an-id"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is not a MusicBrainz id"), "{stderr}");
    // A well-formed id MusicBrainz does not know: one request, a clear message.
    let unknown = "00000000-0000-4000-8000-000000000000";
    let output = mb(dir.path(), &fake, &["add", "--release", unknown]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("has no release"));
    assert_eq!(musicbrainz_requests(&fake), 1);
    // --film without --release is a usage error, not a soundtrack called "--film".
    assert!(!run_cli(dir.path(), &["add", "--film", "X"])
        .status
        .success());
    assert_eq!(
        cli_json(dir.path(), &["soundtracks", "--json"])
            .as_array()
            .unwrap()
            .len(),
        26
    );
}

/// Every soundtrack's typed facts: what enrich must never change. Songs are those of `ids`
/// (songs added to complete a list are new, not changed).
fn typed_facts(detail: &Value, ids: &[i64]) -> Value {
    let tracks: Vec<Value> = detail["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| ids.contains(&t["id"].as_i64().unwrap()))
        .map(|t| {
            serde_json::json!([
                t["id"],
                t["title"],
                t["artists"],
                t["position"],
                t["notes"],
                t["rating"],
                t["favourite"],
                t["on_album"],
                t["scene_note"]
            ])
        })
        .collect();
    serde_json::json!([
        detail["film_title"],
        detail["film_year"],
        detail["media"],
        detail["notes"],
        detail["rating"],
        detail["favourite"],
        detail["tags"],
        tracks
    ])
}

#[test]
fn enrich_all_fills_the_starter_library_without_changing_what_was_typed() {
    let fake = FakeMusicBrainz::start();
    let dir = tempfile::tempdir().unwrap();
    // Some of the user's own touches, which must survive.
    assert!(run_cli(dir.path(), &["rate", "Singles", "4.5"])
        .status
        .success());
    assert!(
        run_cli(dir.path(), &["note", "Singles", "my copy is signed"])
            .status
            .success()
    );
    // A playlist made before: its copies of the songs get the ISRCs too (Spotify reads them).
    assert!(
        run_cli(dir.path(), &["playlist", "from-soundtrack", "The Crow"])
            .status
            .success()
    );
    let before: Vec<Value> = (1..=26)
        .map(|id| cli_json(dir.path(), &["show", &id.to_string(), "--json"]))
        .collect();

    let report = mb_json(dir.path(), &fake, &["enrich", "--all", "--apply", "--json"]);
    let counts = &report["counts"];
    let proposals = report["proposals"].as_array().unwrap();
    assert_eq!(proposals.len(), 26);

    let mut wrong = Vec::new();
    let mut covers = 0;
    for (old, proposal) in before.iter().zip(proposals) {
        let id = old["id"].as_i64().unwrap();
        let now = cli_json(dir.path(), &["show", &id.to_string(), "--json"]);
        let ids: Vec<i64> = old["tracks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_i64().unwrap())
            .collect();
        assert_eq!(
            typed_facts(old, &ids),
            typed_facts(&now, &ids),
            "{} changed",
            old["film_title"]
        );
        // Lengths only ever fill what was empty.
        for a in old["tracks"].as_array().unwrap() {
            let b = now["tracks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|b| b["id"] == a["id"])
                .unwrap();
            if !a["duration_ms"].is_null() {
                assert_eq!(a["duration_ms"], b["duration_ms"]);
            }
        }
        let truth = fake
            .catalogue()
            .starter
            .iter()
            .find(|t| Some(t.album_title.as_str()) == old["album_title"].as_str())
            .expect("every starter album is in the fake");
        match now["musicbrainz_release_group_id"].as_str() {
            Some(group) if group != truth.release_group_id => wrong.push(old["film_title"].clone()),
            Some(_) => {
                assert_eq!(now["musicbrainz_release_id"], truth.release_id);
                assert_eq!(proposal["applied"], true);
                let served = fake.release(&truth.release_id).unwrap();
                if served.front {
                    assert_cover_is(dir.path(), &now, served.color);
                    covers += 1;
                } else {
                    assert!(now["cover"].is_null());
                }
                // Every song of the album has a length and an ISRC now, but for the ones the
                // fake has no length for.
                let lengths: Vec<Option<u64>> = served.tracks().map(|t| t.length).collect();
                for track in now["tracks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|t| t["on_album"] == true)
                {
                    assert!(track["isrc"].is_string(), "{track}");
                    let place = track["position"].as_u64().unwrap() as usize - 1;
                    if lengths[place].is_some() {
                        assert!(track["duration_ms"].is_number(), "{track}");
                    }
                }
                // A list marked incomplete was completed, in place.
                assert_eq!(now["tracklist_complete"], true);
                assert_eq!(
                    now["tracks"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|t| t["on_album"] == true)
                        .count(),
                    served.track_count()
                );
            }
            None => assert_ne!(proposal["verdict"], "confident"),
        }
    }
    assert!(wrong.is_empty(), "wrong matches: {wrong:?}");
    assert!(counts["confident"].as_u64().unwrap() >= 24, "{counts}");
    assert!(covers >= 22, "only {covers} covers");
    assert_eq!(counts["applied"], counts["confident"]);
    let playlist = cli_json(dir.path(), &["playlist", "show", "The Crow", "--json"]);
    let songs = playlist["songs"].as_array().unwrap();
    assert_eq!(songs.len(), 14);
    assert!(
        songs.iter().all(|s| s["song"]["isrc"]
            .as_str()
            .is_some_and(|i| i.starts_with("USFAKE"))),
        "{playlist}"
    );
    assert!(songs.iter().all(|s| s["song"]["duration_ms"].is_number()));
    assert_good_citizen(&fake);

    // A second run finds everything in place: looked up by the stored ids, from the cache,
    // filling nothing.
    fake.clear_requests();
    let again = mb_json(
        dir.path(),
        &fake,
        &["enrich", "Singles", "--apply", "--json"],
    );
    assert_eq!(again["proposals"][0]["verdict"], "confident");
    assert_eq!(again["proposals"][0]["fills"]["isrcs"], 0);
    assert_eq!(again["proposals"][0]["fills"]["cover"], false);
    assert_eq!(musicbrainz_requests(&fake), 0, "answered from the cache");
}

#[test]
fn a_doubtful_match_goes_to_review_and_a_chosen_release_settles_it() {
    let fake = FakeMusicBrainz::start();
    let dir = tempfile::tempdir().unwrap();
    // A soundtrack typed by hand with no songs: nothing to compare, so never filled alone.
    let added = cli_json(dir.path(), &["add", "Clerks", "--year", "1994", "--json"]);
    let id = added["id"].as_i64().unwrap().to_string();
    let report = mb_json(dir.path(), &fake, &["enrich", &id, "--apply", "--json"]);
    let proposal = &report["proposals"][0];
    assert_eq!(proposal["verdict"], "doubtful", "{proposal}");
    assert_eq!(proposal["applied"], false);
    let clerks = fake.find_release("Clerks: Music From the Motion Picture", "1994");
    assert_eq!(proposal["candidates"][0]["release"]["id"], clerks.id);
    assert!(cli_json(dir.path(), &["show", &id, "--json"])["tracks"]
        .as_array()
        .unwrap()
        .is_empty());

    // The review list is kept in the library: read later with no request (and no MusicBrainz
    // address at all), taken off with --dismiss, back with the next look-up.
    let before = musicbrainz_requests(&fake);
    let pending = cli_json(dir.path(), &["enrich", "--pending", "--json"]);
    assert_eq!(pending.as_array().unwrap().len(), 1, "{pending}");
    assert_eq!(pending[0]["soundtrack_id"].as_i64(), id.parse().ok());
    assert_eq!(pending[0]["verdict"], "doubtful");
    assert_eq!(pending[0]["candidates"][0]["release"]["id"], clerks.id);
    let listed = run_cli(dir.path(), &["enrich", "--pending"]);
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.contains("Clerks — doubtful") && listed.contains(&clerks.id),
        "{listed}"
    );
    let kept = run_cli(dir.path(), &["enrich", "Clerks", "--dismiss"]);
    assert!(kept.status.success());
    assert_eq!(
        cli_json(dir.path(), &["enrich", "--pending", "--json"]),
        serde_json::json!([])
    );
    assert_eq!(
        musicbrainz_requests(&fake),
        before,
        "reading the list asks nothing"
    );
    mb_json(dir.path(), &fake, &["enrich", &id, "--json"]);
    assert_eq!(
        cli_json(dir.path(), &["enrich", "--pending", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // The user picks the release: its songs, lengths and cover come in.
    let report = mb_json(
        dir.path(),
        &fake,
        &["enrich", &id, "--release", &clerks.id, "--apply", "--json"],
    );
    assert_eq!(report["proposals"][0]["verdict"], "confident");
    assert_eq!(
        report["proposals"][0]["fills"]["tracks_added"],
        clerks.track_count()
    );
    let detail = cli_json(dir.path(), &["show", &id, "--json"]);
    assert_eq!(detail["film_title"], "Clerks");
    assert_eq!(detail["album_title"], clerks.title);
    assert_eq!(
        detail["tracks"].as_array().unwrap().len(),
        clerks.track_count()
    );
    assert_cover_is(dir.path(), &detail, clerks.color);
    assert_eq!(
        cli_json(dir.path(), &["enrich", "--pending", "--json"]),
        serde_json::json!([]),
        "settled"
    );
    assert_good_citizen(&fake);
}

#[test]
fn offline_gives_one_clear_message_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let before = cli_json(dir.path(), &["soundtracks", "--json"]);
    let database = dir.path().join("library.sqlite3");
    let rows = |sql: &str| -> i64 {
        rusqlite::Connection::open(&database)
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    };
    let tracks_before = rows("SELECT count(*) FROM tracks");
    for args in [
        vec!["lookup", "the crow"],
        vec!["add", "--release", "b84ee12a-09ef-421b-82de-0441a926375b"],
        vec!["enrich", "--all", "--apply"],
    ] {
        let output = cli_command(dir.path(), &args)
            .env(
                "CUESHEET_MUSICBRAINZ_URL",
                format!("http://127.0.0.1:{port}/ws/2"),
            )
            .env("CUESHEET_COVERART_URL", format!("http://127.0.0.1:{port}"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.starts_with("looking up"))
            .collect();
        assert_eq!(lines.len(), 1, "{args:?}: {stderr}");
        assert!(
            lines[0].contains("could not reach MusicBrainz")
                && lines[0].contains("internet connection"),
            "{stderr}"
        );
        assert!(output.stdout.is_empty());
    }
    assert_eq!(cli_json(dir.path(), &["soundtracks", "--json"]), before);
    assert_eq!(rows("SELECT count(*) FROM tracks"), tracks_before);
    assert_eq!(rows("SELECT count(*) FROM catalog_cache"), 0);
    assert_eq!(
        rows("SELECT count(*) FROM soundtracks WHERE musicbrainz_release_id IS NOT NULL"),
        0
    );
}
