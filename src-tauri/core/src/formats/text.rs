//! Plain text playlists: `Artist – Title` lines (read by the same line reader as a pasted track
//! list) and lists of `spotify:track:` URIs, which Spotify's desktop app takes as a paste. Both
//! are read line by line from a stream.

use std::io::BufRead;

use super::{numbered_lines, Entry, Gate, PlaylistFile};
use crate::error::{Error, Result};
use crate::paste::parse_line;

pub(super) fn stream_lines(
    reader: &mut dyn BufRead,
    at: &dyn Fn(usize, &str) -> Error,
    sink: &mut Gate<'_>,
) -> Result<()> {
    for line in numbered_lines(reader, at) {
        let (number, text) = sink.line(line)?;
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let (_, fields) = parse_line(text).map_err(|reason| at(number, &reason))?;
        sink.entry(
            number,
            None,
            Entry {
                title: fields.title,
                artists: fields.artists,
                duration_ms: fields.duration_ms,
                ..Entry::default()
            },
        )?;
    }
    Ok(())
}

pub(super) fn write_lines(playlist: &PlaylistFile) -> String {
    playlist
        .entries
        .iter()
        .map(|entry| {
            let duration = entry
                .duration_ms
                .map(|ms| {
                    // Widened first: a duration near u32::MAX ms must not overflow.
                    let seconds = (u64::from(ms) + 500) / 1000;
                    format!(" {}:{:02}", seconds / 60, seconds % 60)
                })
                .unwrap_or_default();
            let line = if entry.artists.is_empty() {
                format!("Unknown – {}", entry.title)
            } else {
                format!("{} – {}", entry.artists.join(", "), entry.title)
            };
            format!("{}{duration}\n", line.replace(['\r', '\n'], " "))
        })
        .collect()
}

pub(super) fn stream_uris(
    reader: &mut dyn BufRead,
    at: &dyn Fn(usize, &str) -> Error,
    sink: &mut Gate<'_>,
) -> Result<()> {
    for line in numbered_lines(reader, at) {
        let (number, text) = sink.line(line)?;
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let uri = super::spotify_track_uri(text)
            .ok_or_else(|| at(number, &format!("{text:?} is not a Spotify track URI")))?;
        sink.entry(
            number,
            None,
            Entry {
                title: uri.clone(),
                spotify_uri: Some(uri),
                ..Entry::default()
            },
        )?;
    }
    Ok(())
}

/// Songs without a known Spotify match are left out: the list is for pasting into Spotify.
pub(super) fn write_uris(playlist: &PlaylistFile) -> String {
    playlist
        .entries
        .iter()
        .filter_map(|entry| entry.spotify_uri.as_ref())
        .map(|uri| format!("{uri}\n"))
        .collect()
}
