//! The argument checks every user action shares: the caps on text lengths and list sizes, ids,
//! 1-based places and file paths, each turned into an `InvalidInput` error whose message starts
//! with the field's name and says what is wrong ("playlist name: too long (1,234 characters; at
//! most 200)").
//!
//! It owns the caps (one named constant each, with the reason for its size) and the wording of
//! these messages, so the window and the CLI refuse the same things in the same words. It must
//! not touch the database: whether a well-formed id refers to anything is for the module that
//! owns the table to say, with a `NotFound` error, before it writes.

use std::path::Path;

use crate::error::{Error, Result};

/// Titles, names of people, labels and URLs: the longest real film or song title is well under
/// 300 characters, so more is a paste gone wrong.
pub const MAX_TITLE: usize = 500;
/// Notes and scene notes: several pages of a curator's own writing; the window edits them in a
/// text area, and the search index copies them, so they stay bounded.
pub const MAX_NOTES: usize = 20_000;
/// Playlist and ranked-list names: they show in a sidebar row and in exported files; Spotify
/// itself cuts playlist names near 100, so 200 leaves room without allowing essays.
pub const MAX_NAME: usize = 200;
/// Playlist and ranked-list descriptions: a paragraph or two (Spotify keeps 300 of them).
pub const MAX_DESCRIPTION: usize = 2_000;
/// One tag: tags are chips in the window ("alt rock", "Cameron Crowe"), not sentences.
pub const MAX_TAG_CHARS: usize = 60;
/// Tags on one soundtrack or song: more stop being a way to find things.
pub const MAX_TAGS: usize = 50;
/// Source links of one soundtrack: a few reviews and shop pages.
pub const MAX_SOURCE_URLS: usize = 50;
/// Credited artists of one song: orchestra, conductor, soloists and featured guests fit.
pub const MAX_ARTISTS: usize = 50;
/// Songs given in one call (a new soundtrack, or songs added to one): the largest box sets
/// hold a few hundred; more is a mistake we should not write in one transaction.
pub const MAX_SONGS_PER_CALL: usize = 2_000;
/// Library song ids given in one call (songs added to a playlist): a whole large library's
/// favourites fit; more would hold the write lock for a noticeable time.
pub const MAX_IDS_PER_CALL: usize = 10_000;
/// Album positions per disc and discs per album: no release comes near these.
pub const MAX_POSITION: u32 = 999;
pub const MAX_DISC: u32 = 99;
/// "The top N soundtracks" of a ranked list and "M songs of each": the window offers up to 500
/// and 50; these leave the CLI room while keeping the playlist name and size sane.
pub const MAX_RANKED_TOP: u32 = 1_000;
pub const MAX_SONGS_EACH: u32 = 100;
/// File paths the window or the CLI hand us: Linux's PATH_MAX; longer cannot be opened anyway.
pub const MAX_PATH_BYTES: usize = 4_096;
/// Pasted playlist text (and `cuesheet import -`, read from standard input): a 100,000-song
/// CSV is about 10 MB, so 64 MiB is generous and still keeps a preview's memory bounded. Files
/// are streamed instead, and bounded by the caps below.
pub const MAX_IMPORT_TEXT_BYTES: usize = 64 * 1024 * 1024;
/// One line of an imported file (an M3U, PLS, text or URI-list line, a CSV row) and one XML
/// element or text of an XSPF: each is held whole while it is read, so without a cap one line of
/// a binary file or a quote never closed is held in memory however long it is. Our own exports
/// write a song's facts as one JSON line (notes of 20,000 characters, 50 artists, titles), which
/// stays under 512 KiB even in four-byte characters; 1 MiB doubles that.
pub const MAX_IMPORT_LINE_BYTES: usize = 1024 * 1024;
/// PLS (numbered keys in any order) is read whole, and JSPF is one JSON value; both are refused
/// past this size before anything is parsed. Our JSPF export writes about 520 bytes a song, so
/// 16 MiB holds some 30,000 songs (Spotify's playlists held at most 10,000 for years); a larger
/// file of these formats is a mistake or an attack, and reading a 300 MB JSPF whole once took
/// 2.6 GB. (JSPF is now read a track at a time, but the cap keeps a PLS's whole-file read and
/// an import's transaction bounded.)
pub const MAX_WHOLE_FILE_BYTES: usize = 16 * 1024 * 1024;
/// A song's file location or URL in an imported playlist: Linux's PATH_MAX, and URLs longer
/// than this are not addresses a player or a browser opens.
pub const MAX_LOCATION: usize = 4_096;
/// XML elements inside one another in an XSPF: the format needs five levels (playlist,
/// trackList, track, extension and its content); deeper is not a playlist.
pub const MAX_XML_DEPTH: usize = 32;
/// Instant search reads at most this much of what was typed or pasted; it only uses the first
/// 16 words anyway (see `search::words`). Longer queries are cut, never refused: a paste into
/// the search box must not put an error in the person's face.
pub const MAX_SEARCH_CHARS: usize = 4_000;
/// Words for a hand-made Spotify search: Spotify's `q` stops helping long before this.
pub const MAX_SPOTIFY_WORDS: usize = 200;
/// A Spotify track URI or link: `https://open.spotify.com/intl-xx/track/<22>?si=<…>` fits.
pub const MAX_SPOTIFY_LINK: usize = 300;

/// `1234567` as "1,234,567", so counts in messages read easily.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A value quoted for a message, cut to a readable length: an error must never echo a pasted
/// megabyte back into the window.
pub fn quoted(value: &str) -> String {
    const SHOWN: usize = 40;
    if value.chars().count() <= SHOWN {
        format!("{value:?}")
    } else {
        let head: String = value.chars().take(SHOWN).collect();
        format!("{:?}…", head)
    }
}

/// An id the person or the window handed us: ids are 1 or more (SQLite's rowids), so 0 and
/// negative numbers are malformed, not merely missing.
pub fn id(kind: &str, value: i64) -> Result<i64> {
    if value <= 0 {
        return Err(Error::InvalidInput(format!(
            "{kind} id: {value} is not an id (ids are whole numbers from 1)"
        )));
    }
    Ok(value)
}

/// A text of at most `max` characters (counted as characters, not bytes, so accents and
/// non-Latin scripts get the same room).
pub fn text(field: &str, value: &str, max: usize) -> Result<()> {
    // Counting stops just past the cap, so a pasted megabyte costs no more than a short text.
    let count = value.chars().take(max + 1).count();
    if count > max {
        return Err(Error::InvalidInput(format!(
            "{field}: too long ({} characters; at most {})",
            thousands(value.chars().count()),
            thousands(max)
        )));
    }
    Ok(())
}

/// A name that must have something in it: whitespace runs folded to one space, ends trimmed,
/// then checked against `max`. Returns the cleaned name.
pub fn name(field: &str, value: &str, max: usize) -> Result<String> {
    let cleaned = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if cleaned.is_empty() {
        return Err(Error::InvalidInput(format!(
            "{field}: empty; give it a name"
        )));
    }
    text(field, &cleaned, max)?;
    Ok(cleaned)
}

/// A list of at most `max` items.
pub fn count(field: &str, len: usize, max: usize) -> Result<()> {
    if len > max {
        return Err(Error::InvalidInput(format!(
            "{field}: {} given; at most {} in one go",
            thousands(len),
            thousands(max)
        )));
    }
    Ok(())
}

/// A whole number from `min` to `max`.
pub fn range(field: &str, value: u32, min: u32, max: u32) -> Result<u32> {
    if value < min || value > max {
        return Err(Error::InvalidInput(format!(
            "{field}: {value} is out of range (use {min} to {})",
            thousands(max as usize)
        )));
    }
    Ok(value)
}

/// A 1-based place among `len` places (a position in a playlist, a rank in a list); returns it
/// 0-based. `of` names what holds the places ("the playlist"). Out of range is refused rather
/// than clamped: a place past the end means the caller's view of the list is stale, and
/// quietly moving something elsewhere than asked would hide that.
pub fn place(field: &str, value: u32, len: i64, of: &str) -> Result<i64> {
    let value = i64::from(value);
    if value < 1 {
        return Err(Error::InvalidInput(format!(
            "{field}: {value} is out of range (places start at 1)"
        )));
    }
    if value > len {
        return Err(Error::InvalidInput(format!(
            "{field}: {value} is out of range for {of} (use 1 to {len})"
        )));
    }
    Ok(value - 1)
}

/// A file path handed to us: not empty, no NUL (SQLite would read the name only up to it and
/// write somewhere else than asked), and not longer than any system can open.
pub fn path(field: &str, value: &Path) -> Result<()> {
    let raw = value.as_os_str();
    if raw.is_empty() {
        return Err(Error::InvalidInput(format!(
            "{field}: no file given; pick one"
        )));
    }
    if raw.len() > MAX_PATH_BYTES {
        return Err(Error::InvalidInput(format!(
            "{field}: the path is too long ({} bytes; at most {})",
            thousands(raw.len()),
            thousands(MAX_PATH_BYTES)
        )));
    }
    if raw.as_encoded_bytes().contains(&0) {
        return Err(Error::InvalidInput(format!(
            "{field}: the path holds a NUL character"
        )));
    }
    Ok(())
}

/// Pasted text for an import, at most [`MAX_IMPORT_TEXT_BYTES`].
pub fn import_text(value: &str) -> Result<()> {
    if value.len() > MAX_IMPORT_TEXT_BYTES {
        return Err(Error::InvalidInput(format!(
            "pasted text: too long ({} MB; at most {} MB); save it as a file and import the file",
            value.len() / 1_000_000,
            MAX_IMPORT_TEXT_BYTES / 1_000_000
        )));
    }
    Ok(())
}

/// An ISRC as a file or a person writes it (`us-rc1-76-07839`, ` USRC17607839 `) in its
/// canonical form (`USRC17607839`: two letters, then ten letters or digits), or None when it is
/// not one.
pub fn isrc_code(value: &str) -> Option<String> {
    let code: String = value
        .trim()
        .chars()
        .filter(|c| *c != '-')
        .collect::<String>()
        .to_ascii_uppercase();
    // ASCII first: the slices below are by byte, and "–" is three of them.
    let valid = code.len() == 12
        && code.is_ascii()
        && code[..2].chars().all(|c| c.is_ascii_uppercase())
        && code[2..].chars().all(|c| c.is_ascii_alphanumeric());
    valid.then_some(code)
}

/// A link the window may open in the browser or show as a link: an absolute `http` or `https`
/// address with a host and no spaces or control characters. Anything else (`javascript:`,
/// `file:`, `data:`, a relative path) is refused naming the value, so a link read from a file
/// or a backup can never run code or open a local file.
pub fn web_link(value: &str) -> Result<url::Url> {
    let refused = || {
        Error::InvalidInput(format!(
            "link {}: only http:// and https:// addresses are opened",
            quoted(value)
        ))
    };
    text("link", value, MAX_LOCATION)?;
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(refused());
    }
    let parsed = url::Url::parse(value).map_err(|_| refused())?;
    let web = matches!(parsed.scheme(), "http" | "https")
        && parsed.host_str().is_some_and(|h| !h.is_empty());
    if !web {
        return Err(refused());
    }
    Ok(parsed)
}

/// The first `max` characters of `value`, for inputs that are cut rather than refused.
pub fn cut(value: &str, max: usize) -> &str {
    match value.char_indices().nth(max) {
        Some((end, _)) => &value[..end],
        None => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_and_the_numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234), "1,234");
        assert_eq!(thousands(12_345_678), "12,345,678");
        let long = "x".repeat(1_234);
        assert_eq!(
            text("playlist name", &long, 200).unwrap_err().to_string(),
            "playlist name: too long (1,234 characters; at most 200)"
        );
        assert!(
            text("title", &"é".repeat(500), 500).is_ok(),
            "characters, not bytes"
        );
        assert!(id("playlist", 0)
            .unwrap_err()
            .to_string()
            .starts_with("playlist id: 0"));
        assert_eq!(id("song", 7).unwrap(), 7);
        assert_eq!(name("name", "  a \n b ", 10).unwrap(), "a b");
        assert!(name("name", " \t ", 10).is_err());
        assert_eq!(place("position", 3, 3, "the playlist").unwrap(), 2);
        assert!(place("position", 0, 3, "the playlist").is_err());
        assert!(place("position", 4, 3, "the playlist")
            .unwrap_err()
            .to_string()
            .contains("use 1 to 3"));
        assert!(path("file", Path::new("")).is_err());
        assert!(path("file", Path::new("a\0b")).is_err());
        assert!(path("file", Path::new(&"a".repeat(5_000))).is_err());
        assert_eq!(cut("héllo", 2), "hé");
        assert_eq!(cut("hi", 5), "hi");
        assert_eq!(quoted(&"y".repeat(100)).chars().count(), 43);
        assert_eq!(
            isrc_code(" us-rc1-76-07839 ").as_deref(),
            Some("USRC17607839")
        );
        assert_eq!(isrc_code("USRC1760783"), None);
        assert_eq!(isrc_code("12RC17607839"), None);
        assert_eq!(isrc_code("ÜSRC1760783"), None);
        // Found by `make fuzz`: twelve bytes whose second is inside a character.
        assert_eq!(isrc_code("– K\\,SLASH"), None);
        assert_eq!(isrc_code("U–SRC176078"), None);
    }

    #[test]
    fn only_http_and_https_addresses_are_links() {
        for good in [
            "https://music.fandom.com/wiki/Singles",
            "http://example.org/a?b=c#d",
            "HTTPS://EXAMPLE.ORG/",
        ] {
            assert!(web_link(good).is_ok(), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
            "//example.org/path",
            "/relative/path",
            "https://",
            "https://exa mple.org/",
            "https://example.org/\n",
            "http:/\u{0}example.org",
            "mailto:someone@example.org",
            "",
        ] {
            let err = web_link(bad).unwrap_err();
            assert!(err.to_string().starts_with("link"), "{bad:?}: {err}");
        }
    }
}
