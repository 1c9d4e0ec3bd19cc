//! Plain text playlists: `Artist – Title` lines (read by the same reader as a pasted track
//! list) and lists of `spotify:track:` URIs, which Spotify's desktop app takes as a paste.

use super::{Entry, PlaylistFile};
use crate::error::{Error, Result};
use crate::paste::parse_tracklist;

pub(super) fn read_lines(content: &str, at: &dyn Fn(usize, &str) -> Error) -> Result<PlaylistFile> {
    let parsed = parse_tracklist(content, true);
    if let Some(problem) = parsed.problems.first() {
        return Err(at(problem.line as usize, &problem.reason));
    }
    Ok(PlaylistFile {
        entries: parsed
            .songs
            .into_iter()
            .map(|song| Entry {
                title: song.fields.title,
                artists: song.fields.artists,
                duration_ms: song.fields.duration_ms,
                ..Entry::default()
            })
            .collect(),
        ..PlaylistFile::default()
    })
}

pub(super) fn write_lines(playlist: &PlaylistFile) -> String {
    playlist
        .entries
        .iter()
        .map(|entry| {
            let duration = entry
                .duration_ms
                .map(|ms| {
                    let seconds = (ms + 500) / 1000;
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

pub(super) fn read_uris(content: &str, at: &dyn Fn(usize, &str) -> Error) -> Result<PlaylistFile> {
    let mut playlist = PlaylistFile::default();
    for (index, line) in content.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let uri = super::spotify_track_uri(line)
            .ok_or_else(|| at(index + 1, &format!("{line:?} is not a Spotify track URI")))?;
        playlist.entries.push(Entry {
            title: uri.clone(),
            spotify_uri: Some(uri),
            ..Entry::default()
        });
    }
    Ok(playlist)
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
