//! What every song read from a playlist file passes before a sink sees it, whatever the format:
//! control characters are handled by one rule, each field is held to its cap, and a problem is
//! refused naming the file and the line. Readers hand their songs to a [`Gate`] instead of the
//! sink, so no reader can forget a rule.
//!
//! The rule for control characters (Unicode's Cc: U+0000–U+001F and U+007F–U+009F): a NUL
//! refuses the line (a text playlist never holds one; one means a binary file, or text saved as
//! UTF-16, and SQLite and C strings would cut the text at it). Tab and newline are kept. In
//! one-line fields (titles, artists, album, location, names) any other line break (CR, VT, FF,
//! NEL) becomes a space; in notes and descriptions a lone CR becomes a newline and a CR before a
//! newline is kept. Every other control character is removed. Caps: title, album and each artist
//! [`MAX_TITLE`] characters and at most [`MAX_ARTISTS`] artists, notes [`MAX_NOTES`], location
//! [`MAX_LOCATION`], playlist names [`MAX_NAME`] and descriptions [`MAX_DESCRIPTION`], as for an
//! edit in the window. An ISRC or Spotify URI that is not one is dropped rather than refused:
//! they are only hints for matching, and real exports carry junk in those columns. The film,
//! rating and tags our extension carries are passed on as read: an import never stores them.
//!
//! This module must not parse any format or touch the library.

use super::{Entry, EntrySink, Line};
use crate::error::{Error, Result};
use crate::validate::{
    self, MAX_ARTISTS, MAX_DESCRIPTION, MAX_LOCATION, MAX_NAME, MAX_NOTES, MAX_TITLE,
};

/// The sink as readers see it: every call names the line it comes from.
pub(crate) struct Gate<'a> {
    sink: &'a mut dyn EntrySink,
    at: &'a dyn Fn(usize, &str) -> Error,
}

impl<'a> Gate<'a> {
    pub(crate) fn new(sink: &'a mut dyn EntrySink, at: &'a dyn Fn(usize, &str) -> Error) -> Self {
        Gate { sink, at }
    }

    /// A song read at `line`, of the playlist named `playlist` (None: the file's one playlist).
    pub(crate) fn entry(
        &mut self,
        line: usize,
        playlist: Option<&str>,
        entry: Entry,
    ) -> Result<()> {
        let at = |problem: String| (self.at)(line, &problem);
        let playlist = playlist
            .map(|name| one_line("playlist name", name, MAX_NAME))
            .transpose()
            .map_err(at)?
            .filter(|name| !name.is_empty());
        let entry = clean_entry(entry).map_err(at)?;
        self.sink.entry(playlist.as_deref(), entry)
    }

    /// The file's own name and description for its one playlist, read at `line`.
    pub(crate) fn title(
        &mut self,
        line: usize,
        name: Option<String>,
        description: Option<String>,
    ) -> Result<()> {
        let at = |problem: String| (self.at)(line, &problem);
        let name = name
            .map(|n| one_line("playlist name", &n, MAX_NAME))
            .transpose()
            .map_err(at)?
            .filter(|n| !n.is_empty());
        let description = description
            .map(|d| multi_line("playlist description", &d, MAX_DESCRIPTION))
            .transpose()
            .map_err(at)?
            .filter(|d| !d.is_empty());
        self.sink.title(name, description);
        Ok(())
    }

    /// Line `line` was not UTF-8 and was read as Windows-1252: the sink tells the person.
    pub(crate) fn read_as_windows_1252(&mut self, line: usize) {
        self.sink.read_as_windows_1252(line);
    }

    /// A line from `numbered_lines` as its number and text, telling the sink when it was read
    /// as Windows-1252.
    pub(crate) fn line(&mut self, line: Result<Line>) -> Result<(usize, String)> {
        let line = line?;
        if line.windows_1252 {
            self.read_as_windows_1252(line.number);
        }
        Ok((line.number, line.text))
    }

    /// A row at `line` that names no song at all (TuneMyMusic writes these for deleted or
    /// private videos): skipped, and counted by the sink.
    pub(crate) fn skipped(&mut self, line: usize, playlist: Option<&str>) -> Result<()> {
        let playlist = playlist
            .map(|name| one_line("playlist name", name, MAX_NAME))
            .transpose()
            .map_err(|problem| (self.at)(line, &problem))?
            .filter(|name| !name.is_empty());
        self.sink.skipped(playlist.as_deref());
        Ok(())
    }
}

fn clean_entry(entry: Entry) -> std::result::Result<Entry, String> {
    let title = one_line("title", &entry.title, MAX_TITLE)?;
    if title.is_empty() {
        return Err("a song without a title".into());
    }
    if entry.artists.len() > MAX_ARTISTS {
        return Err(format!(
            "artists: {} given; at most {MAX_ARTISTS}",
            validate::thousands(entry.artists.len())
        ));
    }
    let mut artists = Vec::with_capacity(entry.artists.len());
    for artist in &entry.artists {
        let artist = one_line("artist", artist, MAX_TITLE)?;
        if !artist.is_empty() {
            artists.push(artist);
        }
    }
    let optional = |field: &str, value: &Option<String>, max: usize| {
        value
            .as_deref()
            .map(|v| one_line(field, v, max))
            .transpose()
    };
    Ok(Entry {
        title,
        artists,
        album: optional("album", &entry.album, MAX_TITLE)?,
        spotify_uri: entry
            .spotify_uri
            .as_deref()
            .and_then(super::spotify_track_uri),
        isrc: entry.isrc.as_deref().and_then(validate::isrc_code),
        location: optional("location", &entry.location, MAX_LOCATION)?,
        notes: multi_line("notes", &entry.notes, MAX_NOTES)?,
        ..entry
    })
}

/// A one-line field by the rule above, trimmed, then held to `max` characters.
pub(crate) fn one_line(
    field: &str,
    value: &str,
    max: usize,
) -> std::result::Result<String, String> {
    refuse_nul(field, value)?;
    let cleaned: String = value
        .chars()
        .filter_map(|c| match c {
            '\t' | '\n' => Some(c),
            '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    let cleaned = cleaned.trim();
    capped(field, cleaned, max)?;
    Ok(cleaned.to_owned())
}

/// A field that may hold several lines (notes, descriptions), by the rule above; not trimmed,
/// since notes are kept exactly as written.
fn multi_line(field: &str, value: &str, max: usize) -> std::result::Result<String, String> {
    refuse_nul(field, value)?;
    let mut cleaned = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => cleaned.push(c),
            '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' => cleaned.push('\n'),
            '\t' | '\n' => cleaned.push(c),
            c if c.is_control() => {}
            c => cleaned.push(c),
        }
    }
    capped(field, &cleaned, max)?;
    Ok(cleaned)
}

fn refuse_nul(field: &str, value: &str) -> std::result::Result<(), String> {
    if value.contains('\0') {
        return Err(format!(
            "the {field} holds a NUL character; a text playlist never does (is this a binary \
             file, or text saved as UTF-16?)"
        ));
    }
    Ok(())
}

fn capped(field: &str, value: &str, max: usize) -> std::result::Result<(), String> {
    validate::text(field, value, max).map_err(|e| match e {
        Error::InvalidInput(message) => message,
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_follow_the_stated_rule() {
        assert_eq!(
            one_line(
                "title",
                " Would?\rLive\tat\nthe\u{1}\u{7f}\u{9b} Moore \r\n",
                500
            )
            .unwrap(),
            "Would? Live\tat\nthe Moore"
        );
        assert_eq!(
            multi_line("notes", " one\r\ntwo\rthree\tfour\u{7}\u{2028}", 500).unwrap(),
            " one\r\ntwo\nthree\tfour\u{2028}"
        );
        let nul = one_line("title", "Wou\0ld", 500).unwrap_err();
        assert!(nul.contains("NUL"), "{nul}");
        assert!(multi_line("notes", "\0", 500).unwrap_err().contains("NUL"));
        let long = one_line("title", &"x".repeat(501), 500).unwrap_err();
        assert_eq!(long, "title: too long (501 characters; at most 500)");
    }

    #[test]
    fn a_song_is_held_to_the_caps_of_an_edit() {
        let entry = |title: &str| Entry {
            title: title.into(),
            artists: vec!["  ".into(), "Alice in Chains".into()],
            isrc: Some("not an isrc".into()),
            spotify_uri: Some("javascript:alert(1)".into()),
            ..Entry::default()
        };
        let clean = clean_entry(entry("Would?")).unwrap();
        assert_eq!(clean.artists, ["Alice in Chains"]);
        assert_eq!((clean.isrc, clean.spotify_uri), (None, None));
        assert!(clean_entry(entry(" \u{1} ")).is_err());
        let many = Entry {
            artists: vec!["a".into(); MAX_ARTISTS + 1],
            ..entry("x")
        };
        assert!(clean_entry(many).unwrap_err().starts_with("artists"));
    }
}
