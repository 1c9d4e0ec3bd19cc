//! Decides which Spotify track a song from the library is. It owns two things: planning the
//! searches to run for a song (best first), and scoring the candidates those searches return
//! and judging whether the best one is certain, worth a curator's look, or not there at all.
//!
//! Everything here is pure: no I/O, no network, no database, no clock. The Spotify client runs
//! the planned searches, decodes the results into [`Candidate`]s and hands them back; this
//! module must never reach out itself, so that every decision it makes can be tested offline
//! and repeated exactly.

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

/// Which kind of search a [`PlannedSearch`] is (the client may log or weigh them differently).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    Isrc,
    Fields,
    Album,
    Text,
}

/// One search to run against Spotify's search endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSearch {
    pub kind: SearchKind,
    pub query: String,
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

// Weights of the four signals; they sum to 1. Title and artist decide identity, duration tells
// recordings apart, and the album is a small bonus for the soundtrack's own release.
const TITLE_WEIGHT: f64 = 0.45;
const ARTIST_WEIGHT: f64 = 0.35;
const DURATION_WEIGHT: f64 = 0.10;
const ALBUM_WEIGHT: f64 = 0.10;

/// An unknown duration neither helps nor hurts: half the duration weight.
const UNKNOWN_DURATION: f64 = 0.5;
/// An artist set sharing nobody with ours is another performer (a cover, a namesake): the
/// weighted sum is multiplied by this so a perfect title and duration cannot reach review.
const NO_ARTIST_FACTOR: f64 = 0.7;
/// Beyond [`DURATION_ZERO_MS`] the recording is probably another edit or an extended mix; the
/// lost duration weight alone would still leave it auto-matched, so the sum is scaled too.
const FAR_DURATION_FACTOR: f64 = 0.8;
/// Per unwanted version trait (live, karaoke, ...) that differs between song and candidate.
/// One trait takes a perfect candidate (0.90) to about 0.59: reviewable, never automatic.
const VERSION_PENALTY: f64 = 0.65;
/// More than this many traits adds no information, only noise.
const MAX_PENALTIES: i32 = 3;
/// A title that is not exactly ours earns at most this share before squaring its similarity,
/// so "Angel" vs "Angels" or "Would" vs "World" end up reviewed, not matched.
const NEAR_TITLE_CAP: f64 = 0.9;
/// Same letters, different spacing or hyphenation ("Spider-Man" vs "Spiderman").
const SQUASHED_TITLE: f64 = 0.97;

const DURATION_EXACT_MS: i64 = 3_000;
const DURATION_ZERO_MS: i64 = 30_000;

const MAX_SEARCHES: usize = 4;
const MAX_RANKED: usize = 5;

/// The searches to try, best first, at most 4: `isrc:XXXX` when the song has an ISRC; then field
/// filters `track:"<title>" artist:"<first artist>"`; then within the soundtrack's album
/// `track:"<title>" album:"<album>"` (only when album is known); then plain text `<title> <artist>`.
/// Titles are cleaned before searching (neutral suffixes such as "- Remastered 2011", "(From \"X\" Soundtrack)",
/// "feat. Y" removed; double quotes inside values removed so the filter syntax stays valid).
pub fn plan_searches(song: &SongQuery) -> Vec<PlannedSearch> {
    let mut plans: Vec<PlannedSearch> = Vec::new();
    let mut push = |kind: SearchKind, query: String| {
        let query = collapse_whitespace(&query);
        if !query.is_empty() && !plans.iter().any(|p| p.query == query) {
            plans.push(PlannedSearch { kind, query });
        }
    };

    if let Some(isrc) = song
        .isrc
        .as_deref()
        .map(clean_isrc)
        .filter(|i| !i.is_empty())
    {
        push(SearchKind::Isrc, format!("isrc:{isrc}"));
    }

    let title = search_value(&parse_title(&song.title).search);
    if title.is_empty() {
        // Nothing to search by name; an ISRC (if any) is all we can offer.
        return plans;
    }
    let artist = song
        .artists
        .first()
        .map(|a| search_value(&strip_inline_featuring(&unify_marks(a)).0))
        .filter(|a| !a.is_empty());

    match &artist {
        Some(artist) => push(
            SearchKind::Fields,
            format!("track:\"{title}\" artist:\"{artist}\""),
        ),
        None => push(SearchKind::Fields, format!("track:\"{title}\"")),
    }
    if let Some(album) = song
        .album
        .as_deref()
        .map(|a| search_value(&parse_album(a, &[]).search))
        .filter(|a| !a.is_empty())
    {
        push(
            SearchKind::Album,
            format!("track:\"{title}\" album:\"{album}\""),
        );
    }
    push(
        SearchKind::Text,
        format!("{title} {}", artist.as_deref().unwrap_or_default()),
    );

    plans.truncate(MAX_SEARCHES);
    plans
}

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

/// Normalised form used for comparisons: lowercase, accents stripped (NFKD, drop combining marks),
/// curly quotes/apostrophes → straight, all dashes (‐ ‑ ‒ – — ―) → '-', "&" → "and", punctuation
/// removed, whitespace collapsed. Public for tests and for the client's de-duplication.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        for c in c.to_lowercase() {
            match unify_mark(c) {
                '-' => out.push('-'),
                '&' => out.push_str(" and "),
                // Apostrophes and full stops join: "Don't" → "dont", ".NUXX" → "nuxx", "P.S." → "ps".
                '\'' | '.' => {}
                // Letters NFKD does not take apart.
                'ø' => out.push('o'),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                'ß' => out.push_str("ss"),
                'ł' => out.push('l'),
                'đ' | 'ð' => out.push('d'),
                'þ' => out.push_str("th"),
                'ı' => out.push('i'),
                c if c.is_alphanumeric() => out.push(c),
                // Any other punctuation, symbol or space separates words.
                _ => out.push(' '),
            }
        }
    }
    collapse_whitespace(&out)
}

// ---------------------------------------------------------------------------------------------
// Characters and words

/// Maps the many dashes, quotes and spaces people (and Spotify) type onto one of each.
fn unify_mark(c: char) -> char {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        c if c.is_whitespace() => ' ',
        c => c,
    }
}

fn unify_marks(text: &str) -> String {
    text.chars().map(unify_mark).collect()
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words of the normalised text, hyphens split too ("8-bit" → "8", "bit").
fn words(text: &str) -> Vec<String> {
    normalise(text)
        .split([' ', '-'])
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A value for a search query: double quotes removed (they would end a filter value early).
fn search_value(text: &str) -> String {
    collapse_whitespace(&unify_marks(text).replace('"', " "))
}

fn clean_isrc(isrc: &str) -> String {
    isrc.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn contains_phrase(haystack: &[String], phrase: &[&str]) -> bool {
    !phrase.is_empty()
        && haystack.len() >= phrase.len()
        && haystack
            .windows(phrase.len())
            .any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
}

fn contains_words(haystack: &[String], phrase: &[String]) -> bool {
    let phrase: Vec<&str> = phrase.iter().map(String::as_str).collect();
    contains_phrase(haystack, &phrase)
}

/// Removes every occurrence of `phrase` from `words` (so a film called "Live and Let Die" is not
/// read as a live album).
fn remove_phrase(words: &mut Vec<String>, phrase: &[String]) {
    if phrase.is_empty() {
        return;
    }
    let mut i = 0;
    while i + phrase.len() <= words.len() {
        if words[i..i + phrase.len()] == *phrase {
            words.drain(i..i + phrase.len());
        } else {
            i += 1;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Version traits

/// Something that makes a recording a different version from the one a soundtrack uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Marker {
    Live,
    Karaoke,
    Cover,
    Instrumental,
    Remix,
    Acoustic,
    Demo,
    AlteredSpeed,
    Tribute,
    EightBit,
    Lullaby,
}

/// Where in a song's or a candidate's text a phrase is read as a version trait: a set of these
/// bits, one per place, so that each phrase is listed once with every place it counts in.
type Places = u8;
/// A title's bracketed or dashed part ("(Live)", "- Acoustic Version"). "mix" counts here and
/// nowhere else: inside a suffix it means a remix, in a title it's a word.
const PART: Places = 1;
/// The title proper. Only phrases no real song title uses: "Live Forever" and "Cover Me" are
/// songs, "... in the Style of Oasis" is not.
const TITLE: Places = 1 << 1;
/// An album's own title. "live" is handled apart ("Live Through This" is a studio album; "Live
/// at Knebworth" is not).
const ALBUM: Places = 1 << 2;
/// A performer's name ("The Karaoke Band", "Rockabye Baby!", "8-Bit Arcade").
const ARTIST: Places = 1 << 3;

#[rustfmt::skip]
const MARKERS: &[(Marker, &[&str], Places)] = &[
    (Marker::Live, &["live"],                            PART),
    (Marker::Live, &["en", "vivo"],                      PART),
    (Marker::Live, &["unplugged"],                       PART | ALBUM),
    (Marker::Live, &["in", "concert"],                   PART | ALBUM),
    (Marker::Karaoke, &["karaoke"],                      PART | TITLE | ALBUM | ARTIST),
    (Marker::Cover, &["cover"],                          PART | ARTIST),
    (Marker::Cover, &["covers"],                         PART | ALBUM | ARTIST),
    (Marker::Cover, &["originally", "performed"],        PART | TITLE | ALBUM),
    (Marker::Cover, &["in", "the", "style", "of"],       PART | TITLE | ALBUM),
    (Marker::Cover, &["made", "famous"],                 PART | ALBUM),
    (Marker::Cover, &["made", "famous", "by"],           TITLE),
    (Marker::Instrumental, &["instrumental"],            PART | ALBUM),
    (Marker::Instrumental, &["instrumentals"],           PART | ALBUM),
    (Marker::Instrumental, &["backing", "track"],        PART),
    (Marker::Remix, &["remix"],                          PART | ALBUM),
    (Marker::Remix, &["remixes"],                        PART | ALBUM),
    (Marker::Remix, &["remixed"],                        PART | ALBUM),
    (Marker::Remix, &["rmx"],                            PART),
    (Marker::Remix, &["mix"],                            PART),
    (Marker::Remix, &["dub"],                            PART),
    (Marker::Remix, &["extended"],                       PART),
    (Marker::Remix, &["rework"],                         PART),
    (Marker::Remix, &["bootleg"],                        PART),
    (Marker::Acoustic, &["acoustic"],                    PART | ALBUM),
    (Marker::Demo, &["demo"],                            PART),
    (Marker::Demo, &["demos"],                           PART | ALBUM),
    (Marker::AlteredSpeed, &["sped", "up"],              PART | TITLE | ALBUM | ARTIST),
    (Marker::AlteredSpeed, &["speed", "up"],             PART),
    (Marker::AlteredSpeed, &["slowed"],                  PART | ALBUM | ARTIST),
    (Marker::AlteredSpeed, &["slowed", "reverb"],        TITLE),
    (Marker::AlteredSpeed, &["slowed", "and", "reverb"], TITLE),
    (Marker::AlteredSpeed, &["nightcore"],               PART | TITLE | ALBUM | ARTIST),
    (Marker::AlteredSpeed, &["daycore"],                 PART),
    (Marker::Tribute, &["tribute"],                      PART | ALBUM | ARTIST),
    (Marker::EightBit, &["8", "bit"],                    PART | ALBUM | ARTIST),
    (Marker::EightBit, &["8bit"],                        PART | ALBUM | ARTIST),
    (Marker::EightBit, &["chiptune"],                    PART | ALBUM | ARTIST),
    (Marker::Lullaby, &["lullaby"],                      PART | ALBUM | ARTIST),
    (Marker::Lullaby, &["lullabies"],                    PART | ALBUM | ARTIST),
    (Marker::Lullaby, &["rockabye", "baby"],             PART | ALBUM | ARTIST),
    (Marker::Lullaby, &["lullaby", "version"],           TITLE),
    (Marker::Lullaby, &["lullaby", "rendition"],         TITLE),
];

/// The traits `words` show when read at `place`, each once.
fn markers_in(words: &[String], place: Places) -> Vec<Marker> {
    let mut found = Vec::new();
    for (marker, phrase, places) in MARKERS {
        if places & place != 0 && !found.contains(marker) && contains_phrase(words, phrase) {
            found.push(*marker);
        }
    }
    found
}

/// Words that describe a release rather than a recording: a bracketed or dashed part made only
/// of these ("2011 Remaster", "Single Version", "Original Motion Picture Soundtrack", "Mono")
/// is dropped before comparing, on both sides.
const NEUTRAL_WORDS: &[&str] = &[
    "remaster",
    "remastered",
    "remastering",
    "re",
    "mastered",
    "digital",
    "digitally",
    "version",
    "versions",
    "single",
    "radio",
    "edit",
    "album",
    "lp",
    "original",
    "mono",
    "stereo",
    "mix",
    "soundtrack",
    "soundtracks",
    "ost",
    "motion",
    "picture",
    "film",
    "movie",
    "music",
    "songs",
    "the",
    "from",
    "of",
    "and",
    "a",
    "explicit",
    "clean",
    "bonus",
    "track",
    "deluxe",
    "edition",
    "expanded",
    "anniversary",
    "special",
    "collectors",
    "reissue",
    "vol",
    "volume",
    "score",
    "official",
    "audio",
    "hd",
];

fn is_number_word(word: &str) -> bool {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(suffix, "" | "st" | "nd" | "rd" | "th" | "s")
}

fn is_neutral_part(words: &[String]) -> bool {
    // A bare "(Mix)" is a remix; "Stereo Mix" or "Original Mix" is the record itself.
    !words.is_empty()
        && words != ["mix"]
        && words
            .iter()
            .all(|w| NEUTRAL_WORDS.contains(&w.as_str()) || is_number_word(w))
}

// ---------------------------------------------------------------------------------------------
// Titles and albums

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PieceKind {
    /// The title proper (outside brackets, before any " - ").
    Text,
    /// "(...)" or "[...]".
    Group,
    /// After " - ".
    Dashed,
}

#[derive(Debug)]
struct Piece {
    kind: PieceKind,
    text: String,
}

impl Piece {
    fn surface(&self) -> String {
        match self.kind {
            PieceKind::Text => self.text.clone(),
            PieceKind::Group => format!("({})", self.text),
            PieceKind::Dashed => format!("- {}", self.text),
        }
    }
}

/// Cuts a title into its proper text and its bracketed / dashed parts, where Spotify (and
/// libraries) put version and release information.
fn split_pieces(raw: &str) -> Vec<Piece> {
    let chars: Vec<char> = unify_marks(raw).chars().collect();
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut kind = PieceKind::Text;
    let flush = |current: &mut String, kind: PieceKind, pieces: &mut Vec<Piece>| {
        let text = collapse_whitespace(current);
        if !text.is_empty() {
            pieces.push(Piece { kind, text });
        }
        current.clear();
    };

    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '(' || c == '[' {
            flush(&mut current, kind, &mut pieces);
            let mut depth = 0usize;
            let mut inner = String::new();
            let mut j = i;
            while j < chars.len() {
                let d = chars[j];
                match d {
                    '(' | '[' => {
                        depth += 1;
                        if depth > 1 {
                            inner.push(d);
                        }
                    }
                    ')' | ']' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                        inner.push(d);
                    }
                    _ => inner.push(d),
                }
                j += 1;
            }
            flush(&mut inner, PieceKind::Group, &mut pieces);
            i = j + 1;
            continue;
        }
        let spaced_dash =
            c == '-' && i > 0 && chars[i - 1] == ' ' && chars.get(i + 1).is_none_or(|n| *n == ' ');
        if spaced_dash {
            flush(&mut current, kind, &mut pieces);
            kind = PieceKind::Dashed;
        } else if c == ')' || c == ']' {
            // A stray closing bracket is noise.
            current.push(' ');
        } else {
            current.push(c);
        }
        i += 1;
    }
    flush(&mut current, kind, &mut pieces);
    pieces
}

/// What a bracketed or dashed part of a title is.
#[derive(Debug, Clone, PartialEq)]
enum Role {
    /// Part of the song's name: "(I Can't Get No)", "(Nuxx)".
    Core,
    /// Release information that does not change the recording.
    Neutral,
    /// "feat. X" / "with X": more performers, not the title.
    Featuring(Vec<String>),
    /// Another version of the song.
    Version(Vec<Marker>),
}

static LEADING_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(featuring|feat\.?|ft\.?|with|prod\.?|produced)\s+(by\s+)?")
        .expect("valid regex")
});
static INLINE_FEATURING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(^|\s)(featuring|feat\.|feat|ft\.|ft)\s").expect("valid regex")
});

/// Splits "Angel feat. Horace Andy" into ("Angel", ["horace andy"]).
fn strip_inline_featuring(text: &str) -> (String, Vec<String>) {
    match INLINE_FEATURING.find(text) {
        Some(m) if m.start() > 0 => (
            text[..m.start()].trim().to_owned(),
            artist_names(&text[m.end()..]),
        ),
        _ => (text.trim().to_owned(), Vec::new()),
    }
}

fn classify_part(text: &str) -> Role {
    let w = words(text);
    let Some(first) = w.first() else {
        return Role::Neutral;
    };
    if let Some(credit) = LEADING_CREDIT.captures(text) {
        let keyword = credit[1].to_lowercase();
        if keyword.starts_with("prod") {
            return Role::Neutral;
        }
        return Role::Featuring(artist_names(&text[credit[0].len()..]));
    }
    // "(From "Trainspotting")", "- From The Crow Soundtrack", "(From the Motion Picture ...)":
    // where the song was heard, not which recording it is, whatever words the film's name has.
    if first == "from" {
        return Role::Neutral;
    }
    if is_neutral_part(&w) {
        return Role::Neutral;
    }
    let markers = markers_in(&w, PART);
    if markers.is_empty() {
        Role::Core
    } else {
        Role::Version(markers)
    }
}

#[derive(Debug, Default)]
struct Title {
    /// Normalised title with release info, featured artists and version parts removed.
    core: String,
    /// The title as it should be searched: release info and featured artists removed.
    search: String,
    markers: Vec<Marker>,
    /// Performers named in the title ("feat. Horace Andy"), normalised.
    featured: Vec<String>,
}

fn parse_title(raw: &str) -> Title {
    let mut title = Title::default();
    let mut core = Vec::new();
    let mut search = Vec::new();
    for piece in split_pieces(raw) {
        match piece.kind {
            PieceKind::Text => {
                let (main, featured) = strip_inline_featuring(&piece.text);
                add_markers(&mut title.markers, markers_in(&words(&main), TITLE));
                title.featured.extend(featured);
                core.push(main.clone());
                search.push(main);
            }
            PieceKind::Group | PieceKind::Dashed => match classify_part(&piece.text) {
                Role::Core => {
                    core.push(piece.surface());
                    search.push(piece.surface());
                }
                Role::Neutral => {}
                Role::Featuring(names) => title.featured.extend(names),
                Role::Version(markers) => {
                    add_markers(&mut title.markers, markers);
                    search.push(piece.surface());
                }
            },
        }
    }
    title.core = normalise(&core.join(" "));
    if title.core.is_empty() {
        // A title that is all brackets: compare it whole rather than as nothing.
        title.core = normalise(raw);
    }
    title.search = collapse_whitespace(&search.join(" "));
    if title.search.is_empty() {
        title.search = collapse_whitespace(raw);
    }
    title
}

fn add_markers(markers: &mut Vec<Marker>, more: impl IntoIterator<Item = Marker>) {
    for marker in more {
        if !markers.contains(&marker) {
            markers.push(marker);
        }
    }
}

/// Every version trait a recording shows: its title's, its album's and its performers'.
fn version_markers(title: &Title, album: Option<&Album>, artists: &[String]) -> Vec<Marker> {
    let mut markers = title.markers.clone();
    if let Some(album) = album {
        add_markers(&mut markers, album.markers.iter().copied());
    }
    add_markers(&mut markers, markers_in(&words(&artists.join(" ")), ARTIST));
    markers
}

#[derive(Debug, Default)]
struct Album {
    /// The album's distinguishing words: "The Crow: Original Motion Picture Soundtrack" → ["crow"].
    key: Vec<String>,
    /// The album's core words (release information removed), normalised.
    core: Vec<String>,
    /// The album as it should be searched.
    search: String,
    markers: Vec<Marker>,
}

/// Reads an album title. `exclude` holds phrases (a song's title, a film's) whose words must not
/// be read as version traits: the single "Live Forever" is not a live album.
fn parse_album(raw: &str, exclude: &[Vec<String>]) -> Album {
    // "The Crow: Original Motion Picture Soundtrack" — a colon separates like a dash.
    let raw = unify_marks(raw).replace(": ", " - ");
    let mut album = Album::default();
    let mut core = Vec::new();
    for piece in split_pieces(&raw) {
        let role = match piece.kind {
            PieceKind::Text => Role::Core,
            _ => classify_part(&piece.text),
        };
        match role {
            Role::Core => core.push(piece.surface()),
            Role::Version(markers) => {
                add_markers(&mut album.markers, markers);
                core.push(piece.surface());
            }
            Role::Neutral | Role::Featuring(_) => {}
        }
    }
    album.search = collapse_whitespace(&core.join(" "));
    album.core = words(&album.search);

    let mut scan = album.core.clone();
    for phrase in exclude {
        remove_phrase(&mut scan, phrase);
    }
    add_markers(&mut album.markers, markers_in(&scan, ALBUM));
    // "Live", "Live at Knebworth", "Live in Seattle", "Live from Abbey Road" are live albums;
    // a "live" anywhere else is more likely a word of the name.
    let live_album = scan.first().is_some_and(|w| w == "live")
        && scan
            .get(1)
            .is_none_or(|w| matches!(w.as_str(), "at" | "in" | "from" | "on"));
    if live_album {
        add_markers(&mut album.markers, [Marker::Live]);
    }

    album.key = album_key(&album.core);
    album
}

/// Words that tell an album (or a film) apart: soundtrack boilerplate, articles and numbers go.
fn album_key(core: &[String]) -> Vec<String> {
    let key: Vec<String> = core
        .iter()
        .filter(|w| {
            !NEUTRAL_WORDS.contains(&w.as_str())
                && !is_number_word(w)
                && !matches!(w.as_str(), "inspired" | "by" | "presents")
        })
        .cloned()
        .collect();
    if key.is_empty() {
        core.to_vec()
    } else {
        key
    }
}

// ---------------------------------------------------------------------------------------------
// Artists

/// The performers named in an artist credit, normalised, with a leading "the" dropped:
/// "Nick Cave & The Bad Seeds" → ["nick cave", "bad seeds"], "Massive Attack feat. Horace Andy"
/// → ["massive attack", "horace andy"].
fn artist_names(raw: &str) -> Vec<String> {
    let mut names = Vec::new();
    // Split on list punctuation before normalising erases it ("&" becomes "and" there).
    for chunk in raw.split([',', ';', '/', '&', '+', '\u{00D7}']) {
        let mut current: Vec<&str> = Vec::new();
        let normal = normalise(chunk);
        for word in normal.split(' ') {
            if matches!(
                word,
                "and" | "feat" | "ft" | "featuring" | "with" | "vs" | "versus"
            ) {
                push_name(&mut names, &current);
                current.clear();
            } else if !word.is_empty() {
                current.push(word);
            }
        }
        push_name(&mut names, &current);
    }
    names
}

fn push_name(names: &mut Vec<String>, words: &[&str]) {
    let words = match words.split_first() {
        Some((&"the", rest)) if !rest.is_empty() => rest,
        _ => words,
    };
    let name = words.join(" ");
    if !name.is_empty() && !names.contains(&name) {
        names.push(name);
    }
}

/// Two performer names are the same person or band: exactly, up to spacing/hyphens, or up to a
/// one-letter slip in a long name ("Stone Temple Pilot"). Short names must match exactly:
/// "Cure" and "Cult" are different bands.
fn same_artist(a: &str, b: &str) -> bool {
    if a == b || squash(a) == squash(b) {
        return true;
    }
    a.chars().count().min(b.chars().count()) >= 6 && strsim::normalized_levenshtein(a, b) >= 0.9
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

fn artist_score(primary: &[String], ours: &[String], theirs: &[String]) -> f64 {
    if ours.is_empty() {
        // We don't know who sings it: neither for nor against.
        return 0.5;
    }
    let present = |name: &String| theirs.iter().any(|t| same_artist(name, t));
    if !primary.is_empty() && primary.iter().all(present) {
        1.0
    } else if primary.iter().any(present) {
        // "Nick Cave & The Bad Seeds" against "Nick Cave" alone.
        0.75
    } else if ours.iter().any(present) {
        // Only a featured or secondary artist in common.
        0.5
    } else {
        0.0
    }
}

// ---------------------------------------------------------------------------------------------
// Scoring

fn title_score(ours: &str, theirs: &str) -> f64 {
    if ours == theirs {
        return 1.0;
    }
    if squash(ours) == squash(theirs) {
        return SQUASHED_TITLE;
    }
    let similarity =
        (strsim::normalized_levenshtein(ours, theirs) + strsim::jaro_winkler(ours, theirs)) / 2.0;
    // Squared so that similar-but-different titles fall away quickly.
    NEAR_TITLE_CAP * similarity * similarity
}

/// 1 within 3 s, falling linearly to 0 at 30 s; `None` when either side is unknown.
fn duration_score(ours: Option<i64>, theirs: Option<i64>) -> Option<f64> {
    let diff = (ours? - theirs?).abs();
    Some(if diff <= DURATION_EXACT_MS {
        1.0
    } else if diff >= DURATION_ZERO_MS {
        0.0
    } else {
        (DURATION_ZERO_MS - diff) as f64 / (DURATION_ZERO_MS - DURATION_EXACT_MS) as f64
    })
}

/// The song, read once, so that judging many candidates does not re-parse it.
#[derive(Debug)]
struct SongView {
    title: Title,
    /// Names in the song's first artist credit.
    primary: Vec<String>,
    /// Every performer we know of (all credits and "feat." in the title).
    artists: Vec<String>,
    /// Keys of our album and of the film, either of which a soundtrack album may be named after.
    album_keys: Vec<Vec<String>>,
    /// Phrases that are names, not version traits, on any album we compare.
    exclude: Vec<Vec<String>>,
    /// Version traits the song itself has (its title, its album, its performers).
    wanted: Vec<Marker>,
    duration_ms: Option<i64>,
    isrc: Option<String>,
}

impl SongView {
    fn new(song: &SongQuery) -> SongView {
        let title = parse_title(&song.title);
        // The first credit without its guests: "Massive Attack feat. Horace Andy" is led by
        // Massive Attack, and a track credited to them alone is still the song.
        let primary = song
            .artists
            .first()
            .map(|a| artist_names(&strip_inline_featuring(&unify_marks(a)).0))
            .unwrap_or_default();
        let mut artists: Vec<String> = Vec::new();
        for name in song
            .artists
            .iter()
            .flat_map(|a| artist_names(a))
            .chain(title.featured.iter().cloned())
        {
            if !artists.contains(&name) {
                artists.push(name);
            }
        }

        let film_words = song.film.as_deref().map(words).unwrap_or_default();
        let mut exclude = vec![words(&title.core), film_words.clone()];
        let album = song.album.as_deref().map(|a| parse_album(a, &exclude));

        let wanted = version_markers(&title, album.as_ref(), &song.artists);

        let mut album_keys = Vec::new();
        if let Some(album) = &album {
            album_keys.push(album.key.clone());
            exclude.push(album.core.clone());
        }
        if !film_words.is_empty() {
            album_keys.push(album_key(&film_words));
        }
        album_keys.retain(|k| !k.is_empty());

        SongView {
            title,
            primary,
            artists,
            album_keys,
            exclude,
            wanted,
            duration_ms: song.duration_ms,
            isrc: song
                .isrc
                .as_deref()
                .map(clean_isrc)
                .filter(|i| !i.is_empty()),
        }
    }

    fn score(&self, candidate: &Candidate) -> f64 {
        let title = parse_title(&candidate.title);

        // Version traits: the candidate's that we did not ask for, and ours it lacks.
        let mut exclude = self.exclude.clone();
        exclude.push(words(&title.core));
        let album = parse_album(&candidate.album, &exclude);
        let theirs = version_markers(&title, Some(&album), &candidate.artists);
        let unwanted = theirs.iter().filter(|m| !self.wanted.contains(m)).count()
            + self
                .title
                .markers
                .iter()
                .filter(|m| !theirs.contains(m))
                .count();

        // The same ISRC is the same recording; only a version we don't want overrides that.
        if unwanted == 0
            && self.isrc.is_some()
            && self.isrc == candidate.isrc.as_deref().map(clean_isrc)
        {
            return 1.0;
        }

        let title_part = title_score(&self.title.core, &title.core);

        let mut their_artists: Vec<String> = candidate
            .artists
            .iter()
            .flat_map(|a| artist_names(a))
            .collect();
        their_artists.extend(title.featured);
        let artist_part = artist_score(&self.primary, &self.artists, &their_artists);

        let duration = duration_score(self.duration_ms, candidate.duration_ms);
        let duration_part = duration.unwrap_or(UNKNOWN_DURATION);

        let album_part = if self.album_keys.iter().any(|key| {
            *key == album.key || (key.join(" ").len() >= 4 && contains_words(&album.key, key))
        }) {
            1.0
        } else {
            0.0
        };

        let mut total = TITLE_WEIGHT * title_part
            + ARTIST_WEIGHT * artist_part
            + DURATION_WEIGHT * duration_part
            + ALBUM_WEIGHT * album_part;
        if artist_part == 0.0 {
            total *= NO_ARTIST_FACTOR;
        }
        // A title that is not ours is not our song, however well the rest fits
        // (same artist, same soundtrack, similar length).
        total *= (0.5 + title_part / 1.2).min(1.0);
        if duration == Some(0.0) {
            total *= FAR_DURATION_FACTOR;
        }
        let penalties = i32::try_from(unwanted)
            .unwrap_or(MAX_PENALTIES)
            .min(MAX_PENALTIES);
        total *= VERSION_PENALTY.powi(penalties);
        total.clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn song(title: &str, artists: &[&str], album: Option<&str>, film: Option<&str>) -> SongQuery {
        SongQuery {
            title: title.to_owned(),
            artists: artists.iter().map(|a| (*a).to_owned()).collect(),
            album: album.map(str::to_owned),
            film: film.map(str::to_owned),
            duration_ms: None,
            isrc: None,
        }
    }

    fn cand(uri: &str, title: &str, artists: &[&str], album: &str, ms: Option<i64>) -> Candidate {
        Candidate {
            uri: uri.to_owned(),
            title: title.to_owned(),
            artists: artists.iter().map(|a| (*a).to_owned()).collect(),
            album: album.to_owned(),
            duration_ms: ms,
            isrc: None,
        }
    }

    fn big_empty() -> SongQuery {
        SongQuery {
            duration_ms: Some(294_000),
            ..song(
                "Big Empty",
                &["Stone Temple Pilots"],
                Some("The Crow: Original Motion Picture Soundtrack"),
                Some("The Crow"),
            )
        }
    }

    fn crush() -> SongQuery {
        SongQuery {
            duration_ms: Some(269_000),
            ..song(
                "#1 Crush",
                &["Garbage"],
                Some("William Shakespeare's Romeo + Juliet"),
                Some("Romeo + Juliet"),
            )
        }
    }

    fn would() -> SongQuery {
        SongQuery {
            duration_ms: Some(208_000),
            ..song(
                "Would?",
                &["Alice in Chains"],
                Some("Singles: Original Motion Picture Soundtrack"),
                Some("Singles"),
            )
        }
    }

    fn lust_for_life() -> SongQuery {
        SongQuery {
            duration_ms: Some(313_000),
            ..song(
                "Lust for Life",
                &["Iggy Pop"],
                Some("Trainspotting (Music from the Motion Picture)"),
                Some("Trainspotting"),
            )
        }
    }

    fn uri_of(j: &Judgement) -> &str {
        &j.best().expect("a best candidate").candidate.uri
    }

    #[test]
    fn live_version_listed_first_loses_to_the_studio_original() {
        let live = cand(
            "spotify:track:live",
            "Big Empty - Live from MTV Unplugged, 1993",
            &["Stone Temple Pilots"],
            "Purple (Super Deluxe Edition)",
            Some(296_000),
        );
        let original = cand(
            "spotify:track:studio",
            "Big Empty - 2019 Remaster",
            &["Stone Temple Pilots"],
            "Purple (Super Deluxe Edition)",
            Some(294_500),
        );
        let j = judge(&big_empty(), &[live.clone(), original]);
        assert_eq!(j.verdict, Verdict::Matched);
        assert_eq!(uri_of(&j), "spotify:track:studio");
        assert_eq!(j.ranked[1].candidate.uri, "spotify:track:live");
        assert!(j.ranked[1].score < AUTO_THRESHOLD);
        assert!(j.ranked[0].score - j.ranked[1].score > 0.2);
        assert_ne!(judge(&big_empty(), &[live]).verdict, Verdict::Matched);
    }

    #[test]
    fn karaoke_is_never_chosen_and_alone_is_never_matched() {
        let karaoke = cand(
            "spotify:track:karaoke",
            "#1 Crush (Karaoke Version)",
            &["The Karaoke Band"],
            "Karaoke Hits of the 90s, Vol. 3",
            Some(269_000),
        );
        let performed_by = cand(
            "spotify:track:performed",
            "#1 Crush (Originally Performed by Garbage)",
            &["The Karaoke Band"],
            "Ultimate 90s Party",
            Some(269_000),
        );
        // A karaoke track mis-credited to the band itself still is not the song.
        let miscredited = cand(
            "spotify:track:miscredited",
            "#1 Crush (In the Style of Garbage) [Karaoke Version]",
            &["Garbage"],
            "William Shakespeare's Romeo + Juliet",
            Some(269_000),
        );
        let original = cand(
            "spotify:track:original",
            "#1 Crush",
            &["Garbage"],
            "Romeo + Juliet (Music From The Motion Picture)",
            Some(268_000),
        );
        let all = [
            karaoke.clone(),
            performed_by.clone(),
            miscredited.clone(),
            original,
        ];
        let j = judge(&crush(), &all);
        assert_eq!(j.verdict, Verdict::Matched);
        assert_eq!(uri_of(&j), "spotify:track:original");
        for alone in [karaoke, performed_by, miscredited] {
            let j = judge(&crush(), std::slice::from_ref(&alone));
            assert_ne!(j.verdict, Verdict::Matched, "{}", alone.title);
            assert!(
                j.ranked[0].score < REVIEW_THRESHOLD,
                "{}: {}",
                alone.title,
                j.ranked[0].score
            );
        }
    }

    #[test]
    fn a_cover_by_another_artist_alone_is_not_matched() {
        let marked = cand(
            "spotify:track:c1",
            "Would? (Cover)",
            &["The Grunge Revival"],
            "Seattle Covers",
            Some(208_000),
        );
        let unmarked = cand(
            "spotify:track:c2",
            "Would?",
            &["Dark Harbour"],
            "Rooftops",
            Some(208_000),
        );
        for cover in [marked, unmarked] {
            let j = judge(&would(), std::slice::from_ref(&cover));
            assert_eq!(j.verdict, Verdict::NotFound, "{}", cover.title);
        }
    }

    #[test]
    fn a_remaster_of_the_right_song_is_matched() {
        let remaster = cand(
            "spotify:track:r",
            "Would? - 2022 Remaster",
            &["Alice In Chains"],
            "Dirt (Remastered)",
            Some(207_500),
        );
        let j = judge(&would(), std::slice::from_ref(&remaster));
        assert_eq!(j.verdict, Verdict::Matched);
        assert!(j.ranked[0].score >= 0.85);
        let plain = cand(
            "spotify:track:p",
            "Would?",
            &["Alice In Chains"],
            "Dirt",
            Some(207_500),
        );
        assert!((score(&would(), &remaster) - score(&would(), &plain)).abs() < 1e-9);
        let remastered_2011 = cand(
            "spotify:track:r2",
            "Would? (2011 Remaster)",
            &["Alice In Chains"],
            "Dirt",
            Some(207_500),
        );
        assert!((score(&would(), &remastered_2011) - score(&would(), &plain)).abs() < 1e-9);
    }

    #[test]
    fn the_same_title_by_another_artist_is_not_found() {
        let angel = SongQuery {
            duration_ms: Some(379_000),
            ..song("Angel", &["Massive Attack"], Some("Snatch"), Some("Snatch"))
        };
        let shaggy = cand(
            "spotify:track:s",
            "Angel",
            &["Shaggy", "Rayvon"],
            "Hot Shot",
            Some(379_000),
        );
        let j = judge(&angel, &[shaggy]);
        assert_eq!(j.verdict, Verdict::NotFound);
        assert!(j.ranked[0].score < REVIEW_THRESHOLD - 0.05);
        // Another song by the right artist, on the right soundtrack, of the right length.
        let other = cand(
            "spotify:track:o",
            "Them Bones",
            &["Alice in Chains"],
            "Singles (Original Motion Picture Soundtrack)",
            Some(208_000),
        );
        assert_eq!(judge(&would(), &[other]).verdict, Verdict::NotFound);
    }

    #[test]
    fn the_soundtrack_album_itself_is_matched_and_preferred_over_a_compilation() {
        let compilation = cand(
            "spotify:track:comp",
            "Big Empty",
            &["Stone Temple Pilots"],
            "90s Rock Anthems",
            Some(294_000),
        );
        let soundtrack = cand(
            "spotify:track:crow",
            "Big Empty",
            &["Stone Temple Pilots"],
            "The Crow (Original Motion Picture Soundtrack)",
            Some(294_000),
        );
        let j = judge(&big_empty(), &[compilation.clone(), soundtrack.clone()]);
        assert_eq!(j.verdict, Verdict::Matched);
        assert_eq!(uri_of(&j), "spotify:track:crow");
        assert!(j.ranked[0].score > j.ranked[1].score);
        // Named after the film only ("Romeo + Juliet" inside "William Shakespeare's ...").
        let romeo = cand(
            "spotify:track:rj",
            "#1 Crush",
            &["Garbage"],
            "William Shakespeare's Romeo + Juliet (Music From The Motion Picture)",
            Some(269_000),
        );
        let best_of = cand(
            "spotify:track:bo",
            "#1 Crush",
            &["Garbage"],
            "Absolute Garbage",
            Some(269_000),
        );
        assert!(score(&crush(), &romeo) > score(&crush(), &best_of));
        assert_eq!(score(&crush(), &romeo), 1.0);
    }

    #[test]
    fn accents_curly_quotes_and_dashes_compare_equal() {
        assert_eq!(
            normalise("Don’t Look Back in Anger"),
            normalise("Don't Look Back In Anger")
        );
        assert_eq!(
            normalise("Don’t Look Back in Anger"),
            "dont look back in anger"
        );
        assert_eq!(normalise("Sigur Rós"), normalise("Sigur Ros"));
        assert_eq!(
            normalise("Yeah Yeah Yeahs — Maps"),
            normalise("Yeah Yeah Yeahs - Maps")
        );
        assert_eq!(
            normalise("Yeah Yeah Yeahs – Maps"),
            "yeah yeah yeahs - maps"
        );
        for dash in ['‐', '‑', '‒', '–', '—', '―'] {
            assert_eq!(normalise(&format!("a {dash} b")), "a - b");
        }
        assert_eq!(normalise("Romeo & Juliet"), "romeo and juliet");
        assert_eq!(normalise("  #1   Crush!  "), "1 crush");
        assert_eq!(
            normalise("Born Slippy .NUXX"),
            normalise("Born Slippy (Nuxx)")
        );

        let oasis = SongQuery {
            duration_ms: Some(287_000),
            ..song("Don’t Look Back in Anger", &["Oasis"], None, None)
        };
        let c = cand(
            "spotify:track:d",
            "Don't Look Back In Anger – Remastered",
            &["Oasis"],
            "(What's The Story) Morning Glory? (Remastered)",
            Some(288_000),
        );
        assert_eq!(judge(&oasis, &[c]).verdict, Verdict::Matched);

        let sigur = SongQuery {
            duration_ms: Some(270_000),
            ..song("Hoppípolla", &["Sigur Rós"], None, None)
        };
        let c = cand(
            "spotify:track:h",
            "Hoppipolla",
            &["Sigur Ros"],
            "Takk...",
            Some(271_000),
        );
        assert_eq!(score(&sigur, &c), 0.9);

        let maps = song("Maps", &["Yeah Yeah Yeahs"], None, None);
        let c = cand(
            "spotify:track:m",
            "Maps — 2013 Remaster",
            &["Yeah Yeah Yeahs"],
            "Fever to Tell",
            None,
        );
        assert_eq!(judge(&maps, &[c]).verdict, Verdict::Matched);
    }

    #[test]
    fn featured_artists_do_not_hide_the_song() {
        let angel = SongQuery {
            duration_ms: Some(379_000),
            ..song("Angel", &["Massive Attack"], None, Some("Snatch"))
        };
        let c = cand(
            "spotify:track:a",
            "Angel (feat. Horace Andy)",
            &["Massive Attack", "Horace Andy"],
            "Mezzanine",
            Some(379_500),
        );
        let j = judge(&angel, &[c]);
        assert_eq!(j.verdict, Verdict::Matched);
        assert!(j.ranked[0].score >= 0.85);

        // Our side credits the guest in the title or the artist field instead.
        for ours in [
            song("Angel feat. Horace Andy", &["Massive Attack"], None, None),
            song("Angel (ft. Horace Andy)", &["Massive Attack"], None, None),
            song("Angel", &["Massive Attack feat. Horace Andy"], None, None),
        ] {
            let c = cand(
                "spotify:track:a",
                "Angel",
                &["Massive Attack"],
                "Mezzanine",
                None,
            );
            assert_eq!(
                judge(&ours, &[c]).verdict,
                Verdict::Matched,
                "{}",
                ours.title
            );
        }
    }

    #[test]
    fn live_forever_is_not_a_live_version() {
        let oasis = SongQuery {
            duration_ms: Some(276_000),
            ..song("Live Forever", &["Oasis"], Some("Definitely Maybe"), None)
        };
        let studio = cand(
            "spotify:track:s",
            "Live Forever",
            &["Oasis"],
            "Definitely Maybe",
            Some(276_000),
        );
        let single = cand(
            "spotify:track:single",
            "Live Forever - Remastered",
            &["Oasis"],
            "Live Forever (Remastered)",
            Some(276_000),
        );
        let knebworth = cand(
            "spotify:track:k",
            "Live Forever - Live at Knebworth, 10 August '96",
            &["Oasis"],
            "Knebworth 1996 (Live)",
            Some(284_000),
        );
        assert_eq!(score(&oasis, &studio), 1.0);
        assert_eq!(score(&oasis, &single), 0.9);
        let j = judge(&oasis, &[knebworth.clone(), single, studio]);
        assert_eq!(j.verdict, Verdict::Matched);
        assert_eq!(uri_of(&j), "spotify:track:s");
        assert_eq!(j.ranked[2].candidate.uri, "spotify:track:k");
        assert!(score(&oasis, &knebworth) < AUTO_THRESHOLD);
    }

    #[test]
    fn a_far_off_duration_is_not_matched_automatically() {
        let slippy = SongQuery {
            duration_ms: Some(584_000),
            ..song(
                "Born Slippy .NUXX",
                &["Underworld"],
                Some("Trainspotting"),
                Some("Trainspotting"),
            )
        };
        let extended = cand(
            "spotify:track:x",
            "Born Slippy (Nuxx)",
            &["Underworld"],
            "Born Slippy",
            Some(674_000),
        );
        let j = judge(&slippy, std::slice::from_ref(&extended));
        assert_ne!(j.verdict, Verdict::Matched);
        assert!(j.ranked[0].score < AUTO_THRESHOLD - 0.1);
        let close = Candidate {
            duration_ms: Some(585_000),
            ..extended
        };
        assert_eq!(judge(&slippy, &[close]).verdict, Verdict::Matched);
    }

    #[test]
    fn plans_searches_best_first() {
        let song = SongQuery {
            isrc: Some("usat2-94-00234".to_owned()),
            title: "Big Empty - Remastered 2019".to_owned(),
            ..big_empty()
        };
        let plans = plan_searches(&song);
        let expected = [
            (SearchKind::Isrc, "isrc:USAT29400234"),
            (
                SearchKind::Fields,
                "track:\"Big Empty\" artist:\"Stone Temple Pilots\"",
            ),
            (SearchKind::Album, "track:\"Big Empty\" album:\"The Crow\""),
            (SearchKind::Text, "Big Empty Stone Temple Pilots"),
        ];
        assert_eq!(plans.len(), 4);
        for (plan, (kind, query)) in plans.iter().zip(expected) {
            assert_eq!(plan.kind, kind);
            assert_eq!(plan.query, query);
        }

        // No ISRC, no album: no album search; "feat." and soundtrack suffixes stripped.
        let angel = song_with(
            "Angel (feat. Horace Andy) - From \"Snatch\" Soundtrack",
            &["Massive Attack"],
        );
        let plans = plan_searches(&angel);
        let kinds: Vec<SearchKind> = plans.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, [SearchKind::Fields, SearchKind::Text]);
        assert_eq!(plans[0].query, "track:\"Angel\" artist:\"Massive Attack\"");
        assert_eq!(plans[1].query, "Angel Massive Attack");

        // Quotes inside values are removed so the filters stay well formed.
        let weird = SongQuery {
            album: Some("“Weird Al” Yankovic in 3-D".to_owned()),
            ..song_with("Eat It", &["\"Weird Al\" Yankovic"])
        };
        let plans = plan_searches(&weird);
        assert_eq!(
            plans[0].query,
            "track:\"Eat It\" artist:\"Weird Al Yankovic\""
        );
        assert_eq!(
            plans[1].query,
            "track:\"Eat It\" album:\"Weird Al Yankovic in 3-D\""
        );
        for plan in &plans {
            assert_eq!(plan.query.matches('"').count() % 2, 0, "{}", plan.query);
        }

        // A version the song names is kept: the acoustic one is what we want.
        let acoustic = song_with("Big Empty (Acoustic)", &["Stone Temple Pilots"]);
        assert_eq!(
            plan_searches(&acoustic)[0].query,
            "track:\"Big Empty (Acoustic)\" artist:\"Stone Temple Pilots\""
        );
        // Nothing to search by but an ISRC.
        let bare = SongQuery {
            isrc: Some("GBAYE9600001".to_owned()),
            ..SongQuery::default()
        };
        assert_eq!(plan_searches(&bare).len(), 1);
        assert!(plan_searches(&SongQuery::default()).is_empty());
    }

    fn song_with(title: &str, artists: &[&str]) -> SongQuery {
        song(title, artists, None, None)
    }

    #[test]
    fn an_equal_isrc_is_certain_unless_the_version_is_unwanted() {
        let ours = SongQuery {
            isrc: Some("USVI29600013".to_owned()),
            duration_ms: None,
            ..lust_for_life()
        };
        let same = Candidate {
            isrc: Some("usvi29600013".to_owned()),
            ..cand(
                "spotify:track:i",
                "Lust For Life",
                &["Iggy Pop"],
                "Lust For Life",
                None,
            )
        };
        let j = judge(&ours, &[same]);
        assert_eq!(j.verdict, Verdict::Matched);
        assert_eq!(j.ranked[0].score, 1.0);
        let live = Candidate {
            isrc: Some("USVI29600013".to_owned()),
            ..cand(
                "spotify:track:l",
                "Lust for Life - Live",
                &["Iggy Pop"],
                "Lust For Life",
                None,
            )
        };
        assert!(score(&ours, &live) < AUTO_THRESHOLD);
    }

    #[test]
    fn a_from_soundtrack_suffix_on_the_candidate_is_ignored() {
        let plain = cand(
            "spotify:track:p",
            "Lust for Life",
            &["Iggy Pop"],
            "Lust For Life",
            Some(313_000),
        );
        let base = score(&lust_for_life(), &plain);
        for title in [
            "Lust for Life - From \"Trainspotting\" Soundtrack",
            "Lust for Life (From \"Trainspotting\")",
            "Lust for Life (From the Motion Picture \"Trainspotting\")",
            "Lust for Life - Original Soundtrack Version",
            "Lust for Life (Soundtrack Version) [Mono]",
            "Lust for Life - Single Version",
            "Lust for Life - Radio Edit",
        ] {
            let c = Candidate {
                title: title.to_owned(),
                ..plain.clone()
            };
            assert!((score(&lust_for_life(), &c) - base).abs() < 1e-9, "{title}");
            assert_eq!(
                judge(&lust_for_life(), &[c]).verdict,
                Verdict::Matched,
                "{title}"
            );
        }
        // "Live and Let Die" in the film name is not a live version.
        let bond = song(
            "Live and Let Die",
            &["Wings"],
            None,
            Some("Live and Let Die"),
        );
        let c = cand(
            "spotify:track:b",
            "Live And Let Die - From \"Live And Let Die\" Soundtrack",
            &["Paul McCartney & Wings"],
            "Live and Let Die (Original Motion Picture Soundtrack)",
            None,
        );
        assert!(score(&bond, &c) >= 0.85);
    }

    #[test]
    fn judge_ranks_dedups_and_caps() {
        let mut candidates = vec![
            cand(
                "spotify:track:a",
                "Lust for Life - Live",
                &["Iggy Pop"],
                "Live",
                Some(330_000),
            ),
            cand(
                "spotify:track:b",
                "Lust for Life",
                &["Iggy Pop"],
                "Lust For Life",
                Some(313_000),
            ),
            cand(
                "spotify:track:b",
                "Lust for Life",
                &["Iggy Pop"],
                "Lust For Life",
                Some(313_000),
            ),
            cand(
                "spotify:track:c",
                "Lust for Life",
                &["The Prodigy"],
                "Covers",
                Some(313_000),
            ),
            cand(
                "spotify:track:d",
                "The Passenger",
                &["Iggy Pop"],
                "Lust For Life",
                Some(284_000),
            ),
            cand(
                "spotify:track:e",
                "Lust for Life (Remix)",
                &["Iggy Pop"],
                "Remixes",
                Some(313_000),
            ),
            cand(
                "spotify:track:f",
                "Lust for Life",
                &["Iggy Pop"],
                "Trainspotting",
                Some(313_000),
            ),
        ];
        candidates.push(candidates[0].clone());
        let j = judge(&lust_for_life(), &candidates);
        assert_eq!(j.ranked.len(), 5);
        assert_eq!(j.verdict, Verdict::Matched);
        assert!(is_confident(&j));
        assert_eq!(uri_of(&j), "spotify:track:f");
        assert_eq!(j.ranked[1].candidate.uri, "spotify:track:b");
        assert!(j.ranked.windows(2).all(|w| w[0].score >= w[1].score));
        let uris: HashSet<&str> = j.ranked.iter().map(|s| s.candidate.uri.as_str()).collect();
        assert_eq!(uris.len(), j.ranked.len());
        assert!(j.ranked.iter().all(|s| (0.0..=1.0).contains(&s.score)));

        let empty = judge(&lust_for_life(), &[]);
        assert_eq!(empty.verdict, Verdict::NotFound);
        assert!(empty.best().is_none());
        assert!(!is_confident(&empty));
    }

    #[test]
    fn unwanted_versions_rank_below_the_original() {
        let original = cand(
            "spotify:track:o",
            "Would?",
            &["Alice in Chains"],
            "Dirt",
            Some(208_000),
        );
        let base = score(&would(), &original);
        assert!(base >= AUTO_THRESHOLD);
        let variants = [
            ("Would? - Instrumental", "Alice in Chains", "Dirt"),
            ("Would? (Acoustic)", "Alice in Chains", "Dirt"),
            ("Would? - Demo", "Alice in Chains", "Dirt"),
            ("Would? (Sped Up)", "Alice in Chains", "Dirt"),
            ("Would? - Slowed + Reverb", "Alice in Chains", "Dirt"),
            ("Would? (Extended Mix)", "Alice in Chains", "Dirt"),
            ("Would?", "Alice in Chains", "MTV Unplugged"),
            ("Would?", "Alice in Chains", "Live at the Moore"),
            ("Would?", "Various Artists", "A Tribute to Alice in Chains"),
            ("Would?", "8-Bit Arcade", "8-Bit Grunge"),
            (
                "Would?",
                "Rockabye Baby!",
                "Lullaby Renditions of Alice in Chains",
            ),
            ("Would? (Nightcore)", "Nightcore Nation", "Nightcore Hits"),
        ];
        for (title, artist, album) in variants {
            let c = cand("spotify:track:v", title, &[artist], album, Some(208_000));
            let s = score(&would(), &c);
            assert!(
                s < AUTO_THRESHOLD && s < base - 0.2,
                "{title} / {artist} / {album}: {s}"
            );
        }
    }

    #[test]
    fn a_song_that_names_its_version_wants_that_version() {
        let ours = SongQuery {
            duration_ms: Some(270_000),
            ..song("Big Empty (Acoustic)", &["Stone Temple Pilots"], None, None)
        };
        let acoustic = cand(
            "spotify:track:ac",
            "Big Empty - Acoustic Version",
            &["Stone Temple Pilots"],
            "Purple (Super Deluxe Edition)",
            Some(270_000),
        );
        let studio = cand(
            "spotify:track:st",
            "Big Empty",
            &["Stone Temple Pilots"],
            "Purple",
            Some(270_000),
        );
        let j = judge(&ours, &[studio, acoustic]);
        assert_eq!(uri_of(&j), "spotify:track:ac");
        assert_eq!(j.verdict, Verdict::Matched);
        assert!(j.ranked[1].score < AUTO_THRESHOLD);
    }

    #[test]
    fn near_titles_and_unknown_durations() {
        // Exact title and artist with nothing else known still match.
        let bare = song_with("Would?", &["Alice in Chains"]);
        let c = cand(
            "spotify:track:w",
            "Would?",
            &["Alice in Chains"],
            "Dirt",
            None,
        );
        assert_eq!(judge(&bare, &[c]).verdict, Verdict::Matched);
        // A one-letter different title by the same artist is for the curator, not automatic.
        let c = cand(
            "spotify:track:w",
            "World",
            &["Alice in Chains"],
            "Dirt",
            Some(208_000),
        );
        assert_ne!(judge(&would(), &[c]).verdict, Verdict::Matched);
        let angel = SongQuery {
            duration_ms: Some(379_000),
            ..song_with("Angel", &["Massive Attack"])
        };
        let c = cand(
            "spotify:track:x",
            "Angels",
            &["Massive Attack"],
            "Mezzanine",
            Some(379_000),
        );
        assert_eq!(judge(&angel, &[c]).verdict, Verdict::Doubtful);
    }
}
