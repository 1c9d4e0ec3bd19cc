//! Importing playlist files: a file (or pasted text) is read by `formats` into a sink that
//! writes each song as it comes, inside one transaction, or into the preview that keeps counts
//! and the first songs. It owns the import's naming, linking to library songs and progress; it
//! never parses file text itself.

use std::io::{BufRead, Read};

use rusqlite::{params, Connection, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{clean_name, insert_entry, insert_playlist, write_tx};
use crate::error::{Error, Result};
use crate::formats::{self, Entry, EntrySink, Format, PlaylistFile};
use crate::validate;

/// What an import would create, for the preview before anything is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportPreview {
    pub format: Format,
    pub playlists: Vec<PreviewPlaylist>,
}

/// What an import created, one line per playlist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportedPlaylist {
    pub id: i64,
    pub name: String,
    pub song_count: u32,
    /// Songs linked to a song of a library soundtrack (same album and title).
    pub linked_to_library: u32,
}

/// The library's songs by (album or film title, song title), lowercased, for linking imported
/// songs. Built once per import: one query per imported row was most of a large CSV's import
/// time (3.4 s of 3.4 s for 100,000 rows, measured).
struct LibraryIndex(std::collections::HashMap<(String, String), i64>);

impl LibraryIndex {
    fn load(tx: &Transaction<'_>) -> Result<LibraryIndex> {
        let mut map = std::collections::HashMap::new();
        let mut stmt = tx.prepare(
            "SELECT s.album_title, s.film_title, t.title, t.id
             FROM tracks t JOIN soundtracks s ON s.id = t.soundtrack_id
             WHERE t.deleted_at IS NULL AND s.deleted_at IS NULL ORDER BY t.id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        for row in rows {
            let (album, film, title, id) = row?;
            let title = title.trim().to_lowercase();
            // Descending ids: the lowest id wins when two songs share album and title.
            for name in album.into_iter().chain(std::iter::once(film)) {
                map.insert((name.trim().to_lowercase(), title.clone()), id);
            }
        }
        Ok(LibraryIndex(map))
    }

    /// The library song an imported entry is, when a live soundtrack's album (or film) title and
    /// a song title match, ignoring case.
    fn find(&self, entry: &Entry) -> Option<i64> {
        let album = entry.album.as_deref()?.trim().to_lowercase();
        self.0
            .get(&(album, entry.title.trim().to_lowercase()))
            .copied()
    }
}

/// How far an import has got, for the window's progress bar: songs written, and bytes of the
/// file read (the song count of a file being streamed is not known until its end).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportProgress {
    pub songs: u32,
    pub bytes_read: u64,
    pub bytes_total: u64,
}

/// Songs between two progress reports: often enough for a smooth bar, rare enough to cost
/// nothing next to the inserts.
const PROGRESS_EVERY: u32 = 2_000;

/// A reader that counts what has been consumed, for progress by bytes.
struct Counting<R> {
    inner: R,
    consumed: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.set(self.consumed.get() + n as u64);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amount: usize) {
        self.consumed.set(self.consumed.get() + amount as u64);
        self.inner.consume(amount);
    }
}

/// One playlist being written by an import.
struct Group {
    key: Option<String>,
    id: i64,
    next_ord: i64,
    linked: u32,
}

/// Writes each song as the reader meets it, inside the import's one transaction, creating a
/// playlist the first time a playlist name (or the file's one playlist) appears.
struct ImportSink<'t, 'p> {
    tx: &'t Transaction<'t>,
    library: LibraryIndex,
    groups: Vec<Group>,
    title: Option<String>,
    description: Option<String>,
    songs: u32,
    report: &'p mut dyn FnMut(u32),
}

impl EntrySink for ImportSink<'_, '_> {
    fn entry(&mut self, playlist: Option<&str>, entry: Entry) -> Result<()> {
        let key = playlist.map(str::to_owned);
        let index = match self.groups.iter().position(|g| g.key == key) {
            Some(index) => index,
            None => {
                // A provisional name; `finish` gives each playlist its real one.
                let id =
                    insert_playlist(self.tx, key.as_deref().unwrap_or("Imported playlist"), "")?;
                self.groups.push(Group {
                    key,
                    id,
                    next_ord: 0,
                    linked: 0,
                });
                self.groups.len() - 1
            }
        };
        let group = &mut self.groups[index];
        let track_id = self.library.find(&entry);
        group.linked += u32::from(track_id.is_some());
        insert_entry(self.tx, group.id, group.next_ord, track_id, &entry)?;
        group.next_ord += 1;
        self.songs += 1;
        if self.songs % PROGRESS_EVERY == 0 {
            (self.report)(self.songs);
        }
        Ok(())
    }

    fn title(&mut self, name: Option<String>, description: Option<String>) {
        if name.is_some() {
            self.title = name;
        }
        if description.is_some() {
            self.description = description;
        }
    }
}

impl ImportSink<'_, '_> {
    /// Names every playlist the import made: `name` when given (suffixed with each playlist's
    /// own name when the file held several), else the file's own names, else `fallback_name`.
    fn finish(self, name: Option<&str>, fallback_name: &str) -> Result<Vec<ImportedPlaylist>> {
        let several = self.groups.len() > 1;
        let mut created = Vec::with_capacity(self.groups.len());
        for (index, group) in self.groups.iter().enumerate() {
            let own = group
                .key
                .clone()
                .or_else(|| self.title.clone())
                .filter(|n| !n.trim().is_empty());
            let playlist_name = match (name, own) {
                (Some(given), _) if !several => given.to_owned(),
                (Some(given), Some(own)) => format!("{given} — {own}"),
                (Some(given), None) => format!("{given} {}", index + 1),
                (None, Some(own)) => own,
                (None, None) => fallback_name.to_owned(),
            };
            let playlist_name = clean_name(&playlist_name)?;
            let description = if group.key.is_none() {
                self.description.clone().unwrap_or_default()
            } else {
                String::new()
            };
            self.tx.execute(
                "UPDATE playlists SET name = ?2, description = ?3 WHERE id = ?1",
                params![group.id, playlist_name, description.trim()],
            )?;
            created.push(ImportedPlaylist {
                id: group.id,
                name: playlist_name,
                song_count: group.next_ord as u32,
                linked_to_library: group.linked,
            });
        }
        Ok(created)
    }
}

/// Streams a playlist file into the library: every song is written as it is read, all in one
/// transaction, so a file of any size is never held whole and a bad line anywhere leaves the
/// library as it was. `name` overrides the file's own name.
#[allow(clippy::too_many_arguments)] // each is a distinct fact about the import; a struct would only rename them
pub fn import_from(
    conn: &mut Connection,
    reader: &mut dyn BufRead,
    format: Format,
    source: &str,
    name: Option<&str>,
    fallback_name: &str,
    bytes_total: u64,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<Vec<ImportedPlaylist>> {
    // A name given for the new playlist is checked before a large file is read for nothing.
    if let Some(name) = name {
        clean_name(name)?;
    }
    let consumed = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let mut counting = Counting {
        inner: reader,
        consumed: consumed.clone(),
    };
    progress(ImportProgress {
        songs: 0,
        bytes_read: 0,
        bytes_total,
    });
    let tx = write_tx(conn)?;
    let library = LibraryIndex::load(&tx)?;
    let created = {
        let mut report = |songs: u32| {
            progress(ImportProgress {
                songs,
                bytes_read: consumed.get(),
                bytes_total,
            });
        };
        let mut sink = ImportSink {
            tx: &tx,
            library,
            groups: Vec::new(),
            title: None,
            description: None,
            songs: 0,
            report: &mut report,
        };
        formats::read_from(&mut counting, format, source, &mut sink)?;
        if sink.songs == 0 {
            return Err(Error::InvalidInput(format!(
                "{source}: no songs found (read as {})",
                format.name()
            )));
        }
        sink.finish(name, fallback_name)?
    };
    tx.commit()?;
    let songs = created.iter().map(|p| p.song_count).sum();
    progress(ImportProgress {
        songs,
        bytes_read: bytes_total,
        bytes_total,
    });
    Ok(created)
}

/// Creates playlists from playlists already read (one per file playlist), in one transaction.
pub fn import(
    conn: &mut Connection,
    files: &[PlaylistFile],
    name: Option<&str>,
    fallback_name: &str,
) -> Result<Vec<ImportedPlaylist>> {
    let tx = write_tx(conn)?;
    let library = LibraryIndex::load(&tx)?;
    let created = {
        let mut ignore = |_: u32| {};
        let mut sink = ImportSink {
            tx: &tx,
            library,
            groups: Vec::new(),
            title: None,
            description: None,
            songs: 0,
            report: &mut ignore,
        };
        for (index, file) in files.iter().enumerate() {
            if files.len() == 1 {
                sink.title(file.name.clone(), file.description.clone());
            }
            let key = if files.len() == 1 {
                None
            } else {
                Some(
                    file.name
                        .clone()
                        .unwrap_or_else(|| format!("Playlist {}", index + 1)),
                )
            };
            for entry in &file.entries {
                sink.entry(key.as_deref(), entry.clone())?;
            }
        }
        sink.finish(name, fallback_name)?
    };
    tx.commit()?;
    Ok(created)
}

/// The first songs of each playlist a file holds and how many there are, without writing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PreviewPlaylist {
    pub name: Option<String>,
    pub song_count: u32,
    pub first_songs: Vec<Entry>,
}

/// Songs shown per playlist in the preview.
const PREVIEW_SONGS: usize = 8;

#[derive(Default)]
struct PreviewSink {
    playlists: Vec<(Option<String>, PreviewPlaylist)>,
    title: Option<String>,
}

impl EntrySink for PreviewSink {
    fn entry(&mut self, playlist: Option<&str>, entry: Entry) -> Result<()> {
        let key = playlist.map(str::to_owned);
        let index = match self.playlists.iter().position(|(k, _)| *k == key) {
            Some(index) => index,
            None => {
                self.playlists.push((
                    key.clone(),
                    PreviewPlaylist {
                        name: key,
                        song_count: 0,
                        first_songs: Vec::new(),
                    },
                ));
                self.playlists.len() - 1
            }
        };
        let preview = &mut self.playlists[index].1;
        preview.song_count += 1;
        if preview.first_songs.len() < PREVIEW_SONGS {
            preview.first_songs.push(entry);
        }
        Ok(())
    }

    fn title(&mut self, name: Option<String>, _description: Option<String>) {
        if name.is_some() {
            self.title = name;
        }
    }
}

/// Reads a whole file as an import would (so every bad line is found), keeping only counts and
/// the first songs.
pub fn preview_from(
    reader: &mut dyn BufRead,
    format: Format,
    source: &str,
) -> Result<ImportPreview> {
    let mut sink = PreviewSink::default();
    formats::read_from(reader, format, source, &mut sink)?;
    if sink.playlists.is_empty() {
        return Err(Error::InvalidInput(format!(
            "{source}: no songs found (read as {})",
            format.name()
        )));
    }
    let title = sink.title;
    Ok(ImportPreview {
        format,
        playlists: sink
            .playlists
            .into_iter()
            .map(|(key, mut preview)| {
                if key.is_none() {
                    preview.name = title.clone();
                }
                preview
            })
            .collect(),
    })
}

/// Opens a playlist file for streaming and tells its format from its first 8 KiB (and name).
fn open_playlist_file(
    path: &std::path::Path,
    format: Option<Format>,
) -> Result<(std::io::BufReader<std::fs::File>, Format, u64)> {
    validate::path("playlist file", path)?;
    let file = std::fs::File::open(path)
        .map_err(|e| Error::InvalidInput(format!("cannot read {}: {e}", path.display())))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = std::io::BufReader::with_capacity(64 * 1024, file);
    let format = match format {
        Some(format) => format,
        None => {
            let head = reader
                .fill_buf()
                .map_err(|e| Error::InvalidInput(format!("cannot read {}: {e}", path.display())))?;
            let head = String::from_utf8_lossy(&head[..head.len().min(8 * 1024)]).into_owned();
            formats::detect(&head, path.file_name().and_then(|n| n.to_str()))
        }
    };
    Ok((reader, format, size))
}

fn file_stem(source: &str) -> String {
    std::path::Path::new(source)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "Imported playlist".into())
}

impl crate::Library {
    /// What importing `content` would create, without writing anything (the window's preview).
    pub fn preview_import(
        &self,
        content: &str,
        format: Option<Format>,
        source: &str,
    ) -> Result<ImportPreview> {
        validate::import_text(content)?;
        let format = format.unwrap_or_else(|| formats::detect(content, Some(source)));
        preview_from(&mut content.as_bytes(), format, source)
    }

    /// What importing the file at `path` would create, read as a stream.
    pub fn preview_file(
        &self,
        path: &std::path::Path,
        format: Option<Format>,
    ) -> Result<ImportPreview> {
        let (mut reader, format, _) = open_playlist_file(path, format)?;
        preview_from(&mut reader, format, &path.display().to_string())
    }

    /// Reads `content` (format detected unless given) and creates its playlists.
    pub fn import_playlists(
        &mut self,
        content: &str,
        format: Option<Format>,
        source: &str,
        name: Option<&str>,
    ) -> Result<Vec<ImportedPlaylist>> {
        self.import_playlists_with_progress(content, format, source, name, &mut |_| {})
    }

    /// `import_playlists`, reporting progress as songs are written.
    pub fn import_playlists_with_progress(
        &mut self,
        content: &str,
        format: Option<Format>,
        source: &str,
        name: Option<&str>,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<Vec<ImportedPlaylist>> {
        validate::import_text(content)?;
        let format = format.unwrap_or_else(|| formats::detect(content, Some(source)));
        import_from(
            &mut self.conn,
            &mut content.as_bytes(),
            format,
            source,
            name,
            &file_stem(source),
            content.len() as u64,
            progress,
        )
    }

    /// Streams the playlist file at `path` into the library, reporting progress.
    pub fn import_file(
        &mut self,
        path: &std::path::Path,
        format: Option<Format>,
        name: Option<&str>,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<Vec<ImportedPlaylist>> {
        let (mut reader, format, size) = open_playlist_file(path, format)?;
        let source = path.display().to_string();
        import_from(
            &mut self.conn,
            &mut reader,
            format,
            &source,
            name,
            &file_stem(&source),
            size,
            progress,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::playlists::{export, get_playlist, list_playlists};
    use crate::starter::seeded_in_memory as seeded;

    #[test]
    fn import_links_songs_of_library_albums_and_exports_back() {
        let mut conn = seeded();
        let file = PlaylistFile {
            name: Some("From a friend".into()),
            description: None,
            entries: vec![
                Entry {
                    title: "would?".into(),
                    artists: vec!["Alice in Chains".into()],
                    album: Some("Singles: Original Motion Picture Soundtrack".into()),
                    ..Entry::default()
                },
                Entry {
                    title: "Not in the library".into(),
                    artists: vec!["Nobody".into()],
                    ..Entry::default()
                },
            ],
        };
        let created = import(&mut conn, std::slice::from_ref(&file), None, "x").unwrap();
        assert_eq!(created[0].name, "From a friend");
        assert_eq!(created[0].linked_to_library, 1);
        let detail = get_playlist(&conn, created[0].id).unwrap();
        assert_eq!(detail.songs[0].track_id, Some(1));
        crate::edit::set_rating(&mut conn, crate::edit::Target::Track(1), Some(8)).unwrap();
        let csv = export(&conn, created[0].id, Format::Csv).unwrap();
        let back = formats::read(&csv, Format::Csv, "x.csv").unwrap();
        let mut expected = file.entries.clone();
        // The linked song carries its film and rating out; the other has none.
        expected[0].film = Some("Singles".into());
        expected[0].rating = Some(8);
        assert_eq!(back[0].entries, expected);
    }

    #[test]
    fn progress_is_reported_from_zero_to_the_total() {
        let mut conn = seeded();
        let entries: Vec<Entry> = (0..4_500)
            .map(|n| Entry {
                title: format!("Song {n}"),
                ..Entry::default()
            })
            .collect();
        let file = PlaylistFile {
            name: Some("Big".into()),
            description: None,
            entries,
        };
        let text = formats::write(&file, Format::M3u8);
        let mut seen = Vec::new();
        let created = import_from(
            &mut conn,
            &mut text.as_bytes(),
            Format::M3u8,
            "big.m3u8",
            None,
            "x",
            text.len() as u64,
            &mut |p| seen.push((p.songs, p.bytes_read, p.bytes_total)),
        )
        .unwrap();
        assert_eq!(created[0].name, "Big");
        assert_eq!(created[0].song_count, 4_500);
        let songs: Vec<u32> = seen.iter().map(|s| s.0).collect();
        assert_eq!(songs, [0, 2_000, 4_000, 4_500]);
        let bytes: Vec<u64> = seen.iter().map(|s| s.1).collect();
        assert!(bytes.windows(2).all(|w| w[0] <= w[1]), "{bytes:?}");
        assert!(seen.iter().all(|s| s.1 <= s.2 && s.2 == text.len() as u64));
        assert_eq!(bytes.last(), Some(&(text.len() as u64)));
    }

    #[test]
    fn a_streamed_file_with_a_bad_last_line_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut library = crate::Library::open(dir.path()).unwrap();
        let mut text = String::from("#EXTM3U\n#PLAYLIST:Long\n");
        for n in 0..20_000 {
            text.push_str(&format!(
                "#EXTINF:200,Artist {n} - Song {n}\nsong-{n}.mp3\n"
            ));
        }
        let good = dir.path().join("long.m3u8");
        std::fs::write(&good, &text).unwrap();
        text.push_str("#EXTINF:oops\nbad.mp3\n");
        let bad = dir.path().join("bad.m3u8");
        std::fs::write(&bad, &text).unwrap();

        let preview = library.preview_file(&bad, None);
        assert!(preview.unwrap_err().to_string().contains("line 40003"));
        let error = library
            .import_file(&bad, None, None, &mut |_| {})
            .unwrap_err();
        assert!(
            error.to_string().contains("bad.m3u8, line 40003"),
            "{error}"
        );
        assert!(
            library.list_playlists().unwrap().is_empty(),
            "20,000 songs were rolled back"
        );

        let preview = library.preview_file(&good, None).unwrap();
        assert_eq!(preview.playlists[0].song_count, 20_000);
        assert_eq!(preview.playlists[0].first_songs.len(), PREVIEW_SONGS);
        let created = library.import_file(&good, None, None, &mut |_| {}).unwrap();
        assert_eq!(
            (created[0].name.as_str(), created[0].song_count),
            ("Long", 20_000)
        );
    }

    #[test]
    fn a_bad_song_in_an_import_leaves_nothing_behind() {
        let mut conn = seeded();
        let good = Entry {
            title: "Fine".into(),
            ..Entry::default()
        };
        let bad = Entry {
            title: "   ".into(),
            ..Entry::default()
        };
        let files = [
            PlaylistFile {
                name: Some("One".into()),
                description: None,
                entries: vec![good.clone()],
            },
            PlaylistFile {
                name: Some("Two".into()),
                description: None,
                entries: vec![good, bad],
            },
        ];
        assert!(import(&mut conn, &files, None, "x").is_err());
        assert!(list_playlists(&conn).unwrap().is_empty());
    }
}
