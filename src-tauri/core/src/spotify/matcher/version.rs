//! Version traits: the words that make a recording another version (live, karaoke, cover,
//! remix…) and the words that only describe a release (remaster, single version, soundtrack),
//! with where in a title, album or credit each one counts.

use super::*;

/// Something that makes a recording a different version from the one a soundtrack uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Marker {
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
pub(super) type Places = u8;
/// A title's bracketed or dashed part ("(Live)", "- Acoustic Version"). "mix" counts here and
/// nowhere else: inside a suffix it means a remix, in a title it's a word.
pub(super) const PART: Places = 1;
/// The title proper. Only phrases no real song title uses: "Live Forever" and "Cover Me" are
/// songs, "... in the Style of Oasis" is not.
pub(super) const TITLE: Places = 1 << 1;
/// An album's own title. "live" is handled apart ("Live Through This" is a studio album; "Live
/// at Knebworth" is not).
pub(super) const ALBUM: Places = 1 << 2;
/// A performer's name ("The Karaoke Band", "Rockabye Baby!", "8-Bit Arcade").
pub(super) const ARTIST: Places = 1 << 3;

#[rustfmt::skip]
pub(super) const MARKERS: &[(Marker, &[&str], Places)] = &[
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
pub(super) fn markers_in(words: &[String], place: Places) -> Vec<Marker> {
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
pub(super) const NEUTRAL_WORDS: &[&str] = &[
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

pub(super) fn is_number_word(word: &str) -> bool {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(suffix, "" | "st" | "nd" | "rd" | "th" | "s")
}

pub(super) fn is_neutral_part(words: &[String]) -> bool {
    // A bare "(Mix)" is a remix; "Stereo Mix" or "Original Mix" is the record itself.
    !words.is_empty()
        && words != ["mix"]
        && words
            .iter()
            .all(|w| NEUTRAL_WORDS.contains(&w.as_str()) || is_number_word(w))
}
