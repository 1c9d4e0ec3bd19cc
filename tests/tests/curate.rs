//! End to end in the real window, the curator's path from issue 3: paste a track list to create
//! a soundtrack, favourite one of its songs, and find it again by typing the artist's name
//! without its accents. The library file is then read through the CLI to see what landed.

use std::time::{Duration, Instant};

use cuesheet_tests::window::{wait_for, wait_for_library, AppDirs, Driver};
use fantoccini::{Client, Locator};

/// Polls until `check` holds, failing with `what` after a while (the window answers through an
/// async command, so the DOM catches up a moment after a click).
async fn eventually<F, Fut>(client: &Client, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(15);
    while !check().await {
        if Instant::now() > deadline {
            let shot = cuesheet_tests::save_failure_screenshot(client, what).await;
            panic!("the window never showed {what} (screenshot: {shot})");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Lines as typed into a text box: WebDriver sends Enter as its own key code, not "\n".
fn typed_lines(lines: &[&str]) -> String {
    let enter = char::from(fantoccini::key::Key::Enter).to_string();
    lines.join(&enter)
}

async fn count(client: &Client, css: &str) -> usize {
    client
        .find_all(Locator::Css(css))
        .await
        .map_or(0, |found| found.len())
}

#[tokio::test(flavor = "multi_thread")]
async fn paste_a_track_list_favourite_a_song_and_find_it_without_accents() {
    let dirs = AppDirs::new();
    let driver = Driver::start(&dirs);
    let client = driver.launch().await;
    wait_for_library(&client).await;

    wait_for(&client, "[data-testid='new-soundtrack']")
        .await
        .click()
        .await
        .unwrap();
    wait_for(&client, "[data-testid='field-film-title']")
        .await
        .send_keys("Heima")
        .await
        .unwrap();
    wait_for(&client, "[data-testid='field-film-year']")
        .await
        .send_keys("2007")
        .await
        .unwrap();
    wait_for(&client, "[data-testid='paste-input']")
        .await
        .send_keys(&typed_lines(&[
            "1. Sigur Rós – Glósóli 6:15",
            "2. Sigur Rós - Hoppípolla",
            "not a song line",
        ]))
        .await
        .unwrap();
    eventually(
        &client,
        "a preview of two songs and one unreadable line",
        || async {
            count(&client, "[data-testid='paste-song']").await == 2
                && count(&client, "[data-testid='paste-problems'] li").await == 1
        },
    )
    .await;
    wait_for(&client, "[data-testid='save-soundtrack']")
        .await
        .click()
        .await
        .unwrap();

    let title = wait_for(&client, "[data-testid='soundtrack-title']").await;
    assert_eq!(title.text().await.unwrap().trim(), "Heima");
    eventually(&client, "the two pasted songs", || async {
        count(&client, "[data-testid='track-row'][data-on-album='true']").await == 2
    })
    .await;

    let rows = client
        .find_all(Locator::Css("[data-testid='track-row']"))
        .await
        .unwrap();
    let mut favourite_id = None;
    for row in rows {
        let title = row
            .find(Locator::Css("[data-testid='track-title']"))
            .await
            .unwrap();
        if title.text().await.unwrap().trim() == "Hoppípolla" {
            favourite_id = row.attr("data-track-id").await.unwrap();
            row.find(Locator::Css("[data-testid='track-favourite']"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
        }
    }
    let favourite_id = favourite_id.expect("a row for Hoppípolla");
    let pressed = format!(
        "[data-track-id='{favourite_id}'] [data-testid='track-favourite'][aria-pressed='true']"
    );
    eventually(&client, "the song marked as a favourite", || async {
        count(&client, &pressed).await == 1
    })
    .await;

    wait_for(&client, "[data-testid='search']")
        .await
        .send_keys("sigur ros hoppi")
        .await
        .unwrap();
    let hit = format!("[data-testid='song-hit'][data-track-id='{favourite_id}']");
    eventually(
        &client,
        "the song found by its artist typed without accents",
        || async { count(&client, &hit).await == 1 },
    )
    .await;
    let found = client.find(Locator::Css(&hit)).await.unwrap();
    let text = found.text().await.unwrap();
    assert!(
        text.contains("Hoppípolla") && text.contains("Sigur Rós") && text.contains("Heima"),
        "{text}"
    );
    let heart = found
        .find(Locator::Css("button[aria-pressed]"))
        .await
        .unwrap();
    assert_eq!(
        heart.attr("aria-pressed").await.unwrap().as_deref(),
        Some("true")
    );
    client.close().await.unwrap();

    // What the window did is in the library file.
    let heima = cuesheet_tests::cli_json(&dirs.data_dir(), &["show", "Heima", "--json"]);
    let tracks = heima["tracks"].as_array().unwrap();
    assert_eq!(tracks.len(), 2);
    assert_eq!(tracks[0]["title"], "Glósóli");
    assert_eq!(tracks[0]["duration_ms"], 375_000);
    assert_eq!(tracks[1]["title"], "Hoppípolla");
    assert_eq!(tracks[1]["favourite"], true);
    assert_eq!(tracks[0]["favourite"], false);
}
