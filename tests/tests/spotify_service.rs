//! Spotify export against the fake behaving as the real service does where our client once
//! assumed otherwise (issue 14): no delete (only unfollow), local files and unavailable songs in
//! the playlist, edits made in Spotify's apps, refused writes, descriptions Spotify chokes on,
//! and a lapsed Premium. Each runs the real `cuesheet` binary against real HTTP on 127.0.0.1
//! and checks the remote playlist's exact content, the calls made, and that a failed export
//! leaves the library file as it was.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use cuesheet_tests::fake_spotify::{AppItem, FakeSpotify, PremiumLapse, RecordedRequest};
use cuesheet_tests::spotify_cli::{
    http_get, import_exportify, log_in, spotify, spotify_command, spotify_json, stderr,
};
use cuesheet_tests::{cli_json, run_cli};
use rusqlite::types::ValueRef;
use serde_json::Value;

fn writes(requests: &[RecordedRequest]) -> Vec<&RecordedRequest> {
    requests.iter().filter(|r| r.is_write()).collect()
}

fn reads(requests: &[RecordedRequest]) -> Vec<&RecordedRequest> {
    requests
        .iter()
        .filter(|r| r.method == "GET" && r.path.starts_with("/v1/") && r.path != "/v1/search")
        .collect()
}

fn remote_id(summary: &Value) -> String {
    summary["remote_id"].as_str().unwrap().to_string()
}

/// Every row of every table of the library file (the search index's own tables aside), for
/// comparing the file before and after an export that must change nothing.
fn library_rows(dir: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(dir.join("library.sqlite3")).unwrap();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut rows = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = stmt.column_count();
        let mut found: Vec<String> = stmt
            .query_map([], |row| {
                let values: Vec<String> = (0..columns)
                    .map(|i| match row.get_ref(i).unwrap() {
                        ValueRef::Text(text) => String::from_utf8_lossy(text).into_owned(),
                        other => format!("{other:?}"),
                    })
                    .collect();
                Ok(format!("{table}: {}", values.join(" | ")))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        found.sort();
        rows.extend(found);
    }
    rows
}

/// The playlist's songs in order as Spotify URIs (every song carries one in these tests).
fn local_uris(dir: &Path, playlist: &str) -> Vec<String> {
    let detail = cli_json(dir, &["playlist", "show", playlist, "--json"]);
    detail["songs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["song"]["spotify_uri"].as_str().unwrap().to_string())
        .collect()
}

fn exported(dir: &Path, fake: &FakeSpotify, playlist: &str) -> Value {
    fake.clear_requests();
    spotify_json(dir, fake, &["spotify", "export", playlist, "--json"])
}

/// Every request Spotify answered with an error, which a careful client does not cause.
fn refused(requests: &[RecordedRequest]) -> Vec<&RecordedRequest> {
    requests.iter().filter(|r| r.status >= 400).collect()
}

#[test]
fn a_playlist_deleted_in_spotify_is_reported_and_followed_again_on_request() {
    let fake = FakeSpotify::start();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    log_in(dir, &fake);
    let (id, uris) = import_exportify(dir, &fake, 12, "Twelve");
    let first = exported(dir, &fake, &id);
    let remote = remote_id(&first);
    assert_eq!(fake.playlist_uris(&remote).unwrap(), uris);

    // "Deleted" in Spotify: only unfollowed, so it still answers by id, and nothing changed
    // here. The export must notice, write nothing, and leave the library as it was.
    fake.delete_playlist(&remote);
    let before = library_rows(dir);
    fake.clear_requests();
    let gone = spotify(dir, &fake, &["spotify", "export", &id]);
    assert!(!gone.status.success());
    let message = stderr(&gone);
    assert!(message.contains("deleted in Spotify"), "{message}");
    assert!(message.contains("--recreate") && message.contains("--follow-again"));
    assert!(writes(&fake.requests()).is_empty(), "{:?}", fake.requests());
    assert_eq!(library_rows(dir), before, "the library is untouched");

    // The same after a change here: still nothing written to the playlist nobody sees.
    let moved = run_cli(dir, &["playlist", "move", &id, "12", "1"]);
    assert!(moved.status.success(), "{}", stderr(&moved));
    let before = library_rows(dir);
    fake.clear_requests();
    let gone = spotify(dir, &fake, &["spotify", "export", &id]);
    assert!(!gone.status.success());
    assert!(writes(&fake.requests()).is_empty());
    assert_eq!(fake.playlist_uris(&remote).unwrap(), uris);
    assert_eq!(library_rows(dir), before);

    // Follow it again: the same playlist comes back, brought up to date.
    let back = exported_with(dir, &fake, &id, "--follow-again");
    assert_eq!(back["followed_again"], true);
    assert_eq!(back["created"], false);
    assert_eq!(remote_id(&back), remote);
    assert_eq!(fake.playlists().len(), 1);
    assert!(fake.playlists()[0].followed);
    assert_eq!(fake.playlist_uris(&remote).unwrap(), local_uris(dir, &id));
    let methods: Vec<(String, String)> = writes(&fake.requests())
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect();
    assert_eq!(
        methods,
        [
            (
                "PUT".to_string(),
                format!("/v1/playlists/{remote}/followers")
            ),
            ("PUT".to_string(), format!("/v1/playlists/{remote}/items")),
        ],
        "follow, then one move"
    );
    let text = spotify(dir, &fake, &["spotify", "export", &id]);
    assert!(text.status.success());
    assert!(String::from_utf8_lossy(&text.stdout).contains("nothing changed"));
}

fn exported_with(dir: &Path, fake: &FakeSpotify, playlist: &str, flag: &str) -> Value {
    fake.clear_requests();
    spotify_json(dir, fake, &["spotify", "export", playlist, flag, "--json"])
}

#[test]
fn an_old_playlist_beyond_the_first_page_is_checked_with_the_followers_check() {
    let fake = FakeSpotify::start();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    log_in(dir, &fake);
    let (id, uris) = import_exportify(dir, &fake, 5, "Five");
    let remote = remote_id(&exported(dir, &fake, &id));
    // The user makes 55 playlists in Spotify: ours is no longer on the first page of 50.
    for n in 0..55 {
        fake.create_in_app(&format!("Mix {n}"));
    }
    let again = exported(dir, &fake, &id);
    assert_eq!(again["unchanged"], true);
    let paths: Vec<String> = reads(&fake.requests())
        .iter()
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(
        paths,
        [
            "/v1/me/playlists".to_string(),
            format!("/v1/playlists/{remote}/followers/contains"),
            format!("/v1/playlists/{remote}"),
        ]
    );
    assert!(writes(&fake.requests()).is_empty());
    let check = fake
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/followers/contains"))
        .unwrap();
    assert_eq!(
        check.query, "ids=fan",
        "the user asked about is the one logged in"
    );

    fake.delete_playlist(&remote);
    fake.clear_requests();
    let gone = spotify(dir, &fake, &["spotify", "export", &id]);
    assert!(!gone.status.success());
    assert!(
        stderr(&gone).contains("deleted in Spotify"),
        "{}",
        stderr(&gone)
    );
    assert!(writes(&fake.requests()).is_empty());
    assert_eq!(fake.playlist_uris(&remote).unwrap(), uris);

    // --recreate makes a new one and leaves the deleted one alone.
    let new = exported_with(dir, &fake, &id, "--recreate");
    assert_eq!(new["created"], true);
    assert_ne!(remote_id(&new), remote);
    assert_eq!(fake.playlist_uris(&remote_id(&new)).unwrap(), uris);
    assert_eq!(fake.playlist_uris(&remote).unwrap(), uris);
}

#[test]
fn local_files_and_unavailable_songs_added_in_spotify_are_replaced_away_and_listed() {
    let fake = FakeSpotify::start();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    log_in(dir, &fake);
    let (id, uris) = import_exportify(dir, &fake, 130, "Long");
    let remote = remote_id(&exported(dir, &fake, &id));
    let stranger = fake
        .catalogue()
        .into_iter()
        .find(|t| !t.decoy && !uris.contains(&t.uri()))
        .unwrap();
    fake.add_in_app(
        &remote,
        Some(3),
        AppItem::LocalFile {
            title: "Demo Tape".into(),
            artist: "My Band".into(),
        },
    );
    fake.add_in_app(&remote, None, AppItem::Unavailable);
    fake.add_in_app(&remote, Some(0), AppItem::Track(stranger.uri()));

    let summary = exported(dir, &fake, &id);
    assert_eq!(fake.playlist_uris(&remote).unwrap(), uris, "exactly ours");
    let requests = fake.requests();
    assert!(refused(&requests).is_empty(), "{:?}", refused(&requests));
    for write in writes(&requests) {
        assert!(!write.body.contains("spotify:local:"), "{write:?}");
    }
    // A local file cannot be removed by URI: one replace of the first 100, one add of the rest.
    let methods: Vec<&str> = writes(&requests)
        .iter()
        .map(|r| r.method.as_str())
        .collect();
    assert_eq!(methods, ["PUT", "POST"]);
    let removed: Vec<(String, Value)> = summary["changed_in_spotify"]["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["kind"].as_str().unwrap().to_string(), r["title"].clone()))
        .collect();
    assert_eq!(
        removed,
        [
            ("song".to_string(), Value::from(stranger.name.clone())),
            ("local_file".to_string(), Value::from("Demo Tape")),
            ("unavailable".to_string(), Value::Null),
        ]
    );

    // Said in words too, and an export after that has nothing to do.
    fake.add_in_app(
        &remote,
        None,
        AppItem::LocalFile {
            title: "Demo Tape".into(),
            artist: "My Band".into(),
        },
    );
    let text = spotify(dir, &fake, &["spotify", "export", &id]);
    assert!(text.status.success(), "{}", stderr(&text));
    let said = String::from_utf8_lossy(&text.stdout);
    assert!(
        said.contains("the local file \"Demo Tape\" by My Band"),
        "{said}"
    );
    let quiet = exported(dir, &fake, &id);
    assert_eq!(quiet["unchanged"], true);
    assert_eq!(quiet["calls"]["reads"], 1);
    assert!(writes(&fake.requests()).is_empty());
}

#[test]
fn songs_added_removed_and_moved_in_spotify_are_undone_and_said() {
    let fake = FakeSpotify::start();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    log_in(dir, &fake);
    let (id, uris) = import_exportify(dir, &fake, 20, "Twenty");
    let remote = remote_id(&exported(dir, &fake, &id));
    let stranger = fake
        .catalogue()
        .into_iter()
        .find(|t| !t.decoy && !uris.contains(&t.uri()))
        .unwrap();
    // In the Spotify app: song 5 removed, the last song moved to the top, a song added.
    let mut edited = uris.clone();
    edited.remove(4);
    let last = edited.pop().unwrap();
    edited.insert(0, last);
    edited.insert(7, stranger.uri());
    fake.set_playlist_uris(&remote, edited);

    fake.clear_requests();
    let text = spotify(dir, &fake, &["spotify", "export", &id]);
    assert!(text.status.success(), "{}", stderr(&text));
    let said = String::from_utf8_lossy(&text.stdout);
    assert!(said.contains("changed in Spotify"), "{said}");
    assert!(said.contains(&format!("\"{}\"", stranger.name)), "{said}");
    assert!(said.contains("put back 1 song"), "{said}");
    assert!(said.contains("moved 1 song back"), "{said}");
    assert_eq!(fake.playlist_uris(&remote).unwrap(), uris);
    assert!(refused(&fake.requests()).is_empty());
    // One read told us it changed, one read its items; replacing the 20 songs is one write,
    // cheaper than the three edits (remove the stranger, move one, put one back).
    assert_eq!(reads(&fake.requests()).len(), 2, "{:?}", fake.requests());
    assert_eq!(writes(&fake.requests()).len(), 1);
}

#[test]
fn a_refused_write_is_never_sent_again() {
    let fake = FakeSpotify::start();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    log_in(dir, &fake);
    let (id, uris) = import_exportify(dir, &fake, 20, "Twenty");
    // Another playlist exported first, so that the library's own id (made once, with the first
    // Spotify playlist) exists before the export that must change nothing.
    let (other, _) = import_exportify(dir, &fake, 3, "Other");
    exported(dir, &fake, &other);

    // Refused at creation: nothing was made, so there is nothing to look for or retry.
    fake.faults().refuse_next_writes = 1;
    fake.clear_requests();
    let before = library_rows(dir);
    let failed = spotify(dir, &fake, &["spotify", "export", &id]);
    assert!(!failed.status.success());
    assert!(stderr(&failed).contains("refused"), "{}", stderr(&failed));
    let requests = fake.requests();
    assert_eq!(writes(&requests).len(), 1, "{requests:?}");
    let after_write = requests
        .iter()
        .skip_while(|r| !r.is_write())
        .skip(1)
        .count();
    assert_eq!(after_write, 0, "no hunt for a playlist that was never made");
    assert_eq!(fake.all_playlists().len(), 1, "only the other one");
    assert_eq!(library_rows(dir), before);

    let remote = remote_id(&exported(dir, &fake, &id));
    assert_eq!(fake.playlist_uris(&remote).unwrap(), uris);

    // Refused mid-sync: stop at once, without re-reading, re-planning or sending it again.
    let moved = run_cli(dir, &["playlist", "move", &id, "1", "20"]);
    assert!(moved.status.success());
    fake.faults().refuse_next_writes = 1;
    fake.clear_requests();
    let failed = spotify(dir, &fake, &["spotify", "export", &id]);
    assert!(!failed.status.success());
    assert!(stderr(&failed).contains("(400)"), "{}", stderr(&failed));
    let requests = fake.requests();
    assert_eq!(writes(&requests).len(), 1, "{requests:?}");
    assert_eq!(requests.last().map(|r| r.is_write()), Some(true));
    assert_eq!(
        fake.playlist_uris(&remote).unwrap(),
        uris,
        "it did not happen"
    );

    // The next export finishes the job.
    let done = exported(dir, &fake, &id);
    assert_eq!(remote_id(&done), remote);
    assert_eq!(fake.playlist_uris(&remote).unwrap(), local_uris(dir, &id));
}

#[test]
fn a_description_with_line_breaks_and_too_long_is_sent_safely() {
    let fake = FakeSpotify::start();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    log_in(dir, &fake);
    let description = format!(
        "Songs from the films,\nin the order I like them.\r\n\t{}",
        "Long notes. ".repeat(40)
    );
    let made = run_cli(
        dir,
        &["playlist", "create", "Notes", "--description", &description],
    );
    assert!(made.status.success(), "{}", stderr(&made));
    let added = run_cli(dir, &["playlist", "add", "Notes", "Singles"]);
    assert!(added.status.success(), "{}", stderr(&added));

    let summary = exported(dir, &fake, "Notes");
    assert_eq!(summary["created"], true);
    assert_eq!(summary["description_skipped"], false);
    let requests = fake.requests();
    assert!(refused(&requests).is_empty(), "{:?}", refused(&requests));
    let creations: Vec<&RecordedRequest> = requests
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/me/playlists")
        .collect();
    assert_eq!(creations.len(), 1);
    let sent: Value = serde_json::from_str(&creations[0].body).unwrap();
    let short = sent["description"].as_str().unwrap();
    assert!(
        short.starts_with("Made with Cuesheet [cuesheet "),
        "{short}"
    );
    let playlist = &fake.playlists()[0];
    let kept = &playlist.description;
    assert!(!kept.contains(['\n', '\r', '\t']), "{kept:?}");
    assert!(kept.chars().count() <= 300, "{}", kept.chars().count());
    assert!(kept.starts_with("Songs from the films, in the order I like them. Long notes."));
    assert!(
        kept.ends_with(&short["Made with Cuesheet ".len()..]),
        "{kept}"
    );
    assert_eq!(
        writes(&requests)
            .iter()
            .filter(|r| r.method == "PUT" && r.path == format!("/v1/playlists/{}", playlist.id))
            .count(),
        1
    );
}

#[test]
fn a_lapsed_premium_gets_its_own_message_and_changes_nothing() {
    for lapse in [PremiumLapse::PlainText, PremiumLapse::Json] {
        let fake = FakeSpotify::start();
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        log_in(dir, &fake);
        let (id, uris) = import_exportify(dir, &fake, 8, "Eight");
        let remote = remote_id(&exported(dir, &fake, &id));
        let moved = run_cli(dir, &["playlist", "move", &id, "1", "8"]);
        assert!(moved.status.success());
        let before = library_rows(dir);

        // On a call.
        fake.faults().premium_lapsed = Some(lapse);
        fake.clear_requests();
        let failed = spotify(dir, &fake, &["spotify", "export", &id]);
        assert!(!failed.status.success());
        let message = stderr(&failed);
        assert!(message.contains("Renew Premium"), "{lapse:?}: {message}");
        assert!(!message.contains("try again later"), "{message}");
        assert!(writes(&fake.requests()).is_empty());
        assert_eq!(library_rows(dir), before, "{lapse:?}");

        // On the token endpoint, when the access token needs refreshing.
        fake.expire_access_tokens();
        let failed = spotify(dir, &fake, &["spotify", "export", &id]);
        assert!(!failed.status.success());
        let message = stderr(&failed);
        assert!(message.contains("Renew Premium"), "{lapse:?}: {message}");
        assert_eq!(library_rows(dir), before);
        assert_eq!(fake.playlist_uris(&remote).unwrap(), uris);
        let status = spotify_json(dir, &fake, &["spotify", "status", "--json"]);
        assert_eq!(status["logged_in"], true, "the login is kept for later");

        // At login.
        let other = tempfile::tempdir().unwrap();
        let message = failed_login(other.path(), &fake);
        assert!(message.contains("Renew Premium"), "{lapse:?}: {message}");
        let status = spotify_json(other.path(), &fake, &["spotify", "status", "--json"]);
        assert_eq!(status["logged_in"], false);

        // Renewed: the export finishes.
        fake.faults().premium_lapsed = None;
        let done = exported(dir, &fake, &id);
        assert_eq!(
            fake.playlist_uris(&remote_id(&done)).unwrap(),
            local_uris(dir, &id)
        );
    }
}

/// A login whose token exchange fails: the browser follows Spotify's redirect as usual.
fn failed_login(dir: &Path, fake: &FakeSpotify) -> String {
    let mut child = spotify_command(dir, fake, &["spotify", "login", "--no-browser"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let (_, location, _) = http_get(url.trim());
    http_get(&location.expect("Spotify redirects back"));
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success());
    stderr(&output)
}
