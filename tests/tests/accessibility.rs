//! Every view and dialog of the real window passes axe-core with no serious or critical
//! violation, in light and in dark, and keyboard focus is always visible.
//!
//! Views are reached as a person reaches them (clicks, the search box, keys); the library has a
//! playlist and a ranked list made through the CLI first so their views have rows. A new view or
//! dialog is one more `assert_accessible(&client, "name")` once it is on screen.

use std::time::Duration;

use cuesheet_tests::a11y::assert_accessible;
use cuesheet_tests::window::{wait_for, wait_for_library, AppDirs, Driver};
use cuesheet_tests::{run_cli, workspace_root};
use fantoccini::{key::Key, Client};

fn prepare_library(dirs: &AppDirs) {
    let data = dirs.data_dir();
    for args in [
        &["playlist", "from-soundtrack", "Singles", "--with-film-only"][..],
        &["ranked", "create", "Best of the nineties"],
        &[
            "ranked",
            "add",
            "Best of the nineties",
            "Singles",
            "--note",
            "The one that started it",
        ],
        &["ranked", "add", "Best of the nineties", "The Crow"],
        &["rate", "Singles", "4.5"],
        &["favourite", "Singles", "--track", "would"],
        &["delete", "Garden State"],
    ] {
        let output = run_cli(&data, args);
        assert!(
            output.status.success(),
            "cuesheet {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

async fn click(client: &Client, css: &str) {
    wait_for(client, css).await.click().await.unwrap();
}

/// Visits every view and dialog and checks each; `scheme` names the pass in the reports.
async fn check_every_view(client: &Client, scheme: &str) {
    let name = |view: &str| format!("{view}-{scheme}");
    wait_for_library(client).await;
    assert_accessible(client, &name("library")).await;

    click(
        client,
        "[data-testid='soundtrack-card'][data-film='Singles']",
    )
    .await;
    wait_for(client, "[data-testid='soundtrack-title']").await;
    wait_for(client, "[data-testid='track-row']").await;
    assert_accessible(client, &name("soundtrack")).await;

    // A row's actions show when the row has the pointer or the focus, as for a person.
    client
        .execute(
            "document.querySelector(\"[data-testid='track-favourite']\").focus();",
            vec![],
        )
        .await
        .unwrap();
    click(client, "[data-testid='add-to-playlist']").await;
    wait_for(client, "[data-testid='playlist-choice']").await;
    assert_accessible(client, &name("add-to-playlist-menu")).await;
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(&char::from(Key::Escape).to_string())
        .await
        .unwrap();

    click(client, "[data-testid='delete-soundtrack']").await;
    wait_for(client, "dialog[open]").await;
    assert_accessible(client, &name("confirm-dialog")).await;
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(&char::from(Key::Escape).to_string())
        .await
        .unwrap();

    click(client, "[data-testid='edit-soundtrack']").await;
    wait_for(client, "form").await;
    assert_accessible(client, &name("soundtrack-edit")).await;

    let search = wait_for(client, "[data-testid='search']").await;
    search.send_keys("would").await.unwrap();
    wait_for(
        client,
        "[data-testid='search-results'] [data-testid='result']",
    )
    .await;
    assert_accessible(client, &name("search-results")).await;
    search
        .send_keys(&char::from(Key::Escape).to_string())
        .await
        .unwrap();

    for (nav, ready, view) in [
        (
            "favourite-songs",
            "[data-testid='song-hit']",
            "favourite-songs",
        ),
        ("playlists", "[data-testid='playlist-item']", "playlists"),
        (
            "ranked-lists",
            "[data-testid='ranked-lists'] button, [data-testid='ranked-lists'] a",
            "ranked-lists",
        ),
        (
            "trash",
            "[data-testid='trash'], [data-testid='trash-item']",
            "trash",
        ),
        ("settings", "[data-testid='about']", "settings"),
    ] {
        click(client, &format!("[data-testid='nav-{nav}']")).await;
        wait_for(client, ready).await;
        assert_accessible(client, &name(view)).await;
    }

    click(client, "[data-testid='sidebar-playlist']").await;
    wait_for(client, "[data-testid='playlist-row']").await;
    assert_accessible(client, &name("playlist")).await;

    click(client, "[data-testid='nav-ranked-lists']").await;
    click(
        client,
        "[data-testid='ranked-lists'] li button, [data-testid='ranked-lists'] li a",
    )
    .await;
    wait_for(client, "[data-testid='ranked-row']").await;
    assert_accessible(client, &name("ranked-list")).await;

    click(client, "[data-testid='new-soundtrack']").await;
    wait_for(client, "form").await;
    assert_accessible(client, &name("new-soundtrack")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_view_and_dialog_passes_axe_in_light_and_dark() {
    let dirs = AppDirs::new();
    run_cli(&dirs.data_dir(), &["soundtracks"]);
    prepare_library(&dirs);

    let driver = Driver::start(&dirs);
    let client = driver.launch().await;
    let dark = client
        .execute(
            "return matchMedia('(prefers-color-scheme: dark)').matches;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(dark, false, "the first pass is light");
    check_every_view(&client, "light").await;
    client.close().await.unwrap();
    drop(driver);

    // The import preview, opened as a double-click opens it: `cuesheet FILE`.
    let fixture = workspace_root().join("tests/fixtures/playlists/grunge.pls");
    let driver = Driver::start(&AppDirs::new());
    let client = driver.launch_with_args(&[&fixture.to_string_lossy()]).await;
    wait_for(
        &client,
        "[data-testid='import-dialog'][open] [data-testid='import-confirm']:not([disabled])",
    )
    .await;
    assert_accessible(&client, "import-dialog-light").await;
    client.close().await.unwrap();
    drop(driver);

    // Dark: GTK's dark variant is what the system's dark setting gives WebKit.
    let dark_dirs = AppDirs::new();
    prepare_library(&dark_dirs);
    let driver = Driver::start_with_env(&dark_dirs, &[("GTK_THEME", "Adwaita:dark".into())]);
    let client = driver.launch().await;
    wait_for_library(&client).await;
    let dark = client
        .execute(
            "return matchMedia('(prefers-color-scheme: dark)').matches;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        dark, true,
        "GTK_THEME=Adwaita:dark gives the page a dark scheme"
    );
    check_every_view(&client, "dark").await;
    client.close().await.unwrap();
}

/// Whether the focused element shows a focus ring: an outline or a box shadow.
const FOCUS_VISIBLE: &str = "
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: 'body', visible: true };
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const label = el.getAttribute('aria-label') || el.textContent.trim().slice(0, 40);
  return { tag: el.tagName.toLowerCase(), label, visible: outline || shadow };
";

#[tokio::test(flavor = "multi_thread")]
async fn keyboard_focus_is_always_visible() {
    let dirs = AppDirs::new();
    prepare_library(&dirs);
    let driver = Driver::start(&dirs);
    let client = driver.launch().await;
    wait_for_library(&client).await;
    click(
        &client,
        "[data-testid='soundtrack-card'][data-film='Singles']",
    )
    .await;
    wait_for(&client, "[data-testid='track-row']").await;

    let mut seen = Vec::new();
    for _ in 0..60 {
        // To whatever has the focus, as a keyboard does (sending to an element focuses it first).
        client
            .active_element()
            .await
            .unwrap()
            .send_keys(&char::from(Key::Tab).to_string())
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(30)).await;
        let focus = client.execute(FOCUS_VISIBLE, vec![]).await.unwrap();
        let label = format!(
            "{} {:?}",
            focus["tag"],
            focus["label"].as_str().unwrap_or("")
        );
        assert_eq!(
            focus["visible"], true,
            "the focused {label} shows no focus ring"
        );
        seen.push(label);
    }
    let seen = seen.join("\n");
    for reached in ["rating", "Favourite", "Would?"] {
        assert!(
            seen.to_lowercase().contains(&reached.to_lowercase()),
            "Tab never reached {reached}; it went through:\n{seen}"
        );
    }
    client.close().await.unwrap();
}
