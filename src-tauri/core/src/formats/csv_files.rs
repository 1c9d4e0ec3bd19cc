//! CSV playlists: both Exportify layouts, TuneMyMusic (several playlists in one file), Soundiiz
//! (`;` or `,`), and any CSV whose header names a title and an artist column in common words.
//! Columns are found by their header, not their position, so reordered or extended files read.
//! We write the TuneMyMusic layout, which Soundiiz and TuneMyMusic both import, plus our own
//! columns.

use std::io::BufRead;

use super::{split_artist_title, Entry, EntrySink, Extra, PlaylistFile};
use crate::error::{Error, Result};

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

pub(super) fn stream(
    source: &mut dyn BufRead,
    at: &dyn Fn(usize, &str) -> Error,
    sink: &mut dyn EntrySink,
) -> Result<()> {
    // The delimiter is chosen from the header line, peeked without consuming it.
    let head = source
        .fill_buf()
        .map_err(|e| at(1, &format!("cannot read: {e}")))?;
    let header_line =
        String::from_utf8_lossy(head.split(|b| *b == b'\n').next().unwrap_or(head)).into_owned();
    let delimiter = delimiter_of(&header_line);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(source);
    let headers: Vec<String> = reader
        .headers()
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

    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            at(line, &format!("not valid CSV: {e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |index: Option<usize>| {
            index
                .and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let Some(raw_title) = field(Some(title_column)) else {
            return Err(at(
                line,
                &format!("the {} column is empty", headers[title_column]),
            ));
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
            spotify_uri: field(spotify_column).and_then(|v| super::spotify_track_uri(&v)),
            isrc: field(isrc_column),
            ..Entry::default()
        };
        if let Some(json) = field(ours_column) {
            let extra: Extra = serde_json::from_str(&json)
                .map_err(|e| at(line, &format!("the Cuesheet column is not valid: {e}")))?;
            extra.apply(&mut entry);
        }
        sink.entry(field(playlist_column).as_deref(), entry)?;
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
