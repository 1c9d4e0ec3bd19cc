//! What a backup carries, table by table and column by column, and the rule each value must pass
//! on its way into a library: the same caps and shapes an edit or an import must pass
//! (`validate.rs`), checked again because a backup is a file anyone can write.
//!
//! This is the one list to extend when a migration adds a table or a column: add the column to
//! its table here (a test fails until every table and column of the latest schema is either
//! carried here or named in [`NOT_CARRIED`]). Restore copies every listed column that the
//! backup's version has; merge copies the `Data` columns. This module must not read or write
//! any database; it only says what is allowed.

use rusqlite::types::Value;

use crate::validate::{
    self, MAX_ARTISTS, MAX_DESCRIPTION, MAX_NAME, MAX_NOTES, MAX_PATH_BYTES, MAX_SOURCE_URLS,
    MAX_TAGS, MAX_TAG_CHARS, MAX_TITLE,
};

/// How a column's values are checked (and, for ISRCs, brought to the one stored form).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rule {
    /// A row id or a reference to one: a whole number from 1.
    Id,
    /// A place in an order: a whole number from 0.
    Order,
    /// A whole number in a range.
    Int(i64, i64),
    /// 0 or 1.
    Flag,
    /// A film or album year: 1880 to 2100, as an edit allows.
    Year,
    /// Half stars, 1 to 10.
    Rating,
    /// Any number (a match score).
    Real,
    /// Text of at most this many characters; `true` when it must hold more than spaces.
    Text(usize, bool),
    /// An `http://` or `https://` address, at most a title long: the only links the window opens.
    Url,
    /// An ISRC: two letters and ten letters or digits, stored in capitals without hyphens.
    Isrc,
    /// `spotify:track:` and a 22-character id.
    SpotifyTrack,
    /// A tag: a short name without control characters.
    Tag,
    /// A cover file name of the shape the core makes (`covers::cover_path` accepts it).
    CoverName,
    /// A time stamp as SQLite's `strftime` writes it.
    Timestamp,
    /// One of a fixed set of words.
    OneOf(&'static [&'static str]),
    /// A JSON document of at most this many bytes (the schema checks that it is JSON).
    Json(usize),
    /// A playlist entry's artists: a JSON array of at most [`MAX_ARTISTS`] names.
    Artists,
    /// A playlist entry's location (a file path or an address), at most a path long.
    Location,
    /// A MusicBrainz id: a UUID in lower case, as the look-ups store it.
    Mbid,
}

/// A column's part in the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The row's own id: kept by a restore, made anew by a merge.
    Key,
    /// A reference to a row of another table: kept by a restore, translated by a merge.
    Parent(&'static str),
    /// What the row says: copied as it is (once checked).
    Data,
}

#[derive(Debug)]
pub(crate) struct Column {
    pub name: &'static str,
    pub rule: Rule,
    pub nullable: bool,
    pub role: Role,
}

/// A table a backup carries.
#[derive(Debug)]
pub(crate) struct Table {
    pub name: &'static str,
    /// What one row is, for messages ("song 12: title: too long …").
    pub row: &'static str,
    pub columns: &'static [Column],
    /// At most this many rows per value of this column (source links per soundtrack, …).
    pub per_parent: Option<(&'static str, usize)>,
    /// Rows kept in an order by (parent column, order column) that must run 0, 1, 2, … with no
    /// gap or repeat, as the ordering code keeps them.
    pub dense_order: Option<(&'static str, &'static str)>,
}

impl Table {
    pub fn data_columns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns
            .iter()
            .filter(|c| c.role == Role::Data)
            .map(|c| c.name)
    }
}

const fn key(name: &'static str) -> Column {
    Column {
        name,
        rule: Rule::Id,
        nullable: false,
        role: Role::Key,
    }
}

const fn parent(name: &'static str, table: &'static str) -> Column {
    Column {
        name,
        rule: Rule::Id,
        nullable: false,
        role: Role::Parent(table),
    }
}

const fn data(name: &'static str, rule: Rule) -> Column {
    Column {
        name,
        rule,
        nullable: false,
        role: Role::Data,
    }
}

const fn maybe(name: &'static str, rule: Rule) -> Column {
    Column {
        name,
        rule,
        nullable: true,
        role: Role::Data,
    }
}

const TITLE: Rule = Rule::Text(MAX_TITLE, true);
const OPTIONAL_TITLE: Rule = Rule::Text(MAX_TITLE, false);
const NOTES: Rule = Rule::Text(MAX_NOTES, false);
/// Durations: a song is under 24 hours, as an edit allows.
const DURATION: Rule = Rule::Int(0, 24 * 3600 * 1000);

/// Every table a backup carries, parents before children (a restore inserts in this order).
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "soundtracks",
        row: "soundtrack",
        columns: &[
            key("id"),
            data("film_title", TITLE),
            maybe("film_year", Rule::Year),
            data("media", Rule::OneOf(&["film", "tv", "other"])),
            maybe("album_title", OPTIONAL_TITLE),
            maybe("album_year", Rule::Year),
            maybe("label", OPTIONAL_TITLE),
            data("notes", NOTES),
            maybe("rating", Rule::Rating),
            data("favourite", Rule::Flag),
            maybe("cover", Rule::CoverName),
            data("tracklist_complete", Rule::Flag),
            data("added_at", Rule::Timestamp),
            maybe("deleted_at", Rule::Timestamp),
            maybe("musicbrainz_release_id", Rule::Mbid),
            maybe("musicbrainz_release_group_id", Rule::Mbid),
            data("provenance", NOTES),
        ],
        per_parent: None,
        dense_order: None,
    },
    Table {
        name: "soundtrack_sources",
        row: "source link of soundtrack",
        columns: &[
            parent("soundtrack_id", "soundtracks"),
            data("ord", Rule::Order),
            data("url", Rule::Url),
        ],
        per_parent: Some(("soundtrack_id", MAX_SOURCE_URLS)),
        dense_order: None,
    },
    Table {
        name: "tracks",
        row: "song",
        columns: &[
            key("id"),
            parent("soundtrack_id", "soundtracks"),
            data("disc", Rule::Int(1, validate::MAX_DISC as i64)),
            maybe("position", Rule::Int(1, validate::MAX_POSITION as i64)),
            data("title", TITLE),
            maybe("duration_ms", DURATION),
            data("on_album", Rule::Flag),
            data("scene_note", NOTES),
            data("favourite", Rule::Flag),
            maybe("rating", Rule::Rating),
            data("notes", NOTES),
            maybe("isrc", Rule::Isrc),
            maybe("source_url", Rule::Url),
            maybe("film_order", Rule::Order),
            data("added_at", Rule::Timestamp),
            maybe("deleted_at", Rule::Timestamp),
            maybe("musicbrainz_recording_id", Rule::Mbid),
        ],
        per_parent: None,
        dense_order: None,
    },
    Table {
        name: "track_artists",
        row: "artist of song",
        columns: &[
            parent("track_id", "tracks"),
            data("ord", Rule::Order),
            data("name", TITLE),
            data("joinphrase", Rule::Text(MAX_NAME, false)),
        ],
        per_parent: Some(("track_id", MAX_ARTISTS)),
        dense_order: None,
    },
    Table {
        name: "tags",
        row: "tag",
        columns: &[key("id"), data("name", Rule::Tag)],
        per_parent: None,
        dense_order: None,
    },
    Table {
        name: "soundtrack_tags",
        row: "tag of soundtrack",
        columns: &[
            parent("soundtrack_id", "soundtracks"),
            parent("tag_id", "tags"),
        ],
        per_parent: Some(("soundtrack_id", MAX_TAGS)),
        dense_order: None,
    },
    Table {
        name: "track_tags",
        row: "tag of song",
        columns: &[parent("track_id", "tracks"), parent("tag_id", "tags")],
        per_parent: Some(("track_id", MAX_TAGS)),
        dense_order: None,
    },
    Table {
        name: "playlists",
        row: "playlist",
        columns: &[
            key("id"),
            data("name", Rule::Text(MAX_NAME, true)),
            data("description", Rule::Text(MAX_DESCRIPTION, false)),
            data("created_at", Rule::Timestamp),
        ],
        per_parent: None,
        dense_order: None,
    },
    Table {
        name: "playlist_entries",
        row: "playlist entry",
        columns: &[
            key("id"),
            parent("playlist_id", "playlists"),
            data("ord", Rule::Order),
            Column {
                name: "track_id",
                rule: Rule::Id,
                nullable: true,
                role: Role::Parent("tracks"),
            },
            data("title", TITLE),
            data("artists", Rule::Artists),
            maybe("album", OPTIONAL_TITLE),
            maybe("duration_ms", DURATION),
            maybe("spotify_uri", Rule::SpotifyTrack),
            maybe("isrc", Rule::Isrc),
            maybe("location", Rule::Location),
            data("notes", NOTES),
        ],
        per_parent: None,
        dense_order: Some(("playlist_id", "ord")),
    },
    Table {
        name: "ranked_lists",
        row: "ranked list",
        columns: &[
            key("id"),
            data("name", Rule::Text(MAX_NAME, true)),
            data("description", Rule::Text(MAX_DESCRIPTION, false)),
            data("created_at", Rule::Timestamp),
        ],
        per_parent: None,
        dense_order: None,
    },
    Table {
        name: "ranked_entries",
        row: "ranked entry",
        columns: &[
            key("id"),
            parent("list_id", "ranked_lists"),
            data("ord", Rule::Order),
            // An entry made from a survey may wait for its soundtrack, known by title alone.
            Column {
                name: "soundtrack_id",
                rule: Rule::Id,
                nullable: true,
                role: Role::Parent("soundtracks"),
            },
            data("note", NOTES),
            data("title", OPTIONAL_TITLE),
            maybe("release_group_id", Rule::Mbid),
        ],
        per_parent: None,
        dense_order: Some(("list_id", "ord")),
    },
    Table {
        name: "ranked_list_surveys",
        row: "survey thread of ranked list",
        columns: &[
            parent("list_id", "ranked_lists"),
            data("thread", Rule::Text(crate::survey::MAX_THREAD_BYTES, true)),
            data("agreeing_replies", Rule::Flag),
            data("comments", Rule::Int(0, 10_000_000)),
            data("counted_at", Rule::Timestamp),
        ],
        per_parent: None,
        dense_order: None,
    },
    Table {
        name: "spotify_matches",
        row: "Spotify match",
        columns: &[
            data("song_key", Rule::Text(MAX_NOTES, true)),
            data(
                "state",
                Rule::OneOf(&[
                    "matched",
                    "chosen",
                    "doubtful",
                    "not_found",
                    "not_on_spotify",
                ]),
            ),
            maybe("uri", Rule::SpotifyTrack),
            maybe("score", Rule::Real),
            data("candidates", Rule::Json(256 * 1024)),
            data("decided_at", Rule::Timestamp),
        ],
        per_parent: None,
        dense_order: None,
    },
    Table {
        name: "spotify_playlists",
        row: "Spotify link of playlist",
        columns: &[
            parent("playlist_id", "playlists"),
            data("remote_id", Rule::Text(100, true)),
            data("url", Rule::Url),
            data("public", Rule::Flag),
            maybe("snapshot_id", Rule::Text(MAX_TITLE, false)),
            maybe("synced_uris", Rule::Json(8 * 1024 * 1024)),
            maybe("exported_at", Rule::Timestamp),
        ],
        per_parent: None,
        dense_order: None,
    },
    Table {
        name: "library_meta",
        row: "library fact",
        columns: &[
            data("key", Rule::Text(100, true)),
            data("value", Rule::Text(MAX_NOTES, false)),
        ],
        per_parent: None,
        dense_order: None,
    },
];

/// Tables of the schema a backup does not carry, and why: the search index is rebuilt from the
/// rows by the new library's own triggers, so whatever a backup's copy holds is never read; the
/// online look-ups' cache and their review list are only a cache.
#[cfg(test)]
pub(crate) const NOT_CARRIED: &[&str] = &[
    // Answers of MusicBrainz kept for a week or a month: asked again when needed.
    "catalog_cache",
    // Matches waiting for the fan's review: the next "Find covers and details" finds them again.
    "enrich_reviews",
    "search_index",
    "search_index_data",
    "search_index_idx",
    "search_index_content",
    "search_index_docsize",
    "search_index_config",
    "search_terms",
];

pub(crate) fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

/// Checks `value` against `column`'s rule; returns the value to store (an ISRC in its one
/// stored form, everything else as it was) or what is wrong, starting with the column's name.
pub(crate) fn check(column: &Column, value: Value) -> Result<Value, String> {
    let field = column.name.replace('_', " ");
    if value == Value::Null {
        return if column.nullable {
            Ok(Value::Null)
        } else {
            Err(format!("{field}: empty, and it must hold something"))
        };
    }
    match (column.rule, value) {
        (Rule::Id, Value::Integer(n)) => range(&field, n, 1, i64::MAX),
        (Rule::Order, Value::Integer(n)) => range(&field, n, 0, 100_000_000),
        (Rule::Int(min, max), Value::Integer(n)) => range(&field, n, min, max),
        (Rule::Flag, Value::Integer(n)) => range(&field, n, 0, 1),
        (Rule::Year, Value::Integer(n)) => range(&field, n, 1880, 2100),
        (Rule::Rating, Value::Integer(n)) => range(&field, n, 1, 10),
        (Rule::Real, Value::Real(x)) if x.is_finite() => Ok(Value::Real(x)),
        (Rule::Real, Value::Integer(n)) => Ok(Value::Integer(n)),
        (rule, Value::Text(text)) => {
            text_rule(&field, rule, &text)?;
            if let Rule::Isrc = rule {
                return Ok(Value::Text(isrc(&field, &text)?));
            }
            Ok(Value::Text(text))
        }
        (_, value) => Err(format!(
            "{field}: holds {}, which is not what Cuesheet keeps there",
            kind(&value)
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Integer(_) => "a number",
        Value::Real(_) => "a fraction",
        Value::Text(_) => "text",
        Value::Blob(_) => "binary data",
    }
}

fn range(field: &str, n: i64, min: i64, max: i64) -> Result<Value, String> {
    if n < min || n > max {
        return Err(format!("{field}: {n} is out of range ({min} to {max})"));
    }
    Ok(Value::Integer(n))
}

fn text_rule(field: &str, rule: Rule, text: &str) -> Result<(), String> {
    // A NUL cuts text short in C and in most files we export to; other control characters
    // (except tab and line breaks, which notes use) are never typed and hide text in the window.
    if let Some(c) = text
        .chars()
        .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(format!(
            "{field}: holds the control character U+{:04X}",
            c as u32
        ));
    }
    let short = |max: usize| validate::text(field, text, max).map_err(|e| e.to_string());
    match rule {
        Rule::Text(max, required) => {
            short(max)?;
            if required && text.trim().is_empty() {
                return Err(format!("{field}: empty, and it must hold something"));
            }
        }
        Rule::Url => {
            short(MAX_TITLE)?;
            let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://")) {
                return Err(format!(
                    "{field} {}: must start with http:// or https://",
                    validate::quoted(text)
                ));
            }
        }
        Rule::SpotifyTrack => {
            let id = text.strip_prefix("spotify:track:").unwrap_or("");
            if id.len() != 22 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(format!(
                    "{field} {}: not a Spotify track (spotify:track: and 22 letters or digits)",
                    validate::quoted(text)
                ));
            }
        }
        Rule::Tag => {
            short(MAX_TAG_CHARS)?;
            if text.trim().is_empty() {
                return Err(format!("{field}: empty, and it must hold something"));
            }
        }
        Rule::CoverName => {
            if crate::covers::cover_path(std::path::Path::new("."), text).is_none() {
                return Err(format!(
                    "{field} {}: not the name of a cover Cuesheet stores",
                    validate::quoted(text)
                ));
            }
        }
        Rule::Timestamp => {
            let shaped = !text.is_empty()
                && text.len() <= 40
                && text
                    .chars()
                    .all(|c| c.is_ascii_digit() || "-:.TZ+ ".contains(c));
            if !shaped {
                return Err(format!("{field} {}: not a time", validate::quoted(text)));
            }
        }
        Rule::OneOf(words) => {
            if !words.contains(&text) {
                return Err(format!(
                    "{field} {}: not one of {}",
                    validate::quoted(text),
                    words.join(", ")
                ));
            }
        }
        Rule::Json(max_bytes) => {
            if text.len() > max_bytes {
                return Err(format!(
                    "{field}: too long ({} bytes; at most {})",
                    validate::thousands(text.len()),
                    validate::thousands(max_bytes)
                ));
            }
        }
        Rule::Artists => {
            let names: Vec<String> =
                serde_json::from_str(text).map_err(|_| format!("{field}: not a list of names"))?;
            validate::count(field, names.len(), MAX_ARTISTS).map_err(|e| e.to_string())?;
            for name in &names {
                validate::text(field, name, MAX_TITLE).map_err(|e| e.to_string())?;
            }
        }
        Rule::Location => {
            if text.len() > MAX_PATH_BYTES {
                return Err(format!(
                    "{field}: too long ({} bytes; at most {})",
                    validate::thousands(text.len()),
                    validate::thousands(MAX_PATH_BYTES)
                ));
            }
        }
        Rule::Mbid => {
            // The look-ups store exactly what `check_mbid` gives: the lower-case UUID.
            if crate::catalog::client::check_mbid(text).ok().as_deref() != Some(text) {
                return Err(format!(
                    "{field} {}: not a MusicBrainz id",
                    validate::quoted(text)
                ));
            }
        }
        Rule::Isrc => {}
        Rule::Id
        | Rule::Order
        | Rule::Int(..)
        | Rule::Flag
        | Rule::Year
        | Rule::Rating
        | Rule::Real => {
            return Err(format!("{field}: holds text where a number belongs"));
        }
    }
    Ok(())
}

/// The one stored form of an ISRC, as an edit makes it (`edit::clean_track`), or why not.
fn isrc(field: &str, text: &str) -> Result<String, String> {
    let code = text.trim().replace('-', "").to_uppercase();
    let valid = code.len() == 12
        && code[..2].chars().all(|c| c.is_ascii_uppercase())
        && code[2..].chars().all(|c| c.is_ascii_alphanumeric());
    if !valid {
        return Err(format!(
            "{field} {}: not an ISRC (two letters and ten letters or digits)",
            validate::quoted(text)
        ));
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn columns_of(conn: &rusqlite::Connection, table: &str) -> BTreeSet<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM pragma_table_info(?1)")
            .unwrap();
        stmt.query_map([table], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// A migration that adds a table or a column fails here until this module says whether
    /// backups carry it, so nothing new is silently left out of a restore.
    #[test]
    fn every_table_and_column_of_the_latest_schema_is_carried_or_named() {
        let conn = crate::db::schema_at(crate::db::SCHEMA_VERSION).unwrap();
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap();
        let tables: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for name in &tables {
            if NOT_CARRIED.contains(&name.as_str()) {
                continue;
            }
            let spec = table(name).unwrap_or_else(|| {
                panic!("table {name}: add it to backup::tables::TABLES or NOT_CARRIED")
            });
            let declared: BTreeSet<String> =
                spec.columns.iter().map(|c| c.name.to_owned()).collect();
            assert_eq!(
                columns_of(&conn, name),
                declared,
                "table {name}: every column must be listed in backup::tables::TABLES"
            );
        }
        for spec in TABLES {
            assert!(
                tables.contains(&spec.name.to_owned()),
                "{} is gone",
                spec.name
            );
        }
    }

    fn column(rule: Rule, nullable: bool) -> Column {
        Column {
            name: "source_url",
            rule,
            nullable,
            role: Role::Data,
        }
    }

    #[test]
    fn values_are_held_to_what_an_edit_allows() {
        let url = column(Rule::Url, true);
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "ftp://x",
            " https://x",
        ] {
            let error = check(&url, Value::Text(bad.into())).unwrap_err();
            assert!(error.starts_with("source url"), "{error}");
        }
        assert!(check(&url, Value::Text("HTTPS://example.org".into())).is_ok());
        assert_eq!(check(&url, Value::Null), Ok(Value::Null));
        let title = column(TITLE, false);
        let error = check(&title, Value::Text("t".repeat(100_000))).unwrap_err();
        assert!(error.contains("100,000 characters; at most 500"), "{error}");
        assert!(check(&title, Value::Null).is_err());
        assert!(check(&title, Value::Text("   ".into())).is_err());
        assert!(check(&title, Value::Text("a\0b".into()))
            .unwrap_err()
            .contains("U+0000"));
        assert!(check(&title, Value::Blob(vec![1, 2])).is_err());
        assert!(check(&title, Value::Integer(7)).is_err());
        let notes = column(NOTES, false);
        assert!(check(&notes, Value::Text("n".repeat(1_000_000))).is_err());
        assert!(check(&notes, Value::Text("two\nlines\tand a tab".into())).is_ok());
        let isrc = column(Rule::Isrc, true);
        assert_eq!(
            check(&isrc, Value::Text("gb-aap-95-00001".into())),
            Ok(Value::Text("GBAAP9500001".into()))
        );
        for bad in ["nope", "12AAP9500001", "GBAAP95000012", "GB AAP9500001"] {
            assert!(check(&isrc, Value::Text(bad.into())).is_err(), "{bad}");
        }
        let cover = column(Rule::CoverName, true);
        assert!(check(&cover, Value::Text("3-abc.jpg".into())).is_ok());
        assert!(check(&cover, Value::Text("../library.sqlite3".into())).is_err());
        let rating = column(Rule::Rating, true);
        assert!(check(&rating, Value::Integer(11)).is_err());
        let artists = column(Rule::Artists, false);
        assert!(check(&artists, Value::Text(r#"["Lisa Loeb"]"#.into())).is_ok());
        assert!(check(&artists, Value::Text(r#"[1]"#.into())).is_err());
        let uri = column(Rule::SpotifyTrack, true);
        assert!(check(
            &uri,
            Value::Text("spotify:track:4uLU6hMCjMI75M1A2tKUQC".into())
        )
        .is_ok());
        assert!(check(&uri, Value::Text("javascript:alert(1)".into())).is_err());
    }
}
