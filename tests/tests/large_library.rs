//! A library far larger than the starter catalog, end to end in the real window: 10,000
//! generated soundtracks (through the hidden `cuesheet generate-library`), the library view
//! scrolled to its very end, sorted and filtered (pages answered by SQL), and a search for the
//! last soundtrack's title.
//!
//! It checks behaviour only: the grid keeps a window of cards in the page rather than all of
//! them, the last card can be reached, a sort and a filter apply to the whole library and not
//! only to the cards held, and search finds the last soundtrack. How long each step takes is
//! measured by `make bench` (tests/examples/startup_bench.rs), never asserted here.

use std::time::{Duration, Instant};

use cuesheet_tests::window::{
    wait_for, wait_for_explained, wait_for_library, AppDirs, Driver, UI_TIMEOUT,
};
use fantoccini::{Client, Locator};

const SOUNDTRACKS: usize = 10_000;

async fn count(client: &Client, css: &str) -> usize {
    client.find_all(Locator::Css(css)).await.unwrap().len()
}

/// What the test expects of the library, worked out from the CLI's listing.
struct Expected {
    /// The last card under the default "date added".
    last: String,
    /// The first card under "Title": the smallest title by the core's sort key.
    first_by_title: String,
    favourites: usize,
}

fn expected(data_dir: &std::path::Path) -> Expected {
    let list = cuesheet_tests::cli_json(data_dir, &["soundtracks", "--json"]);
    let list = list.as_array().expect("a JSON array");
    assert_eq!(
        list.len(),
        SOUNDTRACKS + 26,
        "the starter catalog plus 10,000"
    );
    let title = |s: &serde_json::Value| s["film_title"].as_str().unwrap().to_owned();
    let last = list
        .iter()
        .max_by_key(|s| s["id"].as_i64().unwrap())
        .unwrap();
    let first_by_title = list
        .iter()
        .min_by_key(|s| {
            (
                cuesheet_core::browse::title_key(&title(s)),
                s["id"].as_i64().unwrap(),
            )
        })
        .unwrap();
    Expected {
        last: title(last),
        first_by_title: title(first_by_title),
        favourites: list.iter().filter(|s| s["favourite"] == true).count(),
    }
}

fn card_of(film: &str) -> String {
    format!(
        "[data-testid='soundtrack-card'][data-film={}]",
        serde_json::to_string(film).unwrap()
    )
}

/// The library's count line, digits only ("1,432 of 10,026 soundtracks" → "143210026").
async fn count_digits(client: &Client) -> String {
    wait_for(client, "[data-testid='library-count']")
        .await
        .text()
        .await
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// What the grid holds and where it is scrolled, for a failure message: whether a missing card
/// was never in range (the view did not follow the scroll) or stayed blank (its page never came).
async fn grid_state(client: &Client) -> String {
    let state = client.execute(
            "const pane = document.querySelector('main');
             const grid = document.querySelector(\"[data-testid='library-grid']\");
             const indexes = [...document.querySelectorAll('[aria-posinset]')].map((li) => +li.getAttribute('aria-posinset') - 1);
             return JSON.stringify({
               scrollTop: pane.scrollTop, scrollHeight: pane.scrollHeight, clientHeight: pane.clientHeight,
               paddingTop: grid && grid.style.paddingTop, paddingBottom: grid && grid.style.paddingBottom,
               columns: grid && grid.style.gridTemplateColumns,
               firstIndex: indexes[0], lastIndex: indexes[indexes.length - 1],
               blanks: document.querySelectorAll('.card.blank').length,
               banner: document.querySelector('[role=alert]')?.textContent ?? null,
               marks: performance.getEntriesByType('mark').map((m) => m.name + ' ' + Math.round(m.startTime)).join(', '),
             });",
            vec![],
        );
    match tokio::time::timeout(Duration::from_secs(10), state).await {
        Ok(Ok(state)) => state.as_str().unwrap_or_default().to_owned(),
        Ok(Err(e)) => format!("(could not read the grid: {e})"),
        Err(_) => "(the window did not answer within 10 s)".to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ten_thousand_soundtracks_scroll_to_the_end_and_search_finds_the_last() {
    let dirs = AppDirs::new();
    // Two songs each keep generation quick; the grid only shows soundtracks.
    let made = cuesheet_tests::run_cli(
        &dirs.data_dir(),
        &[
            "generate-library",
            "--soundtracks",
            &SOUNDTRACKS.to_string(),
            "--tracks-per",
            "2",
        ],
    );
    assert!(
        made.status.success(),
        "generate-library failed: {}",
        String::from_utf8_lossy(&made.stderr)
    );
    let expected = expected(&dirs.data_dir());
    let last = expected.last.clone();
    let last_card = card_of(&last);

    let driver = Driver::start(&dirs);
    let client = driver.launch().await;
    wait_for_library(&client).await;

    assert_eq!(count_digits(&client).await, "10026");
    // The first cards came from the page the shell handed over before the UI's scripts ran,
    // not from a round trip after the first layout.
    let handed_over = client
        .execute(
            "return performance.getEntriesByName('cuesheet:page-handed-over').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(handed_over, serde_json::json!(1));
    let grid = wait_for(&client, "[data-testid='library-grid']").await;
    assert_eq!(
        grid.attr("data-virtual").await.unwrap().as_deref(),
        Some("true")
    );
    let in_page = count(&client, "[data-testid='soundtrack-card']").await;
    assert!(
        (1..300).contains(&in_page),
        "only the cards near the view are in the page, not all 10,026: {in_page}"
    );
    assert_eq!(count(&client, &last_card).await, 0);

    // Scroll the main pane to the bottom, as dragging the scroll bar down would.
    client
        .execute(
            "const pane = document.querySelector('main'); pane.scrollTop = pane.scrollHeight;",
            vec![],
        )
        .await
        .unwrap();
    let card = wait_for_explained(&client, &last_card, async {
        format!("\ngrid: {}", grid_state(&client).await)
    })
    .await;
    let start = Instant::now();
    loop {
        // In view: the card's box lies within the main pane's.
        let visible = client
            .execute(
                "const r = arguments[0].getBoundingClientRect();
                 const p = document.querySelector('main').getBoundingClientRect();
                 return r.height > 0 && r.top >= p.top && r.bottom <= p.bottom + 1;",
                vec![serde_json::to_value(&card).unwrap()],
            )
            .await
            .unwrap();
        if visible == serde_json::Value::Bool(true) {
            break;
        }
        if start.elapsed() > UI_TIMEOUT {
            let shot = cuesheet_tests::save_failure_screenshot(&client, "large-library-end").await;
            panic!("the last card never came into view (screenshot: {shot})");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(card.text().await.unwrap().contains(&last));
    assert!(
        count(&client, "[data-testid='soundtrack-card']").await < 300,
        "the page still holds only a window of cards at the end"
    );

    // Sorting by title reorders the whole library, not just the cards held: the first card is
    // the first title of all 10,026, and the view is back at the top to show it.
    client
        .execute(
            "const sort = document.querySelector(\"[data-testid='sort']\");
             sort.value = 'title';
             sort.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await
        .unwrap();
    let first = wait_for(
        &client,
        &format!("{}[data-index='0']", card_of(&expected.first_by_title)),
    )
    .await;
    assert!(first
        .text()
        .await
        .unwrap()
        .contains(&expected.first_by_title));

    // The favourites filter counts over the whole library too.
    wait_for(&client, "[data-testid='filter-favourites']")
        .await
        .click()
        .await
        .unwrap();
    let wanted = format!("{}10026", expected.favourites);
    let start = Instant::now();
    while count_digits(&client).await != wanted {
        assert!(
            start.elapsed() < UI_TIMEOUT,
            "the count never showed {} of 10,026",
            expected.favourites
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let hearts = client
        .execute(
            "return [...document.querySelectorAll(\"[data-testid='soundtrack-card']\")]
                 .map((card) => card.querySelector('.heart') != null);",
            vec![],
        )
        .await
        .unwrap();
    let hearts = hearts.as_array().expect("a list");
    assert!(!hearts.is_empty());
    assert!(
        hearts.iter().all(|heart| heart == true),
        "only favourites are shown"
    );

    wait_for(&client, "[data-testid='search']")
        .await
        .send_keys(&last)
        .await
        .unwrap();
    let hit = format!(
        "[data-testid='search-results'] [data-testid='result'][data-film={}]",
        serde_json::to_string(&last).unwrap()
    );
    let found = wait_for(&client, &hit).await;
    assert!(found.text().await.unwrap().contains(&last));

    client.close().await.unwrap();
}
