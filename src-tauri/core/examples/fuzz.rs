//! `make fuzz`: a time-boxed fuzz run of every playlist reader and the pasted-text reader (issue
//! 6). For each target it feeds random bytes, token soup and mutations of a seed corpus (the files
//! in tests/fixtures/playlists plus valid files generated here, in every CSV dialect) for
//! `--seconds` each, counting executions, reads and rejects, and catching panics, unclear rejects
//! (no file name, a line the input does not have, no reason), songs without a title and slow
//! inputs; what it catches is saved to target/fuzz-findings/. With `--out`, it replaces its own
//! section of docs/BENCHMARKS.md and leaves the rest of that file alone.
//!
//! It only calls the public `formats` and `paste` API and must not change what they do. Only
//! stable Rust is available, so there is no coverage feedback: an input joins the corpus when it
//! gives a kind of result (a song count, a kind of reject) the target has not given before.
//! The property tests in tests/fuzz_props.rs are the short, always-run half of the same promise.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cuesheet_core::formats::{detect, read_from, write, Entry, EntrySink, Format, PlaylistFile};
use cuesheet_core::paste::parse_tracklist;
use cuesheet_core::synthetic::Rng;

#[path = "shared/bench_doc.rs"]
mod bench_doc;
#[path = "shared/machine.rs"]
mod machine;

const SECTION: &str = "## Fuzzing (issue 6)";
const SOURCE: &str = "fuzz";
/// Inputs slower than this are listed (and saved); slower than `HANG` they count as hangs.
const SLOW: Duration = Duration::from_secs(1);
const HANG: Duration = Duration::from_secs(5);
/// A reader still busy after this long will not return: the run stops with the input saved.
const GIVE_UP: Duration = Duration::from_secs(60);
/// The corpus stops growing here, and inputs larger than this are not kept in it.
const CORPUS_CAP: usize = 4096;
const CORPUS_ENTRY_MAX: usize = 64 * 1024;
/// A reject longer than this is not one a person can read (the property tests use the same).
const MESSAGE_MAX: usize = 400;
/// Found and fixed while the fuzz targets and the property tests were written; the regression
/// tests in tests/fuzz_props.rs keep them fixed. Written into the section as the findings so far.
const FIXED: &[&str] = &[
    "Writers overflowed rounding a duration near `u32::MAX` ms to seconds (`(ms + 500) / 1000` in M3U8, PLS and text): a panic in debug builds, a length of 0 s in release. The CSV reader accepts such a `Duration (ms)`. Widened before rounding.",
    "An M3U8 export of a song whose location started with `#` (its own, or the invented `#1 Crush.mp3` for an artist-less song) wrote a comment instead of a location, and a blank location (a PLS `File1=`) a blank line, so the file no longer imported. Now `./#…`, and a blank location counts as none.",
    "A song with no artist whose title holds ` - ` came back from M3U8, PLS and CSV with the part before the dash as its artist: our extension left an empty artist list out, so the reader's own `Artist - Title` split stood. The extension is now authoritative for artists whenever it names the song.",
    "A location of 22 letters and digits (a file without an extension) read as a bare Spotify id, so the song gained a Spotify URI. Bare ids are now read only from a CSV's Spotify id column.",
    "Rejects quoted the input whole, so a damaged file could give a message of a megabyte (a URI list's one long line, an XSPF file's unclosed tags, a CSV duration). The middle of a long problem is now cut, keeping its end, which says what was wrong.",
    "A PLS entry with a blank `File` and no `Title` was read as a song with an empty title, which the library refused without naming a line. It is now rejected with its line, as M3U8 does.",
];

/// Fragments that matter to one reader or another: mutations splice them in so they hit the
/// syntax, not only the letters around it.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "\n", "\r\n", "\r", "\"", "\"\"", ",", ";", "\t", "=", "\\,", " - ", " – ", "—", "#EXTM3U",
    "#EXTINF:", "#EXTINF:-1,", "#EXTINF:99999999999999999999,", "#EXTALB:", "#EXTART:",
    "#PLAYLIST:", "#CUESHEET:", "#CUESHEET:{\"duration_ms\":4294967295}",
    "#CUESHEET:{\"rating\":255,\"artists\":[]}", "[playlist]", "[other]", "File1=",
    "File4294967296=", "Title1=", "Length1=", "Length1=1e308", "Length1=NaN", "Cuesheet1={}",
    "X-PlaylistName=", "NumberOfEntries=9", "<?xml version=\"1.0\"?>", "<playlist>", "</playlist>",
    "<trackList>", "</trackList>", "<track>", "</track>", "<title>", "</title>", "<creator>",
    "</creator>", "<location>", "</location>", "<duration>", "</duration>", "<identifier>isrc:",
    "</identifier>", "<extension application=\"https://cuesheet.app/ns/playlist/1\"><cuesheet>",
    "</cuesheet></extension>", "<![CDATA[", "]]>", "&amp;", "&#0;", "&#xD800;", "&#1114112;",
    "&bogus;", "<!--", "-->", "<!DOCTYPE x [<!ENTITY a \"b\">]>", "<?pi x?>", "xmlns:x=\"y\"", "{",
    "}", "[", "]", "{\"playlist\":{\"track\":[", "\"title\":", "\"creator\":", "\"duration\":",
    "\"identifier\":", "\"location\":", "\"extension\":",
    "{\"https://cuesheet.app/ns/playlist/1\":[{}]}", "null", "true", "-1", "0", "1e999",
    "4294967295", "4294967296", "18446744073709551616", "NaN", "Track name,Artist name",
    "\"Track URI\",\"Track Name\",\"Artist URI(s)\",\"Artist Name(s)\"", "Artist Name(s)",
    "title;artist;album;isrc", "Playlist name", "Duration (ms)", "Duration", "Cuesheet",
    "Spotify - id", "99:99", "3:27", "(1:02:03)", "12.", "#3 ", "spotify:track:",
    "spotify:track:5sFDReWLrZHLFZFjHsjUTS",
    "https://open.spotify.com/track/5sFDReWLrZHLFZFjHsjUTS?si=x", "5sFDReWLrZHLFZFjHsjUTS",
    "isrc:", " feat. ", "\u{feff}", "\u{0}", "\u{2028}", "\u{85}", "\u{a0}", "夢", "🎸", "\u{fffd}",
];

/// Words for generated songs: several scripts, quotes, commas, semicolons, tabs, `\,`, dashes
/// and markup-looking text, as curators type them.
#[rustfmt::skip]
const WORDS: &[&str] = &[
    "Would?", "Alice", "in", "Chains", "Crosby, Stills & Nash", "Sigur Rós", "Hoppípolla",
    "夢で逢えたら", "大瀧詠一", "🎸", "“Quoted”", "\"quoted\"", "it's", "a;b", "tab\there", "back\\,slash",
    "Jay-Z", "–", " - ", "#1", "Crush", "<b>", "&amp;", "]]>", "=", "%20", "feat.", "311", "1.",
    "3:27", "(Live)", "[Remix]", "Ø", "ß", "\u{a0}", "Ελληνικά", "عربى",
];

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Target {
    Read(Format),
    Paste,
}

impl Target {
    const ALL: [Target; 8] = [
        Target::Read(Format::M3u8),
        Target::Read(Format::Pls),
        Target::Read(Format::Xspf),
        Target::Read(Format::Jspf),
        Target::Read(Format::Csv),
        Target::Read(Format::Text),
        Target::Read(Format::Uris),
        Target::Paste,
    ];

    fn name(self) -> &'static str {
        match self {
            Target::Read(format) => format.name(),
            Target::Paste => "paste",
        }
    }

    /// Whether a fixture (by its extension) is one of this target's own seeds.
    fn owns_fixture(self, file_name: &str) -> bool {
        let ext = file_name.rsplit('.').next().unwrap_or("");
        match self {
            Target::Read(Format::M3u8) => ext == "m3u8" || ext == "m3u",
            Target::Read(Format::Text) | Target::Paste => ext == "txt",
            Target::Read(Format::Uris) => false,
            Target::Read(format) => ext == format.name(),
        }
    }
}

/// What one input did.
#[derive(Debug)]
struct Outcome {
    songs: usize,
    /// The reject message, or for the paste reader the first problem line's reason.
    reject: Option<String>,
    /// Something a reader must never do short of panicking (a song without a title, an unclear
    /// reject); saved like a panic.
    broken: Option<String>,
    /// For CSV: the dialect its header names, when read.
    dialect: Option<&'static str>,
}

/// Counts the songs and notes one without a title (the library would refuse it unplaced).
#[derive(Debug, Default)]
struct Count {
    songs: usize,
    untitled: usize,
}

impl EntrySink for Count {
    fn entry(&mut self, _playlist: Option<&str>, entry: Entry) -> cuesheet_core::Result<()> {
        if entry.title.trim().is_empty() {
            self.untitled += 1;
        }
        self.songs += 1;
        Ok(())
    }
}

/// Why a reject is not clear, if it is not: it must name the file, a line the input has (when
/// it names one), and a reason.
fn unclear(message: &str, lines: usize) -> Option<String> {
    let Some(rest) = message.strip_prefix(SOURCE) else {
        return Some(format!("does not name the file: {message:?}"));
    };
    let reason = if let Some(rest) = rest.strip_prefix(", line ") {
        let Some((number, reason)) = rest.split_once(": ") else {
            return Some(format!("no reason after the line: {message:?}"));
        };
        match number.parse::<usize>() {
            Ok(n) if (1..=lines + 1).contains(&n) => reason,
            _ => {
                return Some(format!(
                    "line {number} of a {lines}-line input: {message:?}"
                ))
            }
        }
    } else if let Some(reason) = rest.strip_prefix(": ") {
        reason
    } else {
        return Some(format!("no reason: {message:?}"));
    };
    if reason.trim().is_empty() {
        return Some(format!("an empty reason: {message:?}"));
    }
    let length = message.chars().count();
    (length > MESSAGE_MAX).then(|| format!("a {length}-character message"))
}

fn read_as(format: Format, bytes: &[u8]) -> Outcome {
    let mut sink = Count::default();
    let result = read_from(&mut &bytes[..], format, SOURCE, &mut sink);
    let lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
    let reject = result.err().map(|e| e.to_string());
    let broken = match &reject {
        Some(message) => unclear(message, lines),
        None if sink.untitled > 0 => Some(format!("{} songs without a title", sink.untitled)),
        None => None,
    };
    Outcome {
        songs: sink.songs,
        reject,
        broken,
        dialect: None,
    }
}

/// The dialect a CSV header names, as the CSV reader tells them apart.
fn dialect(bytes: &[u8]) -> &'static str {
    let header = String::from_utf8_lossy(bytes.split(|b| *b == b'\n').next().unwrap_or(&[]))
        .to_lowercase()
        .replace('"', "");
    if header.contains("cuesheet") {
        "ours"
    } else if header.contains("artist uri(s)") {
        "Exportify"
    } else if header.contains("artist name(s)") {
        "Exportify (24 columns)"
    } else if header.contains("spotify - id") || header.contains("playlist name") {
        "TuneMyMusic"
    } else if header
        .trim_start_matches('\u{feff}')
        .starts_with("title;artist")
        || header
            .trim_start_matches('\u{feff}')
            .starts_with("title,artist")
    {
        "Soundiiz"
    } else {
        "other"
    }
}

/// One execution: the target's reader on the input, then (as the app does with a dropped file)
/// detection and the detected format's reader when that is another one.
fn run(target: Target, bytes: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(bytes);
    match target {
        Target::Read(format) => {
            let file_name = format!("fuzz.{}", format.extension());
            let detected = detect(&text, Some(&file_name));
            let mut outcome = read_as(format, bytes);
            if detected != format {
                let other = read_as(detected, bytes);
                outcome.broken = outcome.broken.or(other.broken);
            }
            if format == Format::Csv && outcome.reject.is_none() {
                outcome.dialect = Some(dialect(bytes));
            }
            outcome
        }
        Target::Paste => {
            let parsed = parse_tracklist(&text, true);
            let lines = text.lines().count();
            let broken = parsed
                .songs
                .iter()
                .find(|s| {
                    s.fields.title.trim().is_empty()
                        || s.fields.artists.is_empty()
                        || !(1..=lines).contains(&(s.line as usize))
                })
                .map(|s| format!("an incomplete song: {s:?}"))
                .or_else(|| {
                    parsed
                        .problems
                        .iter()
                        .find(|p| {
                            p.reason.trim().is_empty() || !(1..=lines).contains(&(p.line as usize))
                        })
                        .map(|p| format!("an unclear problem: {p:?}"))
                });
            Outcome {
                songs: parsed.songs.len(),
                reject: parsed.problems.first().map(|p| p.reason.clone()),
                broken,
                dialect: None,
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Seeds and mutations
// ---------------------------------------------------------------------------------------------

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = workspace_root().join("tests/fixtures/playlists");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|entry| {
                    let path = entry.ok()?.path();
                    let name = path.file_name()?.to_string_lossy().into_owned();
                    Some((name, std::fs::read(&path).ok()?))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn words(rng: &mut Rng, max: usize) -> String {
    let count = 1 + rng.below(max);
    let mut text = String::new();
    for i in 0..count {
        if i > 0 {
            text.push(' ');
        }
        let word = *rng.pick(WORDS);
        text.push_str(word);
    }
    text.trim().to_owned()
}

fn spotify_id(rng: &mut Rng) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..22).map(|_| char::from(*rng.pick(ALNUM))).collect()
}

fn generated_playlist(rng: &mut Rng) -> PlaylistFile {
    let entries = (0..1 + rng.below(6))
        .map(|_| Entry {
            title: words(rng, 4),
            artists: (0..rng.below(3)).map(|_| words(rng, 3)).collect(),
            album: rng.chance(60).then(|| words(rng, 4)),
            duration_ms: rng.chance(70).then(|| (rng.next_u64() % 600_000) as u32),
            spotify_uri: rng
                .chance(50)
                .then(|| format!("spotify:track:{}", spotify_id(rng))),
            isrc: rng
                .chance(30)
                .then(|| format!("USAT2{:07}", rng.below(10_000_000))),
            location: rng
                .chance(30)
                .then(|| format!("/music/{}.flac", words(rng, 2))),
            notes: if rng.chance(20) {
                format!("{}\n{}", words(rng, 3), words(rng, 3))
            } else {
                String::new()
            },
            film: rng.chance(20).then(|| words(rng, 2)),
            rating: rng.chance(20).then(|| 1 + rng.below(10) as u8),
            tags: (0..rng.below(3)).map(|_| words(rng, 2)).collect(),
        })
        .collect();
    PlaylistFile {
        name: rng.chance(70).then(|| words(rng, 3)),
        description: rng.chance(30).then(|| words(rng, 5)),
        entries,
    }
}

fn csv_line(fields: &[String], delimiter: u8) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    let _ = writer.write_record(fields);
    writer
        .into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

/// The CSV layouts services write, from the same songs: both Exportify layouts, TuneMyMusic and
/// Soundiiz with `;` and with `,`.
fn csv_dialects(playlist: &PlaylistFile) -> Vec<String> {
    let uri = |e: &Entry| e.spotify_uri.clone().unwrap_or_default();
    let ms = |e: &Entry| e.duration_ms.map(|m| m.to_string()).unwrap_or_default();
    let album = |e: &Entry| e.album.clone().unwrap_or_default();
    let isrc = |e: &Entry| e.isrc.clone().unwrap_or_default();
    let s = |text: &str| text.to_owned();
    let mut exportify = csv_line(
        &[
            "Track URI",
            "Track Name",
            "Artist URI(s)",
            "Artist Name(s)",
            "Album URI",
            "Album Name",
            "Album Artist URI(s)",
            "Album Artist Name(s)",
            "Album Release Date",
            "Album Image URL",
            "Disc Number",
            "Track Number",
            "Track Duration (ms)",
            "Track Preview URL",
            "Explicit",
            "Popularity",
            "ISRC",
            "Added By",
            "Added At",
        ]
        .map(s),
        b',',
    );
    let mut exportify_new = String::from("\u{feff}");
    exportify_new.push_str(&csv_line(
        &[
            "Track URI",
            "Track Name",
            "Album Name",
            "Artist Name(s)",
            "Release Date",
            "Duration (ms)",
            "Popularity",
            "Explicit",
            "Added By",
            "Added At",
            "Genres",
            "Record Label",
            "Danceability",
            "Energy",
            "Key",
            "Loudness",
            "Mode",
            "Speechiness",
            "Acousticness",
            "Instrumentalness",
            "Liveness",
            "Valence",
            "Tempo",
            "Time Signature",
        ]
        .map(s),
        b',',
    ));
    let mut tunemymusic = csv_line(
        &[
            "Track name",
            "Artist name",
            "Album",
            "Playlist name",
            "Type",
            "ISRC",
            "Spotify - id",
        ]
        .map(s),
        b',',
    );
    let mut soundiiz_semi = csv_line(&["title", "artist", "album", "isrc"].map(s), b';');
    let mut soundiiz_comma = csv_line(&["title", "artist", "album", "isrc"].map(s), b',');
    for e in &playlist.entries {
        let escaped: Vec<String> = e.artists.iter().map(|a| a.replace(',', "\\,")).collect();
        let mut row = vec![
            uri(e),
            e.title.clone(),
            s("spotify:artist:x"),
            escaped.join(", "),
            s(""),
            album(e),
        ];
        row.extend(["", "", "1992", "", "1", "1"].map(s));
        row.extend([ms(e), s(""), s("false"), s("50"), isrc(e), s(""), s("")]);
        exportify.push_str(&csv_line(&row, b','));
        let mut row = vec![uri(e), e.title.clone(), album(e), e.artists.join(";")];
        row.extend([s("1992"), ms(e)]);
        row.extend((0..18).map(|_| s("0")));
        exportify_new.push_str(&csv_line(&row, b','));
        let id = e
            .spotify_uri
            .as_deref()
            .and_then(|u| u.strip_prefix("spotify:track:"))
            .unwrap_or("");
        let row = [
            e.title.clone(),
            e.artists.join(", "),
            album(e),
            playlist.name.clone().unwrap_or_default(),
            s("Playlist"),
            isrc(e),
            s(id),
        ];
        tunemymusic.push_str(&csv_line(&row, b','));
        let row = [e.title.clone(), e.artists.join(", "), album(e), isrc(e)];
        soundiiz_semi.push_str(&csv_line(&row, b';'));
        soundiiz_comma.push_str(&csv_line(&row, b','));
    }
    vec![
        exportify,
        exportify_new,
        tunemymusic,
        soundiiz_semi,
        soundiiz_comma,
    ]
}

/// Valid files for `target` written from generated playlists.
fn generated_seeds(target: Target, rng: &mut Rng) -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for _ in 0..12 {
        let playlist = generated_playlist(rng);
        match target {
            Target::Read(Format::Csv) => {
                seeds.push(write(&playlist, Format::Csv));
                seeds.extend(csv_dialects(&playlist));
            }
            Target::Read(Format::Uris) => {
                seeds.push(write(&playlist, Format::Uris));
                let links: String = playlist
                    .entries
                    .iter()
                    .map(|_| format!("https://open.spotify.com/track/{}?si=x\n", spotify_id(rng)))
                    .collect();
                seeds.push(links);
            }
            Target::Read(format) => seeds.push(write(&playlist, format)),
            Target::Paste => {
                let text = write(&playlist, Format::Text);
                let numbered: String = text
                    .lines()
                    .enumerate()
                    .map(|(n, line)| format!("{}. {line}\n", n + 1))
                    .collect();
                seeds.push(text);
                seeds.push(numbered);
            }
        }
    }
    seeds
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(String::into_bytes)
        .collect()
}

/// One to eight edits to a corpus input; rarely one that repeats a piece into a large input.
fn mutate(rng: &mut Rng, input: &[u8], corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    for _ in 0..1 + rng.below(8) {
        let len = bytes.len();
        let at = rng.below(len + 1);
        match rng.below(13) {
            0 if len > 0 => bytes[at.min(len - 1)] ^= 1 << rng.below(8),
            1 if len > 0 => bytes[at.min(len - 1)] = rng.next_u64() as u8,
            2 => {
                let new: Vec<u8> = (0..1 + rng.below(8))
                    .map(|_| rng.next_u64() as u8)
                    .collect();
                bytes.splice(at..at, new);
            }
            3 | 4 => {
                let token = rng.pick(TOKENS).as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            5 if len > 0 => {
                let end = (at + 1 + rng.below(64)).min(len);
                bytes.drain(at.min(end)..end);
            }
            6 if len > 0 => {
                let end = (at + 1 + rng.below(64)).min(len);
                let piece = bytes[at.min(end)..end].to_vec();
                let to = rng.below(len + 1);
                bytes.splice(to..to, piece);
            }
            7 => bytes.truncate(at),
            8..=10 => {
                let mut lines: Vec<Vec<u8>> = bytes
                    .split_inclusive(|b| *b == b'\n')
                    .map(<[u8]>::to_vec)
                    .collect();
                if !lines.is_empty() {
                    let i = rng.below(lines.len());
                    match rng.below(3) {
                        0 => {
                            let line = lines[i].clone();
                            lines.insert(i, line);
                        }
                        1 => {
                            lines.remove(i);
                        }
                        _ => {
                            let j = rng.below(lines.len());
                            lines.swap(i, j);
                        }
                    }
                    bytes = lines.concat();
                }
            }
            11 if !corpus.is_empty() => {
                // Splice: the head of this input and the tail of another.
                let other = rng.pick(corpus);
                let from = rng.below(other.len() + 1);
                bytes.truncate(at);
                bytes.extend_from_slice(&other[from..]);
            }
            12 if rng.chance(3) => {
                // A large input: one piece repeated up to 256 KiB, to catch quadratic readers.
                let piece: Vec<u8> = if len > 0 && rng.chance(50) {
                    let end = (at + 1 + rng.below(16)).min(len);
                    bytes[at.min(end - 1)..end].to_vec()
                } else {
                    rng.pick(TOKENS).as_bytes().to_vec()
                };
                let times = 1 + rng.below((256 * 1024) / piece.len().max(1));
                let big = piece.repeat(times);
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, big);
            }
            _ => {}
        }
    }
    bytes
}

fn fresh_input(rng: &mut Rng, corpus: &[Vec<u8>], own: usize) -> Vec<u8> {
    match rng.below(20) {
        // Random bytes.
        0 | 1 => (0..rng.below(512)).map(|_| rng.next_u64() as u8).collect(),
        // Token soup.
        2 | 3 => (0..rng.below(64))
            .flat_map(|_| rng.pick(TOKENS).as_bytes().to_vec())
            .collect(),
        // Mutations: a quarter of the time of one of the target's own seeds, otherwise of any
        // corpus input (the target's finds collect at its end).
        _ => {
            let from = if own > 0 && rng.chance(25) {
                &corpus[rng.below(own)]
            } else {
                rng.pick(corpus)
            };
            mutate(rng, from, corpus)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

/// The kind of result an input gave: a song count (capped) or the kind of its reject.
fn signature(outcome: &Outcome) -> String {
    match &outcome.reject {
        None => format!("ok {}", outcome.songs.min(8)),
        Some(message) => format!("err {}", reject_kind(message)),
    }
}

/// A reject with what it quotes of the input taken out (backticked parts, entity names,
/// numbers, keys, tags, quoted text), so "line 4: \"x\" is not…" and "line 5: \"y z\" is
/// not…" are one kind.
fn reject_kind(message: &str) -> String {
    let mut kind = String::new();
    let mut quote: Option<char> = None;
    // Backticked parts (quick-xml's `</a>`) and entity names ("unknown entity &…;", spaces and
    // all) are input; they are skipped when they are closed. Double quotes are not: a PLS key
    // may hold one and pair with the wrong one, so quoted words are left to the runs below.
    let backticks = message.matches('`').count() % 2 == 0;
    for (at, c) in message.char_indices() {
        match quote {
            Some(close) if c == close => quote = None,
            Some(_) => {}
            None if c == '`' && backticks => {
                quote = Some(c);
                kind.push('_');
            }
            None if c == '&' && message[at..].contains(';') => {
                quote = Some(';');
                kind.push('_');
            }
            None if c.is_ascii_digit() => {
                if !kind.ends_with('#') {
                    kind.push('#');
                }
            }
            None => kind.push(c),
        }
    }
    // Words that are not plain words (tags, entities, numbers) are input too. The reader's own
    // wording is the last run of at least three plain words ("is not a numbered key" after a
    // key, "while parsing a value at line" before a column), else the longest run; its last
    // five words tell the kinds apart without the plain-looking input before them.
    let mut runs: Vec<Vec<&str>> = vec![Vec::new()];
    for word in kind.split_whitespace() {
        let plain = word.trim_end_matches([':', ',', '.', ';']);
        if !plain.is_empty() && plain.chars().all(|c| c.is_ascii_alphabetic()) {
            if let Some(run) = runs.last_mut() {
                run.push(word);
            }
        } else if runs.last().is_some_and(|run| !run.is_empty()) {
            runs.push(Vec::new());
        }
    }
    let chosen = runs
        .iter()
        .rev()
        .find(|run| run.len() >= 3)
        .or_else(|| runs.iter().max_by_key(|run| run.len()))
        .cloned()
        .unwrap_or_default();
    chosen[chosen.len().saturating_sub(5)..].join(" ")
}

#[derive(Debug, Default)]
struct Stats {
    executions: u64,
    read: u64,
    rejected: u64,
    kinds: HashSet<String>,
    panics: u64,
    broken: u64,
    slow: Vec<(Duration, usize)>,
    hangs: u64,
    slowest: Duration,
    largest: usize,
    longest_reject: usize,
    dialects: Vec<(&'static str, u64)>,
    elapsed: Duration,
    seeds: usize,
    corpus: usize,
}

/// What the watchdog thread can see of the input running now.
#[derive(Debug, Default)]
struct Running {
    target: String,
    input: Vec<u8>,
    started: Option<Instant>,
    saved: bool,
}

fn findings_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
        .join("fuzz-findings")
}

fn save(kind: &str, target: &str, n: u64, input: &[u8]) -> String {
    let dir = findings_dir();
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{target}{kind}-{n}.bin"));
    let _ = std::fs::write(&path, input);
    path.display().to_string()
}

/// The last panic's message and place, recorded by our hook instead of printed.
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());
/// Set while a reader runs: a panic then is a finding; any other is the driver's own and is
/// printed as usual.
static IN_RUN: AtomicBool = AtomicBool::new(false);

fn fuzz(
    target: Target,
    seconds: f64,
    seed: u64,
    fixtures: &[(String, Vec<u8>)],
    running: &Mutex<Running>,
) -> Stats {
    let name = target.name();
    let mut rng = Rng::new(
        seed ^ name
            .bytes()
            .fold(0u64, |h, b| h.wrapping_mul(31) ^ u64::from(b)),
    );
    // The target's own seeds first (fixtures of its format, generated files), then every other
    // fixture, which mutations also draw from.
    let mut corpus: Vec<Vec<u8>> = fixtures
        .iter()
        .filter(|(file, _)| target.owns_fixture(file))
        .map(|(_, bytes)| bytes.clone())
        .collect();
    corpus.extend(generated_seeds(target, &mut rng));
    let own = corpus.len();
    corpus.extend(
        fixtures
            .iter()
            .filter(|(file, _)| !target.owns_fixture(file))
            .map(|(_, bytes)| bytes.clone()),
    );
    let mut stats = Stats::default();
    let mut seen = HashSet::new();
    let started = Instant::now();
    let budget = Duration::from_secs_f64(seconds);
    let mut seeds_left = corpus.len();
    stats.seeds = corpus.len();
    while started.elapsed() < budget {
        // Every seed runs once as it is, then fresh inputs.
        let input = if seeds_left > 0 {
            seeds_left -= 1;
            corpus[seeds_left].clone()
        } else {
            fresh_input(&mut rng, &corpus, own)
        };
        if let Ok(mut now) = running.lock() {
            now.target.clear();
            now.target.push_str(name);
            now.input.clone_from(&input);
            now.started = Some(Instant::now());
            now.saved = false;
        }
        let began = Instant::now();
        IN_RUN.store(true, Ordering::Relaxed);
        let result = panic::catch_unwind(AssertUnwindSafe(|| run(target, &input)));
        IN_RUN.store(false, Ordering::Relaxed);
        let took = began.elapsed();
        if let Ok(mut now) = running.lock() {
            now.started = None;
        }
        stats.executions += 1;
        stats.largest = stats.largest.max(input.len());
        stats.slowest = stats.slowest.max(took);
        if took > SLOW {
            stats.slow.push((took, input.len()));
            let path = save("-slow", name, stats.slow.len() as u64, &input);
            eprintln!(
                "{name}: an input of {} bytes took {took:?}: {path}",
                input.len()
            );
        }
        if took > HANG {
            stats.hangs += 1;
        }
        match result {
            Err(_) => {
                stats.panics += 1;
                let message = LAST_PANIC.lock().map(|m| m.clone()).unwrap_or_default();
                let path = save("", name, stats.panics, &input);
                eprintln!("{name}: PANIC {message}: {path}");
            }
            Ok(outcome) => {
                if let Some(why) = &outcome.broken {
                    stats.broken += 1;
                    let path = save("-unclear", name, stats.broken, &input);
                    eprintln!("{name}: {why}: {path}");
                }
                match &outcome.reject {
                    Some(message) if outcome.songs == 0 || target != Target::Paste => {
                        stats.rejected += 1;
                        stats.longest_reject = stats.longest_reject.max(message.chars().count());
                    }
                    _ => stats.read += 1,
                }
                if let Some(dialect) = outcome.dialect {
                    match stats.dialects.iter_mut().find(|(d, _)| *d == dialect) {
                        Some((_, n)) => *n += 1,
                        None => stats.dialects.push((dialect, 1)),
                    }
                }
                if let Some(message) = &outcome.reject {
                    stats.kinds.insert(reject_kind(message));
                }
                // A new kind of result joins the corpus: the only feedback without coverage.
                if seen.insert(signature(&outcome))
                    && corpus.len() < CORPUS_CAP
                    && input.len() <= CORPUS_ENTRY_MAX
                {
                    corpus.push(input);
                }
            }
        }
    }
    stats.elapsed = started.elapsed();
    stats.corpus = corpus.len();
    stats
}

/// Watches the input running now: one past `HANG` is saved, one past `GIVE_UP` ends the run.
fn watchdog(running: Arc<Mutex<Running>>, done: Arc<AtomicBool>, hangs: Arc<AtomicU64>) {
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(250));
        let Ok(mut now) = running.lock() else { return };
        let Some(started) = now.started else { continue };
        let took = started.elapsed();
        if took > HANG && !now.saved {
            now.saved = true;
            let n = hangs.fetch_add(1, Ordering::Relaxed) + 1;
            let path = save("-hang", &now.target, n, &now.input);
            eprintln!("{}: an input has run for {took:?}: {path}", now.target);
        }
        if took > GIVE_UP {
            eprintln!("{}: gave up after {took:?}; the input is saved", now.target);
            std::process::exit(3);
        }
    }
}

fn arg(name: &str) -> Option<String> {
    std::env::args().skip_while(|a| a != name).nth(1)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seconds: f64 = arg("--seconds").map_or(Ok(20.0), |s| s.parse())?;
    let seed: u64 = match arg("--seed") {
        Some(s) => match s.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16)?,
            None => s.parse()?,
        },
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
    };
    let out = arg("--out").map(PathBuf::from);
    let only: Option<Vec<String>> =
        arg("--targets").map(|list| list.split(',').map(str::to_owned).collect());
    // Lists each target's kinds of reject after its line, to read what the readers say.
    let show_rejects = std::env::args().any(|a| a == "--show-rejects");
    println!("fuzz: seed {seed:#x} (replay with --seed {seed:#x}), {seconds} s per target");

    // A reader's panics are counted and saved, not printed by the default hook.
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if !IN_RUN.load(Ordering::Relaxed) {
            default_hook(info);
        } else if let Ok(mut last) = LAST_PANIC.lock() {
            *last = info.to_string();
        }
    }));
    let fixtures = fixtures();
    let running = Arc::new(Mutex::new(Running::default()));
    let done = Arc::new(AtomicBool::new(false));
    let hangs = Arc::new(AtomicU64::new(0));
    let dog = {
        let (running, done, hangs) = (running.clone(), done.clone(), hangs.clone());
        std::thread::spawn(move || watchdog(running, done, hangs))
    };
    let mut results = Vec::new();
    for target in Target::ALL {
        if only
            .as_ref()
            .is_some_and(|names| !names.iter().any(|n| n == target.name()))
        {
            continue;
        }
        let stats = fuzz(target, seconds, seed, &fixtures, &running);
        println!(
            "{:<6} {:>9} execs {:>9} read {:>9} rejected {:>4} kinds {} panics {} unclear {} slow, slowest {:.1} ms",
            target.name(),
            stats.executions,
            stats.read,
            stats.rejected,
            stats.kinds.len(),
            stats.panics,
            stats.broken,
            stats.slow.len(),
            stats.slowest.as_secs_f64() * 1000.0
        );
        if show_rejects {
            let mut kinds: Vec<&String> = stats.kinds.iter().collect();
            kinds.sort();
            for kind in kinds {
                println!("    {kind}");
            }
        }
        results.push((target, stats));
    }
    done.store(true, Ordering::Relaxed);
    let _ = dog.join();

    let section = section(seconds, seed, &fixtures, &results);
    print!("\n{section}");
    if let Some(path) = out {
        let existing = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::write(
            &path,
            bench_doc::replace_section(&existing, SECTION, &section),
        )?;
        eprintln!("updated {}", path.display());
    }
    let failures: u64 = results
        .iter()
        .map(|(_, s)| s.panics + s.broken + s.hangs)
        .sum();
    if failures > 0 {
        eprintln!(
            "fuzz: {failures} findings, saved in {}",
            findings_dir().display()
        );
        std::process::exit(1);
    }
    Ok(())
}

fn section(
    seconds: f64,
    seed: u64,
    fixtures: &[(String, Vec<u8>)],
    results: &[(Target, Stats)],
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{SECTION}\n");
    let _ = writeln!(
        s,
        "Command: `make fuzz` (`cargo run --release -p cuesheet-core --example fuzz -- --seconds {seconds} --out docs/BENCHMARKS.md`), seed `{seed:#x}` (`--seed` replays it), {seconds} s per target on one thread. Last run: {} on {} ({}).\n",
        machine::date(),
        machine::machine(),
        machine::rustc()
    );
    let _ = writeln!(
        s,
        "Inputs: random bytes (10%), token soup from a dictionary of every format's syntax (10%), and one to eight mutations (bit flips, byte and token inserts, deletions, truncation, duplicated, dropped and swapped lines, splices, and rarely a piece repeated up to 256 KiB) of a corpus that starts from the {} files in tests/fixtures/playlists and valid files generated in each format (CSV: ours, both Exportify layouts, TuneMyMusic, Soundiiz with `;` and `,`). An input that gives a new kind of result (a song count, a kind of reject) joins the corpus (\"Corpus\": at the start → at the end). Each execution runs the target's reader on the input, then detection and the detected format's reader when that differs; `paste` runs the pasted-text reader. A reject must name the file, a line the input has and a reason, in at most {MESSAGE_MAX} characters; a song read must have a title (\"Unclear\" counts inputs failing either). \"Kinds of reject\" counts rejects with what they quote of the input taken out.\n",
        fixtures.len()
    );
    let _ = writeln!(
        s,
        "| Target | Executions | Per second | Read | Rejected | Kinds of reject | Panics | Unclear | Slow (> 1 s) | Hangs (> 5 s) | Slowest input | Largest input | Longest reject | Corpus |"
    );
    let _ = writeln!(
        s,
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for (target, stats) in results {
        let _ = writeln!(
            s,
            "| {} | {} | {:.0} | {} | {} | {} | {} | {} | {} | {} | {:.1} ms | {} KiB | {} chars | {} → {} |",
            target.name(),
            stats.executions,
            stats.executions as f64 / stats.elapsed.as_secs_f64(),
            stats.read,
            stats.rejected,
            stats.kinds.len(),
            stats.panics,
            stats.broken,
            stats.slow.len(),
            stats.hangs,
            stats.slowest.as_secs_f64() * 1000.0,
            stats.largest.div_ceil(1024),
            stats.longest_reject,
            stats.seeds,
            stats.corpus
        );
    }
    let total: u64 = results.iter().map(|(_, s)| s.executions).sum();
    let panics: u64 = results.iter().map(|(_, s)| s.panics).sum();
    let _ = writeln!(
        s,
        "\n{total} executions, {panics} panics. For `paste`, \"Rejected\" counts inputs with no song and at least one problem line (the reader never fails as a whole)."
    );
    if let Some((_, csv)) = results
        .iter()
        .find(|(t, _)| *t == Target::Read(Format::Csv))
    {
        let mut dialects = csv.dialects.clone();
        dialects.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        let list: Vec<String> = dialects.iter().map(|(d, n)| format!("{d} {n}")).collect();
        let _ = writeln!(
            s,
            "\nCSV inputs read, by the dialect their header names: {}.",
            list.join(", ")
        );
    }
    let slow: Vec<String> = results
        .iter()
        .flat_map(|(t, st)| {
            st.slow.iter().map(move |(took, size)| {
                format!("{} ({} bytes, {:.1} s)", t.name(), size, took.as_secs_f64())
            })
        })
        .collect();
    let _ = writeln!(
        s,
        "\nInputs over 1 s: {}.",
        if slow.is_empty() {
            "none".to_owned()
        } else {
            slow.join(", ")
        }
    );
    let _ = writeln!(
        s,
        "\nRelease builds do not check integer overflow, so this run would not panic on one; the property tests in `src-tauri/core/tests/fuzz_props.rs` (part of `cargo test`, a debug build) run the same kinds of input with overflow checks, plus the export → import round trips and a megabyte of one repeated character through every reader.\n"
    );
    let _ = writeln!(s, "Found and fixed while adding these targets and the property tests (each has a regression test in `fuzz_props.rs`):\n");
    for finding in FIXED {
        let _ = writeln!(s, "- {finding}");
    }
    s
}
