//! CSV playlists: both Exportify layouts, TuneMyMusic (several playlists in one file), Soundiiz
//! (`;` or `,`), and any CSV whose header names a title and an artist column in common words.
//! Columns are found by their header, not their position, so reordered or extended files read.
//! We write the TuneMyMusic layout, which Soundiiz and TuneMyMusic both import, plus our own
//! columns.

use std::io::BufRead;

use super::{split_artist_title, Entry, Extra, Gate, Metered, PlaylistFile};
use crate::error::{Error, Result};
use crate::validate::MAX_IMPORT_LINE_BYTES;

const TITLE: &[&str] = &[
    "track name",
    "title",
    "song",
    "song name",
    "track title",
    "track",
    "name",
];
const ARTISTS: &[&str] = &[
    "artist name(s)",
    "artist name",
    "artist",
    "artists",
    "artist(s)",
    "performer",
    "creator",
];
const ALBUM: &[&str] = &["album name", "album", "album title"];
const DURATION_MS: &[&str] = &[
    "track duration (ms)",
    "duration (ms)",
    "duration_ms",
    "duration ms",
];
const DURATION: &[&str] = &["duration", "length", "time"];
const ISRC: &[&str] = &["isrc"];
const SPOTIFY: &[&str] = &[
    "track uri",
    "spotify - id",
    "spotify uri",
    "spotify id",
    "spotify track uri",
    "uri",
];
const PLAYLIST: &[&str] = &["playlist name", "playlist"];
const OURS: &str = "cuesheet";

fn normalise(header: &str) -> String {
    header.trim().trim_start_matches('\u{feff}').to_lowercase()
}

/// A first line that names a title column and an artist column reads as a CSV header.
pub(super) fn looks_like_csv_header(line: &str) -> bool {
    let delimiter = delimiter_of(line);
    let names: Vec<String> = split_simple(line, delimiter)
        .iter()
        .map(|h| normalise(h))
        .collect();
    names.iter().any(|n| TITLE.contains(&n.as_str()))
        && names.iter().any(|n| ARTISTS.contains(&n.as_str()))
}

/// The header line's most frequent of `,` `;` and tab, outside quotes.
fn delimiter_of(header: &str) -> u8 {
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in header.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (candidate, count) in counts.iter_mut() {
                if byte == *candidate {
                    *count += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(_, count)| *count)
        .map_or(b',', |(d, _)| *d)
}

fn split_simple(line: &str, delimiter: u8) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(line.as_bytes());
    reader
        .records()
        .next()
        .and_then(|r| r.ok())
        .map(|r| r.iter().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Reads a CSV by its header's column names. Strict where a file is broken: a row with fewer
/// fields than the header, or more that are not empty, or a quoted field that runs to the end
/// of the file, is what a stray or unclosed quote does, and is refused naming its line rather
/// than read as a song with shifted columns. Lenient where real files are: a row whose song columns are all
/// empty (TuneMyMusic writes these for deleted or private videos) is skipped and counted.
pub(super) fn stream(
    source: &mut dyn BufRead,
    at: &dyn Fn(usize, &str) -> Error,
    sink: &mut Gate<'_>,
) -> Result<()> {
    // The delimiter is chosen from the header line, peeked without consuming it.
    let head = source
        .fill_buf()
        .map_err(|e| at(1, &format!("cannot read: {e}")))?;
    let header_line =
        String::from_utf8_lossy(head.split(|b| *b == b'\n').next().unwrap_or(head)).into_owned();
    let delimiter = delimiter_of(&header_line);
    // Each row may take at most this much of the file (plus what the CSV reader reads ahead):
    // a row is held whole, and an unclosed quote would otherwise hold the rest of the file.
    let budget = MAX_IMPORT_LINE_BYTES + 64 * 1024;
    let (metered, meter) = Metered::new(source, budget);
    let too_long = |line: usize| {
        at(
            line,
            &format!(
                "a row longer than {} MiB (a quote left open?)",
                MAX_IMPORT_LINE_BYTES / (1024 * 1024)
            ),
        )
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(metered);
    let headers = reader.headers();
    if meter.cut() {
        return Err(too_long(1));
    }
    let headers: Vec<String> = headers
        .map_err(|e| at(1, &format!("cannot read the header: {e}")))?
        .iter()
        .map(normalise)
        .collect();
    let column = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| headers.iter().position(|h| h == name))
    };
    let Some(title_column) = column(TITLE) else {
        return Err(at(
            1,
            "no title column (looked for \"Track Name\", \"Title\", \"Song\"…)",
        ));
    };
    let artist_column = column(ARTISTS);
    if artist_column.is_none() {
        return Err(at(
            1,
            "no artist column (looked for \"Artist Name(s)\", \"Artist\"…)",
        ));
    }
    // The older Exportify layout joins artists with ", " and escapes commas inside a name as
    // "\,"; the newer one (no artist URIs) joins them with ";".
    let artist_join = match artist_column.map(|i| headers[i].as_str()) {
        Some("artist name(s)") if headers.iter().any(|h| h == "artist uri(s)") => {
            ArtistJoin::EscapedComma
        }
        Some("artist name(s)") => ArtistJoin::Semicolon,
        _ => ArtistJoin::One,
    };
    let (album_column, ms_column, duration_column) =
        (column(ALBUM), column(DURATION_MS), column(DURATION));
    let (isrc_column, spotify_column, playlist_column) =
        (column(ISRC), column(SPOTIFY), column(PLAYLIST));
    let ours_column = headers.iter().position(|h| h == OURS);
    // The columns that say which song a row is; a row with all of them empty names none.
    let song_columns: Vec<usize> = [
        Some(title_column),
        artist_column,
        album_column,
        ms_column,
        duration_column,
        isrc_column,
        spotify_column,
        ours_column,
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut record = csv::StringRecord::new();
    // The line of the last row when its last field holds a line break: a quote opened there
    // and never closed swallows the rest of the file into that field.
    let mut open_at_end: Option<usize> = None;
    loop {
        meter.allow(budget);
        let next_line = reader.position().line() as usize;
        let read = reader.read_record(&mut record);
        if meter.cut() {
            return Err(too_long(next_line));
        }
        let more = read.map_err(|e| {
            let line = e.position().map_or(next_line, |p| p.line() as usize);
            at(line, &format!("not valid CSV: {e}"))
        })?;
        if !more {
            // A closed quote is the file's last visible character; anything else after a
            // line break inside the last field means the quote never closed.
            if let Some(line) = open_at_end.filter(|_| meter.last_visible() != b'"') {
                return Err(at(
                    line,
                    "a quote opened on this row is never closed; it runs to the end of the file",
                ));
            }
            break;
        }
        let line = record.position().map_or(next_line, |p| p.line() as usize);
        open_at_end = record
            .iter()
            .next_back()
            .is_some_and(|v| v.contains(['\n', '\r']))
            .then_some(line);
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if record.len() < headers.len() {
            return Err(at(
                line,
                &format!(
                    "{} field(s) where the header has {}; a quote out of place joins fields \
                     (quote a field that holds a quote or a delimiter, doubling the quote)",
                    record.len(),
                    headers.len()
                ),
            ));
        }
        if record
            .iter()
            .skip(headers.len())
            .any(|v| !v.trim().is_empty())
        {
            return Err(at(
                line,
                &format!(
                    "{} fields where the header has {}; a field holding the delimiter must be \
                     quoted",
                    record.len(),
                    headers.len()
                ),
            ));
        }
        let field = |index: Option<usize>| {
            index
                .and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        if song_columns.iter().all(|&i| field(Some(i)).is_none()) {
            sink.skipped(line, field(playlist_column).as_deref())?;
            continue;
        }
        let spotify_uri = field(spotify_column).and_then(|v| super::spotify_track_uri(&v));
        let raw_title = match (field(Some(title_column)), &spotify_uri) {
            (Some(title), _) => title,
            // Named by its Spotify id alone, as a list of URIs names songs.
            (None, Some(uri)) if field(ours_column).is_none() => uri.clone(),
            (None, _) if field(ours_column).is_some() => String::new(),
            (None, _) => {
                return Err(at(
                    line,
                    &format!("the {} column is empty", headers[title_column]),
                ));
            }
        };
        let mut artists = field(artist_column).map_or_else(Vec::new, |a| artist_join.split(&a));
        let mut title = raw_title;
        if artists.is_empty() {
            // TuneMyMusic sometimes leaves the artist empty and writes "Artist - Title".
            let (found, rest) = split_artist_title(&title);
            if !found.is_empty() {
                artists = found;
                title = rest;
            }
        }
        let duration_ms = match (field(ms_column), field(duration_column)) {
            (Some(ms), _) => Some(ms.parse::<u32>().map_err(|_| {
                at(
                    line,
                    &format!("duration {ms:?} is not a number of milliseconds"),
                )
            })?),
            (None, Some(text)) => Some(parse_duration(&text).ok_or_else(|| {
                at(
                    line,
                    &format!("duration {text:?} is neither seconds nor m:ss"),
                )
            })?),
            (None, None) => None,
        }
        .filter(|ms| *ms > 0);
        let mut entry = Entry {
            title,
            artists,
            album: field(album_column),
            duration_ms,
            spotify_uri,
            isrc: field(isrc_column),
            ..Entry::default()
        };
        if let Some(json) = field(ours_column) {
            let extra: Extra = serde_json::from_str(&json)
                .map_err(|e| at(line, &format!("the Cuesheet column is not valid: {e}")))?;
            extra.apply(&mut entry);
        }
        if entry.title.trim().is_empty() {
            return Err(at(
                line,
                &format!("the {} column is empty", headers[title_column]),
            ));
        }
        sink.entry(line, field(playlist_column).as_deref(), entry)?;
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum ArtistJoin {
    EscapedComma,
    Semicolon,
    One,
}

impl ArtistJoin {
    fn split(self, text: &str) -> Vec<String> {
        let parts: Vec<String> = match self {
            ArtistJoin::One => vec![text.to_owned()],
            ArtistJoin::Semicolon => text.split(';').map(str::to_owned).collect(),
            ArtistJoin::EscapedComma => {
                let mut parts = Vec::new();
                let mut current = String::new();
                let mut chars = text.chars().peekable();
                while let Some(c) = chars.next() {
                    match (c, chars.peek()) {
                        ('\\', Some(',')) => {
                            current.push(',');
                            chars.next();
                        }
                        (',', _) => parts.push(std::mem::take(&mut current)),
                        _ => current.push(c),
                    }
                }
                parts.push(current);
                parts
            }
        };
        parts
            .into_iter()
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect()
    }
}

/// "207", "207.5" (seconds) or "3:27", "1:02:03".
fn parse_duration(text: &str) -> Option<u32> {
    if let Some(ms) = super::seconds_to_ms(text) {
        return Some(ms);
    }
    let parts: Vec<u32> = text
        .split(':')
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    let seconds = match parts.as_slice() {
        [m, s] if *s < 60 => m * 60 + s,
        [h, m, s] if *m < 60 && *s < 60 => (h * 60 + m) * 60 + s,
        _ => return None,
    };
    Some(seconds * 1000)
}

pub(super) fn write(playlist: &PlaylistFile) -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let name = playlist.name.clone().unwrap_or_default();
    let _ = writer.write_record([
        "Track name",
        "Artist name",
        "Album",
        "Playlist name",
        "Type",
        "ISRC",
        "Spotify - id",
        "Duration (ms)",
        "Cuesheet",
    ]);
    for entry in &playlist.entries {
        let spotify_id = entry
            .spotify_uri
            .as_deref()
            .and_then(|uri| uri.strip_prefix("spotify:track:"))
            .unwrap_or("");
        let _ = writer.write_record([
            entry.title.as_str(),
            &entry.artists.join(", "),
            entry.album.as_deref().unwrap_or(""),
            &name,
            "Playlist",
            entry.isrc.as_deref().unwrap_or(""),
            spotify_id,
            &entry
                .duration_ms
                .map(|ms| ms.to_string())
                .unwrap_or_default(),
            &Extra::of(entry).to_json(),
        ]);
    }
    writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}
