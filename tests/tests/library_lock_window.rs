//! The window and the CLI on one library, end to end (issue 13, items 4 and 8): a window whose
//! library could not be opened at start tries again instead of staying broken, and while the
//! window has the library open, `restore --replace` refuses to swap it away.

use cuesheet_tests::window::{wait_for, wait_for_library, AppDirs, Driver};
use cuesheet_tests::{cli_json, run_cli};
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread")]
async fn a_window_that_could_not_open_the_library_tries_again_and_holds_it_once_open() {
    let dirs = AppDirs::new();
    let data = dirs.data_dir();
    let work = tempfile::tempdir().unwrap();
    // A backup of a library with one soundtrack in the trash, to restore later.
    let source = work.path().join("source");
    let backup = work.path().join("good.cuesheet-backup");
    let made = run_cli(&source, &["delete", "Heavy Metal"]);
    assert!(made.status.success());
    assert!(run_cli(&source, &["backup", backup.to_str().unwrap()])
        .status
        .success());
    // The window starts on a library it cannot open: one written by a newer Cuesheet.
    assert!(run_cli(&data, &["playlists"]).status.success());
    {
        let conn = rusqlite::Connection::open(data.join("library.sqlite3")).unwrap();
        conn.pragma_update(None, "user_version", cuesheet_core::db::SCHEMA_VERSION + 1)
            .unwrap();
    }

    let driver = Driver::start(&dirs);
    let client = driver.launch().await;
    let banner = wait_for(&client, "[data-testid='error']").await;
    assert!(
        banner.text().await.unwrap().contains("newer Cuesheet"),
        "the window says why"
    );
    let retry = client
        .wait()
        .for_element(Locator::XPath("//button[normalize-space()='Try again']"))
        .await
        .expect("the library view offers to try again");

    // The window holds no library, so a restore may replace the file meanwhile.
    let restored = run_cli(&data, &["restore", backup.to_str().unwrap(), "--replace"]);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );

    retry.click().await.unwrap();
    wait_for_library(&client).await;
    let cards = client
        .find_all(Locator::Css("[data-testid='soundtrack-card']"))
        .await
        .unwrap();
    assert_eq!(
        cards.len(),
        25,
        "the restored library, without the one in its trash"
    );

    // Now the window has the library open: replacing it is refused and changes nothing.
    let refused = run_cli(&data, &["restore", backup.to_str().unwrap(), "--replace"]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success(),
        "a restore ran under the open window"
    );
    assert!(said.contains("open in another Cuesheet"), "{said}");
    let kept = std::fs::read_dir(&data)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("before-restore")
        })
        .count();
    assert_eq!(kept, 1, "only the first restore kept a library aside");
    // Reading alongside the window works.
    let list = cli_json(&data, &["soundtracks", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 25);

    client.close().await.unwrap();
}
