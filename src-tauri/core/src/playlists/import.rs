//! Importing playlist files: a file (or pasted text) is read by `formats` into a sink that
//! writes each song as it comes, inside one transaction, or into the preview that keeps counts
//! and the first songs. It owns the import's naming, linking to library songs and progress; it
//! never parses file text itself.

use std::collections::HashMap;
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
    /// The first [`PREVIEW_PLAYLISTS`] playlists the file holds, in order.
    pub playlists: Vec<PreviewPlaylist>,
    /// Playlists past those, counted but not shown.
    pub more_playlists: u32,
    /// Rows that named no song at all and will be skipped (a CSV row whose song columns are
    /// all empty, as TuneMyMusic writes for deleted or private videos).
    pub skipped: u32,
    /// The first line that was not UTF-8 and was read as Windows-1252 (Western European), as
    /// Winamp and Windows Media Player saved `.m3u` and `.pls` files; None for a UTF-8 file.
    pub windows_1252_from_line: Option<u32>,
}

/// What an import created, one line per playlist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportedPlaylist {
    pub id: i64,
    pub name: String,
    pub song_count: u32,
    /// Songs linked to a song of a library soundtrack (same album and title).
    pub linked_to_library: u32,
    /// Rows of this playlist that named no song and were skipped.
    pub skipped: u32,
}

/// What an import did: the playlists it created, and every row it skipped (those of a playlist
/// that got no song at all included, which no playlist line can show).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportSummary {
    pub playlists: Vec<ImportedPlaylist>,
    pub skipped: u32,
    /// The first line that was not UTF-8 and was read as Windows-1252 (Western European), as
    /// Winamp and Windows Media Player saved `.m3u` and `.pls` files; None for a UTF-8 file.
    pub windows_1252_from_line: Option<u32>,
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
/// playlist the first time a playlist name (or the file's one playlist) appears. Playlists are
/// found by name in a map: a file naming 100,000 playlists once took quadratic time here.
struct ImportSink<'t, 'p> {
    tx: &'t Transaction<'t>,
    library: LibraryIndex,
    groups: Vec<Group>,
    by_key: HashMap<Option<String>, usize>,
    skipped: HashMap<Option<String>, u32>,
    title: Option<String>,
    description: Option<String>,
    songs: u32,
    windows_1252_from_line: Option<u32>,
    report: &'p mut dyn FnMut(u32),
}

impl<'t, 'p> ImportSink<'t, 'p> {
    fn new(tx: &'t Transaction<'t>, report: &'p mut dyn FnMut(u32)) -> Result<Self> {
        Ok(ImportSink {
            tx,
            library: LibraryIndex::load(tx)?,
            groups: Vec::new(),
            by_key: HashMap::new(),
            skipped: HashMap::new(),
            title: None,
            description: None,
            songs: 0,
            windows_1252_from_line: None,
            report,
        })
    }
}

impl EntrySink for ImportSink<'_, '_> {
    fn entry(&mut self, playlist: Option<&str>, entry: Entry) -> Result<()> {
        let key = playlist.map(str::to_owned);
        let index = match self.by_key.get(&key) {
            Some(index) => *index,
            None => {
                // A provisional name; `finish` gives each playlist its real one.
                let id =
                    insert_playlist(self.tx, key.as_deref().unwrap_or("Imported playlist"), "")?;
                self.groups.push(Group {
                    key: key.clone(),
                    id,
                    next_ord: 0,
                    linked: 0,
                });
                self.by_key.insert(key, self.groups.len() - 1);
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

    fn skipped(&mut self, playlist: Option<&str>) {
        *self.skipped.entry(playlist.map(str::to_owned)).or_default() += 1;
    }

    fn read_as_windows_1252(&mut self, line: usize) {
        self.windows_1252_from_line
            .get_or_insert(u32::try_from(line).unwrap_or(u32::MAX));
    }
}

impl ImportSink<'_, '_> {
    /// Names every playlist the import made: `name` when given (suffixed with each playlist's
    /// own name when the file held several), else the file's own names, else `fallback_name`.
    fn finish(self, name: Option<&str>, fallback_name: &str) -> Result<ImportSummary> {
        let several = self.groups.len() > 1;
        let mut created = Vec::with_capacity(self.groups.len());
        let mut rename = self
            .tx
            .prepare_cached("UPDATE playlists SET name = ?2, description = ?3 WHERE id = ?1")?;
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
            let description = super::clean_description(&description)?;
            // A playlist named by the file's playlist column already has its name.
            let provisional = group.key.as_deref().unwrap_or("Imported playlist");
            if playlist_name != clean_name(provisional)? || !description.is_empty() {
                rename.execute(params![group.id, playlist_name, description])?;
            }
            created.push(ImportedPlaylist {
                id: group.id,
                name: playlist_name,
                song_count: group.next_ord as u32,
                linked_to_library: group.linked,
                skipped: self.skipped.get(&group.key).copied().unwrap_or(0),
            });
        }
        Ok(ImportSummary {
            playlists: created,
            skipped: self.skipped.values().sum(),
            windows_1252_from_line: self.windows_1252_from_line,
        })
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
) -> Result<ImportSummary> {
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
    let created = {
        let mut report = |songs: u32| {
            progress(ImportProgress {
                songs,
                bytes_read: consumed.get(),
                bytes_total,
            });
        };
        let mut sink = ImportSink::new(&tx, &mut report)?;
        formats::read_from(&mut counting, format, source, &mut sink)?;
        if sink.songs == 0 {
            return Err(no_songs(source, format, sink.skipped.values().sum()));
        }
        sink.finish(name, fallback_name)?
    };
    tx.commit()?;
    let songs = created.playlists.iter().map(|p| p.song_count).sum();
    progress(ImportProgress {
        songs,
        bytes_read: bytes_total,
        bytes_total,
    });
    Ok(created)
}

/// "no songs found", saying how many rows named none when some did.
fn no_songs(source: &str, format: Format, skipped: u32) -> Error {
    let rows = if skipped > 0 {
        format!(
            "; {} row(s) named no song and were skipped",
            validate::thousands(skipped as usize)
        )
    } else {
        String::new()
    };
    Error::InvalidInput(format!(
        "{source}: no songs found (read as {}){rows}",
        format.name()
    ))
}

/// Creates playlists from playlists already read (one per file playlist), in one transaction.
pub fn import(
    conn: &mut Connection,
    files: &[PlaylistFile],
    name: Option<&str>,
    fallback_name: &str,
) -> Result<ImportSummary> {
    let tx = write_tx(conn)?;
    let created = {
        let mut ignore = |_: u32| {};
        let mut sink = ImportSink::new(&tx, &mut ignore)?;
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
    /// Rows of this playlist that named no song and will be skipped.
    pub skipped: u32,
}

/// Songs shown per playlist in the preview.
const PREVIEW_SONGS: usize = 8;

/// Playlists shown in the preview; the rest are counted. A file may name 100,000 playlists,
/// and the window cannot show (or be sent) all of them usefully.
pub const PREVIEW_PLAYLISTS: usize = 100;

#[derive(Default)]
struct PreviewSink {
    playlists: Vec<(Option<String>, PreviewPlaylist)>,
    by_key: HashMap<Option<String>, usize>,
    /// Playlists past the first [`PREVIEW_PLAYLISTS`], by name, only to count them.
    more: std::collections::HashSet<Option<String>>,
    skipped_elsewhere: u32,
    title: Option<String>,
    windows_1252_from_line: Option<u32>,
}

impl EntrySink for PreviewSink {
    fn entry(&mut self, playlist: Option<&str>, entry: Entry) -> Result<()> {
        let key = playlist.map(str::to_owned);
        let index = match self.by_key.get(&key) {
            Some(index) => *index,
            None if self.playlists.len() >= PREVIEW_PLAYLISTS => {
                self.more.insert(key);
                return Ok(());
            }
            None => {
                self.playlists.push((
                    key.clone(),
                    PreviewPlaylist {
                        name: key.clone(),
                        song_count: 0,
                        first_songs: Vec::new(),
                        skipped: 0,
                    },
                ));
                self.by_key.insert(key, self.playlists.len() - 1);
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

    fn skipped(&mut self, playlist: Option<&str>) {
        match self.by_key.get(&playlist.map(str::to_owned)) {
            Some(index) => self.playlists[*index].1.skipped += 1,
            None => self.skipped_elsewhere += 1,
        }
    }

    fn read_as_windows_1252(&mut self, line: usize) {
        self.windows_1252_from_line
            .get_or_insert(u32::try_from(line).unwrap_or(u32::MAX));
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
    let skipped =
        sink.skipped_elsewhere + sink.playlists.iter().map(|(_, p)| p.skipped).sum::<u32>();
    if sink.playlists.is_empty() {
        return Err(no_songs(source, format, skipped));
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
        more_playlists: sink.more.len() as u32,
        skipped,
        windows_1252_from_line: sink.windows_1252_from_line,
    })
}

/// Opens a playlist file for streaming and tells its format from its first 8 KiB (and name).
fn open_playlist_file(
    path: &std::path::Path,
    format: Option<Format>,
) -> Result<(std::io::BufReader<std::fs::File>, Format, u64)> {
    let file = open_regular_file("playlist file", path)?;
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
    formats::check_size(format, size, &path.display().to_string())?;
    Ok((reader, format, size))
}

/// Opens `path` for reading only if it is a regular file (a link to one is fine): a device
/// (`/dev/zero` never ends), a pipe (a FIFO blocks until someone writes) or a folder is refused
/// by name before a byte is read. The file is opened without blocking and checked again through
/// the open handle, so a name swapped for a pipe between the check and the open cannot hang us.
fn open_regular_file(field: &str, path: &std::path::Path) -> Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;

    validate::path(field, path)?;
    let shown = path.display();
    let kind_of = |meta: &std::fs::Metadata| {
        if meta.is_file() {
            return Ok(());
        }
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "a device, pipe or socket"
        };
        Err(Error::InvalidInput(format!(
            "{field}: {shown} is {what}, not a playlist file; pick a file"
        )))
    };
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::InvalidInput(format!("{field}: cannot read {shown}: {e}")))?;
    kind_of(&meta)?;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| Error::InvalidInput(format!("{field}: cannot read {shown}: {e}")))?;
    let meta = file
        .metadata()
        .map_err(|e| Error::InvalidInput(format!("{field}: cannot read {shown}: {e}")))?;
    kind_of(&meta)?;
    Ok(file)
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
        formats::check_size(format, content.len() as u64, source)?;
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
    ) -> Result<ImportSummary> {
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
    ) -> Result<ImportSummary> {
        validate::import_text(content)?;
        let format = format.unwrap_or_else(|| formats::detect(content, Some(source)));
        formats::check_size(format, content.len() as u64, source)?;
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
    ) -> Result<ImportSummary> {
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
        assert_eq!(created.playlists[0].name, "From a friend");
        assert_eq!(created.playlists[0].linked_to_library, 1);
        let detail = get_playlist(&conn, created.playlists[0].id).unwrap();
        assert_eq!(detail.songs[0].track_id, Some(1));
        crate::edit::set_rating(&mut conn, crate::edit::Target::Track(1), Some(8)).unwrap();
        let csv = export(&conn, created.playlists[0].id, Format::Csv).unwrap();
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
        assert_eq!(created.playlists[0].name, "Big");
        assert_eq!(created.playlists[0].song_count, 4_500);
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
            (
                created.playlists[0].name.as_str(),
                created.playlists[0].song_count
            ),
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
