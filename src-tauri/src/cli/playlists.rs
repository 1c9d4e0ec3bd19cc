//! `cuesheet playlists`, `cuesheet playlist …`, `cuesheet import` and `cuesheet export`: the
//! playlist subcommands, printed for people or as JSON.
//!
//! This module only unpacks arguments and prints; the core decides every rule.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use cuesheet_core::formats::Format;
use cuesheet_core::library::find_track;
use cuesheet_core::playlists::PlaylistDetail;
use cuesheet_core::{Error, Library};

use super::{done, print_out, read_stdin, write_json, TargetArgs};

#[derive(Debug, Subcommand)]
pub enum PlaylistAction {
    /// Print a playlist's songs in order.
    Show {
        /// The playlist's id or name.
        playlist: String,
        #[arg(long)]
        json: bool,
    },
    /// Make an empty playlist.
    Create {
        name: String,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Add a soundtrack's songs, or one of them (--track), to the end of a playlist. A song
    /// already on it is added again, with a warning.
    Add {
        playlist: String,
        #[command(flatten)]
        target: TargetArgs,
    },
    /// Move the song at one position to another (positions start at 1).
    Move {
        playlist: String,
        from: u32,
        to: u32,
    },
    /// Take the song at a position off the playlist.
    Remove { playlist: String, position: u32 },
    /// Make a playlist of a soundtrack's album, in one go.
    FromSoundtrack {
        soundtrack: String,
        /// Also the songs heard in the film but not on the album.
        #[arg(long)]
        with_film_only: bool,
    },
    /// Make a playlist of every favourite song.
    FromFavourites,
    /// Delete a playlist (its songs stay in the library).
    Delete { playlist: String },
}

/// `cuesheet playlists`: every playlist with its song count and length.
pub(super) fn list(library: &Library, json: bool) -> cuesheet_core::Result<()> {
    let list = library.list_playlists()?;
    print_out(|out| {
        if json {
            return write_json(out, &list);
        }
        if list.is_empty() {
            return writeln!(
                out,
                "No playlists yet: try `cuesheet playlist from-soundtrack Singles`."
            );
        }
        for p in &list {
            writeln!(
                out,
                "{:>5}  {:<40} {:>4} songs  {}",
                p.id,
                p.name,
                p.song_count,
                minutes(p.duration_ms)
            )?;
        }
        Ok(())
    })
}

/// `cuesheet import FILE`: a file or standard input, in one transaction.
pub(super) fn import(
    library: &mut Library,
    file: &Path,
    format: Option<&str>,
    name: Option<&str>,
    json: bool,
) -> cuesheet_core::Result<()> {
    let format = format.map(Format::parse).transpose()?;
    let summary = if file == Path::new("-") {
        let content = read_stdin()?;
        library.import_playlists(&content, format, "standard input", name)?
    } else {
        library.import_file(file, format, name, &mut |_| {})?
    };
    if summary.skipped > 0 {
        eprintln!(
            "note: skipped {} row(s) that named no song (all song columns empty, as for a \
             deleted or private video)",
            summary.skipped
        );
    }
    if let Some(line) = summary.windows_1252_from_line {
        eprintln!(
            "note: {}: line {line} is not UTF-8; read as {}, as older players saved .m3u and \
             .pls files: check its accented letters",
            file.display(),
            cuesheet_core::formats::WINDOWS_1252
        );
    }
    print_out(|out| {
        if json {
            // The list of playlists, as before; each says how many of its rows were skipped.
            return write_json(out, &summary.playlists);
        }
        for p in &summary.playlists {
            writeln!(
                out,
                "created playlist {}: {} with {} song(s), {} linked to your library",
                p.id, p.name, p.song_count, p.linked_to_library
            )?;
        }
        Ok(())
    })
}

/// `cuesheet export PLAYLIST --format F [-o FILE]`.
pub(super) fn export(
    library: &Library,
    playlist: &str,
    format: &str,
    output: Option<PathBuf>,
) -> cuesheet_core::Result<()> {
    let format = Format::parse(format)?;
    let detail = library.find_playlist(playlist)?;
    match output {
        Some(path) => {
            let songs = library.export_playlist_to(detail.summary.id, format, &path)?;
            done(&format!(
                "wrote {} ({songs} song(s)) to {}",
                detail.summary.name,
                path.display()
            ))
        }
        None => {
            let text = library.export_playlist(detail.summary.id, format)?;
            print_out(|out| out.write_all(text.as_bytes()))
        }
    }
}

pub(super) fn playlist_action(
    library: &mut Library,
    action: PlaylistAction,
) -> cuesheet_core::Result<()> {
    match action {
        PlaylistAction::Show { playlist, json } => {
            let detail = library.find_playlist(&playlist)?;
            print_out(|out| {
                if json {
                    return write_json(out, &detail);
                }
                writeln!(
                    out,
                    "{} — {} song(s), {}",
                    detail.summary.name,
                    detail.summary.song_count,
                    minutes(detail.summary.duration_ms)
                )?;
                for song in &detail.songs {
                    writeln!(
                        out,
                        "{:>4}. {} — {}{}",
                        song.position,
                        song.song.title,
                        song.song.artists.join(", "),
                        song.film_title
                            .as_deref()
                            .map(|f| format!("  ({f})"))
                            .unwrap_or_default()
                    )?;
                }
                Ok(())
            })
        }
        PlaylistAction::Create { name, description } => {
            let id = library.create_playlist(&name, &description)?;
            done(&format!("created playlist {id}: {}", name.trim()))
        }
        PlaylistAction::Add { playlist, target } => {
            let detail = library.find_playlist(&playlist)?;
            let soundtrack = library.find_soundtrack(&target.soundtrack)?;
            let ids: Vec<i64> = match &target.track {
                Some(wanted) => vec![find_track(&soundtrack, wanted)?.id],
                None => soundtrack
                    .tracks
                    .iter()
                    .filter(|t| t.on_album)
                    .map(|t| t.id)
                    .collect(),
            };
            let added = library.add_to_playlist(detail.summary.id, &ids)?;
            for title in &added.already_there {
                eprintln!(
                    "note: {title} was already on {}; it is there twice now",
                    detail.summary.name
                );
            }
            done(&format!(
                "{}: added {} song(s)",
                detail.summary.name, added.added
            ))
        }
        PlaylistAction::Move { playlist, from, to } => {
            let detail = library.find_playlist(&playlist)?;
            let entry = entry_at(&detail, from)?;
            library.move_playlist_entry(entry, to)?;
            done(&format!(
                "{}: moved song {from} to {to}",
                detail.summary.name
            ))
        }
        PlaylistAction::Remove { playlist, position } => {
            let detail = library.find_playlist(&playlist)?;
            let entry = entry_at(&detail, position)?;
            library.remove_playlist_entry(entry)?;
            done(&format!("{}: removed song {position}", detail.summary.name))
        }
        PlaylistAction::FromSoundtrack {
            soundtrack,
            with_film_only,
        } => {
            let soundtrack = library.find_soundtrack(&soundtrack)?;
            let id = library.playlist_from_soundtrack(soundtrack.id, with_film_only)?;
            let made = library.get_playlist(id)?;
            done(&format!(
                "created playlist {id}: {} with {} song(s)",
                made.summary.name, made.summary.song_count
            ))
        }
        PlaylistAction::FromFavourites => {
            let id = library.playlist_from_favourites()?;
            let made = library.get_playlist(id)?;
            done(&format!(
                "created playlist {id}: {} with {} song(s)",
                made.summary.name, made.summary.song_count
            ))
        }
        PlaylistAction::Delete { playlist } => {
            let detail = library.find_playlist(&playlist)?;
            library.delete_playlist(detail.summary.id)?;
            done(&format!("deleted playlist {}", detail.summary.name))
        }
    }
}

fn entry_at(detail: &PlaylistDetail, position: u32) -> cuesheet_core::Result<i64> {
    detail
        .songs
        .iter()
        .find(|s| s.position == position)
        .map(|s| s.entry_id)
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "{} has no song at position {position} (it has {})",
                detail.summary.name, detail.summary.song_count
            ))
        })
}

fn minutes(ms: u64) -> String {
    let seconds = ms / 1000;
    format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        (seconds / 60) % 60,
        seconds % 60
    )
}
