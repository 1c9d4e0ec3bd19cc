//! JSPF, XSPF's JSON form: `{"playlist": {"title", "creator", "track": [{"title", "creator",
//! "album", "duration", "identifier": [...]}]}}`. Our `extension` key holds the exact artists
//! and ids.

use serde_json::{json, Map, Value};

use super::{Entry, Extra, PlaylistFile, CUESHEET_NS};
use crate::error::{Error, Result};

pub(super) fn read(content: &str, at: &dyn Fn(usize, &str) -> Error) -> Result<PlaylistFile> {
    let root: Value =
        serde_json::from_str(content).map_err(|e| at(e.line(), &format!("not valid JSON: {e}")))?;
    let playlist = root
        .get("playlist")
        .and_then(Value::as_object)
        .ok_or_else(|| at(1, "JSPF needs a top-level \"playlist\" object"))?;
    let text = |object: &Map<String, Value>, key: &str| {
        object
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut out = PlaylistFile {
        name: text(playlist, "title"),
        description: text(playlist, "annotation"),
        entries: Vec::new(),
    };
    let tracks = match playlist.get("track") {
        None | Some(Value::Null) => &Vec::new(),
        Some(Value::Array(tracks)) => tracks,
        Some(_) => return Err(at(1, "\"track\" must be a list")),
    };
    for (index, track) in tracks.iter().enumerate() {
        let number = index + 1;
        let Some(track) = track.as_object() else {
            return Err(at(1, &format!("track {number} is not an object")));
        };
        let Some(title) = text(track, "title") else {
            return Err(at(1, &format!("track {number} has no \"title\"")));
        };
        let mut entry = Entry {
            title,
            artists: text(track, "creator").into_iter().collect(),
            album: text(track, "album"),
            duration_ms: track
                .get("duration")
                .and_then(Value::as_u64)
                .and_then(|ms| u32::try_from(ms).ok())
                .filter(|ms| *ms > 0),
            notes: text(track, "annotation").unwrap_or_default(),
            ..Entry::default()
        };
        for location in strings(track.get("location")) {
            if let Some(uri) = super::spotify_location(&location) {
                entry.spotify_uri.get_or_insert(uri);
            }
            entry.location.get_or_insert(location);
        }
        for identifier in strings(track.get("identifier")) {
            if let Some(uri) = super::spotify_track_uri(&identifier) {
                entry.spotify_uri.get_or_insert(uri);
            } else if let Some(isrc) = identifier.strip_prefix("isrc:") {
                entry.isrc.get_or_insert_with(|| isrc.to_owned());
            }
        }
        if let Some(ours) = track
            .get("extension")
            .and_then(|e| e.get(CUESHEET_NS))
            .and_then(|e| e.get(0).or(Some(e)))
        {
            let extra: Extra = serde_json::from_value(ours.clone()).map_err(|e| {
                at(
                    1,
                    &format!("track {number}: our extension is not valid: {e}"),
                )
            })?;
            extra.apply(&mut entry);
        }
        out.entries.push(entry);
    }
    Ok(out)
}

/// A JSPF field that may be one string or a list of them.
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

pub(super) fn write(playlist: &PlaylistFile) -> String {
    let tracks: Vec<Value> = playlist
        .entries
        .iter()
        .map(|entry| {
            let mut track = Map::new();
            track.insert("title".into(), json!(entry.title));
            if !entry.artists.is_empty() {
                track.insert("creator".into(), json!(entry.artists.join(", ")));
            }
            if let Some(album) = &entry.album {
                track.insert("album".into(), json!(album));
            }
            if let Some(ms) = entry.duration_ms {
                track.insert("duration".into(), json!(ms));
            }
            if !entry.notes.is_empty() {
                track.insert("annotation".into(), json!(entry.notes));
            }
            if let Some(location) = &entry.location {
                track.insert("location".into(), json!([location]));
            }
            let identifiers: Vec<String> = entry
                .spotify_uri
                .iter()
                .cloned()
                .chain(entry.isrc.iter().map(|isrc| format!("isrc:{isrc}")))
                .collect();
            if !identifiers.is_empty() {
                track.insert("identifier".into(), json!(identifiers));
            }
            let extra = serde_json::to_value(Extra::of(entry)).unwrap_or(Value::Null);
            track.insert("extension".into(), json!({ CUESHEET_NS: [extra] }));
            Value::Object(track)
        })
        .collect();
    let mut body = Map::new();
    if let Some(name) = &playlist.name {
        body.insert("title".into(), json!(name));
    }
    if let Some(description) = &playlist.description {
        body.insert("annotation".into(), json!(description));
    }
    body.insert("track".into(), Value::Array(tracks));
    let mut out = serde_json::to_string_pretty(&json!({ "playlist": body })).unwrap_or_default();
    out.push('\n');
    out
}
