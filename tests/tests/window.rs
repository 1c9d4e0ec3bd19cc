//! End to end in the real window: the built app under Xvfb, driven through tauri-driver and
//! WebKitWebDriver, on a temporary data dir.

use cuesheet_tests::window::{wait_for, wait_for_library, AppDirs, Driver};
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread")]
async fn the_library_shows_singles_and_its_track_list_has_would() {
    let dirs = AppDirs::new();
    let driver = Driver::start(&dirs);
    let client = driver.launch().await;

    wait_for_library(&client).await;
    let card = wait_for(
        &client,
        "[data-testid='soundtrack-card'][data-film='Singles']",
    )
    .await;
    assert!(card.text().await.unwrap().contains("Singles"));
    card.click().await.unwrap();

    let title = wait_for(&client, "[data-testid='soundtrack-title']").await;
    assert_eq!(title.text().await.unwrap().trim(), "Singles");
    let rows = client
        .find_all(Locator::Css(
            "[data-testid='track-row'][data-on-album='true']",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 13);
    let first_title = rows[0]
        .find(Locator::Css("[data-testid='track-title']"))
        .await
        .unwrap();
    let first_artists = rows[0]
        .find(Locator::Css("[data-testid='track-artists']"))
        .await
        .unwrap();
    assert_eq!(first_title.text().await.unwrap().trim(), "Would?");
    assert_eq!(
        first_artists.text().await.unwrap().trim(),
        "Alice in Chains"
    );

    let film_only = client
        .find_all(Locator::Css(
            "[data-testid='track-row'][data-on-album='false']",
        ))
        .await
        .unwrap();
    assert_eq!(
        film_only.len(),
        4,
        "Singles has four songs heard only in the film"
    );
    let sources = client
        .find_all(Locator::Css("[data-testid='source-link']"))
        .await
        .unwrap();
    assert!(!sources.is_empty(), "the source links are visible");

    client.close().await.unwrap();
}

async fn cards_after_start(driver: &Driver) -> usize {
    let client = driver.launch().await;
    wait_for_library(&client).await;
    let count = client
        .find_all(Locator::Css("[data-testid='soundtrack-card']"))
        .await
        .unwrap()
        .len();
    client.close().await.unwrap();
    count
}

#[tokio::test(flavor = "multi_thread")]
async fn starting_twice_on_one_data_dir_seeds_the_starter_catalog_once() {
    let dirs = AppDirs::new();
    let driver = Driver::start(&dirs);

    assert_eq!(cards_after_start(&driver).await, 26);
    assert_eq!(cards_after_start(&driver).await, 26);

    // The file itself, read through the CLI, holds one copy of the catalog.
    let list = cuesheet_tests::cli_json(&dirs.data_dir(), &["soundtracks", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 26);
}
