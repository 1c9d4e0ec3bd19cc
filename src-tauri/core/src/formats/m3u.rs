//! M3U and M3U8: `#EXTM3U`, `#EXTINF:<seconds>,<Artist> - <Title>`, `#PLAYLIST:`, `#EXTALB:`,
//! then the location line. Plain M3U (locations only) reads too, a song per location, named
//! from the file name. Our `#CUESHEET:` line carries the exact artists and ids. Read line by
//! line from a stream.

use std::io::BufRead;

use super::{
    artist_title, numbered_lines, seconds_to_ms, split_artist_title, title_from_location, Entry,
    Extra, Gate, PlaylistFile,
};
use crate::error::{Error, Result};

pub(super) fn stream(
    reader: &mut dyn BufRead,
    at: &dyn Fn(usize, &str) -> Error,
    sink: &mut Gate<'_>,
) -> Result<()> {
    let mut pending: Option<Entry> = None;
    // Where the entry being read began (its first `#` line), which messages about it name.
    let mut entry_line: Option<usize> = None;
    let mut last_line = 0;
    for line in numbered_lines(reader, at) {
        let (line_number, raw) = sink.line(line)?;
        last_line = line_number;
        let line = raw.trim();
        if line.is_empty() || line == "#EXTM3U" {
            continue;
        }
        let describes_a_song = ["#EXTINF:", "#EXTALB:", "#EXTART:", "#CUESHEET:"]
            .iter()
            .any(|directive| line.starts_with(directive));
        if describes_a_song && entry_line.is_none() {
            entry_line = Some(line_number);
        }
        if let Some(rest) = line.strip_prefix("#EXTINF:") {
            let Some((seconds, name)) = rest.split_once(',') else {
                return Err(at(
                    line_number,
                    "#EXTINF needs a duration and a name separated by a comma",
                ));
            };
            // Attributes such as tvg-id="…" may follow the duration before the comma.
            let seconds = seconds.split_whitespace().next().unwrap_or("");
            let (artists, title) = split_artist_title(name);
            // `#EXTALB:` and `#EXTART:` may come before `#EXTINF` too; what they said is kept.
            let before = pending
                .take()
                .filter(|e| e.title.is_empty())
                .unwrap_or_default();
            pending = Some(Entry {
                title,
                artists: if artists.is_empty() {
                    before.artists
                } else {
                    artists
                },
                album: before.album,
                duration_ms: seconds_to_ms(seconds),
                ..Entry::default()
            });
        } else if let Some(name) = line.strip_prefix("#PLAYLIST:") {
            sink.title(
                line_number,
                Some(name.trim().to_owned()).filter(|n| !n.is_empty()),
                None,
            )?;
        } else if let Some(album) = line.strip_prefix("#EXTALB:") {
            pending.get_or_insert_with(Entry::default).album =
                Some(album.trim().to_owned()).filter(|a| !a.is_empty());
        } else if let Some(artist) = line.strip_prefix("#EXTART:") {
            let entry = pending.get_or_insert_with(Entry::default);
            if entry.artists.is_empty() && !artist.trim().is_empty() {
                entry.artists = vec![artist.trim().to_owned()];
            }
        } else if let Some(json) = line.strip_prefix("#CUESHEET:") {
            let extra: Extra = serde_json::from_str(json).map_err(|e| {
                at(
                    line_number,
                    &format!("the #CUESHEET line is not valid: {e}"),
                )
            })?;
            extra.apply(pending.get_or_insert_with(Entry::default));
        } else if line.starts_with('#') {
            // Unknown directives (#EXTGRP, #EXTVLCOPT, comments) are not songs.
            continue;
        } else {
            let mut entry = pending.take().unwrap_or_default();
            if entry.title.is_empty() {
                let (artists, title) = title_from_location(line);
                if entry.artists.is_empty() {
                    entry.artists = artists;
                }
                entry.title = title;
            }
            if entry.title.is_empty() {
                return Err(at(line_number, "a song without a title or file name"));
            }
            if let Some(uri) = super::spotify_location(line) {
                entry.spotify_uri.get_or_insert(uri);
            }
            entry.location = Some(line.to_owned());
            sink.entry(entry_line.take().unwrap_or(line_number), None, entry)?;
        }
    }
    if pending.is_some_and(|entry| !entry.title.is_empty()) {
        return Err(at(
            last_line,
            "the last #EXTINF has no location line after it",
        ));
    }
    Ok(())
}

pub(super) fn write(playlist: &PlaylistFile) -> String {
    let mut out = String::from("#EXTM3U\n");
    if let Some(name) = &playlist.name {
        out.push_str(&format!("#PLAYLIST:{}\n", one_line(name)));
    }
    for entry in &playlist.entries {
        // Widened first: a duration near u32::MAX ms must not overflow.
        let seconds = entry
            .duration_ms
            .map_or(-1, |ms| (i64::from(ms) + 500) / 1000);
        out.push_str(&format!(
            "#EXTINF:{seconds},{}\n",
            one_line(&artist_title(entry))
        ));
        if let Some(album) = &entry.album {
            out.push_str(&format!("#EXTALB:{}\n", one_line(album)));
        }
        out.push_str(&format!("#CUESHEET:{}\n", Extra::of(entry).to_json()));
        // Players need a location; services read the #EXTINF text. A Spotify URI is a location
        // that both understand. A blank location (a PLS `File1=`) would be a blank line, which
        // readers skip, so it counts as none.
        let location = entry
            .location
            .clone()
            .filter(|l| !l.trim().is_empty())
            .or_else(|| entry.spotify_uri.clone())
            .unwrap_or_else(|| {
                format!(
                    "{}.mp3",
                    one_line(&artist_title(entry)).replace(['/', '\\'], "_")
                )
            });
        let location = one_line(&location);
        // A line starting with `#` is a comment to every M3U reader ("#1 Crush.mp3" with no
        // artist); "./" keeps it the same relative path and makes it a location again.
        if location.trim_start().starts_with('#') {
            out.push_str("./");
        }
        out.push_str(location.trim());
        out.push('\n');
    }
    out
}

fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}
