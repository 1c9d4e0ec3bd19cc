//! Choosing among MusicBrainz's answers as a careful person would: which release group is the
//! soundtrack the user means, which of its releases (editions) to suggest, whether an album is
//! songs or score, and the film title an album title implies. Also the Lucene query for user
//! text, escaped.
//!
//! Pure functions over parsed answers, unit-tested here; the weights and why they are what they
//! are is in docs/ARCHITECTURE.md ("Finding soundtracks online"). This module must not fetch
//! anything or touch the library.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::model::{is_various_artists, Release, ReleaseGroup};

/// Songs (a compilation of songs heard in or inspired by the film) or score (the composer's
/// music for it). MusicBrainz types both as Soundtrack; we tell them apart by credit and words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Songs,
    Score,
}

// ---------------------------------------------------------------------------------------------
// Words

/// Folded like the library's search (case, accents and punctuation gone), with "&" read as
/// "and" so "Love & A .45" and "Love and a .45" agree.
pub fn fold_words(text: &str) -> Vec<String> {
    crate::search::words(&text.replace('&', " and "))
}

fn soundtrack_phrases() -> &'static Regex {
    static PHRASES: OnceLock<Regex> = OnceLock::new();
    PHRASES.get_or_init(|| {
        let phrases = [
            // Music from (and inspired by) the (original) motion picture (soundtrack)
            r"(?:songs|music)\s+(?:from|of)\s+(?:and\s+inspired\s+by\s+)?(?:the\s+)?(?:original\s+)?(?:hbo\s+|netflix\s+)?(?:original\s+)?(?:motion\s+picture|movie|film|television\s+series|tv\s+series|series|soundtrack)(?:\s+soundtrack)?",
            r"(?:songs|music)\s+inspired\s+by\s+(?:the\s+)?(?:motion\s+picture|movie|film)",
            // (The) original (motion picture) soundtrack / score (album)
            r"(?:the\s+)?original\s+(?:motion\s+picture\s+|movie\s+|film\s+|television\s+|tv\s+|cast\s+)?(?:soundtrack|score|sound\s+track)(?:\s+recording|\s+album)?",
            r"(?:the\s+)?(?:motion\s+picture\s+|film\s+|movie\s+)?(?:soundtrack|score)(?:\s+album)?",
            r"\bo\.?s\.?t\b\.?",
            // "The Punisher: The Album"
            r"[:\-–—]\s*the\s+album\s*$",
        ];
        Regex::new(&format!(r"(?i)\b(?:{})", phrases.join("|"))).expect("valid pattern")
    })
}

/// "Singles: Original Motion Picture Soundtrack" → "Singles"; "Pump Up The Volume (Music From
/// The Original Motion Picture Soundtrack)" → "Pump Up The Volume"; "Trainspotting OST" →
/// "Trainspotting". What is left when nothing else is: the text itself.
pub fn strip_soundtrack_words(title: &str) -> String {
    static EMPTY_BRACKETS: OnceLock<Regex> = OnceLock::new();
    static SEPARATORS: OnceLock<Regex> = OnceLock::new();
    let stripped = soundtrack_phrases().replace_all(title, " ");
    let empty = EMPTY_BRACKETS.get_or_init(|| Regex::new(r"[(\[]\s*[)\]]").expect("valid"));
    let mut text = empty.replace_all(&stripped, " ").into_owned();
    let separators = SEPARATORS
        .get_or_init(|| Regex::new(r"\s*([,:;/\-–—])(?:\s*[,:;/\-–—])+\s*").expect("valid"));
    text = separators.replace_all(&text, " $1 ").into_owned();
    let cleaned = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| c.is_whitespace() || ",:;/-–—(".contains(c))
        .to_owned();
    if fold_words(&cleaned).is_empty() {
        title.trim().to_owned()
    } else {
        cleaned
    }
}

/// Whether the user's text asks for a score ("The Crow score", "… original score").
pub fn wants_score(query: &str) -> bool {
    fold_words(query).iter().any(|w| w == "score")
}

/// How alike a title is to the words the user typed, 0 to 1, both stripped of soundtrack
/// words and folded: equal word lists are 1; otherwise the better of the word overlap (F1,
/// which punishes extra words such as a sequel's subtitle) and a spelling closeness (for typos).
pub fn title_similarity(query: &str, title: &str) -> f64 {
    words_similarity(
        &fold_words(&strip_soundtrack_words(query)),
        &fold_words(&strip_soundtrack_words(title)),
    )
}

/// The measure behind [`title_similarity`] and [`song_similarity`], over folded words.
pub fn words_similarity(ours: &[String], theirs: &[String]) -> f64 {
    if ours.is_empty() || theirs.is_empty() {
        return 0.0;
    }
    if ours == theirs {
        return 1.0;
    }
    let mut pool: HashMap<&str, usize> = HashMap::new();
    for word in theirs {
        *pool.entry(word.as_str()).or_default() += 1;
    }
    let mut common = 0usize;
    for word in ours {
        if let Some(n) = pool.get_mut(word.as_str()).filter(|n| **n > 0) {
            *n -= 1;
            common += 1;
        }
    }
    let f1 = if common == 0 {
        0.0
    } else {
        let precision = common as f64 / theirs.len() as f64;
        let recall = common as f64 / ours.len() as f64;
        2.0 * precision * recall / (precision + recall)
    };
    let spelling = strsim::normalized_levenshtein(&ours.join(" "), &theirs.join(" "));
    // Just below equal: a near spelling never beats the exact title.
    f1.max(0.9 * spelling).min(0.99)
}

/// How alike two song titles are, 0 to 1: folded, and with a bracketed part ("(Remastered)",
/// "[New Version]", "(Love Theme from …)") counted or ignored, whichever agrees better.
pub fn song_similarity(a: &str, b: &str) -> f64 {
    static BRACKETS: OnceLock<Regex> = OnceLock::new();
    let brackets = BRACKETS.get_or_init(|| Regex::new(r"[(\[][^)\]]*[)\]]").expect("valid"));
    let forms = |t: &str| {
        let full = fold_words(t);
        let bare = fold_words(&brackets.replace_all(t, " "));
        if bare.is_empty() {
            vec![full]
        } else {
            vec![full, bare]
        }
    };
    let (ours, theirs) = (forms(a), forms(b));
    ours.iter()
        .flat_map(|o| theirs.iter().map(move |t| words_similarity(o, t)))
        .fold(0.0, f64::max)
}

// ---------------------------------------------------------------------------------------------
// Lucene

/// Escapes Lucene's special characters and lower-cases, so user text is only ever terms
/// (`AND`/`OR`/`NOT` in a title cannot become operators once lower-case). The same set as
/// Picard and beets escape.
pub fn escape_lucene(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.to_lowercase().chars() {
        if "+-&|!(){}[]^\"~*?:\\/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The release search for what the user typed: `release:(terms) AND secondarytype:soundtrack`,
/// with soundtrack words stripped (they are in the type; a phrase with them finds nothing) and
/// "score" dropped too (MusicBrainz has no score type; the ranking uses the word). `None` when
/// nothing searchable is left.
pub fn release_query(text: &str, soundtracks_only: bool) -> Option<String> {
    let stripped = strip_soundtrack_words(text);
    let terms = escape_lucene(&stripped);
    if fold_words(&terms).is_empty() {
        return None;
    }
    Some(if soundtracks_only {
        format!("release:({terms}) AND secondarytype:soundtrack")
    } else {
        format!("release:({terms})")
    })
}

// ---------------------------------------------------------------------------------------------
// Kind

/// Score when the title says so; songs for Various Artists or a compilation or a title that
/// speaks of songs; otherwise one artist's soundtrack is taken for a score.
pub fn kind_of(release: &Release) -> Kind {
    let group = release.release_group.as_ref();
    let mut words = fold_words(&release.title);
    if let Some(group) = group {
        words.extend(fold_words(&group.title));
    }
    if words.iter().any(|w| w == "score") {
        return Kind::Score;
    }
    let compilation = group.is_some_and(|g| {
        g.secondary_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case("compilation"))
    });
    let credits = if release.artist_credit.is_empty() {
        group.map(|g| g.artist_credit.as_slice()).unwrap_or(&[])
    } else {
        release.artist_credit.as_slice()
    };
    let speaks_of_songs = words
        .windows(2)
        .any(|pair| pair[0] == "inspired" && pair[1] == "by")
        || words.iter().any(|w| w == "songs");
    if compilation || speaks_of_songs || is_various_artists(credits) || credits.is_empty() {
        Kind::Songs
    } else {
        Kind::Score
    }
}

// ---------------------------------------------------------------------------------------------
// Editions

/// What the user's situation adds to the choice of edition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditionPrefs {
    /// ISO country from the locale: a tie-break.
    pub country: Option<String>,
    /// The number of album songs the library already has for this soundtrack: the edition the
    /// user owns is the one with that many, before any other preference but status.
    pub wanted_tracks: Option<u32>,
}

fn status_rank(status: Option<&str>) -> u8 {
    match status.map(str::to_ascii_lowercase).as_deref() {
        Some("official") => 0,
        None | Some("") => 1,
        Some("promotion") => 2,
        Some("withdrawn") | Some("cancelled") => 3,
        _ => 4, // bootleg, pseudo-release
    }
}

/// CD and digital before anything else, vinyl and cassette last (split sides, "A1" numbering,
/// and reissues that are not the original album).
fn format_rank(release: &Release) -> u8 {
    let formats: Vec<String> = release
        .media
        .iter()
        .filter_map(|m| m.format.as_deref().map(str::to_ascii_lowercase))
        .collect();
    if formats.is_empty() {
        return 1;
    }
    let worst = formats
        .iter()
        .map(|f| {
            if f.contains("cd") || f.contains("digital") {
                0
            } else if f.contains("vinyl") || f.contains("cassette") || f.contains("\"") {
                2
            } else {
                1
            }
        })
        .max()
        .unwrap_or(1);
    worst
}

/// (year, month, day) with missing parts last, so "1995-08-22" comes before "1995" and both
/// before an undated release.
pub fn date_key(date: Option<&str>) -> (u32, u32, u32) {
    let mut parts = date
        .unwrap_or("")
        .split('-')
        .map(|p| p.trim().parse::<u32>().ok());
    let year = parts.next().flatten().unwrap_or(9999);
    let month = parts.next().flatten().unwrap_or(13);
    let day = parts.next().flatten().unwrap_or(32);
    (year, month, day)
}

pub fn year_of(date: Option<&str>) -> Option<i32> {
    let year = date_key(date).0;
    (year != 9999).then_some(year as i32)
}

fn country_rank(release: &Release, prefs: &EditionPrefs) -> u8 {
    match release.country.as_deref() {
        Some(c) if prefs.country.as_deref() == Some(c) => 0,
        Some("XW") => 1,
        Some(_) => 2,
        None => 3,
    }
}

/// The track count most official releases of the group have (ties: the larger); a release
/// with fewer is taken to be a partial list (a promo, a sampler).
fn usual_track_count(releases: &[Release]) -> u32 {
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for release in releases
        .iter()
        .filter(|r| status_rank(r.status.as_deref()) <= 1)
    {
        *counts.entry(release.total_tracks()).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)))
        .map(|(count, _)| count)
        .unwrap_or(0)
}

/// Puts a group's releases in the order a careful person would pick them: official first, a
/// complete track list, (the edition the user has, when the library knows its song count),
/// the earliest date, CD or digital before vinyl and cassette, fewer media (no bonus discs),
/// then the user's country. Stable on the id for a repeatable answer.
pub fn rank_editions(releases: &mut [Release], prefs: &EditionPrefs) {
    let usual = usual_track_count(releases);
    let key = |r: &Release| {
        let total = r.total_tracks();
        (
            status_rank(r.status.as_deref()),
            u8::from(total < usual),
            prefs
                .wanted_tracks
                .map_or(0, |wanted| total.abs_diff(wanted)),
            date_key(r.date.as_deref()),
            format_rank(r),
            r.media.len().max(1),
            country_rank(r, prefs),
        )
    };
    releases.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id)));
}

// ---------------------------------------------------------------------------------------------
// Release groups

/// One release group as the search found it, with its releases in edition order.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedGroup {
    pub group: ReleaseGroup,
    /// Best edition first.
    pub releases: Vec<Release>,
    pub similarity: f64,
    pub kind: Kind,
    /// The earliest date of the group (its first release), as far as the answer shows.
    pub first_date: Option<String>,
}

impl RankedGroup {
    pub fn year(&self) -> Option<i32> {
        year_of(self.first_date.as_deref())
    }

    pub fn best(&self) -> &Release {
        &self.releases[0]
    }
}

/// Groups the releases of a search by release group and ranks the groups: title similarity to
/// the query first (in steps of 0.05, so near-equal titles tie and the next rules decide),
/// then closeness to the year when one is known, then songs before score unless the query
/// asks for a score, then the original (earliest) before later films of the same name, then
/// MusicBrainz's own score.
pub fn rank_groups(
    query: &str,
    year: Option<i32>,
    releases: Vec<Release>,
    prefs: &EditionPrefs,
) -> Vec<RankedGroup> {
    let mut order: Vec<String> = Vec::new();
    let mut by_group: HashMap<String, Vec<Release>> = HashMap::new();
    for release in releases {
        // A release without a group is its own group.
        let key = match release.group_id() {
            "" => format!("release:{}", release.id),
            id => id.to_owned(),
        };
        if !by_group.contains_key(&key) {
            order.push(key.clone());
        }
        let list = by_group.entry(key).or_default();
        if !list.iter().any(|r| r.id == release.id) {
            list.push(release);
        }
    }
    let score_wanted = wants_score(query);
    let mut groups: Vec<(RankedGroup, u32)> = order
        .into_iter()
        .filter_map(|key| by_group.remove(&key))
        .map(|mut releases| {
            let best_score = releases.iter().filter_map(|r| r.score).max().unwrap_or(0);
            let first_date = releases
                .iter()
                .filter_map(|r| r.date.clone().filter(|d| !d.is_empty()))
                .chain(
                    releases
                        .iter()
                        .filter_map(|r| r.release_group.as_ref())
                        .filter_map(|g| g.first_release_date.clone())
                        .filter(|d| !d.is_empty()),
                )
                .min_by_key(|d| date_key(Some(d)));
            rank_editions(&mut releases, prefs);
            let mut group = releases[0].release_group.clone().unwrap_or_default();
            if group.title.is_empty() {
                group.title = releases[0].title.clone();
            }
            if group.artist_credit.is_empty() {
                group.artist_credit = releases[0].artist_credit.clone();
            }
            let similarity = releases
                .iter()
                .map(|r| title_similarity(query, &r.title))
                .fold(title_similarity(query, &group.title), f64::max);
            let kind = kind_of(&releases[0]);
            (
                RankedGroup {
                    group,
                    releases,
                    similarity,
                    kind,
                    first_date,
                },
                best_score,
            )
        })
        .collect();
    groups.sort_by(|(a, a_score), (b, b_score)| {
        let step = |g: &RankedGroup| (g.similarity * 20.0).round() as i64;
        let year_gap = |g: &RankedGroup| match (year, g.year()) {
            (Some(want), Some(have)) => match (have - want).abs() {
                0..=1 => 0,
                2..=3 => 1,
                _ => 3,
            },
            (Some(_), None) => 2,
            (None, _) => 0,
        };
        let kind_rank = |g: &RankedGroup| u8::from((g.kind == Kind::Score) != score_wanted);
        step(b)
            .cmp(&step(a))
            .then(year_gap(a).cmp(&year_gap(b)))
            .then(kind_rank(a).cmp(&kind_rank(b)))
            .then(date_key(a.first_date.as_deref()).cmp(&date_key(b.first_date.as_deref())))
            .then(b_score.cmp(a_score))
            .then(
                b.similarity
                    .partial_cmp(&a.similarity)
                    .unwrap_or(Ordering::Equal),
            )
    });
    groups.into_iter().map(|(g, _)| g).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn release(value: serde_json::Value) -> Release {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn soundtrack_words_are_stripped_from_titles() {
        for (title, film) in [
            ("Singles: Original Motion Picture Soundtrack", "Singles"),
            (
                "Pump Up The Volume (Music From The Original Motion Picture Soundtrack)",
                "Pump Up The Volume",
            ),
            ("Heavy Metal: Music From the Motion Picture", "Heavy Metal"),
            ("FM (Original Movie Soundtrack)", "FM"),
            ("Valley Girl: Music From The Soundtrack", "Valley Girl"),
            (
                "A Life Less Ordinary: Original Soundtrack",
                "A Life Less Ordinary",
            ),
            ("Trainspotting OST", "Trainspotting"),
            ("The Punisher: The Album", "The Punisher"),
            ("Empire Records: The Soundtrack", "Empire Records"),
            ("The Crow (Original Score)", "The Crow"),
            (
                "Romeo + Juliet (Music From and Inspired by the Motion Picture)",
                "Romeo + Juliet",
            ),
            ("Clerks (Music From The Motion Picture)", "Clerks"),
            ("Garden State", "Garden State"),
            ("Soundtrack", "Soundtrack"),
        ] {
            assert_eq!(strip_soundtrack_words(title), film, "{title}");
        }
    }

    #[test]
    fn lucene_specials_are_escaped_and_operators_lowered() {
        assert_eq!(
            escape_lucene("The Crow: City of Angels"),
            r"the crow\: city of angels"
        );
        assert_eq!(escape_lucene("M*A*S*H"), r"m\*a\*s\*h");
        assert_eq!(escape_lucene("Romeo AND Juliet"), "romeo and juliet");
        assert_eq!(
            escape_lucene(r#"a+b-c&&d||e!(f){g}[h]^"i"~j?k\l/m"#),
            r#"a\+b\-c\&\&d\|\|e\!\(f\)\{g\}\[h\]\^\"i\"\~j\?k\\l\/m"#
        );
        assert_eq!(
            release_query("The Crow: City of Angels Soundtrack", true).as_deref(),
            Some(r"release:(the crow\: city of angels) AND secondarytype:soundtrack")
        );
        assert_eq!(
            release_query("Empire Records", false).as_deref(),
            Some("release:(empire records)")
        );
        assert_eq!(release_query("  ", true), None);
        assert_eq!(release_query("?!", true), None);
    }

    #[test]
    fn similarity_prefers_the_exact_title_over_sequels_and_typos() {
        let exact = title_similarity("The Crow", "The Crow: Original Motion Picture Soundtrack");
        let sequel = title_similarity("The Crow", "The Crow: City of Angels");
        let typo = title_similarity("Trainspoting", "Trainspotting");
        assert_eq!(exact, 1.0);
        assert!(sequel < 0.7, "{sequel}");
        assert!(typo > 0.8 && typo < 1.0, "{typo}");
        assert_eq!(title_similarity("Love and a .45", "Love & A .45"), 1.0);
        assert!(title_similarity("Hackers", "Singles") < 0.5);
        assert_eq!(song_similarity("Would?", "would"), 1.0);
        assert_eq!(song_similarity("Leave [New Version]", "Leave"), 1.0);
        assert_eq!(
            song_similarity(
                "Chloe Dancer/Crown of Thorns",
                "Chloe Dancer / Crown of Thorns"
            ),
            1.0
        );
        assert!(song_similarity("Big Empty", "Burn") < 0.5);
    }

    #[test]
    fn kind_comes_from_the_credit_and_the_words() {
        let va = json!([{"name": "Various Artists", "artist": {"id": super::super::model::VARIOUS_ARTISTS_ID}}]);
        let composer = json!([{"name": "Graeme Revell"}]);
        let songs = release(json!({"id": "a", "title": "The Crow", "artist-credit": va}));
        let score = release(json!({"id": "b", "title": "The Crow", "artist-credit": composer}));
        let said =
            release(json!({"id": "c", "title": "The Crow (Original Score)", "artist-credit": va}));
        let compilation = release(json!({"id": "d", "title": "X", "artist-credit": composer,
            "release-group": {"id": "g", "secondary-types": ["Soundtrack", "Compilation"]}}));
        assert_eq!(kind_of(&songs), Kind::Songs);
        assert_eq!(kind_of(&score), Kind::Score);
        assert_eq!(kind_of(&said), Kind::Score);
        assert_eq!(kind_of(&compilation), Kind::Songs);
        assert!(wants_score("the crow score"));
        assert!(!wants_score("the crow"));
    }

    fn edition(
        id: &str,
        status: &str,
        date: &str,
        formats: &[&str],
        tracks: u32,
        country: &str,
    ) -> Release {
        let media: Vec<serde_json::Value> = formats
            .iter()
            .map(|f| json!({"format": f, "track-count": tracks / formats.len() as u32}))
            .collect();
        release(
            json!({"id": id, "title": "Singles", "status": status, "date": date,
            "country": country, "media": media,
            "release-group": {"id": "g", "title": "Singles"}}),
        )
    }

    #[test]
    fn editions_rank_official_complete_earliest_cd_fewer_media_then_country() {
        let mut releases = vec![
            edition("vinyl", "Official", "1992-06-30", &["12\" Vinyl"], 13, "US"),
            edition("deluxe", "Official", "2017-05-19", &["CD", "CD"], 30, "XW"),
            edition("promo", "Promotion", "1992-06-01", &["CD"], 13, "US"),
            edition("sampler", "Official", "1992-05-01", &["CD"], 4, "US"),
            edition("cd-uk", "Official", "1992-06-30", &["CD"], 13, "GB"),
            edition("cd-us", "Official", "1992-06-30", &["CD"], 13, "US"),
            edition("bootleg", "Bootleg", "1991", &["CD"], 13, "US"),
            edition(
                "cassette",
                "Official",
                "1992-06-30",
                &["Cassette"],
                13,
                "US",
            ),
            edition("year-only", "Official", "1992", &["CD"], 13, "US"),
        ];
        let prefs = EditionPrefs {
            country: Some("GB".into()),
            wanted_tracks: None,
        };
        rank_editions(&mut releases, &prefs);
        let order: Vec<&str> = releases.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            order,
            [
                "cd-uk",
                "cd-us",
                "cassette",
                "vinyl",
                "year-only",
                "deluxe",
                "sampler",
                "promo",
                "bootleg"
            ]
        );
        // The edition the user has (by its song count) comes before an earlier one.
        rank_editions(
            &mut releases,
            &EditionPrefs {
                country: None,
                wanted_tracks: Some(30),
            },
        );
        assert_eq!(releases[0].id, "deluxe");
    }
}
