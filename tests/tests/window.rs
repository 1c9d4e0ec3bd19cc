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

/// A source link opens in the system browser through the checked `open_link` command, and an
/// address that is not http(s) — here written into the library file directly, as a crafted
/// backup or an old version could leave it — is shown as text, never as a link. The browser is
/// a stand-in `xdg-open` first on the PATH that writes down what it was asked to open.
#[tokio::test(flavor = "multi_thread")]
async fn source_links_open_in_the_browser_and_other_schemes_are_plain_text() {
    use std::os::unix::fs::PermissionsExt;

    let dirs = AppDirs::new();
    let data = dirs.data_dir();
    let seeded = cuesheet_tests::cli_json(&data, &["show", "Singles", "--json"]);
    let singles = seeded["id"].as_i64().unwrap();
    let web = seeded["source_urls"][0].as_str().unwrap().to_owned();
    let film_only = seeded["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["on_album"] == false)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    {
        let conn = rusqlite::Connection::open(data.join("library.sqlite3")).unwrap();
        conn.execute(
            "INSERT INTO soundtrack_sources (soundtrack_id, ord, url) VALUES (?1, 99, ?2)",
            rusqlite::params![singles, "javascript:alert(document.title)"],
        )
        .unwrap();
        conn.execute(
            "UPDATE tracks SET source_url = 'file:///etc/passwd' WHERE id = ?1",
            [film_only],
        )
        .unwrap();
    }

    let bin = tempfile::tempdir().unwrap();
    let opened = bin.path().join("opened.txt");
    let browser = bin.path().join("xdg-open");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            opened.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let driver = Driver::start_with_env(&dirs, &[("PATH", path)]);
    let client = driver.launch().await;
    wait_for_library(&client).await;
    wait_for(
        &client,
        "[data-testid='soundtrack-card'][data-film='Singles']",
    )
    .await
    .click()
    .await
    .unwrap();
    wait_for(&client, "[data-testid='soundtrack-title']").await;

    let links = client
        .find_all(Locator::Css("a[data-testid='source-link']"))
        .await
        .unwrap();
    let shown_as_text = wait_for(&client, "[data-testid='source-link-text']").await;
    assert_eq!(
        shown_as_text.text().await.unwrap().trim(),
        "javascript:alert(document.title)"
    );
    assert_eq!(
        shown_as_text.tag_name().await.unwrap(),
        "span",
        "not a link"
    );
    let track_source = wait_for(&client, "[data-testid='track-source-text']").await;
    assert_eq!(
        track_source.text().await.unwrap().trim(),
        "file:///etc/passwd"
    );
    let hrefs = client
        .execute(
            "return Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))",
            vec![],
        )
        .await
        .unwrap();
    let hrefs: Vec<String> = serde_json::from_value(hrefs).unwrap();
    assert!(!hrefs.is_empty());
    assert!(
        hrefs
            .iter()
            .all(|h| h.starts_with("https://") || h.starts_with("http://") || h.starts_with('#')),
        "only http(s) addresses are links: {hrefs:?}"
    );

    let first = links.first().expect("the https sources are links");
    assert_eq!(
        first.attr("href").await.unwrap().as_deref(),
        Some(web.as_str())
    );
    first.click().await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let asked = loop {
        let asked = std::fs::read_to_string(&opened).unwrap_or_default();
        if !asked.is_empty() || std::time::Instant::now() > deadline {
            break asked;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(
        asked.trim(),
        web,
        "the browser was asked to open the source"
    );
    // The window itself stayed on the soundtrack.
    let title = wait_for(&client, "[data-testid='soundtrack-title']").await;
    assert_eq!(title.text().await.unwrap().trim(), "Singles");

    client.close().await.unwrap();
}
