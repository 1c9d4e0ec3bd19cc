//! XSPF v1 (`<playlist version="1" xmlns="http://xspf.org/ns/0/">`), read with or without the
//! namespace. Our `<extension application="…cuesheet…">` holds the exact artists and ids;
//! `identifier` holds the Spotify URI and `isrc:` code for other readers. Read as a stream of
//! XML events, a track at a time.

use std::cell::Cell;
use std::io::{BufRead, Read};
use std::rc::Rc;

use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

use super::{Entry, EntrySink, Extra, PlaylistFile, CUESHEET_NS};
use crate::error::{Error, Result};

/// Counts the newlines the XML reader has consumed, so messages can name a line without the
/// file being held whole.
struct LineCounting<'a> {
    inner: &'a mut dyn BufRead,
    newlines: Rc<Cell<usize>>,
}

impl Read for LineCounting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let seen = buf[..n].iter().filter(|b| **b == b'\n').count();
        self.newlines.set(self.newlines.get() + seen);
        Ok(n)
    }
}

impl BufRead for LineCounting<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amount: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let seen = buf[..amount.min(buf.len())]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.newlines.set(self.newlines.get() + seen);
        }
        self.inner.consume(amount);
    }
}

pub(super) fn stream(
    source: &mut dyn BufRead,
    at: &dyn Fn(usize, &str) -> Error,
    sink: &mut dyn EntrySink,
) -> Result<()> {
    let newlines = Rc::new(Cell::new(0usize));
    let mut reader = Reader::from_reader(LineCounting {
        inner: source,
        newlines: newlines.clone(),
    });
    // Text is trimmed once per element, not per piece: "Crow &amp; more" arrives in three pieces.
    reader.config_mut().trim_text(false);
    let line_of = |_position: u64| newlines.get() + 1;
    let mut buf = Vec::new();
    let mut playlist = PlaylistFile::default();
    let mut path: Vec<String> = Vec::new();
    let mut entry: Option<Entry> = None;
    let mut text = String::new();
    let mut in_our_extension = false;
    let mut saw_playlist = false;
    loop {
        let position = reader.buffer_position();
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| at(line_of(position), &format!("not well-formed XML: {e}")))?;
        match event {
            Event::Start(start) => {
                let name = local_name(&start);
                if path.is_empty() {
                    if name != "playlist" {
                        return Err(at(line_of(position), "an XSPF file starts with <playlist>"));
                    }
                    saw_playlist = true;
                }
                if name == "track" && path.last().map(String::as_str) == Some("trackList") {
                    entry = Some(Entry::default());
                }
                if name == "extension" && entry.is_some() {
                    in_our_extension = start
                        .try_get_attribute("application")
                        .ok()
                        .flatten()
                        .is_some_and(|a| a.value.as_ref() == CUESHEET_NS.as_bytes());
                }
                path.push(name);
                text.clear();
            }
            Event::Empty(_) => {}
            Event::Text(t) => text.push_str(&unescape(
                &t,
                &|p| at(line_of(p), "bad XML text"),
                position,
            )?),
            Event::CData(data) => text.push_str(&String::from_utf8_lossy(&data)),
            Event::GeneralRef(reference) => {
                let name = String::from_utf8_lossy(&reference).into_owned();
                let resolved = quick_xml::escape::resolve_predefined_entity(&name)
                    .map(str::to_owned)
                    .or_else(|| {
                        reference
                            .resolve_char_ref()
                            .ok()
                            .flatten()
                            .map(|c| c.to_string())
                    })
                    .ok_or_else(|| at(line_of(position), &format!("unknown entity &{name};")))?;
                text.push_str(&resolved);
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().map(String::as_str).unwrap_or("");
                let value = std::mem::take(&mut text);
                let value = value.trim();
                match (parent, name.as_str(), entry.as_mut()) {
                    ("playlist", "title", _) => playlist.name = Some(value.to_owned()),
                    ("playlist", "annotation", _) => playlist.description = Some(value.to_owned()),
                    ("track", field, Some(e)) => match field {
                        "title" => e.title = value.to_owned(),
                        "creator" if e.artists.is_empty() && !value.is_empty() => {
                            e.artists = vec![value.to_owned()];
                        }
                        "album" => e.album = Some(value.to_owned()).filter(|a| !a.is_empty()),
                        "duration" => e.duration_ms = value.parse().ok().filter(|ms| *ms > 0),
                        "annotation" => e.notes = value.to_owned(),
                        "location" => {
                            if let Some(uri) = super::spotify_location(value) {
                                e.spotify_uri.get_or_insert(uri);
                            }
                            e.location.get_or_insert_with(|| value.to_owned());
                        }
                        "identifier" => {
                            if let Some(uri) = super::spotify_track_uri(value) {
                                e.spotify_uri.get_or_insert(uri);
                            } else if let Some(isrc) = value.strip_prefix("isrc:") {
                                e.isrc.get_or_insert_with(|| isrc.to_owned());
                            }
                        }
                        "extension" => in_our_extension = false,
                        _ => {}
                    },
                    ("extension", "cuesheet", Some(e)) if in_our_extension => {
                        let extra: Extra = serde_json::from_str(value).map_err(|err| {
                            at(
                                line_of(position),
                                &format!("our extension is not valid: {err}"),
                            )
                        })?;
                        extra.apply(e);
                    }
                    _ => {}
                }
                if name == "track" {
                    if let Some(done) = entry.take() {
                        if done.title.is_empty() {
                            return Err(at(line_of(position), "a <track> without a <title>"));
                        }
                        sink.entry(None, done)?;
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_playlist {
        return Err(at(1, "no <playlist> element"));
    }
    if !path.is_empty() {
        return Err(at(
            newlines.get() + 1,
            &format!("<{}> is never closed", path.join("> <")),
        ));
    }
    sink.title(playlist.name, playlist.description);
    Ok(())
}

fn unescape(text: &BytesText<'_>, fail: &dyn Fn(u64) -> Error, position: u64) -> Result<String> {
    text.decode()
        .map(|c| c.into_owned())
        .map_err(|_| fail(position))
}

/// The element's name without a namespace prefix, so `<xspf:track>` and `<track>` read alike.
fn local_name(start: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(start.local_name().as_ref()).into_owned()
}

pub(super) fn write(playlist: &PlaylistFile) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing to a Vec cannot fail; the results are unwrapped through `ok()` to keep this total.
    let _ = writer.write_event(Event::Decl(quick_xml::events::BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        None,
    )));
    let _ = writer
        .create_element("playlist")
        .with_attributes([("version", "1"), ("xmlns", "http://xspf.org/ns/0/")])
        .write_inner_content(|w| {
            if let Some(name) = &playlist.name {
                w.create_element("title")
                    .write_text_content(BytesText::new(name))?;
            }
            if let Some(description) = &playlist.description {
                w.create_element("annotation")
                    .write_text_content(BytesText::new(description))?;
            }
            w.create_element("trackList").write_inner_content(|w| {
                for entry in &playlist.entries {
                    w.create_element("track").write_inner_content(|w| {
                        if let Some(location) = &entry.location {
                            w.create_element("location")
                                .write_text_content(BytesText::new(location))?;
                        }
                        if let Some(uri) = &entry.spotify_uri {
                            w.create_element("identifier")
                                .write_text_content(BytesText::new(uri))?;
                        }
                        if let Some(isrc) = &entry.isrc {
                            w.create_element("identifier")
                                .write_text_content(BytesText::new(&format!("isrc:{isrc}")))?;
                        }
                        w.create_element("title")
                            .write_text_content(BytesText::new(&entry.title))?;
                        if !entry.artists.is_empty() {
                            w.create_element("creator")
                                .write_text_content(BytesText::new(&entry.artists.join(", ")))?;
                        }
                        if let Some(album) = &entry.album {
                            w.create_element("album")
                                .write_text_content(BytesText::new(album))?;
                        }
                        if let Some(ms) = entry.duration_ms {
                            w.create_element("duration")
                                .write_text_content(BytesText::new(&ms.to_string()))?;
                        }
                        if !entry.notes.is_empty() {
                            w.create_element("annotation")
                                .write_text_content(BytesText::new(&entry.notes))?;
                        }
                        w.create_element("extension")
                            .with_attribute(("application", CUESHEET_NS))
                            .write_inner_content(|w| {
                                w.create_element("cuesheet")
                                    .write_text_content(BytesText::new(
                                        &Extra::of(entry).to_json(),
                                    ))?;
                                Ok(())
                            })?;
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
            Ok(())
        });
    let mut out = String::from_utf8(writer.into_inner()).unwrap_or_default();
    out.push('\n');
    out
}
