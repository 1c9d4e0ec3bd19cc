//! Playlist files in the formats a curator meets — M3U/M3U8, PLS, XSPF, JSPF, the CSV layouts of
//! Exportify, TuneMyMusic and Soundiiz, plain `Artist – Title` text, and lists of Spotify URIs —
//! read into `PlaylistFile`s and written back out. This module only converts text; it never
//! touches the library (`playlists.rs` stores what it reads) and never the network.
//!
//! Every writer adds what its format cannot say on its own (several artists, an ISRC) in a way
//! the other readers skip and our reader uses, so an export reads back to the same songs in the
//! same order.

mod csv_files;
mod gate;
mod jspf;
mod legacy_text;
mod m3u;
mod pls;
mod text;
mod xspf;

use std::cell::Cell;
use std::io::{BufRead, Read};
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::validate::{MAX_IMPORT_LINE_BYTES, MAX_WHOLE_FILE_BYTES};
use gate::Gate;
pub use legacy_text::WINDOWS_1252;

/// A song as a playlist file describes it; `track_id` links it to the library when known.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct Entry {
    pub title: String,
    pub artists: Vec<String>,
    pub album: Option<String>,
    pub duration_ms: Option<u32>,
    /// `spotify:track:…` when the file carries one.
    pub spotify_uri: Option<String>,
    pub isrc: Option<String>,
    /// A file path or URL from M3U/PLS/XSPF, kept so a re-export points at the same file.
    pub location: Option<String>,
    pub notes: String,
    /// The film the song is from, its rating (half stars) and tags, when it is a library song:
    /// written in our extension so a curator's file carries them, not stored on import.
    pub film: Option<String>,
    pub rating: Option<u8>,
    pub tags: Vec<String>,
}

/// One playlist read from (or written to) a file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct PlaylistFile {
    pub name: Option<String>,
    pub description: Option<String>,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    M3u8,
    Pls,
    Xspf,
    Jspf,
    Csv,
    Uris,
    Text,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::M3u8,
        Format::Pls,
        Format::Xspf,
        Format::Jspf,
        Format::Csv,
        Format::Uris,
        Format::Text,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::M3u8 => "m3u8",
            Format::Pls => "pls",
            Format::Xspf => "xspf",
            Format::Jspf => "jspf",
            Format::Csv => "csv",
            Format::Uris => "uris",
            Format::Text => "text",
        }
    }

    pub fn parse(word: &str) -> Result<Format> {
        let lowered = word.trim().to_ascii_lowercase();
        let lowered = if lowered == "m3u" {
            "m3u8".into()
        } else {
            lowered
        };
        Format::ALL
            .into_iter()
            .find(|f| f.name() == lowered || (lowered == "txt" && *f == Format::Text))
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "unknown format {word:?}: use m3u8, pls, xspf, jspf, csv, uris or text"
                ))
            })
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Uris | Format::Text => "txt",
            other => other.name(),
        }
    }
}

/// Our namespace in XSPF and JSPF extensions and the tag on our M3U/PLS/CSV additions.
pub const CUESHEET_NS: &str = "https://cuesheet.app/ns/playlist/1";

/// Tells the format from the content first (a `.txt` file may hold M3U), the file name only
/// when the content could be several.
pub fn detect(content: &str, file_name: Option<&str>) -> Format {
    let text = content.trim_start_matches('\u{feff}').trim_start();
    let first_line = text.lines().next().unwrap_or("").trim();
    if first_line.starts_with("#EXTM3U") {
        return Format::M3u8;
    }
    if first_line.eq_ignore_ascii_case("[playlist]") {
        return Format::Pls;
    }
    if text.starts_with("<?xml") || text.starts_with("<playlist") {
        return Format::Xspf;
    }
    if text.starts_with('{') {
        return Format::Jspf;
    }
    let nonempty: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(50)
        .collect();
    if !nonempty.is_empty()
        && nonempty.iter().all(|l| {
            l.starts_with("spotify:track:") || l.starts_with("https://open.spotify.com/track/")
        })
    {
        return Format::Uris;
    }
    if csv_files::looks_like_csv_header(first_line) {
        return Format::Csv;
    }
    let extension = file_name
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("m3u" | "m3u8") => Format::M3u8,
        Some("pls") => Format::Pls,
        Some("xspf") => Format::Xspf,
        Some("jspf" | "json") => Format::Jspf,
        Some("csv") => Format::Csv,
        _ => Format::Text,
    }
}

/// A playlist file's text, with a message naming the file when it cannot be read or is not
/// UTF-8 (the formats we read are all UTF-8, BOM allowed).
pub fn read_file_text(path: &std::path::Path) -> Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::InvalidInput(format!("cannot read {}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        Error::InvalidInput(format!(
            "{}: not UTF-8 text (at byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Where a reader puts what it reads, song by song, so a file of any size is never held whole:
/// the importer writes each song as it comes, the preview keeps the first few. Every song has
/// passed the rules of `gate.rs` (control characters, caps) before it gets here.
pub trait EntrySink {
    /// A song of the playlist named `playlist` (None: the file's one playlist).
    fn entry(&mut self, playlist: Option<&str>, entry: Entry) -> Result<()>;
    /// The file's own name and description for its one playlist, whenever the reader meets them.
    fn title(&mut self, _name: Option<String>, _description: Option<String>) {}
    /// A row of the playlist named `playlist` that named no song at all and was skipped (a CSV
    /// row whose song columns are all empty, as TuneMyMusic writes for a deleted video).
    fn skipped(&mut self, _playlist: Option<&str>) {}
    /// Line `line` was not UTF-8 and was read as [`WINDOWS_1252`] (told for every such line).
    fn read_as_windows_1252(&mut self, _line: usize) {}
}

/// A line of a line-based playlist file.
#[derive(Debug)]
pub(crate) struct Line {
    /// 1-based.
    pub number: usize,
    pub text: String,
    /// The line was not UTF-8 and was read as [`WINDOWS_1252`]; see `legacy_text.rs`.
    pub windows_1252: bool,
}

/// Lines with their 1-based numbers, each at most [`MAX_IMPORT_LINE_BYTES`] (a longer one is
/// refused naming it before more of it is held); a line that is not UTF-8 is read as
/// Windows-1252 and marked so. Line ends (`\n`, `\r\n`) are dropped, and a BOM at the start.
pub(crate) fn numbered_lines<'a>(
    reader: &'a mut dyn BufRead,
    at: &'a dyn Fn(usize, &str) -> Error,
) -> impl Iterator<Item = Result<Line>> + 'a {
    let mut number = 0;
    let mut failed = false;
    let mut buf = Vec::new();
    std::iter::from_fn(move || {
        if failed {
            return None;
        }
        number += 1;
        buf.clear();
        // Room for the longest line allowed, its `\r\n`, and one byte more to tell it is longer.
        let room = MAX_IMPORT_LINE_BYTES as u64 + 3;
        let result = match (&mut *reader).take(room).read_until(b'\n', &mut buf) {
            Err(e) => Err(at(number, &format!("cannot read this line: {e}"))),
            Ok(0) => return None,
            Ok(_) => {
                let ended = buf.last() == Some(&b'\n');
                if ended {
                    buf.pop();
                    if buf.last() == Some(&b'\r') {
                        buf.pop();
                    }
                }
                if buf.len() > MAX_IMPORT_LINE_BYTES {
                    Err(at(number, &line_too_long()))
                } else {
                    let (text, windows_1252) = match std::str::from_utf8(&buf) {
                        Ok(text) if number == 1 => {
                            (text.trim_start_matches('\u{feff}').to_owned(), false)
                        }
                        Ok(text) => (text.to_owned(), false),
                        Err(_) => (legacy_text::windows_1252(&buf), true),
                    };
                    Ok(Line {
                        number,
                        text,
                        windows_1252,
                    })
                }
            }
        };
        failed = result.is_err();
        Some(result)
    })
}

fn line_too_long() -> String {
    format!(
        "longer than {} MiB; a playlist line names one song (is this a binary file, or a quote \
         left open?)",
        MAX_IMPORT_LINE_BYTES / (1024 * 1024)
    )
}

/// What a [`Metered`] reader has passed on: bytes and newlines, where it must stop, and
/// whether it stopped there with more to read.
#[derive(Debug, Default)]
pub(crate) struct Meter {
    consumed: Cell<u64>,
    newlines: Cell<usize>,
    limit: Cell<u64>,
    cut: Cell<bool>,
    last_visible: Cell<u8>,
}

impl Meter {
    /// Allows `budget` more bytes from here.
    pub(crate) fn allow(&self, budget: usize) {
        self.limit.set(self.consumed.get() + budget as u64);
    }
    /// The 1-based line the reader has got to.
    pub(crate) fn line(&self) -> usize {
        self.newlines.get() + 1
    }
    /// The reader stopped at its limit with more of the file left.
    pub(crate) fn cut(&self) -> bool {
        self.cut.get()
    }
    /// The last byte passed on that is not white space (0 before any).
    pub(crate) fn last_visible(&self) -> u8 {
        self.last_visible.get()
    }
    fn passed(&self, bytes: &[u8]) {
        self.consumed.set(self.consumed.get() + bytes.len() as u64);
        let newlines = bytes.iter().filter(|b| **b == b'\n').count();
        self.newlines.set(self.newlines.get() + newlines);
        if let Some(last) = bytes.iter().rev().find(|b| !b.is_ascii_whitespace()) {
            self.last_visible.set(*last);
        }
    }
    fn room(&self) -> usize {
        usize::try_from(self.limit.get().saturating_sub(self.consumed.get())).unwrap_or(usize::MAX)
    }
}

/// A reader for parsers that hold a whole record, element or value in memory (CSV, XML, JSON):
/// it counts lines for messages and ends the input early, as if the file ended, once the
/// budget its [`Meter`] was given is spent, so the parser can never hold more than that. The
/// caller checks [`Meter::cut`] to tell such an end from the real one.
pub(crate) struct Metered<'a> {
    inner: &'a mut dyn BufRead,
    meter: Rc<Meter>,
}

impl<'a> Metered<'a> {
    pub(crate) fn new(inner: &'a mut dyn BufRead, budget: usize) -> (Self, Rc<Meter>) {
        let meter = Rc::new(Meter::default());
        meter.allow(budget);
        (
            Metered {
                inner,
                meter: meter.clone(),
            },
            meter,
        )
    }
}

impl Read for Metered<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let room = self.meter.room();
        let available = self.inner.fill_buf()?;
        if room == 0 {
            if !available.is_empty() && !buf.is_empty() {
                self.meter.cut.set(true);
            }
            return Ok(0);
        }
        let n = available.len().min(buf.len()).min(room);
        buf[..n].copy_from_slice(&available[..n]);
        self.meter.passed(&available[..n]);
        self.inner.consume(n);
        Ok(n)
    }
}

impl BufRead for Metered<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        let room = self.meter.room();
        let available = self.inner.fill_buf()?;
        if room == 0 && !available.is_empty() {
            self.meter.cut.set(true);
        }
        Ok(&available[..available.len().min(room)])
    }
    fn consume(&mut self, amount: usize) {
        if let Ok(available) = self.inner.fill_buf() {
            self.meter.passed(&available[..amount.min(available.len())]);
        }
        self.inner.consume(amount);
    }
}

/// Refuses, before anything is parsed, a file of `bytes` bytes that `format` would have to hold
/// whole (PLS, JSPF) when it is over [`MAX_WHOLE_FILE_BYTES`]. Streamed formats have no size cap.
pub fn check_size(format: Format, bytes: u64, source: &str) -> Result<()> {
    if matches!(format, Format::Pls | Format::Jspf) && bytes > MAX_WHOLE_FILE_BYTES as u64 {
        return Err(whole_file_too_large(format, source));
    }
    Ok(())
}

fn whole_file_too_large(format: Format, source: &str) -> Error {
    Error::InvalidInput(format!(
        "{source}: larger than {} MiB, the most a {} file may be; split it, or export the \
         playlist as M3U8, XSPF or CSV, which have no size cap",
        MAX_WHOLE_FILE_BYTES / (1024 * 1024),
        format.name().to_uppercase()
    ))
}

/// Reads a playlist file from a stream into `sink`. M3U, CSV, text and URI lists are read line
/// by line, XSPF element by element and JSPF track by track, each line, row or element held to
/// [`MAX_IMPORT_LINE_BYTES`]; PLS (numbered keys in any order) is read whole, and PLS and JSPF
/// are refused past [`MAX_WHOLE_FILE_BYTES`]. Every song passes `gate.rs` on its way to `sink`.
/// `source` names the file in messages ("mix.csv, line 4: …").
pub fn read_from(
    reader: &mut dyn BufRead,
    format: Format,
    source: &str,
    sink: &mut dyn EntrySink,
) -> Result<()> {
    let at = |line: usize, problem: &str| {
        Error::InvalidInput(format!("{source}, line {line}: {}", shorten(problem)))
    };
    let mut gate = Gate::new(sink, &at);
    match format {
        Format::M3u8 => m3u::stream(reader, &at, &mut gate),
        Format::Csv => csv_files::stream(reader, &at, &mut gate),
        Format::Text => text::stream_lines(reader, &at, &mut gate),
        Format::Uris => text::stream_uris(reader, &at, &mut gate),
        Format::Xspf => xspf::stream(reader, &at, &mut gate),
        Format::Jspf => {
            let (mut metered, meter) = Metered::new(reader, MAX_WHOLE_FILE_BYTES);
            let read = jspf::stream(&mut metered, &at, &mut gate);
            if meter.cut() {
                return Err(whole_file_too_large(format, source));
            }
            read
        }
        Format::Pls => {
            let mut bytes = Vec::new();
            reader
                .take(MAX_WHOLE_FILE_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| Error::InvalidInput(format!("{source}: cannot read: {e}")))?;
            if bytes.len() > MAX_WHOLE_FILE_BYTES {
                return Err(whole_file_too_large(format, source));
            }
            let content = match String::from_utf8(bytes) {
                Ok(content) => content,
                Err(e) => {
                    // Winamp's PLS files are in the system's code page, as its M3U files are.
                    let valid = e.utf8_error().valid_up_to();
                    let bytes = e.into_bytes();
                    let line = 1 + bytes[..valid].iter().filter(|b| **b == b'\n').count();
                    gate.read_as_windows_1252(line);
                    legacy_text::windows_1252(&bytes)
                }
            };
            let content = content.strip_prefix('\u{feff}').unwrap_or(&content);
            pls::read(content, &at, &mut gate)
        }
    }
}

/// A problem as a message can show it. Some quote the input (a line that is not a URI, the tags
/// never closed), which in a damaged file can be a megabyte; the middle is cut so the message
/// stays readable and keeps its end, which says what was wrong.
fn shorten(problem: &str) -> std::borrow::Cow<'_, str> {
    const HEAD: usize = 160;
    const TAIL: usize = 80;
    let count = problem.chars().count();
    if count <= HEAD + TAIL + 20 {
        return problem.into();
    }
    let head: String = problem.chars().take(HEAD).collect();
    let tail: String = problem.chars().skip(count - TAIL).collect();
    format!("{head} … ({} characters) … {tail}", count - HEAD - TAIL).into()
}

/// Collects what a reader reads into playlists, in order of first appearance (found by name
/// in a map, so a file naming 100,000 playlists is read in linear time).
#[derive(Default)]
struct Collect {
    playlists: Vec<PlaylistFile>,
    by_name: std::collections::HashMap<Option<String>, usize>,
}

impl EntrySink for Collect {
    fn entry(&mut self, playlist: Option<&str>, entry: Entry) -> Result<()> {
        // The file's one playlist may already exist, made by `title`.
        let key = if playlist.is_none() && self.playlists.len() == 1 {
            self.playlists[0].name.clone()
        } else {
            playlist.map(str::to_owned)
        };
        let index = match self.by_name.get(&key) {
            Some(index) => *index,
            None => {
                self.playlists.push(PlaylistFile {
                    name: key.clone(),
                    ..PlaylistFile::default()
                });
                self.by_name.insert(key, self.playlists.len() - 1);
                self.playlists.len() - 1
            }
        };
        self.playlists[index].entries.push(entry);
        Ok(())
    }

    fn title(&mut self, name: Option<String>, description: Option<String>) {
        if self.playlists.is_empty() {
            self.playlists.push(PlaylistFile::default());
        }
        let first = &mut self.playlists[0];
        if name.is_some() {
            self.by_name.remove(&first.name);
            first.name = name;
        }
        if description.is_some() {
            first.description = description;
        }
        self.by_name.insert(first.name.clone(), 0);
    }
}

/// Reads a whole file's text (tests, pasted text). A file with no readable song is an error,
/// so an import never creates an empty playlist by mistake.
pub fn read(content: &str, format: Format, source: &str) -> Result<Vec<PlaylistFile>> {
    let mut collect = Collect::default();
    read_from(&mut content.as_bytes(), format, source, &mut collect)?;
    if collect.playlists.iter().all(|p| p.entries.is_empty()) {
        return Err(Error::InvalidInput(format!(
            "{source}: no songs found (read as {})",
            format.name()
        )));
    }
    Ok(collect.playlists)
}

/// Writes one playlist in `format`.
pub fn write(playlist: &PlaylistFile, format: Format) -> String {
    match format {
        Format::M3u8 => m3u::write(playlist),
        Format::Pls => pls::write(playlist),
        Format::Xspf => xspf::write(playlist),
        Format::Jspf => jspf::write(playlist),
        Format::Csv => csv_files::write(playlist),
        Format::Uris => text::write_uris(playlist),
        Format::Text => text::write_lines(playlist),
    }
}

/// "Alice in Chains - Would?" → (["Alice in Chains"], "Would?"); the first " - " separates.
pub(crate) fn split_artist_title(text: &str) -> (Vec<String>, String) {
    for separator in [" - ", " – ", " — "] {
        if let Some((artist, title)) = text.split_once(separator) {
            if !artist.trim().is_empty() && !title.trim().is_empty() {
                return (vec![artist.trim().to_owned()], title.trim().to_owned());
            }
        }
    }
    (Vec::new(), text.trim().to_owned())
}

/// A song named from its location, as players name an untagged file and as M3U entries without
/// `#EXTINF` are: the file name without its extension, split at " - " into artist and title
/// ("Music/Alice in Chains - Would.mp3" → (["Alice in Chains"], "Would")). A URI's name is
/// percent-decoded and loses its query (`file:///m/Would%3F.mp3` → "Would?"); a plain path is
/// taken as written. A Spotify URI or link is the song's name itself, as in a list of URIs.
pub(crate) fn title_from_location(location: &str) -> (Vec<String>, String) {
    let location = location.trim();
    if let Some(uri) = spotify_location(location) {
        return (Vec::new(), uri);
    }
    let uri = has_scheme(location);
    let path = if uri {
        location.split(['?', '#']).next().unwrap_or(location)
    } else {
        location
    };
    let path = path.trim_end_matches(['/', '\\']);
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let name = if uri {
        percent_encoding::percent_decode_str(name)
            .decode_utf8_lossy()
            .into_owned()
    } else {
        name.to_owned()
    };
    // A name that is only an extension (`/music/.mp3`) names nothing: the title is empty, and
    // the reader refuses the entry naming its line.
    let stem = match name.rsplit_once('.') {
        Some((stem, extension))
            if (1..=5).contains(&extension.len())
                && extension.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            stem
        }
        _ => name.as_str(),
    };
    split_artist_title(stem)
}

/// `scheme:` at the start, as in `file:`, `http:` or `smb:`; two letters at least, so a Windows
/// drive (`C:`) is a path.
fn has_scheme(location: &str) -> bool {
    location.split_once(':').is_some_and(|(scheme, _)| {
        scheme.len() >= 2
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// "Alice in Chains - Would?" for formats that hold one line per song.
pub(crate) fn artist_title(entry: &Entry) -> String {
    if entry.artists.is_empty() {
        entry.title.clone()
    } else {
        format!("{} - {}", entry.artists.join(", "), entry.title)
    }
}

/// What our writers add beside a format's own fields, as one JSON object: the exact artists
/// list and the ids. Readers that do not know it skip it; ours prefers it.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Extra {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artists: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub album: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isrc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spotify_uri: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Exact, where the format itself rounds to seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub film: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

impl Extra {
    pub fn of(entry: &Entry) -> Extra {
        Extra {
            artists: entry.artists.clone(),
            album: entry.album.clone(),
            isrc: entry.isrc.clone(),
            spotify_uri: entry.spotify_uri.clone(),
            notes: entry.notes.clone(),
            title: Some(entry.title.clone()),
            duration_ms: entry.duration_ms,
            film: entry.film.clone(),
            rating: entry.rating,
            tags: entry.tags.clone(),
        }
    }

    pub fn apply(self, entry: &mut Entry) {
        // Our writers always name the song here. When they do and list no artists, the song has
        // none: the format's own text must not be split into one ("Intro - Live" as a title).
        let names_the_song = self.title.as_deref().is_some_and(|t| !t.trim().is_empty());
        if !self.artists.is_empty() || names_the_song {
            entry.artists = self.artists;
        }
        if let Some(title) = self.title.filter(|t| !t.trim().is_empty()) {
            entry.title = title;
        }
        entry.album = self.album.or(entry.album.take());
        entry.isrc = self.isrc.or(entry.isrc.take());
        entry.spotify_uri = self.spotify_uri.or(entry.spotify_uri.take());
        if !self.notes.is_empty() {
            entry.notes = self.notes;
        }
        if self.duration_ms.is_some() {
            entry.duration_ms = self.duration_ms;
        }
        entry.film = self.film.or(entry.film.take());
        entry.rating = self
            .rating
            .filter(|r| (1..=10).contains(r))
            .or(entry.rating);
        if !self.tags.is_empty() {
            entry.tags = self.tags;
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// `spotify:track:ID` from a URI or an open.spotify.com link; None for anything else.
pub(crate) fn spotify_track_uri(text: &str) -> Option<String> {
    let text = text.trim();
    let id = text
        .strip_prefix("spotify:track:")
        .or_else(|| {
            text.strip_prefix("https://open.spotify.com/track/")
                .map(|rest| rest.split(['?', '/']).next().unwrap_or(rest))
        })
        .or_else(|| {
            // A bare 22-character id, as TuneMyMusic's "Spotify - id" column holds.
            (text.len() == 22 && text.chars().all(|c| c.is_ascii_alphanumeric())).then_some(text)
        })?;
    (id.len() == 22 && id.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| format!("spotify:track:{id}"))
}

/// `spotify:track:ID` from a location (an M3U line, a PLS `File`, an XSPF/JSPF `location`) only
/// when it is a URI or link: a file named with 22 letters and digits is not a bare Spotify id.
pub(crate) fn spotify_location(location: &str) -> Option<String> {
    let location = location.trim();
    (location.starts_with("spotify:track:")
        || location.starts_with("https://open.spotify.com/track/"))
    .then(|| spotify_track_uri(location))
    .flatten()
}

/// A duration in seconds as files write it ("207", "207.5", "-1" for unknown).
pub(crate) fn seconds_to_ms(text: &str) -> Option<u32> {
    let seconds: f64 = text.trim().parse().ok()?;
    (seconds > 0.0 && seconds < 86_400.0).then(|| (seconds * 1000.0).round() as u32)
}

#[cfg(test)]
mod tests;
