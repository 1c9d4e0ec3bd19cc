//! End to end in the real window, the curator's path of issue 16: Ranked lists → Count a
//! survey, paste a thread, read the tally, drop a vote that should not count, add a missed one
//! by selecting words in a comment, and make a ranked list; and "Look up the rest online"
//! against the fake MusicBrainz, with its progress bar, saving with the titles found added to
//! the library. The library file is then read through the CLI to see what landed.

use std::time::{Duration, Instant};

use cuesheet_tests::fake_musicbrainz::FakeMusicBrainz;
use cuesheet_tests::musicbrainz_cli::{assert_good_citizen, fake_env};
use cuesheet_tests::window::{wait_for, wait_for_library, AppDirs, Driver};
use fantoccini::{Client, Locator};
use serde_json::json;

/// A thread written for this test: the post's count line, then one comment per paragraph. A
/// trap (a band's album named like a film), a title the library lacks, and comment 2's vote for
/// Singles, which the curator drops.
const THREAD: &str = "5 comments

Singles, no question.

The Crow. And Singles too.

I grew up on heavy metal, but Lost Highway is the one.

Lost Highway by Bon Jovi? No thanks. Singles!

Empire Records, which nobody has mentioned.";

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

async fn attr(client: &Client, css: &str, name: &str) -> Option<String> {
    match client.find(Locator::Css(css)).await {
        Ok(element) => element.attr(name).await.ok().flatten(),
        Err(_) => None,
    }
}

async fn count(client: &Client, css: &str) -> usize {
    client
        .find_all(Locator::Css(css))
        .await
        .map_or(0, |found| found.len())
}

/// Names the list, presses "Make ranked list", and waits for the new list's page to show
/// `rows` rows, `waiting` of them titles waiting for their soundtrack.
async fn make_ranked_list(client: &Client, name: &str, rows: usize, waiting: usize) {
    wait_for(client, "[data-testid='survey-list-name']")
        .await
        .send_keys(name)
        .await
        .unwrap();
    wait_for(client, "[data-testid='survey-save']")
        .await
        .click()
        .await
        .unwrap();
    eventually(
        client,
        &format!("the new ranked list: {rows} rows, {waiting} waiting"),
        || async {
            count(client, "[data-testid='ranked-row']").await == rows
                && count(client, "[data-testid='ranked-row'][data-waiting='true']").await == waiting
        },
    )
    .await;
}

async fn paste_thread(client: &Client) {
    wait_for(client, "[data-testid='nav-ranked-lists']")
        .await
        .click()
        .await
        .unwrap();
    wait_for(client, "[data-testid='count-survey']")
        .await
        .click()
        .await
        .unwrap();
    // Paste: the whole text arrives at once, as from the clipboard.
    let input = wait_for(client, "[data-testid='survey-input']").await;
    client
        .execute(
            "const box = arguments[0]; box.value = arguments[1];
             box.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::to_value(&input).unwrap(), json!(THREAD)],
        )
        .await
        .unwrap();
    wait_for(client, "[data-testid='survey-count']")
        .await
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn paste_a_thread_correct_a_vote_and_make_a_ranked_list() {
    let dirs = AppDirs::new();
    let driver = Driver::start(&dirs);
    let client = driver.launch().await;
    wait_for_library(&client).await;
    paste_thread(&client).await;

    let singles = "[data-testid='tally-entry'][data-title='Singles']";
    eventually(
        &client,
        "a tally of three titles, Singles with 3 votes",
        || async {
            count(&client, "[data-testid='tally-entry']").await == 3
                && attr(&client, singles, "data-votes").await.as_deref() == Some("3")
        },
    )
    .await;
    let summary = wait_for(&client, "[data-testid='survey-summary']").await;
    assert!(summary.text().await.unwrap().starts_with("5 comments"));
    let unrecognised = wait_for(&client, "[data-testid='survey-unrecognised']").await;
    assert_eq!(unrecognised.text().await.unwrap(), "Empire Records");

    // Comment 2's vote for Singles does not count: open the votes and drop it.
    let entry = client.find(Locator::Css(singles)).await.unwrap();
    entry
        .find(Locator::Css("[data-testid='tally-expand']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let vote = format!("{singles} [data-testid='tally-vote'][data-comment='2']");
    let highlighted = wait_for(&client, &format!("{vote} mark")).await;
    assert_eq!(highlighted.text().await.unwrap(), "Singles");
    wait_for(&client, &format!("{vote} [data-testid='drop-vote']"))
        .await
        .click()
        .await
        .unwrap();
    eventually(&client, "Singles down to 2 votes", || async {
        attr(&client, singles, "data-votes").await.as_deref() == Some("2")
    })
    .await;

    // A missed vote: select "Empire Records" in comment 5 and add it as a new title.
    client
        .execute(
            "const p = document.querySelector(\"[data-testid='survey-comment'][data-comment='5'] [data-testid='comment-text']\");
             p.closest('details').open = true;
             const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
             let node = walker.nextNode();
             while (node && !node.data.includes('Empire Records')) node = walker.nextNode();
             const at = node.data.indexOf('Empire Records');
             const range = document.createRange();
             range.setStart(node, at);
             range.setEnd(node, at + 'Empire Records'.length);
             const selection = window.getSelection();
             selection.removeAllRanges();
             selection.addRange(range);
             p.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));",
            vec![],
        )
        .await
        .unwrap();
    let pick = wait_for(&client, "[data-testid='survey-pick']").await;
    assert!(pick
        .text()
        .await
        .unwrap()
        .contains("“Empire Records” is a vote for"));
    pick.find(Locator::Css("button[type='submit']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually(&client, "Empire Records in the tally", || async {
        attr(
            &client,
            "[data-testid='tally-entry'][data-title='Empire Records']",
            "data-votes",
        )
        .await
        .as_deref()
            == Some("1")
    })
    .await;

    make_ranked_list(&client, "Window survey", 4, 1).await;
    client.close().await.unwrap();

    // What the window did is in the library file.
    let list = cuesheet_tests::cli_json(
        &dirs.data_dir(),
        &["ranked", "show", "Window survey", "--json"],
    );
    let films = cuesheet_tests::survey_json::ranked_films(&list);
    assert_eq!(films, ["Singles", "The Crow", "Lost Highway"]);
    assert_eq!(
        list["entries"][0]["note"],
        "2 votes — “Singles, no question.”"
    );
    assert_eq!(list["waiting"][0]["title"], "Empire Records");
    assert_eq!(list["waiting"][0]["rank"], 4);
    assert_eq!(
        list["waiting"][0]["note"],
        "1 vote — “Empire Records, which nobody has mentioned.”"
    );
    let kept = cuesheet_tests::run_cli(&dirs.data_dir(), &["ranked", "thread", "Window survey"]);
    assert_eq!(String::from_utf8(kept.stdout).unwrap(), THREAD);
}

#[tokio::test(flavor = "multi_thread")]
async fn look_up_the_rest_online_and_add_what_was_found() {
    let fake = FakeMusicBrainz::start();
    let dirs = AppDirs::new();
    let driver = Driver::start_with_env(&dirs, &fake_env(&fake));
    let client = driver.launch().await;
    wait_for_library(&client).await;
    paste_thread(&client).await;
    let empire = "[data-testid='tally-entry'][data-title='Empire Records']";
    wait_for(&client, "[data-testid='survey-unrecognised']").await;
    assert_eq!(
        count(&client, empire).await,
        0,
        "offline, Empire Records is not counted"
    );

    // The bar is up while MusicBrainz is asked, which for one phrase may be a few
    // milliseconds: an observer installed before the click keeps every bar the page showed,
    // so the test does not race the look-up.
    client
        .execute(
            "window.__surveyBars = [];
             new MutationObserver((records) => {
               for (const record of records) for (const node of record.addedNodes) {
                 if (!(node instanceof Element)) continue;
                 const bar = node.matches('[data-testid=\"survey-progress\"]')
                   ? node : node.querySelector('[data-testid=\"survey-progress\"]');
                 if (bar) window.__surveyBars.push(bar.textContent);
               }
             }).observe(document.body, { childList: true, subtree: true });",
            vec![],
        )
        .await
        .unwrap();
    wait_for(&client, "[data-testid='survey-online']")
        .await
        .click()
        .await
        .unwrap();
    eventually(&client, "Empire Records found online", || async {
        attr(&client, empire, "data-votes").await.as_deref() == Some("1")
            && count(&client, "[data-testid='survey-progress']").await == 0
    })
    .await;
    let bars = client
        .execute("return window.__surveyBars;", vec![])
        .await
        .unwrap();
    assert!(
        bars.as_array()
            .is_some_and(|shown| shown.iter().any(|text| text
                .as_str()
                .unwrap_or("")
                .contains("Phrases looked up on MusicBrainz"))),
        "the bar was never shown: {bars}"
    );
    let found = wait_for(&client, empire).await;
    assert!(found.text().await.unwrap().contains("found on MusicBrainz"));

    let add = wait_for(&client, "[data-testid='survey-add-found']").await;
    assert_eq!(add.prop("checked").await.unwrap().as_deref(), Some("true"));
    make_ranked_list(&client, "Found online", 4, 0).await;
    client.close().await.unwrap();

    let list = cuesheet_tests::cli_json(
        &dirs.data_dir(),
        &["ranked", "show", "Found online", "--json"],
    );
    let films = cuesheet_tests::survey_json::ranked_films(&list);
    assert_eq!(
        films,
        ["Singles", "The Crow", "Lost Highway", "Empire Records"]
    );
    assert_eq!(list["waiting"], json!([]));
    assert_good_citizen(&fake);
}
