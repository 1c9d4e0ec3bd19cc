//! Exporting a playlist: its songs, with what the library knows of them (film, rating, tags),
//! written by `formats` as text, and to a file only through `safe_file`, so a target that is the
//! library, a link or a device is refused and a failed write leaves the old file whole.

use rusqlite::{Connection, OptionalExtension};

use super::get_playlist;
use crate::error::Result;
use crate::formats::{self, Format, PlaylistFile};

/// The playlist in a file format, songs in order, duplicates kept. Library songs carry their
/// film, rating and tags into the formats that have room for them.
pub fn export(conn: &Connection, playlist_id: i64, format: Format) -> Result<String> {
    let detail = get_playlist(conn, playlist_id)?;
    let mut curated = conn.prepare_cached(
        "SELECT t.rating,
                (SELECT json_group_array(name) FROM (SELECT g.name FROM track_tags tt
                    JOIN tags g ON g.id = tt.tag_id WHERE tt.track_id = t.id ORDER BY g.name))
         FROM tracks t WHERE t.id = ?1",
    )?;
    let mut entries = Vec::with_capacity(detail.songs.len());
    for song in detail.songs {
        let mut entry = song.song;
        if let Some(track_id) = song.track_id {
            entry.film = song.film_title;
            let found: Option<(Option<u8>, String)> = curated
                .query_row([track_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            if let Some((rating, tags)) = found {
                entry.rating = rating;
                entry.tags = serde_json::from_str(&tags).unwrap_or_default();
            }
        }
        entries.push(entry);
    }
    let file = PlaylistFile {
        name: Some(detail.summary.name),
        description: Some(detail.summary.description).filter(|d| !d.is_empty()),
        entries,
    };
    Ok(formats::write(&file, format))
}

impl crate::Library {
    pub fn export_playlist(&self, id: i64, format: Format) -> Result<String> {
        export(self.conn(), id, format)
    }
    /// Writes the playlist in `format` to the file at `path` (never over the library itself);
    /// returns how many songs it holds.
    pub fn export_playlist_to(
        &self,
        id: i64,
        format: Format,
        path: &std::path::Path,
    ) -> Result<u32> {
        crate::safe_file::check_target("export file", path, self.data_dir())?;
        let detail = get_playlist(self.conn(), id)?;
        let text = export(self.conn(), id, format)?;
        crate::safe_file::write_whole("export file", path, self.data_dir(), text.as_bytes())?;
        Ok(detail.summary.song_count)
    }
}
