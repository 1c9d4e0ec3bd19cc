//! What someone changed in Spotify's own apps since our last export, worked out from the songs
//! we left there, what is there now, and what we want there: what they added (which the export
//! removes), ours they removed (put back) and ours they moved (moved back). The export's summary
//! says so, since it undoes a person's edits.
//!
//! Pure: lists in, a report out. It must not call Spotify or the database, nor decide what the
//! export writes (the sync plans that from the wanted list alone).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::client::RemoteItem;
use super::sync;

/// What kind of thing someone added in Spotify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AddedKind {
    /// A song from Spotify's catalogue.
    Song,
    /// A file from their computer (Spotify's desktop app can add those).
    LocalFile,
    /// A song Spotify no longer serves; it has no name any more.
    Unavailable,
}

/// One item someone added in Spotify, which the export removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AddedInSpotify {
    pub kind: AddedKind,
    /// As Spotify names it; `None` for an unavailable song.
    pub title: Option<String>,
    pub artists: Vec<String>,
}

/// Edits made in Spotify since the last export, which this export undid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OutsideChanges {
    /// Items added in Spotify, removed because they are not in the playlist here.
    pub removed: Vec<AddedInSpotify>,
    /// Songs of ours removed in Spotify and put back.
    pub restored: u32,
    /// Songs of ours moved in Spotify and moved back to their place here.
    pub moved_back: u32,
}

impl OutsideChanges {
    pub fn is_empty(&self) -> bool {
        self.removed.is_empty() && self.restored == 0 && self.moved_back == 0
    }
}

/// Compares the remote content with `synced` (what the last export left) and `wanted`. Items
/// that are neither ours from before nor wanted now were added in Spotify; an item the curator
/// removed here since is not counted, nor a song added here.
pub fn changes(synced: &[String], remote: &[RemoteItem], wanted: &[String]) -> OutsideChanges {
    let mut report = OutsideChanges::default();
    let mut ours = counts(synced);
    let mut still_wanted = counts(wanted);
    // Ours (in the record and still wanted) in remote order, to compare orders with.
    let mut ours_in_remote: Vec<String> = Vec::new();
    for item in remote {
        let key = item.sync_key();
        let was_ours = take(&mut ours, &key);
        let is_wanted = take(&mut still_wanted, &key);
        if was_ours && is_wanted {
            ours_in_remote.push(key);
        } else if !was_ours && !is_wanted {
            report.removed.push(added(item));
        }
    }
    // Left in `ours`: songs the record had and the remote lacks; those still wanted go back.
    let remote_counts = counts(&remote.iter().map(RemoteItem::sync_key).collect::<Vec<_>>());
    let wanted_counts = counts(wanted);
    for (uri, had) in counts(synced) {
        let missing = had.saturating_sub(remote_counts.get(&uri).copied().unwrap_or(0));
        let want = wanted_counts.get(&uri).copied().unwrap_or(0);
        report.restored += missing.min(want) as u32;
    }
    // The same songs in the order the last export left them: how many someone moved.
    let mut in_both = counts(&ours_in_remote);
    let recorded_order: Vec<String> = synced
        .iter()
        .filter(|uri| take(&mut in_both, uri))
        .cloned()
        .collect();
    report.moved_back = sync::out_of_order(&ours_in_remote, &recorded_order) as u32;
    report
}

fn counts(list: &[String]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for uri in list {
        *counts.entry(uri.clone()).or_insert(0) += 1;
    }
    counts
}

/// Takes one copy of `key` from a multiset; false when none is left.
fn take(counts: &mut HashMap<String, usize>, key: &str) -> bool {
    match counts.get_mut(key) {
        Some(n) if *n > 0 => {
            *n -= 1;
            true
        }
        _ => false,
    }
}

fn added(item: &RemoteItem) -> AddedInSpotify {
    let kind = if item.local {
        AddedKind::LocalFile
    } else if item.uri.is_none() {
        AddedKind::Unavailable
    } else {
        AddedKind::Song
    };
    AddedInSpotify {
        kind,
        title: item.title.clone(),
        artists: item.artists.clone(),
    }
}

/// "a local file, Demo Tape by My Band" — one removed item in words.
pub fn describe(item: &AddedInSpotify) -> String {
    let named = match (&item.title, item.artists.is_empty()) {
        (Some(title), false) => format!("\"{title}\" by {}", item.artists.join(", ")),
        (Some(title), true) => format!("\"{title}\""),
        (None, _) => String::new(),
    };
    match (item.kind, named.is_empty()) {
        (AddedKind::Unavailable, _) => "a song Spotify no longer has".to_string(),
        (AddedKind::LocalFile, false) => format!("the local file {named}"),
        (AddedKind::LocalFile, true) => "a local file".to_string(),
        (AddedKind::Song, false) => named,
        (AddedKind::Song, true) => "a song".to_string(),
    }
}

/// The summary's sentence about edits made in Spotify, or `None` when there were none.
pub fn sentence(changes: &OutsideChanges) -> Option<String> {
    if changes.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if !changes.removed.is_empty() {
        let names: Vec<String> = changes.removed.iter().map(describe).collect();
        parts.push(format!(
            "removed what was added there ({})",
            names.join("; ")
        ));
    }
    if changes.restored > 0 {
        parts.push(format!(
            "put back {} removed there",
            songs(changes.restored)
        ));
    }
    if changes.moved_back > 0 {
        parts.push(format!(
            "moved {} back into your order",
            songs(changes.moved_back)
        ));
    }
    Some(format!(
        "The playlist had been changed in Spotify; this export {}.",
        parts.join(", ")
    ))
}

fn songs(n: u32) -> String {
    format!("{n} {}", if n == 1 { "song" } else { "songs" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track(id: &str) -> String {
        format!("spotify:track:{id}")
    }

    fn item(id: &str) -> RemoteItem {
        RemoteItem {
            uri: Some(track(id)),
            local: false,
            title: Some(format!("Song {id}")),
            artists: vec!["Band".into()],
        }
    }

    fn list(ids: &str) -> Vec<String> {
        ids.split_whitespace().map(track).collect()
    }

    #[test]
    fn nothing_changed_reports_nothing() {
        let remote: Vec<RemoteItem> = ["a", "b", "c"].into_iter().map(item).collect();
        let report = changes(&list("a b c"), &remote, &list("a b c"));
        assert!(report.is_empty(), "{report:?}");
        assert_eq!(sentence(&report), None);
    }

    #[test]
    fn additions_removals_and_moves_in_spotify_are_told_apart_from_ours() {
        let local = RemoteItem {
            uri: Some("spotify:local:My+Band:My+Computer:Demo+Tape:200".into()),
            local: true,
            title: Some("Demo Tape".into()),
            artists: vec!["My Band".into()],
        };
        let gone = RemoteItem {
            uri: None,
            local: false,
            title: None,
            artists: vec![],
        };
        // Last export: a b c d e. In Spotify: c moved first, b removed, x, a local file and an
        // unavailable song added. Here since: e removed, n added.
        let remote = vec![
            item("c"),
            item("a"),
            item("x"),
            local,
            item("d"),
            item("e"),
            gone,
        ];
        let report = changes(&list("a b c d e"), &remote, &list("a b c d n"));
        let kinds: Vec<AddedKind> = report.removed.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            [
                AddedKind::Song,
                AddedKind::LocalFile,
                AddedKind::Unavailable
            ]
        );
        assert_eq!(report.restored, 1, "b");
        assert_eq!(report.moved_back, 1, "c");
        let text = sentence(&report).unwrap();
        assert!(text.contains("\"Song x\" by Band"), "{text}");
        assert!(
            text.contains("the local file \"Demo Tape\" by My Band"),
            "{text}"
        );
        assert!(text.contains("a song Spotify no longer has"), "{text}");
        assert!(text.contains("put back 1 song"), "{text}");
        assert!(text.contains("moved 1 song back"), "{text}");
    }

    #[test]
    fn a_removed_copy_of_a_duplicate_is_put_back() {
        let remote: Vec<RemoteItem> = ["a", "b"].into_iter().map(item).collect();
        let report = changes(&list("a b a"), &remote, &list("a b a"));
        assert_eq!(report.restored, 1);
        assert!(report.removed.is_empty());
        assert_eq!(report.moved_back, 0);
    }
}
