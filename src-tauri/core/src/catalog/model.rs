//! MusicBrainz's `ws/2` JSON as we read it: releases from a search or a look-up, their media,
//! tracks, recordings, artist credits, labels and release group.
//!
//! Every field is optional or defaults when missing or `null`, and a search keeps the hits it
//! can read and drops the odd one, because real data has gaps (no length, no date, no label, a
//! `null` where a list is documented) and one odd record must not fail a whole answer. This
//! module only describes shapes; it must not decide anything (that is `rank`) or fetch anything.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// The MBID of the special "Various Artists" artist.
pub const VARIOUS_ARTISTS_ID: &str = "89ad4ac3-39f7-470e-963a-56509c546377";

/// `null` reads as the default, like a missing key.
fn null_default<'de, D, T>(deserializer: D) -> std::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Numbers that some answers serialise as strings (a search hit's `score` in the docs' example).
fn lenient_u32<'de, D>(deserializer: D) -> std::result::Result<Option<u32>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match Value::deserialize(deserializer)? {
        Value::Number(n) => n.as_u64().map(|n| n.min(u64::from(u32::MAX)) as u32),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "kebab-case")]
pub struct Release {
    #[serde(deserialize_with = "null_default")]
    pub id: String,
    #[serde(deserialize_with = "null_default")]
    pub title: String,
    /// Official, Promotion, Bootleg, Pseudo-Release, Withdrawn, Cancelled.
    pub status: Option<String>,
    /// "YYYY", "YYYY-MM", "YYYY-MM-DD", or "" / missing.
    pub date: Option<String>,
    /// ISO 3166-1, or XW (worldwide), XE (Europe).
    pub country: Option<String>,
    pub disambiguation: Option<String>,
    pub barcode: Option<String>,
    #[serde(deserialize_with = "lenient_u32")]
    pub score: Option<u32>,
    #[serde(deserialize_with = "null_default")]
    pub artist_credit: Vec<Credit>,
    pub release_group: Option<ReleaseGroup>,
    #[serde(deserialize_with = "null_default")]
    pub label_info: Vec<LabelInfo>,
    /// Total tracks of every medium (search answers carry it; look-ups have `media` instead).
    #[serde(deserialize_with = "lenient_u32")]
    pub track_count: Option<u32>,
    #[serde(deserialize_with = "null_default")]
    pub media: Vec<Medium>,
    pub cover_art_archive: Option<CoverArtArchive>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "kebab-case")]
pub struct ReleaseGroup {
    #[serde(deserialize_with = "null_default")]
    pub id: String,
    #[serde(deserialize_with = "null_default")]
    pub title: String,
    pub primary_type: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub secondary_types: Vec<String>,
    pub first_release_date: Option<String>,
    pub disambiguation: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub artist_credit: Vec<Credit>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "kebab-case")]
pub struct Credit {
    #[serde(deserialize_with = "null_default")]
    pub name: String,
    #[serde(deserialize_with = "null_default")]
    pub joinphrase: String,
    pub artist: Option<Artist>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "kebab-case")]
pub struct Artist {
    #[serde(deserialize_with = "null_default")]
    pub id: String,
    #[serde(deserialize_with = "null_default")]
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "kebab-case")]
pub struct LabelInfo {
    pub catalog_number: Option<String>,
    pub label: Option<Label>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "kebab-case")]
pub struct Label {
    #[serde(deserialize_with = "null_default")]
    pub id: String,
    #[serde(deserialize_with = "null_default")]
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "kebab-case")]
pub struct Medium {
    /// The disc number, 1-based.
    #[serde(deserialize_with = "lenient_u32")]
    pub position: Option<u32>,
    pub title: Option<String>,
    /// "CD", "Digital Media", "12\" Vinyl", "Cassette", … or missing.
    pub format: Option<String>,
    #[serde(deserialize_with = "lenient_u32")]
    pub track_count: Option<u32>,
    #[serde(deserialize_with = "null_default")]
    pub tracks: Vec<Track>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "kebab-case")]
pub struct Track {
    #[serde(deserialize_with = "null_default")]
    pub id: String,
    /// 1-based within the medium; the order to keep.
    #[serde(deserialize_with = "lenient_u32")]
    pub position: Option<u32>,
    /// For display only ("A1" on vinyl).
    pub number: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub title: String,
    /// Milliseconds; often missing.
    pub length: Option<u64>,
    #[serde(deserialize_with = "null_default")]
    pub artist_credit: Vec<Credit>,
    pub recording: Option<Recording>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "kebab-case")]
pub struct Recording {
    #[serde(deserialize_with = "null_default")]
    pub id: String,
    #[serde(deserialize_with = "null_default")]
    pub title: String,
    pub length: Option<u64>,
    #[serde(deserialize_with = "null_default")]
    pub isrcs: Vec<String>,
    #[serde(deserialize_with = "null_default")]
    pub artist_credit: Vec<Credit>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct CoverArtArchive {
    #[serde(deserialize_with = "null_default")]
    pub artwork: bool,
    #[serde(deserialize_with = "null_default")]
    pub front: bool,
    /// Art taken down: never fetch it.
    #[serde(deserialize_with = "null_default")]
    pub darkened: bool,
}

impl Release {
    /// The credit as printed: every name followed by its join phrase.
    pub fn credit_text(&self) -> String {
        credit_text(&self.artist_credit)
    }

    pub fn is_various_artists(&self) -> bool {
        is_various_artists(&self.artist_credit)
    }

    pub fn group_id(&self) -> &str {
        self.release_group.as_ref().map_or("", |g| g.id.as_str())
    }

    /// Tracks on every medium; from `media` when the answer lists them, else `track-count`.
    pub fn total_tracks(&self) -> u32 {
        let from_media: u32 = self
            .media
            .iter()
            .map(|m| m.track_count.unwrap_or(m.tracks.len() as u32))
            .sum();
        if from_media > 0 {
            from_media
        } else {
            self.track_count.unwrap_or(0)
        }
    }

    /// The first label's name, and its catalogue number.
    pub fn label(&self) -> (Option<String>, Option<String>) {
        let first = self
            .label_info
            .iter()
            .find(|info| info.label.as_ref().is_some_and(|l| !l.name.is_empty()));
        (
            first.and_then(|i| i.label.as_ref()).map(|l| l.name.clone()),
            self.label_info
                .iter()
                .find_map(|i| i.catalog_number.clone().filter(|c| !c.trim().is_empty())),
        )
    }

    /// The media's formats, deduplicated and joined: "CD", "2×CD", "CD + DVD-Video".
    pub fn format_text(&self) -> Option<String> {
        let mut parts: Vec<(String, usize)> = Vec::new();
        for medium in &self.media {
            let format = medium.format.clone().unwrap_or_else(|| "(unknown)".into());
            match parts.iter_mut().find(|(f, _)| *f == format) {
                Some((_, n)) => *n += 1,
                None => parts.push((format, 1)),
            }
        }
        if parts.is_empty() || parts.iter().all(|(f, _)| f == "(unknown)") {
            return None;
        }
        Some(
            parts
                .into_iter()
                .map(|(f, n)| if n > 1 { format!("{n}×{f}") } else { f })
                .collect::<Vec<_>>()
                .join(" + "),
        )
    }

    /// Whether the Cover Art Archive may have a front image (unknown counts as maybe).
    pub fn may_have_front_cover(&self) -> bool {
        match self.cover_art_archive {
            Some(caa) => caa.front && !caa.darkened,
            None => true,
        }
    }
}

pub fn credit_text(credits: &[Credit]) -> String {
    credits
        .iter()
        .map(|c| format!("{}{}", c.name, c.joinphrase))
        .collect::<String>()
        .trim()
        .to_owned()
}

pub fn is_various_artists(credits: &[Credit]) -> bool {
    credits.iter().any(|c| {
        c.artist
            .as_ref()
            .is_some_and(|a| a.id == VARIOUS_ARTISTS_ID)
            || c.name.eq_ignore_ascii_case("various artists")
    })
}

/// The releases of a search answer that could be read; odd ones are skipped.
pub fn releases_of_search(answer: &Value) -> Vec<Release> {
    answer["releases"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| serde_json::from_value::<Release>(item.clone()).ok())
                .filter(|release| !release.id.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nulls_and_gaps_read_as_defaults() {
        let release: Release = serde_json::from_value(json!({
            "id": "r1", "title": "Clerks", "status": null, "date": "",
            "artist-credit": null, "label-info": [{"catalog-number": null, "label": null}],
            "media": [{"position": 1, "format": null, "tracks": [
                {"id": "t1", "position": 1, "number": "1", "title": "Dialogue", "length": null,
                 "recording": {"id": "rec", "title": "Dialogue", "isrcs": null}}
            ]}],
            "score": "100"
        }))
        .unwrap();
        assert_eq!(release.score, Some(100));
        assert!(release.artist_credit.is_empty());
        assert_eq!(release.label(), (None, None));
        assert_eq!(release.format_text(), None);
        assert_eq!(release.total_tracks(), 1);
        let track = &release.media[0].tracks[0];
        assert_eq!(track.length, None);
        assert!(track.recording.as_ref().unwrap().isrcs.is_empty());
    }

    #[test]
    fn a_search_keeps_the_hits_it_can_read() {
        let answer = json!({"releases": [
            {"id": "a", "title": "Good", "track-count": 12},
            {"id": "b", "title": ["not", "a", "string"]},
            {"title": "no id"}
        ]});
        let releases = releases_of_search(&answer);
        assert_eq!(releases.len(), 1);
        assert_eq!(releases[0].total_tracks(), 12);
    }

    #[test]
    fn credits_print_with_their_join_phrases() {
        let credits: Vec<Credit> = serde_json::from_value(json!([
            {"name": "Kruder", "joinphrase": " & ", "artist": {"id": "x", "name": "Peter Kruder"}},
            {"name": "Dorfmeister", "joinphrase": ""}
        ]))
        .unwrap();
        assert_eq!(credit_text(&credits), "Kruder & Dorfmeister");
        assert!(!is_various_artists(&credits));
        let va: Vec<Credit> = serde_json::from_value(json!([
            {"name": "Various Artists", "artist": {"id": VARIOUS_ARTISTS_ID}}
        ]))
        .unwrap();
        assert!(is_various_artists(&va));
    }

    #[test]
    fn formats_are_counted() {
        let release: Release = serde_json::from_value(json!({
            "id": "r", "media": [{"format": "CD"}, {"format": "CD"}, {"format": "DVD-Video"}]
        }))
        .unwrap();
        assert_eq!(release.format_text().as_deref(), Some("2×CD + DVD-Video"));
    }
}
