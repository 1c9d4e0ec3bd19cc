//! Reading what `cuesheet survey --json` and `cuesheet ranked show --json` print, for the
//! survey tests (CLI, online and window): the threads written for them, the tally as
//! (title, votes) pairs, one title's entry, and a ranked list's films in order.

use std::path::PathBuf;

use serde_json::Value;

use crate::workspace_root;

/// A thread written for the tests, in tests/fixtures/surveys.
pub fn fixture(name: &str) -> PathBuf {
    workspace_root().join("tests/fixtures/surveys").join(name)
}

/// (title, votes) of the tally, best first.
pub fn tally(count: &Value) -> Vec<(String, u64)> {
    count["tally"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["title"].as_str().unwrap().to_owned(),
                e["votes"].as_u64().unwrap(),
            )
        })
        .collect()
}

pub fn pairs(expected: &[(&str, u64)]) -> Vec<(String, u64)> {
    expected
        .iter()
        .map(|(t, v)| ((*t).to_owned(), *v))
        .collect()
}

/// The tally's entry for `title`; fails the test, showing the count, when there is none.
pub fn entry<'a>(count: &'a Value, title: &str) -> &'a Value {
    count["tally"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == title)
        .unwrap_or_else(|| panic!("{title} is not in the tally: {count:#}"))
}

/// The film titles of a ranked list's soundtracks, in rank order.
pub fn ranked_films(list: &Value) -> Vec<&str> {
    list["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["soundtrack"]["film_title"].as_str().unwrap())
        .collect()
}
