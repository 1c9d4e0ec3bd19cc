//! Everything a curator changes: soundtracks and songs added, edited, favourited, rated, noted,
//! tagged, deleted to the trash and restored.
//!
//! Each public function is one user action and runs in one transaction, so an edit lands whole or
//! not at all. Input is validated here (lengths, ranges, ids that exist) and rejected with an
//! `InvalidInput` or `NotFound` error that names the field; nothing is written then. This module
//! must not read files or know about front ends.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::library::{insert_soundtrack, NewSoundtrack, NewTrack};
use crate::model::Media;
use crate::validate::{
    self, MAX_ARTISTS, MAX_DISC, MAX_NOTES, MAX_POSITION, MAX_SONGS_PER_CALL, MAX_SOURCE_URLS,
    MAX_TAGS, MAX_TAG_CHARS, MAX_TITLE,
};

/// What an action applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Target {
    Soundtrack(i64),
    Track(i64),
}

/// The editable facts of a soundtrack (its songs are edited one by one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SoundtrackFields {
    pub film_title: String,
    pub film_year: Option<i32>,
    pub media: Media,
    pub album_title: Option<String>,
    pub album_year: Option<i32>,
    pub label: Option<String>,
    pub notes: String,
    pub source_urls: Vec<String>,
    pub tracklist_complete: bool,
}

/// The editable facts of a song.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TrackFields {
    pub disc: u32,
    /// `None` for a song heard in the film that is not on the album.
    pub position: Option<u32>,
    pub title: String,
    pub artists: Vec<String>,
    pub duration_ms: Option<u32>,
    pub on_album: bool,
    pub scene_note: String,
    pub notes: String,
    pub isrc: Option<String>,
}

/// Something in the trash, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TrashItem {
    pub target: Target,
    /// "Singles" for a soundtrack, "Would? — Singles" for a song.
    pub label: String,
    pub deleted_at: String,
}

fn short_text(field: &str, value: &str) -> Result<()> {
    validate::text(field, value, MAX_TITLE)
}

fn notes_text(field: &str, value: &str) -> Result<()> {
    validate::text(field, value, MAX_NOTES)
}

fn year(field: &str, value: Option<i32>) -> Result<()> {
    match value {
        Some(y) if !(1880..=2100).contains(&y) => Err(Error::InvalidInput(format!(
            "{field}: {y} is not a plausible year (1880 to 2100)"
        ))),
        _ => Ok(()),
    }
}

/// Trims the fields and checks them; returns the cleaned copy.
fn clean_soundtrack(fields: &SoundtrackFields) -> Result<SoundtrackFields> {
    let film_title = fields.film_title.trim().to_owned();
    if film_title.is_empty() {
        return Err(Error::InvalidInput(
            "film title: a soundtrack needs one".into(),
        ));
    }
    short_text("film title", &film_title)?;
    let optional = |field: &str, value: &Option<String>| -> Result<Option<String>> {
        let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty());
        if let Some(v) = value {
            short_text(field, v)?;
        }
        Ok(value.map(str::to_owned))
    };
    year("film year", fields.film_year)?;
    year("album year", fields.album_year)?;
    notes_text("notes", &fields.notes)?;
    validate::count("source URLs", fields.source_urls.len(), MAX_SOURCE_URLS)?;
    let mut source_urls = Vec::new();
    for url in fields
        .source_urls
        .iter()
        .map(|u| u.trim())
        .filter(|u| !u.is_empty())
    {
        short_text("source URL", url)?;
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(Error::InvalidInput(format!(
                "source URL {}: must start with http:// or https://",
                validate::quoted(url)
            )));
        }
        source_urls.push(url.to_owned());
    }
    Ok(SoundtrackFields {
        film_title,
        film_year: fields.film_year,
        media: fields.media,
        album_title: optional("album title", &fields.album_title)?,
        album_year: fields.album_year,
        label: optional("label", &fields.label)?,
        notes: fields.notes.clone(),
        source_urls,
        tracklist_complete: fields.tracklist_complete,
    })
}

fn clean_track(fields: &TrackFields, which: &str) -> Result<TrackFields> {
    let title = fields.title.trim().to_owned();
    if title.is_empty() {
        return Err(Error::InvalidInput(format!("{which}: the title is empty")));
    }
    short_text(&format!("{which}: title"), &title)?;
    validate::count(
        &format!("{which}: artists"),
        fields.artists.len(),
        MAX_ARTISTS,
    )?;
    let artists: Vec<String> = fields
        .artists
        .iter()
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect();
    for artist in &artists {
        short_text(&format!("{which}: artist"), artist)?;
    }
    if fields.disc == 0 || fields.disc > MAX_DISC {
        return Err(Error::InvalidInput(format!(
            "{which}: disc must be 1 to {MAX_DISC}"
        )));
    }
    if fields.on_album && fields.position == Some(0) {
        return Err(Error::InvalidInput(format!(
            "{which}: positions start at 1"
        )));
    }
    if let Some(position) = fields.position.filter(|_| fields.on_album) {
        validate::range(&format!("{which}: position"), position, 1, MAX_POSITION)?;
    }
    if fields.duration_ms.is_some_and(|ms| ms > 24 * 3600 * 1000) {
        return Err(Error::InvalidInput(format!(
            "{which}: a duration over 24 hours is not a song"
        )));
    }
    notes_text(&format!("{which}: scene note"), &fields.scene_note)?;
    notes_text(&format!("{which}: notes"), &fields.notes)?;
    let isrc = fields
        .isrc
        .as_deref()
        .map(|i| i.trim().replace('-', "").to_uppercase())
        .filter(|i| !i.is_empty());
    if let Some(code) = &isrc {
        let valid = code.len() == 12
            && code.is_ascii()
            && code[..2].chars().all(|c| c.is_ascii_uppercase())
            && code[2..].chars().all(|c| c.is_ascii_alphanumeric());
        if !valid {
            return Err(Error::InvalidInput(format!(
                "{which}: {code:?} is not an ISRC (two letters and ten letters or digits)"
            )));
        }
    }
    Ok(TrackFields {
        disc: fields.disc,
        position: if fields.on_album {
            fields.position
        } else {
            None
        },
        title,
        artists,
        duration_ms: fields.duration_ms,
        on_album: fields.on_album,
        scene_note: fields.scene_note.trim().to_owned(),
        notes: fields.notes.clone(),
        isrc,
    })
}

/// Checks that `target` is well-formed (`InvalidInput`), exists and is not in the trash
/// (`NotFound`, naming the kind and id). Every action on a target calls this before it writes.
pub(crate) fn ensure_live(conn: &Connection, target: Target) -> Result<()> {
    validate::id(target.kind(), target.id())?;
    let (sql, what) = match target {
        Target::Soundtrack(_) => (
            "SELECT deleted_at IS NULL FROM soundtracks WHERE id = ?1",
            "soundtrack",
        ),
        Target::Track(_) => (
            "SELECT t.deleted_at IS NULL AND s.deleted_at IS NULL
             FROM tracks t JOIN soundtracks s ON s.id = t.soundtrack_id WHERE t.id = ?1",
            "song",
        ),
    };
    let id = target.id();
    match conn
        .query_row(sql, [id], |row| row.get::<_, bool>(0))
        .optional()?
    {
        Some(true) => Ok(()),
        Some(false) => Err(Error::NotFound(format!(
            "the {what} with id {id} is in the trash; restore it first"
        ))),
        None => Err(Error::NotFound(format!("there is no {what} with id {id}"))),
    }
}

impl Target {
    pub fn id(self) -> i64 {
        match self {
            Target::Soundtrack(id) | Target::Track(id) => id,
        }
    }

    /// What the target is called in messages.
    pub fn kind(self) -> &'static str {
        match self {
            Target::Soundtrack(_) => "soundtrack",
            Target::Track(_) => "song",
        }
    }

    fn table(self) -> &'static str {
        match self {
            Target::Soundtrack(_) => "soundtracks",
            Target::Track(_) => "tracks",
        }
    }
}

fn write_tx(conn: &mut Connection) -> Result<rusqlite::Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

fn to_new_track(fields: TrackFields) -> (NewTrack, String, Option<String>) {
    let notes = fields.notes;
    let isrc = fields.isrc;
    (
        NewTrack {
            disc: fields.disc,
            position: fields.position,
            title: fields.title,
            artists: fields.artists,
            duration_ms: fields.duration_ms,
            on_album: fields.on_album,
            scene_note: fields.scene_note,
            source_url: None,
        },
        notes,
        isrc,
    )
}

/// Adds a soundtrack with its songs; returns its id.
pub fn create_soundtrack(
    conn: &mut Connection,
    fields: &SoundtrackFields,
    tracks: &[TrackFields],
) -> Result<i64> {
    let fields = clean_soundtrack(fields)?;
    validate::count("songs", tracks.len(), MAX_SONGS_PER_CALL)?;
    let cleaned = tracks
        .iter()
        .enumerate()
        .map(|(i, t)| clean_track(t, &format!("song {}", i + 1)))
        .collect::<Result<Vec<_>>>()?;
    let tx = write_tx(conn)?;
    let mut extras = Vec::new();
    let mut new_tracks = Vec::new();
    for track in cleaned {
        let (new, notes, isrc) = to_new_track(track);
        new_tracks.push(new);
        extras.push((notes, isrc));
    }
    let id = insert_soundtrack(
        &tx,
        &NewSoundtrack {
            film_title: fields.film_title,
            film_year: fields.film_year,
            media: fields.media,
            album_title: fields.album_title,
            album_year: fields.album_year,
            label: fields.label,
            notes: fields.notes,
            tracklist_complete: fields.tracklist_complete,
            source_urls: fields.source_urls,
            tracks: new_tracks,
        },
    )?;
    store_track_extras(&tx, id, &extras)?;
    tx.commit()?;
    Ok(id)
}

/// Notes and ISRCs are not part of `NewTrack` (the starter catalog has none); set them on the
/// songs just inserted, which are the soundtrack's newest rows in insertion order.
fn store_track_extras(
    conn: &Connection,
    soundtrack_id: i64,
    extras: &[(String, Option<String>)],
) -> Result<()> {
    if extras
        .iter()
        .all(|(notes, isrc)| notes.is_empty() && isrc.is_none())
    {
        return Ok(());
    }
    let mut ids =
        conn.prepare("SELECT id FROM tracks WHERE soundtrack_id = ?1 ORDER BY id DESC LIMIT ?2")?;
    let mut newest: Vec<i64> = ids
        .query_map(params![soundtrack_id, extras.len() as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    newest.reverse();
    let mut update = conn.prepare("UPDATE tracks SET notes = ?2, isrc = ?3 WHERE id = ?1")?;
    for (id, (notes, isrc)) in newest.iter().zip(extras) {
        update.execute(params![id, notes, isrc])?;
    }
    Ok(())
}

/// Replaces a soundtrack's facts (not its songs, tags, rating or favourite).
pub fn update_soundtrack(conn: &mut Connection, id: i64, fields: &SoundtrackFields) -> Result<()> {
    let fields = clean_soundtrack(fields)?;
    let tx = write_tx(conn)?;
    ensure_live(&tx, Target::Soundtrack(id))?;
    tx.execute(
        "UPDATE soundtracks SET film_title = ?2, film_year = ?3, media = ?4, album_title = ?5,
             album_year = ?6, label = ?7, notes = ?8, tracklist_complete = ?9
         WHERE id = ?1",
        params![
            id,
            fields.film_title,
            fields.film_year,
            fields.media.as_str(),
            fields.album_title,
            fields.album_year,
            fields.label,
            fields.notes,
            fields.tracklist_complete
        ],
    )?;
    tx.execute(
        "DELETE FROM soundtrack_sources WHERE soundtrack_id = ?1",
        [id],
    )?;
    for (ord, url) in fields.source_urls.iter().enumerate() {
        tx.execute(
            "INSERT INTO soundtrack_sources (soundtrack_id, ord, url) VALUES (?1, ?2, ?3)",
            params![id, ord as i64, url],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Appends songs to a soundtrack (album songs without a position go after the last one);
/// returns their ids in order.
pub fn add_tracks(
    conn: &mut Connection,
    soundtrack_id: i64,
    tracks: &[TrackFields],
) -> Result<Vec<i64>> {
    validate::id("soundtrack", soundtrack_id)?;
    validate::count("songs", tracks.len(), MAX_SONGS_PER_CALL)?;
    let cleaned = tracks
        .iter()
        .enumerate()
        .map(|(i, t)| clean_track(t, &format!("song {}", i + 1)))
        .collect::<Result<Vec<_>>>()?;
    if cleaned.is_empty() {
        return Err(Error::InvalidInput(
            "songs: none given; there are no songs to add".into(),
        ));
    }
    let tx = write_tx(conn)?;
    ensure_live(&tx, Target::Soundtrack(soundtrack_id))?;
    let (mut next_position, mut next_film_order): (u32, i64) = tx.query_row(
        "SELECT coalesce(max(position), 0) + 1, coalesce(max(film_order), -1) + 1
         FROM tracks WHERE soundtrack_id = ?1",
        [soundtrack_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut ids = Vec::with_capacity(cleaned.len());
    for track in cleaned {
        let position = match (track.on_album, track.position) {
            (true, Some(p)) => Some(p),
            (true, None) => Some(next_position),
            (false, _) => None,
        };
        if let Some(p) = position {
            next_position = next_position.max(p + 1);
        }
        let film_order = (!track.on_album).then(|| {
            next_film_order += 1;
            next_film_order - 1
        });
        tx.execute(
            "INSERT INTO tracks (soundtrack_id, disc, position, title, duration_ms, on_album,
                 scene_note, notes, isrc, film_order)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                soundtrack_id,
                track.disc,
                position,
                track.title,
                track.duration_ms,
                track.on_album,
                track.scene_note,
                track.notes,
                track.isrc,
                film_order
            ],
        )?;
        let track_id = tx.last_insert_rowid();
        write_artists(&tx, track_id, &track.artists)?;
        ids.push(track_id);
    }
    tx.commit()?;
    Ok(ids)
}

fn write_artists(conn: &Connection, track_id: i64, artists: &[String]) -> Result<()> {
    conn.execute("DELETE FROM track_artists WHERE track_id = ?1", [track_id])?;
    let mut insert =
        conn.prepare_cached("INSERT INTO track_artists (track_id, ord, name) VALUES (?1, ?2, ?3)")?;
    for (ord, name) in artists.iter().enumerate() {
        insert.execute(params![track_id, ord as i64, name])?;
    }
    Ok(())
}

/// Replaces a song's facts (not its rating, favourite or tags).
pub fn update_track(conn: &mut Connection, id: i64, fields: &TrackFields) -> Result<()> {
    let track = clean_track(fields, "song")?;
    let tx = write_tx(conn)?;
    ensure_live(&tx, Target::Track(id))?;
    tx.execute(
        "UPDATE tracks SET disc = ?2, position = ?3, title = ?4, duration_ms = ?5, on_album = ?6,
             scene_note = ?7, notes = ?8, isrc = ?9,
             film_order = CASE WHEN ?6 THEN NULL ELSE coalesce(film_order,
                 (SELECT coalesce(max(film_order), -1) + 1 FROM tracks o
                  WHERE o.soundtrack_id = tracks.soundtrack_id)) END
         WHERE id = ?1",
        params![
            id,
            track.disc,
            track.position,
            track.title,
            track.duration_ms,
            track.on_album,
            track.scene_note,
            track.notes,
            track.isrc
        ],
    )?;
    write_artists(&tx, id, &track.artists)?;
    tx.commit()?;
    Ok(())
}

pub fn set_favourite(conn: &mut Connection, target: Target, favourite: bool) -> Result<()> {
    let tx = write_tx(conn)?;
    ensure_live(&tx, target)?;
    tx.execute(
        &format!("UPDATE {} SET favourite = ?2 WHERE id = ?1", target.table()),
        params![target.id(), favourite],
    )?;
    tx.commit()?;
    Ok(())
}

/// Rates in half stars: 1 (½ star) to 10 (5 stars); `None` clears the rating.
pub fn set_rating(conn: &mut Connection, target: Target, half_stars: Option<u8>) -> Result<()> {
    if let Some(r) = half_stars {
        if !(1..=10).contains(&r) {
            return Err(Error::InvalidInput(format!(
                "rating: {r} is out of range; use 1 (half a star) to 10 (five stars)"
            )));
        }
    }
    let tx = write_tx(conn)?;
    ensure_live(&tx, target)?;
    tx.execute(
        &format!("UPDATE {} SET rating = ?2 WHERE id = ?1", target.table()),
        params![target.id(), half_stars],
    )?;
    tx.commit()?;
    Ok(())
}

pub fn set_notes(conn: &mut Connection, target: Target, notes: &str) -> Result<()> {
    notes_text("notes", notes)?;
    let tx = write_tx(conn)?;
    ensure_live(&tx, target)?;
    tx.execute(
        &format!("UPDATE {} SET notes = ?2 WHERE id = ?1", target.table()),
        params![target.id(), notes],
    )?;
    tx.commit()?;
    Ok(())
}

/// Cleans a list of tags: trimmed, inner spaces folded, duplicates (ignoring case) dropped.
pub fn clean_tags(tags: &[String]) -> Result<Vec<String>> {
    let mut cleaned: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.split_whitespace().collect::<Vec<_>>().join(" ");
        if tag.is_empty() {
            continue;
        }
        validate::text(
            &format!("tag {}", validate::quoted(&tag)),
            &tag,
            MAX_TAG_CHARS,
        )?;
        if tag.chars().any(char::is_control) {
            return Err(Error::InvalidInput(format!(
                "tag {}: holds a control character; tags are plain words",
                validate::quoted(&tag)
            )));
        }
        if !cleaned
            .iter()
            .any(|t| t.eq_ignore_ascii_case(&tag) || t.to_lowercase() == tag.to_lowercase())
        {
            cleaned.push(tag);
        }
        // Checked as the list grows (blank and repeated tags do not count), so a pasted
        // million is refused at the 51st distinct tag rather than compared pairwise.
        if cleaned.len() > MAX_TAGS {
            return Err(Error::InvalidInput(format!(
                "tags: more than {MAX_TAGS} different tags; at most {MAX_TAGS}, please"
            )));
        }
    }
    Ok(cleaned)
}

/// Replaces the tags on a soundtrack or song. Tags nobody uses any more are removed.
pub fn set_tags(conn: &mut Connection, target: Target, tags: &[String]) -> Result<Vec<String>> {
    let tags = clean_tags(tags)?;
    let tx = write_tx(conn)?;
    ensure_live(&tx, target)?;
    let (link_table, owner_column) = match target {
        Target::Soundtrack(_) => ("soundtrack_tags", "soundtrack_id"),
        Target::Track(_) => ("track_tags", "track_id"),
    };
    tx.execute(
        &format!("DELETE FROM {link_table} WHERE {owner_column} = ?1"),
        [target.id()],
    )?;
    for tag in &tags {
        tx.execute(
            "INSERT INTO tags (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
            [tag],
        )?;
        tx.execute(
            &format!(
                "INSERT OR IGNORE INTO {link_table} ({owner_column}, tag_id)
                 SELECT ?1, id FROM tags WHERE name = ?2"
            ),
            params![target.id(), tag],
        )?;
    }
    tx.execute(
        "DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM soundtrack_tags)
                            AND id NOT IN (SELECT tag_id FROM track_tags)",
        [],
    )?;
    tx.commit()?;
    Ok(tags)
}

/// Tags already in use that start with `prefix` (ignoring case), most used first.
pub fn tag_suggestions(conn: &Connection, prefix: &str, limit: u32) -> Result<Vec<String>> {
    // As-you-type: a prefix longer than any tag can be matches nothing, which is the answer,
    // not an error to put in front of someone still typing.
    if prefix.trim().chars().nth(MAX_TAG_CHARS).is_some() {
        return Ok(Vec::new());
    }
    let escaped = prefix
        .trim()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let mut stmt = conn.prepare_cached(
        "SELECT g.name FROM tags g
         WHERE g.name LIKE ?1 || '%' ESCAPE '\\'
         ORDER BY (SELECT count(*) FROM soundtrack_tags WHERE tag_id = g.id)
                + (SELECT count(*) FROM track_tags WHERE tag_id = g.id) DESC,
                  g.name COLLATE NOCASE
         LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![escaped, limit.min(100)], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Moves a soundtrack (with its songs) or one song to the trash. Undo with [`restore`].
pub fn delete(conn: &mut Connection, target: Target) -> Result<()> {
    let tx = write_tx(conn)?;
    ensure_live(&tx, target)?;
    tx.execute(
        &format!(
            "UPDATE {} SET deleted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
            target.table()
        ),
        [target.id()],
    )?;
    tx.commit()?;
    Ok(())
}

/// Takes a soundtrack or song back out of the trash, exactly as it was.
pub fn restore(conn: &mut Connection, target: Target) -> Result<()> {
    validate::id(target.kind(), target.id())?;
    let tx = write_tx(conn)?;
    let changed = tx.execute(
        &format!(
            "UPDATE {} SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL",
            target.table()
        ),
        [target.id()],
    )?;
    if changed == 0 {
        return Err(Error::NotFound(format!(
            "there is nothing in the trash with id {id} to restore: no {kind} {id} is there",
            id = target.id(),
            kind = target.kind()
        )));
    }
    tx.commit()?;
    Ok(())
}

/// What is in the trash, newest first.
pub fn list_trash(conn: &Connection) -> Result<Vec<TrashItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT 'soundtrack', id, film_title, deleted_at FROM soundtracks WHERE deleted_at IS NOT NULL
         UNION ALL
         SELECT 'track', t.id, t.title || ' — ' || s.film_title, t.deleted_at
         FROM tracks t JOIN soundtracks s ON s.id = t.soundtrack_id
         WHERE t.deleted_at IS NOT NULL
         ORDER BY 4 DESC",
    )?;
    let rows = stmt.query_map([], |row| {
        let kind: String = row.get(0)?;
        let id: i64 = row.get(1)?;
        Ok(TrashItem {
            target: if kind == "soundtrack" {
                Target::Soundtrack(id)
            } else {
                Target::Track(id)
            },
            label: row.get(2)?,
            deleted_at: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Removes everything in the trash for good; returns how many items went.
pub fn empty_trash(conn: &mut Connection) -> Result<usize> {
    let tx = write_tx(conn)?;
    let tracks = tx.execute("DELETE FROM tracks WHERE deleted_at IS NOT NULL", [])?;
    let soundtracks = tx.execute("DELETE FROM soundtracks WHERE deleted_at IS NOT NULL", [])?;
    tx.execute(
        "DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM soundtrack_tags)
                            AND id NOT IN (SELECT tag_id FROM track_tags)",
        [],
    )?;
    tx.commit()?;
    Ok(tracks + soundtracks)
}

/// The edit actions on an open library, for the window and the CLI alike.
impl crate::Library {
    pub fn create_soundtrack(
        &mut self,
        fields: &SoundtrackFields,
        tracks: &[TrackFields],
    ) -> Result<i64> {
        create_soundtrack(&mut self.conn, fields, tracks)
    }

    pub fn update_soundtrack(&mut self, id: i64, fields: &SoundtrackFields) -> Result<()> {
        update_soundtrack(&mut self.conn, id, fields)
    }

    pub fn add_tracks(&mut self, soundtrack_id: i64, tracks: &[TrackFields]) -> Result<Vec<i64>> {
        add_tracks(&mut self.conn, soundtrack_id, tracks)
    }

    pub fn update_track(&mut self, id: i64, fields: &TrackFields) -> Result<()> {
        update_track(&mut self.conn, id, fields)
    }

    pub fn set_favourite(&mut self, target: Target, favourite: bool) -> Result<()> {
        set_favourite(&mut self.conn, target, favourite)
    }

    pub fn set_rating(&mut self, target: Target, half_stars: Option<u8>) -> Result<()> {
        set_rating(&mut self.conn, target, half_stars)
    }

    pub fn set_notes(&mut self, target: Target, notes: &str) -> Result<()> {
        set_notes(&mut self.conn, target, notes)
    }

    pub fn set_tags(&mut self, target: Target, tags: &[String]) -> Result<Vec<String>> {
        set_tags(&mut self.conn, target, tags)
    }

    pub fn tag_suggestions(&self, prefix: &str, limit: u32) -> Result<Vec<String>> {
        tag_suggestions(&self.conn, prefix, limit)
    }

    pub fn delete(&mut self, target: Target) -> Result<()> {
        delete(&mut self.conn, target)
    }

    pub fn restore(&mut self, target: Target) -> Result<()> {
        restore(&mut self.conn, target)
    }

    pub fn list_trash(&self) -> Result<Vec<TrashItem>> {
        list_trash(&self.conn)
    }

    pub fn empty_trash(&mut self) -> Result<usize> {
        empty_trash(&mut self.conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{get_soundtrack, list_soundtracks};

    use crate::starter::seeded_in_memory as seeded;

    fn singles(conn: &Connection) -> i64 {
        list_soundtracks(conn)
            .unwrap()
            .iter()
            .find(|s| s.film_title == "Singles")
            .unwrap()
            .id
    }

    fn fields(title: &str) -> SoundtrackFields {
        SoundtrackFields {
            film_title: title.into(),
            film_year: Some(1995),
            media: Media::Film,
            album_title: Some(format!("{title} (Soundtrack)")),
            album_year: Some(1995),
            label: None,
            notes: String::new(),
            source_urls: vec![],
            tracklist_complete: true,
        }
    }

    fn song(title: &str, artist: &str) -> TrackFields {
        TrackFields {
            disc: 1,
            position: None,
            title: title.into(),
            artists: vec![artist.into()],
            duration_ms: Some(200_000),
            on_album: true,
            scene_note: String::new(),
            notes: String::new(),
            isrc: None,
        }
    }

    fn row_count(conn: &Connection) -> i64 {
        conn.query_row(
            "SELECT (SELECT count(*) FROM soundtracks) + (SELECT count(*) FROM tracks)
                  + (SELECT count(*) FROM track_artists) + (SELECT count(*) FROM tags)",
            [],
            |r| r.get(0),
        )
        .unwrap()
    }

    #[test]
    fn create_and_read_back_with_positions_notes_and_isrc() {
        let mut conn = seeded();
        let mut first = song("Hackers Theme", "Orbital");
        first.isrc = Some("gb-aap-95-00001".into());
        first.notes = "opening credits".into();
        let mut film_only = song("Voodoo People", "The Prodigy");
        film_only.on_album = false;
        film_only.scene_note = "the rollerblade chase".into();
        let id = create_soundtrack(
            &mut conn,
            &fields("Hackers"),
            &[first, song("Halcyon", "Orbital"), film_only],
        )
        .unwrap();
        let detail = get_soundtrack(&conn, id).unwrap();
        assert_eq!(detail.tracks.len(), 3);
        assert_eq!(detail.tracks[0].isrc.as_deref(), Some("GBAAP9500001"));
        assert_eq!(detail.tracks[0].notes, "opening credits");
        assert!(detail.tracks[2].position.is_none() && !detail.tracks[2].on_album);
        assert_eq!(detail.tracks[2].scene_note, "the rollerblade chase");
    }

    #[test]
    fn add_tracks_continues_album_positions() {
        let mut conn = seeded();
        let id = singles(&conn);
        let ids = add_tracks(
            &mut conn,
            id,
            &[song("Bonus", "Someone"), song("Bonus 2", "Someone")],
        )
        .unwrap();
        assert_eq!(ids.len(), 2);
        let detail = get_soundtrack(&conn, id).unwrap();
        let album: Vec<_> = detail.tracks.iter().filter(|t| t.on_album).collect();
        assert_eq!(album.len(), 15);
        assert_eq!(album[13].title, "Bonus");
        assert_eq!(album[13].position, Some(14));
        assert_eq!(album[14].position, Some(15));
    }

    #[test]
    fn bad_input_names_the_problem_and_writes_nothing() {
        let mut conn = seeded();
        let before = row_count(&conn);
        let id = singles(&conn);
        let cases: Vec<Result<()>> = vec![
            create_soundtrack(&mut conn, &fields("   "), &[]).map(|_| ()),
            create_soundtrack(
                &mut conn,
                &fields("Ok"),
                &[song("Fine", "A"), song("", "B")],
            )
            .map(|_| ()),
            set_rating(&mut conn, Target::Soundtrack(id), Some(11)),
            set_rating(&mut conn, Target::Soundtrack(id), Some(0)),
            set_favourite(&mut conn, Target::Track(999_999), true),
            update_soundtrack(
                &mut conn,
                id,
                &SoundtrackFields {
                    film_year: Some(3000),
                    ..fields("Singles")
                },
            ),
            update_soundtrack(
                &mut conn,
                id,
                &SoundtrackFields {
                    source_urls: vec!["javascript:alert(1)".into()],
                    ..fields("Singles")
                },
            ),
            set_tags(&mut conn, Target::Soundtrack(id), &["x".repeat(61)]).map(|_| ()),
            add_tracks(&mut conn, id, &[]).map(|_| ()),
            add_tracks(
                &mut conn,
                id,
                &[TrackFields {
                    isrc: Some("nope".into()),
                    ..song("A", "B")
                }],
            )
            .map(|_| ()),
        ];
        for (i, outcome) in cases.into_iter().enumerate() {
            let err = outcome.expect_err(&format!("case {i} should fail"));
            assert!(!err.to_string().is_empty());
            assert!(
                matches!(err, Error::InvalidInput(_) | Error::NotFound(_)),
                "case {i}: {err:?}"
            );
        }
        let second = create_soundtrack(
            &mut conn,
            &fields("Ok"),
            &[song("Fine", "A"), song("", "B")],
        )
        .unwrap_err();
        assert!(second.to_string().contains("song 2"), "{second}");
        assert_eq!(row_count(&conn), before);
    }

    #[test]
    fn favourite_rating_notes_and_tags_on_soundtracks_and_tracks() {
        let mut conn = seeded();
        let id = singles(&conn);
        let would = get_soundtrack(&conn, id).unwrap().tracks[0].id;
        set_favourite(&mut conn, Target::Soundtrack(id), true).unwrap();
        set_favourite(&mut conn, Target::Track(would), true).unwrap();
        set_rating(&mut conn, Target::Soundtrack(id), Some(9)).unwrap();
        set_rating(&mut conn, Target::Track(would), Some(10)).unwrap();
        set_notes(
            &mut conn,
            Target::Soundtrack(id),
            "Seattle, 1992.\nCameron Crowe.",
        )
        .unwrap();
        let tags = set_tags(
            &mut conn,
            Target::Soundtrack(id),
            &["grunge".into(), " Grunge ".into(), "alt  rock".into()],
        )
        .unwrap();
        assert_eq!(tags, vec!["grunge", "alt rock"]);
        set_tags(&mut conn, Target::Track(would), &["Grunge".into()]).unwrap();

        let detail = get_soundtrack(&conn, id).unwrap();
        assert!(detail.favourite);
        assert_eq!(detail.rating, Some(9));
        assert_eq!(detail.notes, "Seattle, 1992.\nCameron Crowe.");
        assert_eq!(detail.tags, vec!["alt rock", "grunge"]);
        assert!(detail.tracks[0].favourite);
        assert_eq!(detail.tracks[0].rating, Some(10));
        assert_eq!(tag_suggestions(&conn, "gr", 10).unwrap(), vec!["grunge"]);
        assert_eq!(
            tag_suggestions(&conn, "%", 10).unwrap(),
            Vec::<String>::new()
        );

        set_rating(&mut conn, Target::Soundtrack(id), None).unwrap();
        set_tags(&mut conn, Target::Soundtrack(id), &[]).unwrap();
        set_tags(&mut conn, Target::Track(would), &[]).unwrap();
        assert_eq!(get_soundtrack(&conn, id).unwrap().rating, None);
        assert!(
            tag_suggestions(&conn, "", 10).unwrap().is_empty(),
            "unused tags are removed"
        );
    }

    #[test]
    fn deleting_goes_to_the_trash_and_restore_gives_everything_back() {
        let mut conn = seeded();
        let id = singles(&conn);
        set_rating(&mut conn, Target::Soundtrack(id), Some(8)).unwrap();
        set_tags(&mut conn, Target::Soundtrack(id), &["grunge".into()]).unwrap();
        let before = get_soundtrack(&conn, id).unwrap();

        delete(&mut conn, Target::Soundtrack(id)).unwrap();
        assert_eq!(list_soundtracks(&conn).unwrap().len(), 25);
        assert!(matches!(get_soundtrack(&conn, id), Err(Error::NotFound(_))));
        assert!(matches!(
            set_rating(&mut conn, Target::Soundtrack(id), Some(2)),
            Err(Error::NotFound(_))
        ));
        let trash = list_trash(&conn).unwrap();
        assert_eq!(trash.len(), 1);
        assert_eq!(trash[0].target, Target::Soundtrack(id));
        assert_eq!(trash[0].label, "Singles");

        restore(&mut conn, Target::Soundtrack(id)).unwrap();
        assert_eq!(get_soundtrack(&conn, id).unwrap(), before);
        assert!(list_trash(&conn).unwrap().is_empty());
        assert!(matches!(
            restore(&mut conn, Target::Soundtrack(id)),
            Err(Error::NotFound(_))
        ));
    }

    #[test]
    fn a_deleted_song_leaves_the_list_and_empty_trash_removes_it_for_good() {
        let mut conn = seeded();
        let id = singles(&conn);
        let would = get_soundtrack(&conn, id).unwrap().tracks[0].id;
        delete(&mut conn, Target::Track(would)).unwrap();
        let detail = get_soundtrack(&conn, id).unwrap();
        assert_eq!(detail.tracks.iter().filter(|t| t.on_album).count(), 12);
        assert_eq!(list_soundtracks(&conn).unwrap()[0].track_count, 12);
        assert_eq!(list_trash(&conn).unwrap()[0].label, "Would? — Singles");
        assert_eq!(empty_trash(&mut conn).unwrap(), 1);
        assert!(matches!(
            restore(&mut conn, Target::Track(would)),
            Err(Error::NotFound(_))
        ));
        let gone: i64 = conn
            .query_row("SELECT count(*) FROM tracks WHERE id = ?1", [would], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(gone, 0);
    }

    #[test]
    fn update_track_rewrites_artists_in_order() {
        let mut conn = seeded();
        let id = singles(&conn);
        let would = get_soundtrack(&conn, id).unwrap().tracks[0].clone();
        let mut changed = song("Would? (Live)", "Alice in Chains");
        changed.artists.push("Mark Lanegan".into());
        changed.position = would.position;
        update_track(&mut conn, would.id, &changed).unwrap();
        let after = get_soundtrack(&conn, id).unwrap().tracks[0].clone();
        assert_eq!(after.title, "Would? (Live)");
        assert_eq!(after.artists, vec!["Alice in Chains", "Mark Lanegan"]);
        assert_eq!(after.position, Some(1));
    }

    #[test]
    fn target_serialises_as_kind_and_id() {
        let json = serde_json::to_string(&Target::Track(7)).unwrap();
        assert_eq!(json, r#"{"kind":"track","id":7}"#);
    }
}
