//! Reading titles, albums and artist credits: cutting a title into its name and its bracketed
//! or dashed parts, telling release information from featured artists and versions, and naming
//! the performers of a credit. It must not score.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PieceKind {
    /// The title proper (outside brackets, before any " - ").
    Text,
    /// "(...)" or "[...]".
    Group,
    /// After " - ".
    Dashed,
}

#[derive(Debug)]
pub(super) struct Piece {
    pub(super) kind: PieceKind,
    pub(super) text: String,
}

impl Piece {
    pub(super) fn surface(&self) -> String {
        match self.kind {
            PieceKind::Text => self.text.clone(),
            PieceKind::Group => format!("({})", self.text),
            PieceKind::Dashed => format!("- {}", self.text),
        }
    }
}

/// Cuts a title into its proper text and its bracketed / dashed parts, where Spotify (and
/// libraries) put version and release information.
pub(super) fn split_pieces(raw: &str) -> Vec<Piece> {
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
pub(super) enum Role {
    /// Part of the song's name: "(I Can't Get No)", "(Nuxx)".
    Core,
    /// Release information that does not change the recording.
    Neutral,
    /// "feat. X" / "with X": more performers, not the title.
    Featuring(Vec<String>),
    /// Another version of the song.
    Version(Vec<Marker>),
}

pub(super) static LEADING_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(featuring|feat\.?|ft\.?|with|prod\.?|produced)\s+(by\s+)?")
        .expect("valid regex")
});
pub(super) static INLINE_FEATURING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(^|\s)(featuring|feat\.|feat|ft\.|ft)\s").expect("valid regex")
});

/// Splits "Angel feat. Horace Andy" into ("Angel", ["horace andy"]).
pub(super) fn strip_inline_featuring(text: &str) -> (String, Vec<String>) {
    match INLINE_FEATURING.find(text) {
        Some(m) if m.start() > 0 => (
            text[..m.start()].trim().to_owned(),
            artist_names(&text[m.end()..]),
        ),
        _ => (text.trim().to_owned(), Vec::new()),
    }
}

pub(super) fn classify_part(text: &str) -> Role {
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
pub(super) struct Title {
    /// Normalised title with release info, featured artists and version parts removed.
    pub(super) core: String,
    /// The title as it should be searched: release info and featured artists removed.
    pub(super) search: String,
    pub(super) markers: Vec<Marker>,
    /// Performers named in the title ("feat. Horace Andy"), normalised.
    pub(super) featured: Vec<String>,
}

pub(super) fn parse_title(raw: &str) -> Title {
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

pub(super) fn add_markers(markers: &mut Vec<Marker>, more: impl IntoIterator<Item = Marker>) {
    for marker in more {
        if !markers.contains(&marker) {
            markers.push(marker);
        }
    }
}

/// Every version trait a recording shows: its title's, its album's and its performers'.
pub(super) fn version_markers(
    title: &Title,
    album: Option<&Album>,
    artists: &[String],
) -> Vec<Marker> {
    let mut markers = title.markers.clone();
    if let Some(album) = album {
        add_markers(&mut markers, album.markers.iter().copied());
    }
    add_markers(&mut markers, markers_in(&words(&artists.join(" ")), ARTIST));
    markers
}

#[derive(Debug, Default)]
pub(super) struct Album {
    /// The album's distinguishing words: "The Crow: Original Motion Picture Soundtrack" → ["crow"].
    pub(super) key: Vec<String>,
    /// The album's core words (release information removed), normalised.
    pub(super) core: Vec<String>,
    /// The album as it should be searched.
    pub(super) search: String,
    pub(super) markers: Vec<Marker>,
}

/// Reads an album title. `exclude` holds phrases (a song's title, a film's) whose words must not
/// be read as version traits: the single "Live Forever" is not a live album.
pub(super) fn parse_album(raw: &str, exclude: &[Vec<String>]) -> Album {
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
pub(super) fn album_key(core: &[String]) -> Vec<String> {
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
pub(super) fn artist_names(raw: &str) -> Vec<String> {
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

pub(super) fn push_name(names: &mut Vec<String>, words: &[&str]) {
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
pub(super) fn same_artist(a: &str, b: &str) -> bool {
    if a == b || squash(a) == squash(b) {
        return true;
    }
    a.chars().count().min(b.chars().count()) >= 6 && strsim::normalized_levenshtein(a, b) >= 0.9
}

pub(super) fn squash(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

pub(super) fn artist_score(primary: &[String], ours: &[String], theirs: &[String]) -> f64 {
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
