//! End to end in the real window, issue 5: export a playlist to (the fake) Spotify from its
//! export panel — find its songs, review them, leave one out, export — and check through the
//! fake that exactly one playlist holds the matched songs in order; deleted in Spotify, it is
//! made again, then followed again. Settings shows the login.
//!
//! The login itself goes through the CLI (a test cannot click in a real browser); the window
//! then runs on the same data dir with the fake's addresses in its environment.
//! With `CUESHEET_SCREENSHOT_DIR` set, the panel's review is photographed there.

use std::time::{Duration, Instant};

use cuesheet_tests::a11y::assert_accessible;
use cuesheet_tests::fake_spotify::FakeSpotify;
use cuesheet_tests::spotify_cli::{self, CLIENT_ID};
use cuesheet_tests::window::{wait_for, wait_for_library, AppDirs, Driver};
use fantoccini::{Client, Locator};

/// Matching and export against the fake take a few seconds on a slow machine.
const SPOTIFY_TIMEOUT: Duration = Duration::from_secs(60);

/// One review row as the window shows it.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    song_id: String,
    title: String,
    state: String,
    position: u32,
    uri: String,
}

async fn rows(client: &Client) -> Vec<Row> {
    let mut found = Vec::new();
    let Ok(elements) = client
        .find_all(Locator::Css("[data-testid='spotify-song']"))
        .await
    else {
        return found;
    };
    for element in elements {
        let attr = |name: &'static str| {
            let element = element.clone();
            async move { element.attr(name).await.ok().flatten().unwrap_or_default() }
        };
        found.push(Row {
            song_id: attr("data-song-id").await,
            title: attr("data-title").await,
            state: attr("data-state").await,
            position: attr("data-position").await.parse().unwrap_or(0),
            uri: attr("data-uri").await,
        });
    }
    found
}

/// What an export must leave on Spotify: the matched and chosen songs' URIs, in playlist order.
fn to_export(rows: &[Row]) -> Vec<String> {
    let mut exported: Vec<&Row> = rows
        .iter()
        .filter(|r| r.state == "matched" || r.state == "chosen")
        .collect();
    exported.sort_by_key(|r| r.position);
    exported.iter().map(|r| r.uri.clone()).collect()
}

/// Polls until `check` passes; on time-out saves a screenshot and fails with what was seen.
async fn eventually<T, F, Fut>(client: &Client, what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    let deadline = Instant::now() + SPOTIFY_TIMEOUT;
    loop {
        let seen = match probe().await {
            Ok(value) => return value,
            Err(seen) => seen,
        };
        if Instant::now() > deadline {
            let shot = cuesheet_tests::save_failure_screenshot(client, what).await;
            panic!("timed out waiting for {what}; the window showed {seen} (screenshot: {shot})");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn text_of(client: &Client, css: &str) -> String {
    match client.find(Locator::Css(css)).await {
        Ok(element) => element.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Waits until the export's summary says `words` and returns it; a timeout shows the whole panel.
async fn wait_for_summary(client: &Client, what: &str, words: &str) -> String {
    eventually(client, what, || async {
        let text = text_of(client, "[data-testid='spotify-summary']").await;
        if text.contains(words) {
            Ok(text)
        } else {
            Err(text_of(client, "[data-testid='spotify-panel']").await)
        }
    })
    .await
}

/// Clicks what `css` finds. The undo toast floats over the bottom of the window, so the element
/// is first scrolled to the middle of the view, where nothing covers it.
async fn click(client: &Client, css: &str) {
    let element = wait_for(client, css).await;
    let arg = serde_json::to_value(&element).unwrap();
    client
        .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
        .await
        .unwrap();
    if let Err(e) = element.click().await {
        let shot = cuesheet_tests::save_failure_screenshot(client, "spotify-click").await;
        panic!("could not click {css}: {e} (screenshot: {shot})");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn export_a_playlist_to_spotify_from_the_window() {
    let fake = FakeSpotify::start();
    let dirs = AppDirs::new();
    let dir = dirs.data_dir();
    spotify_cli::log_in(&dir, &fake);
    let made = cuesheet_tests::run_cli(&dir, &["playlist", "from-soundtrack", "The Crow"]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let status = spotify_cli::spotify_json(&dir, &fake, &["spotify", "status", "--json"]);
    let token_file = status["token_file"]
        .as_str()
        .expect("tokens are kept in a file under CUESHEET_TOKEN_STORE=file")
        .to_string();

    let driver = Driver::start_with_env(
        &dirs,
        &[
            ("CUESHEET_SPOTIFY_API_URL", fake.api_url()),
            ("CUESHEET_SPOTIFY_ACCOUNTS_URL", fake.accounts_url()),
            ("CUESHEET_SPOTIFY_CLIENT_ID", CLIENT_ID.to_string()),
            ("CUESHEET_TOKEN_STORE", "file".to_string()),
            ("CUESHEET_SPOTIFY_TIMEOUT_SECS", "10".to_string()),
        ],
    );
    let client = driver.launch().await;
    wait_for_library(&client).await;

    click(
        &client,
        "[data-testid='sidebar-playlist'][data-name='The Crow']",
    )
    .await;
    wait_for(&client, "[data-testid='playlist-view']").await;
    click(&client, "[data-testid='spotify-export-open']").await;
    wait_for(&client, "[data-testid='spotify-panel']").await;

    // Logged in through the CLI, so the panel is ready: find the songs.
    click(&client, "[data-testid='spotify-match']:not([disabled])").await;
    eventually(&client, "matching to finish", || async {
        let review = client
            .find(Locator::Css("[data-testid='spotify-review']"))
            .await;
        let export = client
            .find(Locator::Css(
                "[data-testid='spotify-export']:not([disabled])",
            ))
            .await;
        let running = client
            .find(Locator::Css("[data-testid='spotify-progress']"))
            .await;
        if review.is_ok() && export.is_ok() && running.is_err() {
            Ok(())
        } else {
            Err(text_of(&client, "[data-testid='spotify-panel']").await)
        }
    })
    .await;

    // Matched songs are folded away until asked for.
    click(&client, "[data-testid='spotify-show-matched']").await;
    let before = eventually(&client, "the matched songs", || async {
        let rows = rows(&client).await;
        if rows.iter().any(|r| r.state == "matched") {
            Ok(rows)
        } else {
            Err(format!("{rows:?}"))
        }
    })
    .await;
    let states = [
        "matched",
        "chosen",
        "doubtful",
        "not_found",
        "not_on_spotify",
    ];
    assert!(
        before.iter().all(|r| states.contains(&r.state.as_str())),
        "{before:?}"
    );
    let mut positions: Vec<u32> = before.iter().map(|r| r.position).collect();
    positions.sort_unstable();
    assert_eq!(
        positions,
        (1..=14).collect::<Vec<u32>>(),
        "every song of The Crow is in the review once"
    );
    assert_accessible(&client, "spotify-review").await;
    let catalogue = fake.catalogue();
    for row in before.iter().filter(|r| r.state == "matched") {
        let track = catalogue
            .iter()
            .find(|t| t.uri() == row.uri)
            .unwrap_or_else(|| panic!("{} matched {}, not in the catalogue", row.title, row.uri));
        assert!(
            !track.decoy,
            "{} matched a decoy: {}",
            row.title, track.name
        );
    }

    // A song Spotify lacks: search with my own words, then pick one of the tracks offered.
    let missing = before
        .iter()
        .find(|r| r.state == "not_found")
        .cloned()
        .expect("the fake lacks a song of The Crow");
    let in_row = |testid: &str| {
        format!(
            "[data-testid='spotify-song'][data-song-id='{}'] [data-testid='{testid}']",
            missing.song_id
        )
    };
    let search = wait_for(&client, &in_row("spotify-search")).await;
    search.clear().await.unwrap();
    search.send_keys("The Crow").await.unwrap();
    click(
        &client,
        &format!(
            "[data-testid='spotify-song'][data-song-id='{}'] form button[type='submit']",
            missing.song_id
        ),
    )
    .await;
    eventually(&client, "tracks offered for the missing song", || async {
        let rows = rows(&client).await;
        let offered = client
            .find_all(Locator::Css(&in_row("spotify-candidate")))
            .await
            .map(|c| c.len())
            .unwrap_or(0);
        let state = rows.iter().find(|r| r.song_id == missing.song_id);
        if offered > 0 && state.is_some_and(|r| r.state == "doubtful") {
            Ok(())
        } else {
            Err(format!("{offered} candidates, {state:?}"))
        }
    })
    .await;

    if let Some(dir) = std::env::var_os("CUESHEET_SCREENSHOT_DIR") {
        let png = client.screenshot().await.expect("a screenshot");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join("spotify-export.png"), png).unwrap();
    }

    let picked = client
        .find(Locator::Css(&in_row("spotify-candidate")))
        .await
        .unwrap()
        .attr("data-uri")
        .await
        .unwrap()
        .expect("a candidate's URI");
    click(&client, &in_row("spotify-use")).await;
    eventually(&client, "the picked track to count as chosen", || async {
        let rows = rows(&client).await;
        match rows.iter().find(|r| r.song_id == missing.song_id) {
            Some(row) if row.state == "chosen" && row.uri == picked => Ok(()),
            other => Err(format!("{other:?}")),
        }
    })
    .await;

    // The curator says the first matched song is not on Spotify.
    let excluded = before
        .iter()
        .find(|r| r.state == "matched")
        .cloned()
        .unwrap();
    let button = format!(
        "[data-testid='spotify-song'][data-song-id='{}'] [data-testid='spotify-not-on-spotify']",
        excluded.song_id
    );
    click(&client, &button).await;
    let after = eventually(&client, "the song to be left out", || async {
        let rows = rows(&client).await;
        let state = rows
            .iter()
            .find(|r| r.song_id == excluded.song_id)
            .map(|r| r.state.clone());
        if state.as_deref() == Some("not_on_spotify") {
            Ok(rows)
        } else {
            Err(format!("{rows:?}"))
        }
    })
    .await;
    let expected = to_export(&after);
    assert!(!expected.is_empty());
    assert!(!expected.contains(&excluded.uri));

    click(&client, "[data-testid='spotify-export']:not([disabled])").await;
    let summary =
        wait_for_summary(&client, "the export summary", "Created a Spotify playlist").await;
    assert!(
        summary.contains(&format!("with {} songs", expected.len())),
        "{summary}"
    );
    assert!(summary.contains("1 not on Spotify"), "{summary}");
    wait_for(&client, "[data-testid='spotify-open-link']").await;

    let playlists = fake.playlists();
    assert_eq!(playlists.len(), 1, "exactly one playlist: {playlists:?}");
    assert_eq!(playlists[0].name, "The Crow");
    assert_eq!(playlists[0].uris, expected);
    assert_eq!(fake.playlist_uris(&playlists[0].id).unwrap(), expected);
    assert!(expected.contains(&picked), "the chosen track is exported");

    // The playlist is deleted in Spotify (which only unfollows it); Undo puts the left-out song
    // back, and the export offers to create the playlist again or follow it again.
    let first_remote = playlists[0].id.clone();
    let before_delete = fake.playlist_uris(&first_remote).unwrap();
    fake.delete_playlist(&first_remote);
    click(&client, "[data-testid='spotify-undo']:not([disabled])").await;
    let restored = eventually(&client, "Undo to put the song back", || async {
        let rows = rows(&client).await;
        let back = rows
            .iter()
            .any(|r| r.song_id == excluded.song_id && r.state == "matched");
        let idle = client
            .find(Locator::Css(
                "[data-testid='spotify-export']:not([disabled])",
            ))
            .await
            .is_ok();
        if back && idle {
            Ok(rows)
        } else {
            Err(format!("{rows:?}"))
        }
    })
    .await;
    let expected = to_export(&restored);
    assert!(expected.contains(&excluded.uri));

    click(&client, "[data-testid='spotify-export']:not([disabled])").await;
    wait_for(&client, "[data-testid='spotify-recreate']").await;
    let problem = text_of(&client, "[data-testid='spotify-problem']").await;
    assert!(problem.contains("deleted in Spotify"), "{problem}");
    wait_for(&client, "[data-testid='spotify-follow-again']").await;
    assert!(
        fake.playlists().is_empty(),
        "nothing is made without asking"
    );
    assert_eq!(
        fake.playlist_uris(&first_remote).unwrap(),
        before_delete,
        "nothing is written to a playlist the user deleted"
    );
    click(&client, "[data-testid='spotify-recreate']").await;
    wait_for_summary(
        &client,
        "the playlist made again",
        "Created a Spotify playlist",
    )
    .await;
    let playlists = fake.playlists();
    assert_eq!(playlists.len(), 1, "{playlists:?}");
    assert_ne!(playlists[0].id, first_remote);
    assert_eq!(playlists[0].uris, expected);

    // Deleted in Spotify once more, and this time followed again: the same playlist comes back
    // among the user's, holding the songs, and no new one is made.
    let second_remote = playlists[0].id.clone();
    fake.delete_playlist(&second_remote);
    click(&client, "[data-testid='spotify-export']:not([disabled])").await;
    click(&client, "[data-testid='spotify-follow-again']").await;
    wait_for_summary(
        &client,
        "the playlist followed again",
        "Followed the Spotify playlist again",
    )
    .await;
    let playlists = fake.playlists();
    assert_eq!(playlists.len(), 1, "{playlists:?}");
    assert_eq!(
        playlists[0].id, second_remote,
        "the same playlist, followed again"
    );
    assert_eq!(playlists[0].uris, expected);
    assert_eq!(fake.all_playlists().len(), 2, "no third playlist was made");

    // Settings shows who is logged in and where the login is kept.
    click(&client, "[data-testid='nav-settings']").await;
    let account = eventually(&client, "the Spotify account in Settings", || async {
        let user = text_of(&client, "[data-testid='spotify-user']").await;
        let store = text_of(&client, "[data-testid='spotify-token-store']").await;
        if user.contains("Film Fan") && !store.is_empty() {
            Ok(store)
        } else {
            Err(text_of(&client, "[data-testid='spotify-settings']").await)
        }
    })
    .await;
    assert!(
        account.contains("a file only you can read") && account.contains(&token_file),
        "{account}"
    );
    assert_accessible(&client, "settings-spotify-logged-in").await;
    if let Some(dir) = std::env::var_os("CUESHEET_SCREENSHOT_DIR") {
        client
            .execute(
                "document.querySelector(\"[data-testid='spotify-settings']\").scrollIntoView();",
                vec![],
            )
            .await
            .unwrap();
        let png = client.screenshot().await.expect("a screenshot");
        std::fs::write(std::path::Path::new(&dir).join("spotify-settings.png"), png).unwrap();
    }
    client.close().await.unwrap();
}
