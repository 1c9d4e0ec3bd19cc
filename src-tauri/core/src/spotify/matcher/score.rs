//! Scoring one candidate against one song: title, artists, duration and album weighed, then
//! marked down for another performer, a far-off length or a version the song does not name.
//! It reads names through `names` and must not decide a verdict (`judge` does).

use super::*;

// Weights of the four signals; they sum to 1. Title and artist decide identity, duration tells
// recordings apart, and the album is a small bonus for the soundtrack's own release.
pub(super) const TITLE_WEIGHT: f64 = 0.45;
pub(super) const ARTIST_WEIGHT: f64 = 0.35;
pub(super) const DURATION_WEIGHT: f64 = 0.10;
pub(super) const ALBUM_WEIGHT: f64 = 0.10;

/// An unknown duration neither helps nor hurts: half the duration weight.
pub(super) const UNKNOWN_DURATION: f64 = 0.5;
/// An artist set sharing nobody with ours is another performer (a cover, a namesake): the
/// weighted sum is multiplied by this so a perfect title and duration cannot reach review.
pub(super) const NO_ARTIST_FACTOR: f64 = 0.7;
/// Beyond [`DURATION_ZERO_MS`] the recording is probably another edit or an extended mix; the
/// lost duration weight alone would still leave it auto-matched, so the sum is scaled too.
pub(super) const FAR_DURATION_FACTOR: f64 = 0.8;
/// Per unwanted version trait (live, karaoke, ...) that differs between song and candidate.
/// One trait takes a perfect candidate (0.90) to about 0.59: reviewable, never automatic.
pub(super) const VERSION_PENALTY: f64 = 0.65;
/// More than this many traits adds no information, only noise.
pub(super) const MAX_PENALTIES: i32 = 3;
/// A title that is not exactly ours earns at most this share before squaring its similarity,
/// so "Angel" vs "Angels" or "Would" vs "World" end up reviewed, not matched.
pub(super) const NEAR_TITLE_CAP: f64 = 0.9;
/// Same letters, different spacing or hyphenation ("Spider-Man" vs "Spiderman").
pub(super) const SQUASHED_TITLE: f64 = 0.97;

pub(super) const DURATION_EXACT_MS: i64 = 3_000;
pub(super) const DURATION_ZERO_MS: i64 = 30_000;

// ---------------------------------------------------------------------------------------------
// Scoring

pub(super) fn title_score(ours: &str, theirs: &str) -> f64 {
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
pub(super) fn duration_score(ours: Option<i64>, theirs: Option<i64>) -> Option<f64> {
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
pub(super) struct SongView {
    pub(super) title: Title,
    /// Names in the song's first artist credit.
    pub(super) primary: Vec<String>,
    /// Every performer we know of (all credits and "feat." in the title).
    pub(super) artists: Vec<String>,
    /// Keys of our album and of the film, either of which a soundtrack album may be named after.
    pub(super) album_keys: Vec<Vec<String>>,
    /// Phrases that are names, not version traits, on any album we compare.
    pub(super) exclude: Vec<Vec<String>>,
    /// Version traits the song itself has (its title, its album, its performers).
    pub(super) wanted: Vec<Marker>,
    pub(super) duration_ms: Option<i64>,
    pub(super) isrc: Option<String>,
}

impl SongView {
    pub(super) fn new(song: &SongQuery) -> SongView {
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

    pub(super) fn score(&self, candidate: &Candidate) -> f64 {
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
