//! End to end in the real window, issue 15: "+ Add soundtrack" → "Find online", type a title,
//! see the candidates and the chosen edition's cover thumbnail (a data: URL, the CSP allows no
//! remote image), add it, and see the soundtrack page with its stored cover and its songs. Then
//! "Find covers and details" on a starter soundtrack fills in its cover, and a doubtful match
//! kept from an earlier look-up waits in Settings until kept as it is. All against the fake
//! MusicBrainz and Cover Art Archive.

use std::time::{Duration, Instant};

use cuesheet_tests::fake_musicbrainz::{FakeMusicBrainz, Host};
use cuesheet_tests::musicbrainz_cli::{fake_env, mb_json};
use cuesheet_tests::window::{wait_for, wait_for_library, AppDirs, Driver};
use fantoccini::{Client, Locator};

const TIMEOUT: Duration = Duration::from_secs(60);

async fn click(client: &Client, css: &str) {
    let element = wait_for(client, css).await;
    let arg = serde_json::to_value(&element).unwrap();
    client
        .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
        .await
        .unwrap();
    if let Err(e) = element.click().await {
        let shot = cuesheet_tests::save_failure_screenshot(client, "musicbrainz-click").await;
        panic!("could not click {css}: {e} (screenshot: {shot})");
    }
}

/// Runs `script` until it returns something other than null; fails with a screenshot after
/// the time-out.
async fn eventually(client: &Client, what: &str, script: &str) -> serde_json::Value {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let value = client.execute(script, vec![]).await.unwrap_or_default();
        if !value.is_null() {
            return value;
        }
        if Instant::now() > deadline {
            let shot = cuesheet_tests::save_failure_screenshot(client, what).await;
            panic!("timed out waiting for {what} (screenshot: {shot})");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn find_a_soundtrack_online_add_it_and_fill_in_another() {
    let fake = FakeMusicBrainz::start();
    let dirs = AppDirs::new();
    let driver = Driver::start_with_env(&dirs, &fake_env(&fake));
    let client = driver.launch().await;
    wait_for_library(&client).await;

    click(&client, "[data-testid='new-soundtrack']").await;
    click(&client, "[data-testid='add-find-online']").await;
    let query = wait_for(&client, "[data-testid='find-query']").await;
    query.send_keys("the crow city of angels").await.unwrap();

    // Candidates come as typing pauses; the first is the sequel's song album, with its cover.
    let first = eventually(
        &client,
        "the candidates",
        "const c = document.querySelector(\"[data-testid='candidate']\");
         const img = document.querySelector(\"[data-testid='candidate-cover']\");
         return c && img && img.complete && img.naturalWidth > 0
           ? { text: c.textContent, src: img.getAttribute('src').slice(0, 23) } : null;",
    )
    .await;
    assert!(
        first["text"]
            .as_str()
            .unwrap()
            .contains("The Crow: City of Angels"),
        "{first}"
    );
    assert!(first["text"].as_str().unwrap().contains("songs"), "{first}");
    assert_eq!(first["src"], "data:image/jpeg;base64,");
    // Every candidate's cover comes into the list in the background: the song album's and the
    // score's at least (both have one in the Cover Art Archive).
    let listed = eventually(
        &client,
        "the candidates' thumbnails",
        "const buttons = [...document.querySelectorAll(\"[data-testid='candidate']\")];
         const shown = buttons.map((b) => {
           const img = b.querySelector(\"[data-testid='candidate-thumb']\");
           return img && img.complete && img.naturalWidth > 0;
         });
         return shown.filter(Boolean).length >= 2 ? shown : null;",
    )
    .await;
    assert_eq!(listed[0], true, "the first candidate's cover: {listed}");
    let editions = client
        .find_all(Locator::Css("[data-testid='edition']"))
        .await
        .unwrap();
    assert_eq!(
        editions.len(),
        3,
        "CD, vinyl and promo editions, one click away"
    );
    let film = client
        .find(Locator::Css("[data-testid='find-film-title']"))
        .await
        .unwrap();
    assert_eq!(
        film.prop("value").await.unwrap().as_deref(),
        Some("The Crow: City of Angels")
    );

    click(&client, "[data-testid='find-add']").await;
    let shown = eventually(
        &client,
        "the added soundtrack",
        "const title = document.querySelector(\"[data-testid='soundtrack-title']\");
         const img = document.querySelector(\"[data-testid='soundtrack-view'] img.cover\");
         const rows = document.querySelectorAll(\"[data-testid='track-row']\").length;
         return title && img && img.complete && img.naturalWidth > 0 && rows > 0
           ? { title: title.textContent, rows, cover: img.getAttribute('src') } : null;",
    )
    .await;
    assert_eq!(shown["title"], "The Crow: City of Angels");
    assert_eq!(shown["rows"], 14);
    assert!(
        !shown["cover"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1"),
        "{shown}"
    );
    let served = fake.find_release(
        "The Crow: City of Angels (Original Motion Picture Soundtrack)",
        "1996-07-30",
    );
    let listed = cuesheet_tests::cli_json(
        &dirs.data_dir(),
        &["show", "The Crow: City of Angels", "--json"],
    );
    assert_eq!(listed["musicbrainz_release_id"], served.id);

    // A starter soundtrack's page: "Find covers and details" fills its cover in.
    click(&client, "[data-testid='nav-library']").await;
    let singles = cuesheet_tests::cli_json(&dirs.data_dir(), &["show", "Singles", "--json"]);
    assert!(singles["cover"].is_null());
    click(
        &client,
        "[data-testid='soundtrack-card'][data-film='Singles']",
    )
    .await;
    click(&client, "[data-testid='enrich-run']").await;
    let summary = eventually(
        &client,
        "the fill-in summary",
        "const s = document.querySelector(\"[data-testid='enrich-summary']\");
         return s ? s.textContent : null;",
    )
    .await;
    assert!(
        summary.as_str().unwrap().contains("1 filled in"),
        "{summary}"
    );
    assert!(summary.as_str().unwrap().contains("cover"), "{summary}");
    let singles = cuesheet_tests::cli_json(&dirs.data_dir(), &["show", "Singles", "--json"]);
    assert!(singles["cover"].is_string());
    assert!(fake.requests().iter().all(|r| r.status != 503));
    assert!(fake.requests().iter().any(|r| r.host == Host::Images));

    // A doubtful match from an earlier look-up (here the CLI's) waits in Settings, read from
    // the library; "Keep as it is" takes it off the list for good.
    let data = dirs.data_dir();
    cuesheet_tests::cli_json(&data, &["add", "Clerks", "--year", "1994", "--json"]);
    let report = mb_json(&data, &fake, &["enrich", "Clerks", "--json"]);
    assert_eq!(report["proposals"][0]["verdict"], "doubtful", "{report}");
    click(&client, "[data-testid='nav-settings']").await;
    let waiting = eventually(
        &client,
        "the kept review list",
        "const kept = document.querySelector(\"[data-testid='review-kept']\");
         const items = [...document.querySelectorAll(\"[data-testid='review-item']\")];
         return kept && items.length ? items.map((i) => i.textContent) : null;",
    )
    .await;
    assert_eq!(waiting.as_array().unwrap().len(), 1, "{waiting}");
    assert!(waiting[0].as_str().unwrap().contains("Clerks"), "{waiting}");
    click(&client, "[data-testid='review-keep']").await;
    eventually(
        &client,
        "the review list emptied",
        "return document.querySelector(\"[data-testid='review-item']\") ? null : true;",
    )
    .await;
    let pending = cuesheet_tests::cli_json(&data, &["enrich", "--pending", "--json"]);
    assert_eq!(pending, serde_json::json!([]));
}
