//! PLS: an INI file, `[playlist]`, `FileN`, `TitleN`, `LengthN`, `NumberOfEntries`,
//! `Version=2`. Keys are read case-insensitively, as files in the wild need; our `CuesheetN`
//! key carries the exact artists and ids.

use std::collections::BTreeMap;

use super::{
    artist_title, seconds_to_ms, split_artist_title, title_from_location, Entry, Extra, Gate,
    PlaylistFile,
};
use crate::error::{Error, Result};

/// Reads a whole PLS text (at most `MAX_WHOLE_FILE_BYTES`, checked by the caller) into `sink`,
/// songs in the order of their numbers.
pub(super) fn read(
    content: &str,
    at: &dyn Fn(usize, &str) -> Error,
    sink: &mut Gate<'_>,
) -> Result<()> {
    let mut entries: BTreeMap<u32, (Entry, usize)> = BTreeMap::new();
    let mut name: Option<(String, usize)> = None;
    let mut in_playlist = false;
    for (index, raw) in content.lines().enumerate() {
        let line_number = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            in_playlist = line.eq_ignore_ascii_case("[playlist]");
            continue;
        }
        if !in_playlist {
            return Err(at(line_number, "a PLS file starts with [playlist]"));
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(at(line_number, "expected key=value"));
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        let numbered = ["file", "title", "length", "cuesheet"]
            .into_iter()
            .find_map(|prefix| key.strip_prefix(prefix).map(|n| (prefix, n)));
        match numbered {
            Some((field, number)) if !number.is_empty() => {
                let number: u32 = number
                    .parse()
                    .map_err(|_| at(line_number, &format!("{key} is not a numbered key")))?;
                let (entry, _) = entries
                    .entry(number)
                    .or_insert_with(|| (Entry::default(), line_number));
                match field {
                    "file" => {
                        if let Some(uri) = super::spotify_location(value) {
                            entry.spotify_uri.get_or_insert(uri);
                        }
                        entry.location = Some(value.to_owned());
                    }
                    "title" => {
                        let (artists, title) = split_artist_title(value);
                        entry.title = title;
                        if entry.artists.is_empty() {
                            entry.artists = artists;
                        }
                    }
                    "length" => entry.duration_ms = seconds_to_ms(value),
                    _ => {
                        let extra: Extra = serde_json::from_str(value)
                            .map_err(|e| at(line_number, &format!("{key} is not valid: {e}")))?;
                        extra.apply(entry);
                    }
                }
            }
            _ if key == "x-playlistname" || key == "playlistname" => {
                name = Some((value.to_owned(), line_number)).filter(|(v, _)| !v.is_empty());
            }
            // NumberOfEntries and Version are checked by nothing: files get them wrong often.
            _ => {}
        }
    }
    if let Some((name, line_number)) = name {
        sink.title(line_number, Some(name), None)?;
    }
    for (_, (mut entry, line_number)) in entries {
        if entry.title.is_empty() {
            let Some(location) = &entry.location else {
                return Err(at(line_number, "an entry with neither File nor Title"));
            };
            let (artists, title) = title_from_location(location);
            if entry.artists.is_empty() {
                entry.artists = artists;
            }
            entry.title = title;
        }
        // `File1=` or `File1=/music/.mp3` with no title: there is nothing to call the song.
        if entry.title.trim().is_empty() {
            return Err(at(line_number, "a song without a title or file name"));
        }
        sink.entry(line_number, None, entry)?;
    }
    Ok(())
}

pub(super) fn write(playlist: &PlaylistFile) -> String {
    let mut out = String::from("[playlist]\n");
    if let Some(name) = &playlist.name {
        out.push_str(&format!("X-PlaylistName={}\n", one_line(name)));
    }
    for (index, entry) in playlist.entries.iter().enumerate() {
        let n = index + 1;
        let location = entry
            .location
            .clone()
            .or_else(|| entry.spotify_uri.clone())
            .unwrap_or_else(|| format!("{}.mp3", artist_title(entry).replace(['/', '\\'], "_")));
        out.push_str(&format!("File{n}={}\n", one_line(&location)));
        out.push_str(&format!("Title{n}={}\n", one_line(&artist_title(entry))));
        // Widened first: a duration near u32::MAX ms must not overflow.
        let seconds = entry
            .duration_ms
            .map_or(-1, |ms| (i64::from(ms) + 500) / 1000);
        out.push_str(&format!("Length{n}={seconds}\n"));
        out.push_str(&format!("Cuesheet{n}={}\n", Extra::of(entry).to_json()));
    }
    out.push_str(&format!(
        "NumberOfEntries={}\nVersion=2\n",
        playlist.entries.len()
    ));
    out
}

fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}
