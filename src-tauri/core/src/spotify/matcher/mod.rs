//! Decides which Spotify track a song from the library is. It owns two things: planning the
//! searches to run for a song (best first), and scoring the candidates those searches return
//! and judging whether the best one is certain, worth a curator's look, or not there at all.
//!
//! Everything here is pure: no I/O, no network, no database, no clock. The Spotify client runs
//! the planned searches, decodes the results into [`Candidate`]s and hands them back; this
//! module must never reach out itself, so that every decision it makes can be tested offline
//! and repeated exactly.
//!
//! Its parts: `strategy` (which searches, in what order), `text` (folding case, accents and
//! marks), `version` (live, karaoke, cover… words), `names` (reading titles, albums and artist
//! credits) and `score` (one candidate against one song); this file holds the types and the
//! verdict.

mod names;
mod score;
mod strategy;
mod text;
mod version;

use names::*;
use score::*;
pub use strategy::{plan_searches, PlannedSearch, SearchKind, STRATEGIES};
pub use text::normalise;
use text::*;
use version::*;

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// What we know about a song on our side.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SongQuery {
    pub title: String,
    pub artists: Vec<String>,
    /// The album the song is on in our library (for a soundtrack song: the soundtrack album's title).
    pub album: Option<String>,
    /// The film's title, when the song comes from a soundtrack (albums are often named after it).
    pub film: Option<String>,
    pub duration_ms: Option<i64>,
    pub isrc: Option<String>,
}

/// A Spotify track offered by a search (already decoded from JSON by the client).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Candidate {
    pub uri: String,
    pub title: String,
    pub artists: Vec<String>,
    pub album: String,
    #[ts(type = "number | null")]
    pub duration_ms: Option<i64>,
    pub isrc: Option<String>,
}

/// At or above: matched without asking. Exact title + first artist already reach 0.80 on
/// their own; a matching duration (0.90) or the soundtrack album (0.95) adds a margin, while a
/// near-miss title, a partial artist or a far-off duration each keep a candidate below it.
pub const AUTO_THRESHOLD: f64 = 0.80;
/// At or above (but below [`AUTO_THRESHOLD`]): the curator reviews. Below: not found. The same
/// title by somebody else tops out around 0.46, so it lands below this line.
pub const REVIEW_THRESHOLD: f64 = 0.55;

/// The verdict on a song after its candidates were scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Matched,
    Doubtful,
    NotFound,
}

/// A candidate with its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Scored {
    pub candidate: Candidate,
    pub score: f64,
}

/// The outcome of [`judge`].
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub verdict: Verdict,
    /// Candidates best first, duplicates (same uri) removed, at most 5.
    pub ranked: Vec<Scored>,
}

impl Judgement {
    /// The best candidate, if any was offered.
    pub fn best(&self) -> Option<&Scored> {
        self.ranked.first()
    }
}

const MAX_RANKED: usize = 5;

/// Score in 0.0..=1.0 of how sure we are that `candidate` is `song`.
pub fn score(song: &SongQuery, candidate: &Candidate) -> f64 {
    SongView::new(song).score(candidate)
}

/// Scores every candidate and decides. An ISRC equal to the song's ISRC counts as a certain match
/// unless the candidate is an unwanted version (live/karaoke/...).
pub fn judge(song: &SongQuery, candidates: &[Candidate]) -> Judgement {
    let view = SongView::new(song);
    let mut scored: Vec<Scored> = candidates
        .iter()
        .map(|c| Scored {
            candidate: c.clone(),
            score: view.score(c),
        })
        .collect();
    // Stable sort: on equal scores the search order (best search first) decides.
    scored.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut seen = HashSet::new();
    scored.retain(|s| seen.insert(s.candidate.uri.clone()));
    scored.truncate(MAX_RANKED);

    let verdict = match scored.first().map(|s| s.score) {
        Some(best) if best >= AUTO_THRESHOLD => Verdict::Matched,
        Some(best) if best >= REVIEW_THRESHOLD => Verdict::Doubtful,
        _ => Verdict::NotFound,
    };
    Judgement {
        verdict,
        ranked: scored,
    }
}

/// True when a judgement is good enough to stop searching (best score >= AUTO_THRESHOLD).
pub fn is_confident(judgement: &Judgement) -> bool {
    judgement
        .best()
        .is_some_and(|best| best.score >= AUTO_THRESHOLD)
}

#[cfg(test)]
mod tests;
