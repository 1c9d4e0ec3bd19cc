//! JSPF, XSPF's JSON form: `{"playlist": {"title", "creator", "track": [{"title", "creator",
//! "album", "duration", "identifier": [...]}]}}`. Our `extension` key holds the exact artists
//! and ids.

use std::cell::{Cell, RefCell};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{json, Map, Value};

use super::{title_from_location, Entry, Extra, Gate, Metered, PlaylistFile, CUESHEET_NS};
use crate::error::{Error, Result};

/// Reads a JSPF file track by track: each track is one JSON object, handed on as soon as it is
/// read, so memory holds one track, never the file's whole tree (a 300 MB JSPF read as one value
/// once took 2.6 GB). The caller caps the whole file (`MAX_WHOLE_FILE_BYTES`) through `metered`;
/// lines are counted as the JSON is read, so a message can name the line a track starts on.
pub(super) fn stream(
    metered: &mut Metered<'_>,
    at: &dyn Fn(usize, &str) -> Error,
    sink: &mut Gate<'_>,
) -> Result<()> {
    // The JSON reader takes a byte at a time: a buffer under the line count keeps each of
    // those a copy from memory, and the count above it stays exact.
    let newlines = Cell::new(0);
    let counted = LineCount {
        inner: std::io::BufReader::with_capacity(64 * 1024, metered),
        newlines: &newlines,
    };
    let state = State {
        sink: RefCell::new(sink),
        newlines: &newlines,
        at,
        failure: RefCell::new(None),
        found: Cell::new(false),
        title: RefCell::new((None, None, 1)),
        tracks: Cell::new(0),
    };
    let mut json = serde_json::Deserializer::from_reader(counted);
    let outcome = Root(&state)
        .deserialize(&mut json)
        .and_then(|()| json.end());
    if let Some(failure) = state.failure.take() {
        return Err(failure);
    }
    outcome.map_err(|e| {
        let line = e.line().max(1);
        match e.classify() {
            serde_json::error::Category::Data => at(line, &e.to_string()),
            _ => at(line, &format!("not valid JSON: {e}")),
        }
    })?;
    if !state.found.get() {
        return Err(at(1, "JSPF needs a top-level \"playlist\" object"));
    }
    let (name, description, line) = state.title.take();
    state.sink.into_inner().title(line, name, description)
}

/// What the visitors share: where songs go, and the first failure of our own (a song the gate
/// refused), which serde can only carry as a message.
struct State<'s, 'g> {
    sink: RefCell<&'s mut Gate<'g>>,
    newlines: &'s Cell<usize>,
    at: &'s dyn Fn(usize, &str) -> Error,
    failure: RefCell<Option<Error>>,
    found: Cell<bool>,
    /// The playlist's title, annotation, and the line the title is on.
    title: RefCell<(Option<String>, Option<String>, usize)>,
    tracks: Cell<usize>,
}

impl State<'_, '_> {
    /// The 1-based line the JSON reader has got to.
    fn line(&self) -> usize {
        self.newlines.get() + 1
    }

    fn fail<E: de::Error>(&self, error: Error) -> E {
        *self.failure.borrow_mut() = Some(error);
        E::custom("stopped")
    }
}

/// Counts the newlines read through it, so a message can name the line a track starts on.
struct LineCount<'c, R> {
    inner: R,
    newlines: &'c Cell<usize>,
}

impl<R: std::io::Read> std::io::Read for LineCount<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let seen = buf[..n].iter().filter(|b| **b == b'\n').count();
        self.newlines.set(self.newlines.get() + seen);
        Ok(n)
    }
}

/// The top level: an object whose `playlist` is read, every other key skipped unread.
struct Root<'r, 's, 'g>(&'r State<'s, 'g>);

impl<'de> DeserializeSeed<'de> for Root<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Root<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object with a \"playlist\"")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "playlist" && !self.0.found.get() {
                self.0.found.set(true);
                map.next_value_seed(Playlist(self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// `"playlist": {…}`: its title and annotation kept, its tracks handed on one by one.
struct Playlist<'r, 's, 'g>(&'r State<'s, 'g>);

impl<'de> DeserializeSeed<'de> for Playlist<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Playlist<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a \"playlist\" object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "title" => {
                    let line = self.0.line();
                    let value: Value = map.next_value()?;
                    let mut title = self.0.title.borrow_mut();
                    title.0 = text_value(&value);
                    title.2 = line;
                }
                "annotation" => {
                    let value: Value = map.next_value()?;
                    self.0.title.borrow_mut().1 = text_value(&value);
                }
                "track" => map.next_value_seed(Tracks(self.0))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// `"track": [...]` (or `null`, no tracks).
struct Tracks<'r, 's, 'g>(&'r State<'s, 'g>);

impl<'de> DeserializeSeed<'de> for Tracks<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Tracks<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"track\" as a list")
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while seq.next_element_seed(Track(self.0))?.is_some() {}
        Ok(())
    }
}

/// One track object: read whole (it is small), then handed to the gate.
struct Track<'r, 's, 'g>(&'r State<'s, 'g>);

impl<'de> DeserializeSeed<'de> for Track<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Track<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a track object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        // The `{` was just read, so the meter is on the track's first line.
        let line = self.0.line();
        let number = self.0.tracks.get() + 1;
        self.0.tracks.set(number);
        let mut track = Map::new();
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            track.insert(key, value);
        }
        let at = |problem: &str| (self.0.at)(line, &format!("track {number}: {problem}"));
        let entry = entry_of(&track).map_err(|problem| self.0.fail(at(&problem)))?;
        self.0
            .sink
            .borrow_mut()
            .entry(line, None, entry)
            .map_err(|e| self.0.fail(e))
    }
}

fn text_value(value: &Value) -> Option<String> {
    value
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A JSPF track as a song. With no title (valid JSPF, as for XSPF) it is named from its first
/// location or identifier, as an M3U entry without `#EXTINF` is.
fn entry_of(track: &Map<String, Value>) -> std::result::Result<Entry, String> {
    let text = |key: &str| track.get(key).and_then(text_value);
    let locations = strings(track.get("location"));
    let identifiers = strings(track.get("identifier"));
    let mut entry = Entry {
        title: text("title").unwrap_or_default(),
        artists: text("creator").into_iter().collect(),
        album: text("album"),
        duration_ms: track
            .get("duration")
            .and_then(Value::as_u64)
            .and_then(|ms| u32::try_from(ms).ok())
            .filter(|ms| *ms > 0),
        notes: text("annotation").unwrap_or_default(),
        ..Entry::default()
    };
    for location in &locations {
        if let Some(uri) = super::spotify_location(location) {
            entry.spotify_uri.get_or_insert(uri);
        }
        entry.location.get_or_insert_with(|| location.clone());
    }
    for identifier in &identifiers {
        if let Some(uri) = super::spotify_track_uri(identifier) {
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
        let extra: Extra = serde_json::from_value(ours.clone())
            .map_err(|e| format!("our extension is not valid: {e}"))?;
        extra.apply(&mut entry);
    }
    if entry.title.is_empty() {
        let named_by = locations
            .iter()
            .chain(&identifiers)
            .find(|n| !n.trim().is_empty())
            .ok_or("no \"title\", \"location\" or \"identifier\"")?;
        let (artists, title) = title_from_location(named_by);
        if entry.artists.is_empty() {
            entry.artists = artists;
        }
        entry.title = title;
    }
    if entry.title.trim().is_empty() {
        return Err("its file name names no song".into());
    }
    Ok(entry)
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
