//! Spotify export through the real `cuesheet` binary against the fake Spotify in
//! `tests/support/`: real HTTP on 127.0.0.1, real JSON, a real library file.
//!
//! Each test logs in the way a person does (the CLI prints the authorization address, a
//! "browser" follows Spotify's redirect to our loopback listener), then drives `cuesheet spotify
//! …` and checks the remote playlist's exact content and the calls that were made.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use cuesheet_tests::fake_spotify::{FakeSpotify, FakeTrack, RecordedRequest};
use cuesheet_tests::spotify_cli::{
    exportify_csv, http_get, import_exportify, log_in, query_value, spotify, spotify_command,
    spotify_json, stderr,
};
use cuesheet_tests::{cli_json, run_cli};
use serde_json::Value;

fn writes(requests: &[RecordedRequest]) -> Vec<&RecordedRequest> {
    requests.iter().filter(|r| r.is_write()).collect()
}

fn api_calls(requests: &[RecordedRequest]) -> usize {
    requests
        .iter()
        .filter(|r| r.path.starts_with("/v1/"))
        .count()
}

/// The original (non-decoy) track the fake holds for a title.
fn original(fake: &FakeSpotify, title: &str) -> FakeTrack {
    fake.catalogue()
        .into_iter()
        .find(|t| !t.decoy && t.name == title)
        .unwrap_or_else(|| panic!("the fake has {title}"))
}

fn new_library() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn playlist_of_soundtrack(dir: &Path, film: &str) -> i64 {
    let made = run_cli(dir, &["playlist", "from-soundtrack", film]);
    assert!(made.status.success(), "{}", stderr(&made));
    // "created playlist 3: The Crow with 14 song(s)"
    let text = String::from_utf8_lossy(&made.stdout);
    text.split_whitespace()
        .nth(2)
        .and_then(|id| id.trim_end_matches(':').parse().ok())
        .unwrap_or_else(|| panic!("a playlist id in {text}"))
}

fn remote_id(summary: &Value) -> String {
    summary["remote_id"].as_str().unwrap().to_string()
}

#[test]
fn login_is_pkce_through_a_one_shot_loopback_listener_and_tokens_stay_secret() {
    let fake = FakeSpotify::start();
    let dir = new_library();
    let output = log_in(dir.path(), &fake);
    let status = spotify_json(dir.path(), &fake, &["spotify", "status", "--json"]);
    assert_eq!(status["logged_in"], true);
    assert_eq!(status["user_id"], "fan");
    assert_eq!(status["token_store"], "file");
    let token_file = status["token_file"].as_str().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(token_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "tokens readable by the owner only");
    }
    // The code exchange carried a verifier the fake checked against the challenge.
    let exchange = fake
        .requests()
        .into_iter()
        .find(|r| r.path == "/api/token")
        .expect("a token request");
    assert!(exchange.body.contains("code_verifier="));
    assert_eq!(exchange.status, 200);
    // No token appears in what the CLI printed, even with logging at its most verbose.
    let tokens: Value =
        serde_json::from_str(&std::fs::read_to_string(token_file).unwrap()).unwrap();
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        stderr(&output)
    );
    // And none in an export's output either (the CLI runs with CUESHEET_LOG=trace here), nor
    // in the library file.
    let playlist = playlist_of_soundtrack(dir.path(), "Singles").to_string();
    let export = spotify(dir.path(), &fake, &["spotify", "export", &playlist]);
    assert!(export.status.success(), "{}", stderr(&export));
    let printed = format!(
        "{printed}{}{}",
        String::from_utf8_lossy(&export.stdout),
        stderr(&export)
    );
    let library = std::fs::read(dir.path().join("library.sqlite3")).unwrap();
    for secret in ["access_token", "refresh_token"] {
        let value = tokens[secret].as_str().unwrap();
        assert!(!printed.contains(value), "{secret} leaked into the output");
        assert!(
            !String::from_utf8_lossy(&library).contains(value),
            "{secret} is in the library file"
        );
    }
    let logout = spotify(dir.path(), &fake, &["spotify", "logout"]);
    assert!(logout.status.success());
    assert!(!Path::new(token_file).exists());
    let status = spotify_json(dir.path(), &fake, &["spotify", "status", "--json"]);
    assert_eq!(status["logged_in"], false);
}

#[test]
fn a_denied_login_changes_nothing() {
    let fake = FakeSpotify::start();
    fake.faults().deny_login = true;
    let dir = new_library();
    let mut child = spotify_command(dir.path(), &fake, &["spotify", "login", "--no-browser"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let (_, location, _) = http_get(url.trim());
    http_get(&location.unwrap());
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("did not grant access"),
        "{}",
        stderr(&output)
    );
    let status = spotify_json(dir.path(), &fake, &["spotify", "status", "--json"]);
    assert_eq!(status["logged_in"], false);
}

#[test]
fn matching_skips_decoys_and_export_syncs_by_difference() {
    let fake = FakeSpotify::start();
    let dir = new_library();
    log_in(dir.path(), &fake);
    let playlist = playlist_of_soundtrack(dir.path(), "The Crow");
    let id = playlist.to_string();

    let report = spotify_json(dir.path(), &fake, &["spotify", "match", &id, "--json"]);
    let songs = report["songs"].as_array().unwrap();
    assert!(!songs.is_empty());
    let big_empty = songs
        .iter()
        .find(|s| s["title"] == "Big Empty")
        .expect("Big Empty is on The Crow");
    assert_eq!(big_empty["state"], "matched");
    assert_eq!(big_empty["uri"], original(&fake, "Big Empty").uri());
    for song in songs.iter().filter(|s| s["state"] == "matched") {
        let uri = song["uri"].as_str().unwrap();
        let track = fake
            .catalogue()
            .into_iter()
            .find(|t| t.uri() == uri)
            .unwrap();
        assert!(
            !track.decoy,
            "{} matched a decoy: {}",
            song["title"], track.name
        );
    }
    for request in fake.requests().iter().filter(|r| r.path == "/v1/search") {
        let limit = query_value(&format!("?{}", request.query), "limit").unwrap();
        assert!(limit.parse::<u32>().unwrap() <= 10);
    }

    // First export: one playlist, exactly the matched songs in playlist order.
    fake.clear_requests();
    let first = spotify_json(dir.path(), &fake, &["spotify", "export", &id, "--json"]);
    assert_eq!(first["created"], true);
    let expected: Vec<String> = songs
        .iter()
        .filter_map(|s| s["uri"].as_str().map(str::to_string))
        .collect();
    assert_eq!(fake.playlist_uris(&remote_id(&first)).unwrap(), expected);
    assert_eq!(fake.playlists().len(), 1);
    assert!(
        fake.requests().iter().all(|r| r.path != "/v1/search"),
        "decisions are reused, not searched again"
    );

    // Unchanged: one read (is it still followed, and at which snapshot), no write.
    fake.clear_requests();
    let again = spotify_json(dir.path(), &fake, &["spotify", "export", &id, "--json"]);
    assert_eq!(again["unchanged"], true);
    assert_eq!(api_calls(&fake.requests()), 1, "{:?}", fake.requests());
    assert!(writes(&fake.requests()).is_empty());
    assert_eq!(again["calls"]["reads"], 1);

    // Move the last song to the top: one reorder, same playlist.
    let detail = cli_json(dir.path(), &["playlist", "show", &id, "--json"]);
    let last = detail["songs"].as_array().unwrap().len().to_string();
    let moved = run_cli(dir.path(), &["playlist", "move", &id, &last, "1"]);
    assert!(moved.status.success(), "{}", stderr(&moved));
    fake.clear_requests();
    let after_move = spotify_json(dir.path(), &fake, &["spotify", "export", &id, "--json"]);
    assert_eq!(remote_id(&after_move), remote_id(&first));
    let report = spotify_json(dir.path(), &fake, &["spotify", "match", &id, "--json"]);
    let expected: Vec<String> = report["songs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["uri"].as_str().map(str::to_string))
        .collect();
    assert_eq!(fake.playlist_uris(&remote_id(&first)).unwrap(), expected);
    let writes_made = writes(&fake.requests()).len();
    assert_eq!(writes_made, 1, "one move is one call");
    assert_eq!(fake.playlists().len(), 1, "never a second playlist");
}

#[test]
fn curated_choices_are_kept_and_a_deleted_remote_playlist_is_reported() {
    let fake = FakeSpotify::start();
    let dir = new_library();
    log_in(dir.path(), &fake);
    let id = playlist_of_soundtrack(dir.path(), "The Crow").to_string();
    let report = spotify_json(dir.path(), &fake, &["spotify", "match", &id, "--json"]);
    let songs = report["songs"].as_array().unwrap();
    let first_song = songs[0]["song_id"].as_str().unwrap().to_string();
    let second = &songs[1];
    let second_song = second["song_id"].as_str().unwrap().to_string();
    // The curator says the first is not on Spotify and picks a track for the second by link.
    let other = original(&fake, "Big Empty");
    assert!(spotify(
        dir.path(),
        &fake,
        &["spotify", "choose", &first_song, "none"]
    )
    .status
    .success());
    let link = format!("https://open.spotify.com/track/{}?si=abc", other.id);
    assert!(spotify(
        dir.path(),
        &fake,
        &["spotify", "choose", &second_song, &link]
    )
    .status
    .success());
    let bad = spotify(
        dir.path(),
        &fake,
        &["spotify", "choose", &second_song, "not-a-uri"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("not a Spotify track"));

    let summary = spotify_json(dir.path(), &fake, &["spotify", "export", &id, "--json"]);
    let remote = fake.playlist_uris(&remote_id(&summary)).unwrap();
    assert!(!remote
        .iter()
        .any(|u| Some(u.as_str()) == songs[0]["uri"].as_str()));
    assert_eq!(remote[0], other.uri());
    assert_eq!(summary["counts"]["not_on_spotify"], 1);
    assert_eq!(summary["counts"]["chosen"], 1);

    // The playlist is deleted in Spotify: the export says so and changes nothing…
    fake.delete_playlist(&remote_id(&summary));
    let last_matched = songs
        .iter()
        .rev()
        .find(|s| s["state"] == "matched")
        .expect("a matched song");
    let moved = run_cli(
        dir.path(),
        &[
            "playlist",
            "move",
            &id,
            &last_matched["position"].to_string(),
            "1",
        ],
    );
    assert!(moved.status.success(), "{}", stderr(&moved));
    fake.clear_requests();
    let gone = spotify(dir.path(), &fake, &["spotify", "export", &id]);
    assert!(!gone.status.success());
    assert!(
        stderr(&gone).contains("deleted in Spotify"),
        "{}",
        stderr(&gone)
    );
    assert!(writes(&fake.requests()).is_empty(), "nothing written to it");
    assert_eq!(fake.playlist_uris(&remote_id(&summary)).unwrap(), remote);
    // …and --recreate makes it again.
    let again = spotify_json(
        dir.path(),
        &fake,
        &["spotify", "export", &id, "--recreate", "--json"],
    );
    assert_eq!(again["created"], true);
    assert_ne!(remote_id(&again), remote_id(&summary));
    assert_eq!(
        fake.playlist_uris(&remote_id(&again)).unwrap().len(),
        remote.len()
    );
}

#[test]
fn more_than_a_hundred_songs_with_duplicates_and_an_interrupted_export_finishes_exactly() {
    let fake = FakeSpotify::start();
    let dir = new_library();
    log_in(dir.path(), &fake);
    let (id, uris) = import_exportify(dir.path(), &fake, 250, "Big mix");

    // The network goes away after two writes: the export fails, the library is untouched.
    fake.faults().fail_writes_after = Some(2);
    let broken = spotify(dir.path(), &fake, &["spotify", "export", &id]);
    assert!(!broken.status.success());
    let message = stderr(&broken);
    assert!(
        message.contains("lost") || message.contains("reach"),
        "{message}"
    );
    fake.faults().fail_writes_after = None;
    fake.faults().drop_next = 0;

    // Run again: the same playlist, finished, nothing doubled, nothing lost.
    fake.clear_requests();
    let summary = spotify_json(dir.path(), &fake, &["spotify", "export", &id, "--json"]);
    assert_eq!(
        fake.playlists().len(),
        1,
        "the interrupted export's playlist is reused"
    );
    assert_eq!(fake.playlist_uris(&remote_id(&summary)).unwrap(), uris);
    assert!(fake
        .requests()
        .iter()
        .all(|r| r.path != "/v1/me/playlists" || r.method != "POST"));
    for write in writes(&fake.requests()) {
        let body: Value = serde_json::from_str(&write.body).unwrap_or(Value::Null);
        if let Some(list) = body["uris"].as_array() {
            assert!(list.len() <= 100, "at most 100 URIs per call");
        }
    }

    // Five songs appended: one call.
    let (more, more_uris) = exportify_csv(&fake, 5);
    let more_file = dir.path().join("more.csv");
    std::fs::write(&more_file, more).unwrap();
    let _ = more_uris;
    fake.clear_requests();
    let unchanged = spotify_json(dir.path(), &fake, &["spotify", "export", &id, "--json"]);
    assert_eq!(unchanged["unchanged"], true);
    assert_eq!(api_calls(&fake.requests()), 1);
    assert!(writes(&fake.requests()).is_empty());
}

#[test]
fn rate_limits_are_waited_out_and_quota_stops_with_an_explanation() {
    let fake = FakeSpotify::start();
    let dir = new_library();
    log_in(dir.path(), &fake);
    let (id, uris) = import_exportify(dir.path(), &fake, 30, "Thirty");

    fake.faults().rate_limit_next = 2;
    fake.faults().retry_after_secs = 1;
    let waited = spotify(dir.path(), &fake, &["spotify", "export", &id, "--json"]);
    assert!(waited.status.success(), "{}", stderr(&waited));
    assert!(stderr(&waited).contains("wait"), "the wait is shown");
    let summary: Value = serde_json::from_slice(&waited.stdout).unwrap();
    assert_eq!(fake.playlist_uris(&remote_id(&summary)).unwrap(), uris);
    assert!(summary["calls"]["retries"].as_u64().unwrap() >= 2);

    let (other, _) = import_exportify(dir.path(), &fake, 12, "Twelve");
    fake.faults().quota_exceeded = true;
    let stopped = spotify(dir.path(), &fake, &["spotify", "export", &other]);
    assert!(!stopped.status.success());
    assert!(
        stderr(&stopped).contains("QUOTA_EXCEEDED"),
        "{}",
        stderr(&stopped)
    );
    assert_eq!(fake.playlists().len(), 1, "nothing was created");
}

#[test]
fn server_errors_are_retried_and_expired_tokens_refreshed_once() {
    let fake = FakeSpotify::start();
    let dir = new_library();
    log_in(dir.path(), &fake);
    let (id, uris) = import_exportify(dir.path(), &fake, 20, "Twenty");
    fake.expire_access_tokens();
    fake.faults().server_error_next = 2;
    let summary = spotify_json(dir.path(), &fake, &["spotify", "export", &id, "--json"]);
    assert_eq!(fake.playlist_uris(&remote_id(&summary)).unwrap(), uris);
    let refreshes = fake
        .requests()
        .iter()
        .filter(|r| r.path == "/api/token" && r.body.contains("grant_type=refresh_token"))
        .count();
    assert_eq!(refreshes, 1, "one refresh, not one per call");
}

#[test]
fn a_revoked_login_asks_to_log_in_again() {
    let fake = FakeSpotify::start();
    let dir = new_library();
    log_in(dir.path(), &fake);
    let (id, _) = import_exportify(dir.path(), &fake, 3, "Three");
    fake.revoke_refresh_tokens();
    fake.expire_access_tokens();
    let output = spotify(dir.path(), &fake, &["spotify", "export", &id]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("Log in to Spotify again"),
        "{}",
        stderr(&output)
    );
    assert!(fake.playlists().is_empty());
}

#[test]
fn a_user_not_on_the_allow_list_hears_about_the_five_user_rule() {
    let fake = FakeSpotify::start();
    let dir = new_library();
    log_in(dir.path(), &fake);
    let (id, _) = import_exportify(dir.path(), &fake, 3, "Three");
    fake.faults().not_allowlisted = true;
    let output = spotify(dir.path(), &fake, &["spotify", "export", &id]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("five users"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn offline_is_a_clear_message_and_changes_nothing() {
    let fake = FakeSpotify::start();
    let dir = new_library();
    log_in(dir.path(), &fake);
    let (id, _) = import_exportify(dir.path(), &fake, 3, "Three");
    let before = cli_json(dir.path(), &["playlist", "show", &id, "--json"]);
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let output = spotify_command(dir.path(), &fake, &["spotify", "export", &id])
        .env("CUESHEET_SPOTIFY_API_URL", format!("http://{address}/v1"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("could not reach Spotify"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        cli_json(dir.path(), &["playlist", "show", &id, "--json"]),
        before
    );
}
