//! Reads a track list pasted as text — one `Artist – Title` per line, as people copy them from a
//! record sleeve, a blog comment or a streaming page — into songs ready to save. It owns the
//! rules for what a line may look like and the reasons a line could not be read; it never
//! touches the library (the caller previews the result, then saves it through `edit`).

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::edit::TrackFields;

/// How a pasted text was read: the songs in order, and the lines that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PastedTracklist {
    pub songs: Vec<PastedSong>,
    pub problems: Vec<PasteProblem>,
}

/// One line read as a song.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PastedSong {
    /// 1-based line number in the pasted text.
    pub line: u32,
    pub fields: TrackFields,
}

/// A line that was not read, and why, so the person can fix just that line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PasteProblem {
    pub line: u32,
    pub text: String,
    pub reason: String,
}

/// Lines longer than this are not a track listing (a pasted paragraph, a URL dump).
const MAX_LINE_CHARS: usize = 500;

// "1.", "01 -", "1)", "#3", "A1" (vinyl sides are not numbers, so "A1" is left to the title).
static LEADING_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^#?(\d{1,3})\s*(?:[.):]\s*|\s+[-–—]\s+|\s+)").unwrap());
// "3:27", "(3:27)", "[1:02:03]" at the end of a line.
static TRAILING_DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*[(\[]?\s*(?:(\d{1,2}):)?(\d{1,3}):([0-5]\d)\s*[)\]]?\s*$").unwrap()
});
// The separator between artist and title: a hyphen only with spaces around it (so "Jay-Z" and
// "Alt-J" survive), an en or em dash with or without them.
static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s+-\s+|\s*[–—]\s*").unwrap());
// Featured artists become further artists; "&" and "and" stay, because they are part of band
// names ("Echo & the Bunnymen") far more often than they join two acts.
static FEATURING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\s+(?:feat\.?|ft\.?|featuring)\s+").unwrap());

/// Reads every non-empty line of `text`. Songs get the album flag given; their positions come
/// from the leading numbers when each song has one, otherwise they are left for the library to
/// number after the songs already there.
pub fn parse_tracklist(text: &str, on_album: bool) -> PastedTracklist {
    let mut songs = Vec::new();
    let mut problems = Vec::new();
    let mut numbers = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let trimmed = raw.trim().trim_start_matches('\u{feff}');
        if trimmed.is_empty() {
            continue;
        }
        match parse_line(trimmed) {
            Ok((number, mut fields)) => {
                fields.on_album = on_album;
                numbers.push(number);
                songs.push(PastedSong { line, fields });
            }
            Err(reason) => problems.push(PasteProblem {
                line,
                text: trimmed.chars().take(120).collect(),
                reason,
            }),
        }
    }
    // Numbers are trusted only when every song has one and none repeats; a half-numbered paste
    // would otherwise collide with the positions the library assigns.
    let mut seen = std::collections::HashSet::new();
    let all_numbered = on_album
        && !numbers.is_empty()
        && numbers
            .iter()
            .all(|n| n.is_some_and(|n| n >= 1 && seen.insert(n)));
    for (song, number) in songs.iter_mut().zip(numbers) {
        song.fields.position = if all_numbered { number } else { None };
    }
    PastedTracklist { songs, problems }
}

/// One `Artist – Title` line (trimmed, not empty): its leading number if any, and the song, or
/// why it could not be read. Playlist files read line by line use it directly.
pub(crate) fn parse_line(line: &str) -> Result<(Option<u32>, TrackFields), String> {
    if line.chars().count() > MAX_LINE_CHARS {
        return Err(format!(
            "the line is longer than {MAX_LINE_CHARS} characters"
        ));
    }
    let mut rest = line;
    let mut duration_ms = None;
    if let Some(found) = TRAILING_DURATION.captures(rest) {
        let hours: u32 = found.get(1).map_or(0, |m| m.as_str().parse().unwrap_or(0));
        let minutes: u32 = found[2].parse().unwrap_or(0);
        let seconds: u32 = found[3].parse().unwrap_or(0);
        duration_ms = Some(((hours * 60 + minutes) * 60 + seconds) * 1000);
        rest = &rest[..found.get(0).map_or(rest.len(), |m| m.start())];
    }
    let mut number = None;
    if let Some(found) = LEADING_NUMBER.captures(rest) {
        let after = &rest[found.get(0).map_or(0, |m| m.end())..];
        // "311 – Down" is the band 311: the number is only a track number when an
        // artist–title separator still follows it.
        if SEPARATOR.is_match(after) {
            number = found[1].parse().ok();
            rest = after;
        }
    }
    let Some(separator) = SEPARATOR.find(rest) else {
        return Err("no dash between artist and title (write it as “Artist – Title”)".into());
    };
    let artist_part = rest[..separator.start()].trim();
    let title = unquote(rest[separator.end()..].trim());
    if artist_part.is_empty() {
        return Err("the artist is missing before the dash".into());
    }
    if title.is_empty() {
        return Err("the title is missing after the dash".into());
    }
    let artists = FEATURING
        .split(artist_part)
        .map(|name| unquote(name.trim()).to_owned())
        .filter(|name| !name.is_empty())
        .collect();
    Ok((
        number,
        TrackFields {
            disc: 1,
            position: None,
            title: title.to_owned(),
            artists,
            duration_ms,
            on_album: true,
            scene_note: String::new(),
            notes: String::new(),
            isrc: None,
        },
    ))
}

/// Strips one pair of surrounding quotes: `"Would?"`, `“Would?”`, `'Would?'`.
fn unquote(text: &str) -> &str {
    for (open, close) in [('"', '"'), ('“', '”'), ('\'', '\''), ('‘', '’')] {
        if let Some(inner) = text
            .strip_prefix(open)
            .and_then(|rest| rest.strip_suffix(close))
        {
            if !inner.trim().is_empty() {
                return inner.trim();
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> PastedTracklist {
        parse_tracklist(text, true)
    }

    fn one(line: &str) -> TrackFields {
        let parsed = read(line);
        assert!(
            parsed.problems.is_empty(),
            "{line:?}: {:?}",
            parsed.problems
        );
        assert_eq!(parsed.songs.len(), 1);
        parsed.songs[0].fields.clone()
    }

    #[test]
    fn reads_every_dash() {
        for line in [
            "Alice in Chains - Would?",
            "Alice in Chains – Would?",
            "Alice in Chains — Would?",
            "Alice in Chains–Would?",
            "  Alice in Chains —Would?  ",
        ] {
            let song = one(line);
            assert_eq!(song.artists, ["Alice in Chains"], "{line}");
            assert_eq!(song.title, "Would?", "{line}");
        }
    }

    #[test]
    fn reads_leading_numbers_and_durations() {
        let parsed = read(
            "1. Alice in Chains – Would? 3:27\n\
             02 - Pearl Jam - Breath (5:24)\n\
             3) Chris Cornell – Seasons [5:44]\n",
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let got: Vec<_> = parsed
            .songs
            .iter()
            .map(|s| {
                (
                    s.fields.position,
                    s.fields.artists[0].as_str(),
                    s.fields.title.as_str(),
                    s.fields.duration_ms,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some(1), "Alice in Chains", "Would?", Some(207_000)),
                (Some(2), "Pearl Jam", "Breath", Some(324_000)),
                (Some(3), "Chris Cornell", "Seasons", Some(344_000)),
            ]
        );
    }

    #[test]
    fn keeps_hyphens_inside_names_and_band_names_that_are_numbers() {
        let song = one("Jay-Z – 99 Problems");
        assert_eq!(
            (song.artists[0].as_str(), song.title.as_str()),
            ("Jay-Z", "99 Problems")
        );
        let song = one("311 – Down");
        assert_eq!(song.artists, ["311"]);
        let song = one("10,000 Maniacs - Because the Night");
        assert_eq!(song.artists, ["10,000 Maniacs"]);
        let song = one("Sonic Youth – Teen Age Riot - Live");
        assert_eq!(song.title, "Teen Age Riot - Live");
    }

    #[test]
    fn splits_featured_artists_and_strips_quotes() {
        let song = one("Onyx feat. Biohazard – “Judgment Night”");
        assert_eq!(song.artists, ["Onyx", "Biohazard"]);
        assert_eq!(song.title, "Judgment Night");
        let song = one("Echo & the Bunnymen - \"Bring on the Dancing Horses\"");
        assert_eq!(song.artists, ["Echo & the Bunnymen"]);
        assert_eq!(song.title, "Bring on the Dancing Horses");
    }

    #[test]
    fn names_the_lines_it_cannot_read_and_keeps_the_rest() {
        let parsed = read("Side A\n\nPaul Westerberg – Dyslexic Heart\n – Nameless\nMudhoney – \n");
        assert_eq!(parsed.songs.len(), 1);
        assert_eq!(parsed.songs[0].line, 3);
        let lines: Vec<u32> = parsed.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 4, 5]);
        assert!(parsed.problems[0].reason.contains("no dash"));
        assert!(parsed.problems[1].reason.contains("artist is missing"));
        assert!(parsed.problems[2].reason.contains("title is missing"));
    }

    #[test]
    fn trusts_numbers_only_when_every_song_has_a_distinct_one() {
        let half = read("1. A – One\nB – Two\n");
        assert!(half.songs.iter().all(|s| s.fields.position.is_none()));
        let repeated = read("1. A – One\n1. B – Two\n");
        assert!(repeated.songs.iter().all(|s| s.fields.position.is_none()));
        let film_only = parse_tracklist("1. A – One\n", false);
        assert_eq!(film_only.songs[0].fields.position, None);
        assert!(!film_only.songs[0].fields.on_album);
    }

    #[test]
    fn survives_hostile_text() {
        let long = "x".repeat(10_000);
        for text in [
            "",
            "\u{feff}",
            "—",
            " - ",
            "🎸 – 🎶",
            "1.",
            "((((",
            &long,
            "\0 – \0",
        ] {
            let parsed = read(text);
            assert!(parsed.songs.len() + parsed.problems.len() <= 1, "{text:?}");
        }
        assert_eq!(one("🎸 – 🎶").title, "🎶");
        assert!(read(&long).problems[0].reason.contains("longer than"));
    }
}
