//! XSPF v1 (`<playlist version="1" xmlns="http://xspf.org/ns/0/">`), read with or without the
//! namespace. Our `<extension application="…cuesheet…">` holds the exact artists and ids;
//! `identifier` holds the Spotify URI and `isrc:` code for other readers. Read as a stream of
//! XML events, a track at a time.

use std::io::BufRead;

use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

use super::{title_from_location, Entry, Extra, Gate, Metered, PlaylistFile, CUESHEET_NS};
use crate::error::{Error, Result};
use crate::validate::{MAX_IMPORT_LINE_BYTES, MAX_XML_DEPTH};

pub(super) fn stream(
    source: &mut dyn BufRead,
    at: &dyn Fn(usize, &str) -> Error,
    sink: &mut Gate<'_>,
) -> Result<()> {
    // Each event (a tag, a piece of text) may take at most this much of the file: the XML
    // reader holds an event whole, and a text or tag never closed would otherwise be read to
    // the end of the file into memory.
    let (metered, meter) = Metered::new(source, MAX_IMPORT_LINE_BYTES);
    let mut reader = Reader::from_reader(metered);
    // Text is trimmed once per element, not per piece: "Crow &amp; more" arrives in three pieces.
    reader.config_mut().trim_text(false);
    let too_long = || {
        at(
            meter.line(),
            &format!(
                "an XML tag or text longer than {} MiB; a playlist has none (is this a binary file?)",
                MAX_IMPORT_LINE_BYTES / (1024 * 1024)
            ),
        )
    };
    let mut buf = Vec::new();
    let mut playlist = PlaylistFile::default();
    let mut title_line = 1;
    let mut path: Vec<String> = Vec::new();
    let mut track: Option<Track> = None;
    let mut text = String::new();
    let mut in_our_extension = false;
    let mut saw_playlist = false;
    loop {
        buf.clear();
        meter.allow(MAX_IMPORT_LINE_BYTES);
        let line = meter.line();
        let event = reader.read_event_into(&mut buf);
        if meter.cut() {
            return Err(too_long());
        }
        let event = event.map_err(|e| at(line, &format!("not well-formed XML: {e}")))?;
        match event {
            Event::Start(start) => {
                let name = local_name(&start);
                if path.is_empty() {
                    if name != "playlist" {
                        return Err(at(line, "an XSPF file starts with <playlist>"));
                    }
                    saw_playlist = true;
                }
                if path.len() >= MAX_XML_DEPTH {
                    return Err(at(
                        line,
                        &format!("elements nested more than {MAX_XML_DEPTH} deep; XSPF needs 5"),
                    ));
                }
                if name == "track" && path.last().map(String::as_str) == Some("trackList") {
                    track = Some(Track {
                        entry: Entry::default(),
                        opened: line,
                        identifier: None,
                    });
                }
                if name == "extension" && track.is_some() {
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
            Event::Text(t) => text.push_str(&unescape(&t, &|| at(line, "bad XML text"))?),
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
                    .ok_or_else(|| at(line, &format!("unknown entity &{name};")))?;
                text.push_str(&resolved);
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().map(String::as_str).unwrap_or("");
                let value = std::mem::take(&mut text);
                let value = value.trim();
                match (parent, name.as_str(), track.as_mut()) {
                    ("playlist", "title", _) => {
                        playlist.name = Some(value.to_owned());
                        title_line = line;
                    }
                    ("playlist", "annotation", _) => playlist.description = Some(value.to_owned()),
                    (
                        "track",
                        field,
                        Some(Track {
                            entry: e,
                            identifier,
                            ..
                        }),
                    ) => match field {
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
                            identifier.get_or_insert_with(|| value.to_owned());
                        }
                        "extension" => in_our_extension = false,
                        _ => {}
                    },
                    ("extension", "cuesheet", Some(Track { entry: e, .. })) if in_our_extension => {
                        let extra: Extra = serde_json::from_str(value).map_err(|err| {
                            at(line, &format!("our extension is not valid: {err}"))
                        })?;
                        extra.apply(e);
                    }
                    _ => {}
                }
                if name == "track" {
                    if let Some(Track {
                        entry: mut done,
                        opened,
                        identifier,
                    }) = track.take()
                    {
                        if done.title.is_empty() {
                            // Valid XSPF, as players write for untagged files: the song is named
                            // from its file, as an M3U entry without #EXTINF is.
                            let named_by = done.location.clone().or(identifier);
                            let Some(named_by) = named_by.filter(|n| !n.trim().is_empty()) else {
                                return Err(at(
                                    opened,
                                    "a <track> with no <title>, <location> or <identifier>",
                                ));
                            };
                            let (artists, title) = title_from_location(&named_by);
                            if done.artists.is_empty() {
                                done.artists = artists;
                            }
                            done.title = title;
                        }
                        if done.title.trim().is_empty() {
                            return Err(at(opened, "a <track> whose file name names no song"));
                        }
                        sink.entry(opened, None, done)?;
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if text.len() > MAX_IMPORT_LINE_BYTES {
            return Err(too_long());
        }
    }
    if !saw_playlist {
        return Err(at(1, "no <playlist> element"));
    }
    if !path.is_empty() {
        return Err(at(
            meter.line(),
            &format!("<{}> is never closed", path.join("> <")),
        ));
    }
    sink.title(title_line, playlist.name, playlist.description)?;
    Ok(())
}

/// A `<track>` being read: the song so far, the line its tag opened on, and its first
/// `<identifier>`, which names the song when nothing else does.
struct Track {
    entry: Entry,
    opened: usize,
    identifier: Option<String>,
}

fn unescape(text: &BytesText<'_>, fail: &dyn Fn() -> Error) -> Result<String> {
    text.decode().map(|c| c.into_owned()).map_err(|_| fail())
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
