//! Cuesheet as a desktop app, in the real window: `cuesheet FILE` opens the import preview, a
//! second launch on the same library hands its file to the running window and exits (one
//! window per library, over a private D-Bus session bus), and the window comes back at its last
//! size and view.

use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use cuesheet_tests::window::{wait_for, wait_for_library, AppDirs, Driver, SessionBus};
use cuesheet_tests::workspace_root;
use fantoccini::{Client, Locator};

fn fixture(name: &str) -> String {
    workspace_root()
        .join("tests/fixtures/playlists")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Runs `cuesheet ARGS` beside the driver's window as a person would from a terminal, and waits
/// at most `limit` for it to end; a process still running then (a second window) fails the test.
fn second_launch(driver: &Driver, args: &[&str], limit: Duration) -> Output {
    let mut child = driver
        .app_command()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the built cuesheet starts");
    let start = Instant::now();
    while child.try_wait().expect("a child to wait for").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let output = child
                .wait_with_output()
                .expect("the killed launch's output");
            panic!(
                "a second launch with {args:?} was still running after {limit:?}: it opened its \
                 own window instead of handing over to the running one\nstderr: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("the launch's output")
}

async fn preview_names(client: &Client, file_name: &str) {
    let dialog = wait_for(client, "[data-testid='import-dialog'][open]").await;
    let start = Instant::now();
    loop {
        let text = dialog.text().await.unwrap_or_default();
        if text.contains(file_name) && text.contains("song") {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the import preview never showed {file_name}: {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_given_at_start_or_to_a_second_launch_opens_in_the_one_window() {
    let dirs = AppDirs::new();
    let bus = SessionBus::start();
    let driver =
        Driver::start_with_env(&dirs, &[("DBUS_SESSION_BUS_ADDRESS", bus.address.clone())]);

    // `cuesheet FILE`: the window opens on the import preview of that file.
    let client = driver.launch_with_args(&[&fixture("grunge.pls")]).await;
    preview_names(&client, "grunge.pls").await;
    let cancel = wait_for(&client, "[data-testid='import-cancel']").await;
    cancel.click().await.unwrap();

    // A second launch on the same library with a file: it hands the file over and ends.
    let output = second_launch(
        &driver,
        &[&fixture("crow-night.m3u8")],
        Duration::from_secs(20),
    );
    assert!(
        output.status.success(),
        "the second launch ended with {:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    preview_names(&client, "crow-night.m3u8").await;
    let cancel = wait_for(&client, "[data-testid='import-cancel']").await;
    cancel.click().await.unwrap();

    // An old Winamp playlist in the Western code page: its letters come out right and the
    // preview says how it was read.
    let output = second_launch(
        &driver,
        &[&fixture("winamp-western.m3u")],
        Duration::from_secs(20),
    );
    assert!(output.status.success());
    preview_names(&client, "winamp-western.m3u").await;
    let dialog = wait_for(&client, "[data-testid='import-dialog'][open]").await;
    let shown = dialog.text().await.unwrap();
    assert!(shown.contains("Björk – Jóga"), "{shown}");
    let note = wait_for(&client, "[data-testid='import-encoding']").await;
    let note = note.text().await.unwrap();
    assert!(
        note.contains("line 2") && note.contains("Windows-1252"),
        "{note}"
    );

    // A second launch without a file just ends too; the window stays the one the test drives.
    let output = second_launch(&driver, &[], Duration::from_secs(20));
    assert!(output.status.success());
    let handles = client.windows().await.unwrap();
    assert_eq!(handles.len(), 1, "one window");

    // A launch on another library is not this window's: it opens its own (and is stopped here).
    let other = tempfile::tempdir().unwrap();
    let mut own = driver
        .app_command()
        .arg("--data-dir")
        .arg(other.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        own.try_wait().unwrap().is_none(),
        "a launch on another library must open its own window, not hand over"
    );
    let _ = own.kill();
    let _ = own.wait();

    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_window_comes_back_at_its_last_size_and_view() {
    let dirs = AppDirs::new();
    let driver = Driver::start(&dirs);

    let client = driver.launch().await;
    wait_for_library(&client).await;
    client
        .set_window_size(1000, 640)
        .await
        .expect("the window can be resized");
    client
        .find(Locator::Css("[data-testid='nav-settings']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "[data-testid='settings']").await;
    // The size is saved a second after the last resize; the view when it changes.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    client.close().await.unwrap();

    let client = driver.launch().await;
    wait_for(
        &client,
        "html[data-ready='restored'] [data-testid='settings']",
    )
    .await;
    let (width, height) = client.get_window_size().await.unwrap();
    assert_eq!((width, height), (1000, 640), "the window's last size");
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sources_and_provenance_stay_inside_a_narrow_window() {
    let dirs = AppDirs::new();
    // The window shows a source by its host name: this one is a single long word.
    let long = "https://linernotesoftheoriginalvinylpressingofthefilm.arecordshopthatwriteseverythingdown.examplesoundtracksarchive.org/hackers";
    let output = cuesheet_tests::run_cli(
        &dirs.data_dir(),
        &["add", "Hackers", "--year", "1995", "--source", long],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let driver = Driver::start(&dirs);
    let client = driver.launch().await;
    wait_for_library(&client).await;
    client.set_window_size(720, 600).await.unwrap();

    // A starter soundtrack: its provenance sits with the sources, its notes are the fan's.
    wait_for(
        &client,
        "[data-testid='soundtrack-card'][data-film='The Crow']",
    )
    .await
    .click()
    .await
    .unwrap();
    let provenance = wait_for(&client, "[data-testid='provenance']").await;
    assert!(provenance
        .text()
        .await
        .unwrap()
        .starts_with("Titles/order from excite.co.jp"));
    let overflow = "const s = document.querySelector(\"[data-testid='sources']\");
        const main = document.querySelector('main');
        return [s.scrollWidth - s.clientWidth, main.scrollWidth - main.clientWidth];";
    let widths = client.execute(overflow, vec![]).await.unwrap();
    assert_eq!(
        widths,
        serde_json::json!([0, 0]),
        "The Crow's sources overflow"
    );

    // A soundtrack whose one source is a single long address.
    client
        .find(Locator::Css("[data-testid='nav-library']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        &client,
        "[data-testid='soundtrack-card'][data-film='Hackers']",
    )
    .await
    .click()
    .await
    .unwrap();
    wait_for(&client, "[data-testid='source-link']").await;
    let widths = client.execute(overflow, vec![]).await.unwrap();
    assert_eq!(widths, serde_json::json!([0, 0]), "a long source overflows");
    client.close().await.unwrap();
}
