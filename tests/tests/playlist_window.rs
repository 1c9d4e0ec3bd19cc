//! End to end in the real window, issue 4: build a playlist by dragging songs from a
//! soundtrack onto it in the sidebar, reorder it by dragging and with the keyboard, export it to
//! a file, and check the file and the library.

use std::time::{Duration, Instant};

use cuesheet_tests::window::{wait_for, wait_for_library, AppDirs, Driver};
use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

async fn drag(client: &Client, from: &Element, to: &Element) {
    let step = Some(Duration::from_millis(50));
    let actions = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: from.clone(),
            duration: step,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveBy {
            duration: step,
            x: 12.0,
            y: 12.0,
        })
        .then(PointerAction::MoveToElement {
            element: to.clone(),
            duration: step,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    client
        .perform_actions(actions)
        .await
        .expect("the drag is performed");
    client.release_actions().await.ok();
}

async fn row_titles(client: &Client) -> Vec<String> {
    let mut titles = Vec::new();
    if let Ok(rows) = client
        .find_all(Locator::Css("[data-testid='playlist-row']"))
        .await
    {
        for row in rows {
            titles.push(
                row.attr("data-title")
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
            );
        }
    }
    titles
}

async fn eventually_rows(client: &Client, expected: &[&str]) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let titles = row_titles(client).await;
        if titles == expected {
            return;
        }
        if Instant::now() > deadline {
            let shot = cuesheet_tests::save_failure_screenshot(client, "playlist-rows").await;
            panic!("the playlist shows {titles:?}, not {expected:?} (screenshot: {shot})");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn drag_songs_onto_a_playlist_reorder_it_and_export_it() {
    let dirs = AppDirs::new();
    let made = cuesheet_tests::run_cli(&dirs.data_dir(), &["playlist", "create", "Road mix"]);
    assert!(made.status.success());
    let driver = Driver::start(&dirs);
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
    wait_for(&client, "[data-testid='track-row']").await;
    let target = wait_for(
        &client,
        "[data-testid='sidebar-playlist'][data-name='Road mix']",
    )
    .await;
    let handles = client
        .find_all(Locator::Css(
            "[data-testid='track-row'][data-on-album='true'] [data-testid='track-drag']",
        ))
        .await
        .unwrap();
    for handle in handles.iter().take(3) {
        drag(&client, handle, &target).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    target.click().await.unwrap();
    wait_for(&client, "[data-testid='playlist-view']").await;
    eventually_rows(&client, &["Would?", "Breath", "Seasons"]).await;

    // Drag the third song onto the first place.
    let handles = client
        .find_all(Locator::Css(
            "[data-testid='playlist-row'] [data-testid='drag-handle']",
        ))
        .await
        .unwrap();
    let rows = client
        .find_all(Locator::Css("[data-testid='playlist-row']"))
        .await
        .unwrap();
    drag(&client, &handles[2], &rows[0]).await;
    eventually_rows(&client, &["Seasons", "Would?", "Breath"]).await;

    // And with the keyboard: Alt+Down on the first row moves it one place down.
    let first = client
        .find(Locator::Css("[data-testid='playlist-row']"))
        .await
        .unwrap();
    first.click().await.unwrap();
    let alt_down = format!(
        "{}{}{}",
        char::from(Key::Alt),
        char::from(Key::Down),
        char::from(Key::Alt)
    );
    first.send_keys(&alt_down).await.unwrap();
    eventually_rows(&client, &["Would?", "Seasons", "Breath"]).await;

    let file = dirs.data_dir().join("road-mix.m3u8");
    wait_for(&client, "[data-testid='export-path']")
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    wait_for(&client, "[data-testid='export']")
        .await
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while !file.exists() {
        assert!(
            Instant::now() < deadline,
            "the export never wrote {}",
            file.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    client.close().await.unwrap();

    let written = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = written
        .lines()
        .filter(|l| l.starts_with("#EXTINF:"))
        .collect();
    assert_eq!(
        lines,
        [
            "#EXTINF:207,Alice in Chains - Would?",
            "#EXTINF:345,Chris Cornell - Seasons",
            "#EXTINF:325,Pearl Jam - Breath",
        ]
    );
    let shown = cuesheet_tests::cli_json(
        &dirs.data_dir(),
        &["playlist", "show", "Road mix", "--json"],
    );
    let titles: Vec<&str> = shown["songs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["song"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Would?", "Seasons", "Breath"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn paste_a_playlist_preview_it_and_import_it() {
    let dirs = AppDirs::new();
    let driver = Driver::start(&dirs);
    let client = driver.launch().await;
    wait_for_library(&client).await;

    wait_for(&client, "[data-testid='nav-playlists']")
        .await
        .click()
        .await
        .unwrap();
    client
        .find(Locator::XPath("//button[contains(., 'Paste a playlist')]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let enter = char::from(Key::Enter).to_string();
    let pasted = [
        "Track name,Artist name,Album,Playlist name",
        "Would?,Alice in Chains,Singles,Pasted mix",
        "Hoppípolla,Sigur Rós,Takk...,Pasted mix",
    ]
    .join(&enter);
    wait_for(&client, "[data-testid='import-text']")
        .await
        .send_keys(&pasted)
        .await
        .unwrap();
    let confirm = wait_for(&client, "[data-testid='import-confirm']:not([disabled])").await;
    let dialog = client
        .find(Locator::Css("[data-testid='import-dialog']"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        dialog.contains("Read as CSV") && dialog.contains("Pasted mix"),
        "{dialog}"
    );
    confirm.click().await.unwrap();
    wait_for(&client, "[data-testid='playlist-view']").await;
    eventually_rows(&client, &["Would?", "Hoppípolla"]).await;
    client.close().await.unwrap();

    let shown = cuesheet_tests::cli_json(
        &dirs.data_dir(),
        &["playlist", "show", "Pasted mix", "--json"],
    );
    assert_eq!(
        shown["songs"][0]["track_id"], 1,
        "Would? is linked to the Singles album"
    );
    assert_eq!(shown["songs"][1]["song"]["artists"][0], "Sigur Rós");
}
