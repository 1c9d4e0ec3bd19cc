//! The `cuesheet` subcommands: the same core calls as the window, printed for people or, with
//! `--json`, for scripts (the shapes are documented in the README).
//!
//! Subcommands never need a display. Errors print the core's message on stderr and exit
//! non-zero; nothing here decides anything the window would decide differently.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cuesheet_core::edit::{SoundtrackFields, Target, TrackFields};
use cuesheet_core::formats::Format;
use cuesheet_core::library::find_track;
use cuesheet_core::model::{Media, SoundtrackDetail, SoundtrackSummary, Track};
use cuesheet_core::paste::parse_tracklist;
use cuesheet_core::playlists::PlaylistDetail;
use cuesheet_core::ranked::RankedListDetail;
use cuesheet_core::search::SearchResults;
use cuesheet_core::{Error, ErrorCode, Library};

/// Cuesheet keeps the film soundtracks you love: their songs, the songs heard in the film that
/// never made the album, your favourites, ratings and notes. With no subcommand it opens the
/// window; with one it works in the terminal and needs no display.
#[derive(Debug, Parser)]
#[command(name = "cuesheet", version, about, long_about)]
pub struct Args {
    /// The folder holding library.sqlite3 (default: $CUESHEET_DATA_DIR, else
    /// ~/.local/share/cuesheet).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the soundtracks in the library: id, film, year, album and song counts.
    Soundtracks {
        /// Print a JSON array of soundtrack summaries instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print one soundtrack with its songs in album order, then the songs heard only in the film.
    Show {
        /// The soundtrack's id, or its film title (exact, else the words it contains).
        id_or_title: String,
        /// Print the soundtrack as a JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Search film and album titles, songs, artists, notes and tags; accents, case and
    /// punctuation do not matter, and the last word may be unfinished.
    Search {
        /// What to look for, e.g. "motley crue" or "romeo juliet".
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// How many soundtracks and how many songs to show at most.
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// Print the results as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add a soundtrack, with its album's songs read from a text file or standard input: one
    /// "Artist – Title" per line, optional leading numbers ("1.", "01 -") and durations ("3:27").
    /// If any line cannot be read, nothing is added and the line is named.
    Add {
        /// The film's (or series') title.
        film_title: String,
        #[arg(long)]
        year: Option<i32>,
        /// film, tv or other.
        #[arg(long, default_value = "film", value_parser = ["film", "tv", "other"])]
        media: String,
        /// The soundtrack album's title.
        #[arg(long)]
        album: Option<String>,
        #[arg(long)]
        album_year: Option<i32>,
        #[arg(long)]
        label: Option<String>,
        /// A page the facts come from; repeat for several.
        #[arg(long = "source", value_name = "URL")]
        sources: Vec<String>,
        /// The track list: a file, or "-" for standard input.
        #[arg(long, value_name = "FILE")]
        tracks: Option<PathBuf>,
        /// Songs heard in the film but not on the album: a file, or "-" for standard input.
        #[arg(long, value_name = "FILE")]
        film_only: Option<PathBuf>,
        /// Print the new soundtrack as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add songs to a soundtrack already in the library, read like `add --tracks`.
    AddSongs {
        /// The soundtrack's id or film title.
        soundtrack: String,
        /// The songs: a file, or "-" for standard input.
        from: PathBuf,
        /// The songs are heard in the film but are not on the album.
        #[arg(long)]
        film_only: bool,
    },
    /// List the playlists: id, name, songs and length.
    Playlists {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show, make and change playlists.
    Playlist {
        #[command(subcommand)]
        action: PlaylistAction,
    },
    /// Ranked lists: your "best of" soundtracks, in order, with a note each.
    Ranked {
        #[command(subcommand)]
        action: RankedAction,
    },
    /// Import playlists from a file: M3U/M3U8, PLS, XSPF, JSPF, CSV (Exportify, TuneMyMusic,
    /// Soundiiz and others), Spotify URIs or "Artist – Title" text; the format is read from the
    /// content. Nothing is created if any part of the file cannot be read.
    Import {
        /// The file, or "-" for standard input.
        file: PathBuf,
        /// m3u8, pls, xspf, jspf, csv, uris or text, when the content is ambiguous.
        #[arg(long)]
        format: Option<String>,
        /// Name for the new playlist (the file's own name otherwise).
        #[arg(long)]
        name: Option<String>,
        /// Print what was created as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export a playlist: m3u8, pls, xspf, jspf, csv (TuneMyMusic layout) or uris (Spotify URIs
    /// of matched songs, to paste into Spotify's desktop app).
    Export {
        /// The playlist's id or name.
        playlist: String,
        #[arg(long)]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Mark a soundtrack, or one of its songs, as a favourite (or not, with --off).
    Favourite {
        #[command(flatten)]
        target: TargetArgs,
        /// Remove the mark instead.
        #[arg(long)]
        off: bool,
    },
    /// Rate a soundtrack or song from half a star to five, in half steps ("4.5"); 0 clears it.
    Rate {
        #[command(flatten)]
        target: TargetArgs,
        /// Stars: 0.5, 1, 1.5 … 5, or 0 to clear the rating.
        stars: String,
    },
    /// Set the tags of a soundtrack or song (replacing its tags; none clears them).
    Tag {
        #[command(flatten)]
        target: TargetArgs,
        /// Tags such as grunge, "new wave", alt-rock.
        tags: Vec<String>,
    },
    /// Set the notes of a soundtrack or song ("-" reads them from standard input).
    Note {
        #[command(flatten)]
        target: TargetArgs,
        /// The notes; several lines are fine. An empty string clears them.
        text: String,
    },
    /// Move a soundtrack or song to the trash (undo with `cuesheet restore`).
    Delete {
        #[command(flatten)]
        target: TargetArgs,
    },
    /// List what is in the trash.
    Trash {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Remove everything in the trash for good.
        #[arg(long)]
        empty: bool,
    },
    /// Take a soundtrack or song out of the trash (`restore soundtrack 3`, `restore song 14`),
    /// or restore a whole backup file (`restore FILE --replace` or `--merge`).
    Restore {
        /// "soundtrack" or "song" followed by its id, or a backup file.
        what: String,
        /// The id of the soundtrack or song, as `cuesheet trash` shows it.
        id: Option<String>,
        /// Replace the library with the backup (the current one is kept beside it).
        #[arg(long, conflicts_with = "merge")]
        replace: bool,
        /// Add what the backup has and the library lacks; change nothing already there.
        #[arg(long)]
        merge: bool,
    },
    /// Export playlists to Spotify with your own Client ID: login, status, match, choose, export.
    Spotify {
        #[command(subcommand)]
        action: crate::cli_spotify::SpotifyAction,
    },
    /// Write the whole library — songs, notes, tags, playlists, ranked lists, covers — to one
    /// file that `cuesheet restore FILE --replace` brings back.
    Backup {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// For benchmarks and tests: add generated soundtracks to the library (hidden from help).
    #[command(hide = true)]
    GenerateLibrary {
        #[arg(long, default_value_t = 10_000)]
        soundtracks: usize,
        #[arg(long, default_value_t = 15)]
        tracks_per: usize,
    },
}

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

#[derive(Debug, Subcommand)]
pub enum RankedAction {
    /// List the ranked lists.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Print a ranked list in order.
    Show {
        list: String,
        #[arg(long)]
        json: bool,
    },
    /// Make an empty ranked list.
    Create {
        name: String,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Put a soundtrack on a list, at the end or at a rank.
    Add {
        list: String,
        soundtrack: String,
        #[arg(long)]
        rank: Option<u32>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Move the soundtrack at one rank to another.
    Move { list: String, from: u32, to: u32 },
    /// Take the soundtrack at a rank off the list.
    Remove { list: String, rank: u32 },
    /// Set the note of the soundtrack at a rank.
    Note {
        list: String,
        rank: u32,
        text: String,
    },
    /// Make a playlist of the top SONGS songs of each of the top TOP soundtracks (favourites,
    /// then ratings, then album order).
    Playlist {
        list: String,
        #[arg(long, default_value_t = 10)]
        top: u32,
        #[arg(long, default_value_t = 3)]
        songs: u32,
    },
    /// Delete a ranked list (its soundtracks stay in the library).
    Delete { list: String },
}

/// Which soundtrack, and optionally which of its songs, an action applies to.
#[derive(Debug, clap::Args)]
pub struct TargetArgs {
    /// The soundtrack's id or film title.
    soundtrack: String,
    /// One of its songs: album position ("1") or title words ("would").
    #[arg(long, value_name = "POSITION OR TITLE")]
    track: Option<String>,
}

/// `restore soundtrack 3` / `restore song 14`: the trash target, or a clear message.
fn trash_target(what: &str, id: Option<&str>) -> cuesheet_core::Result<(Target, &'static str)> {
    let id: i64 = id
        .ok_or_else(|| {
            Error::InvalidInput(
                "restore soundtrack|song ID, or restore FILE --replace|--merge".into(),
            )
        })?
        .parse()
        .map_err(|_| Error::InvalidInput(format!("{:?} is not an id", id.unwrap_or_default())))?;
    match what {
        "soundtrack" => Ok((Target::Soundtrack(id), "soundtrack")),
        "song" => Ok((Target::Track(id), "song")),
        other => Err(Error::InvalidInput(format!(
            "invalid value {other:?}: restore soundtrack ID, restore song ID, or restore FILE --replace"
        ))),
    }
}

/// `restore FILE --replace|--merge`: runs before the library is opened, because replacing
/// swaps the file itself.
fn restore_backup(data_dir: &Path, file: &Path, replace: bool, merge: bool) -> ExitCode {
    if merge {
        let merged = Library::open(data_dir).and_then(|mut library| library.merge_backup(file));
        return match merged {
            Ok(summary) => {
                println!(
                    "merged {}: added {} soundtracks ({} songs), {} playlists and {} ranked lists",
                    summary.file,
                    summary.soundtracks_added,
                    summary.tracks_added,
                    summary.playlists_added,
                    summary.ranked_lists_added
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        };
    }
    if !replace {
        return fail(&Error::InvalidInput(format!(
            "choose how to restore {}: --replace swaps your whole library for the backup (the \
             current one is kept beside it); --merge adds what the backup has and your library \
             lacks",
            file.display()
        )));
    }
    match cuesheet_core::backup::restore_replacing(data_dir, file) {
        Ok(summary) => {
            let kept = summary
                .previous_library
                .map(|path| format!("; your previous library is kept at {path}"))
                .unwrap_or_default();
            println!(
                "restored {} soundtracks, {} songs, {} playlists and {} covers from {}{kept}",
                summary.soundtracks,
                summary.tracks,
                summary.playlists,
                summary.covers,
                summary.file
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

pub fn run(command: Command, data_dir: &Path) -> ExitCode {
    // Spotify work opens its own connection (a long export must not hold this one).
    if let Command::Spotify { action } = command {
        return crate::cli_spotify::run(action, data_dir);
    }
    if let Command::Restore {
        what,
        id: None,
        replace,
        merge,
    } = &command
    {
        if what != "soundtrack" && what != "song" {
            return restore_backup(data_dir, Path::new(what), *replace, *merge);
        }
    }
    let mut library = match Library::open(data_dir) {
        Ok(library) => library,
        Err(e) => return fail(&e),
    };
    match execute(command, &mut library) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn execute(command: Command, library: &mut Library) -> cuesheet_core::Result<()> {
    match command {
        Command::Spotify { .. } => Err(Error::Internal(
            "Spotify subcommands run before the library is opened".into(),
        )),
        Command::GenerateLibrary {
            soundtracks,
            tracks_per,
        } => {
            let made = cuesheet_core::synthetic::generate(library.conn(), soundtracks, tracks_per)?;
            println!(
                "added {} soundtracks and {} songs; the last is {:?}",
                made.soundtracks, made.tracks, made.last_film_title
            );
            Ok(())
        }
        Command::Soundtracks { json } => {
            let list = library.list_soundtracks()?;
            print_out(|out| {
                if json {
                    write_json(out, &list)
                } else {
                    write_list(out, &list)
                }
            })
        }
        Command::Show { id_or_title, json } => {
            let detail = library.find_soundtrack(&id_or_title)?;
            print_out(|out| {
                if json {
                    write_json(out, &detail)
                } else {
                    write_detail(out, &detail)
                }
            })
        }
        Command::Search { query, limit, json } => {
            let results = library.search(&query.join(" "), limit)?;
            print_out(|out| {
                if json {
                    write_json(out, &results)
                } else {
                    write_search(out, &results)
                }
            })
        }
        Command::Add {
            film_title,
            year,
            media,
            album,
            album_year,
            label,
            sources,
            tracks,
            film_only,
            json,
        } => {
            if tracks.as_deref() == Some(Path::new("-"))
                && film_only.as_deref() == Some(Path::new("-"))
            {
                return Err(Error::InvalidInput(
                    "only one of --tracks and --film-only can read standard input".into(),
                ));
            }
            let mut songs = match &tracks {
                Some(path) => read_songs(path, true)?,
                None => Vec::new(),
            };
            if let Some(path) = &film_only {
                songs.extend(read_songs(path, false)?);
            }
            let fields = SoundtrackFields {
                film_title,
                film_year: year,
                media: Media::parse(&media).unwrap_or(Media::Film),
                album_title: album,
                album_year,
                label,
                notes: String::new(),
                source_urls: sources,
                tracklist_complete: true,
            };
            let id = library.create_soundtrack(&fields, &songs)?;
            let detail = library.get_soundtrack(id)?;
            if json {
                return print_out(|out| write_json(out, &detail));
            }
            done(&format!(
                "added soundtrack {id}: {} with {} song(s)",
                detail.film_title,
                detail.tracks.len()
            ))
        }
        Command::AddSongs {
            soundtrack,
            from,
            film_only,
        } => {
            let songs = read_songs(&from, !film_only)?;
            let detail = library.find_soundtrack(&soundtrack)?;
            let ids = library.add_tracks(detail.id, &songs)?;
            done(&format!(
                "{}: added {} song(s)",
                detail.film_title,
                ids.len()
            ))
        }
        Command::Playlists { json } => {
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
        Command::Playlist { action } => playlist_action(library, action),
        Command::Ranked { action } => ranked_action(library, action),
        Command::Import {
            file,
            format,
            name,
            json,
        } => {
            let format = format.as_deref().map(Format::parse).transpose()?;
            let created = if file == Path::new("-") {
                let content = read_stdin()?;
                library.import_playlists(&content, format, "standard input", name.as_deref())?
            } else {
                library.import_file(&file, format, name.as_deref(), &mut |_| {})?
            };
            print_out(|out| {
                if json {
                    return write_json(out, &created);
                }
                for p in &created {
                    writeln!(
                        out,
                        "created playlist {}: {} with {} song(s), {} linked to your library",
                        p.id, p.name, p.song_count, p.linked_to_library
                    )?;
                }
                Ok(())
            })
        }
        Command::Export {
            playlist,
            format,
            output,
        } => {
            let format = Format::parse(&format)?;
            let detail = library.find_playlist(&playlist)?;
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
        Command::Favourite { target, off } => {
            let (target, label) = resolve(library, &target)?;
            library.set_favourite(target, !off)?;
            done(&format!(
                "{label}: {}",
                if off {
                    "no longer a favourite"
                } else {
                    "marked as a favourite"
                }
            ))
        }
        Command::Rate { target, stars } => {
            let half_stars = parse_stars(&stars)?;
            let (target, label) = resolve(library, &target)?;
            library.set_rating(target, half_stars)?;
            done(&match half_stars {
                Some(h) => format!("{label}: rated {}", stars_text(h)),
                None => format!("{label}: rating cleared"),
            })
        }
        Command::Tag { target, tags } => {
            let (target, label) = resolve(library, &target)?;
            let tags = library.set_tags(target, &tags)?;
            done(&if tags.is_empty() {
                format!("{label}: no tags")
            } else {
                format!("{label}: tagged {}", tags.join(", "))
            })
        }
        Command::Note { target, text } => {
            let text = if text == "-" { read_stdin()? } else { text };
            let (target, label) = resolve(library, &target)?;
            library.set_notes(target, &text)?;
            done(&format!("{label}: notes saved"))
        }
        Command::Delete { target } => {
            let (target, label) = resolve(library, &target)?;
            library.delete(target)?;
            let (kind, id) = match target {
                Target::Soundtrack(id) => ("soundtrack", id),
                Target::Track(id) => ("song", id),
            };
            done(&format!(
                "{label}: moved to the trash (undo: cuesheet restore {kind} {id})"
            ))
        }
        Command::Trash { json, empty } => {
            if empty {
                let gone = library.empty_trash()?;
                return done(&format!(
                    "emptied the trash: {gone} item(s) removed for good"
                ));
            }
            let items = library.list_trash()?;
            print_out(|out| {
                if json {
                    return write_json(out, &items);
                }
                if items.is_empty() {
                    return writeln!(out, "The trash is empty.");
                }
                for item in &items {
                    let (kind, id) = match item.target {
                        Target::Soundtrack(id) => ("soundtrack", id),
                        Target::Track(id) => ("song", id),
                    };
                    writeln!(
                        out,
                        "{kind:<10} {id:>6}  {}  (deleted {})",
                        item.label, item.deleted_at
                    )?;
                }
                Ok(())
            })
        }
        Command::Restore { what, id, .. } => {
            let (target, kind) = trash_target(&what, id.as_deref())?;
            library.restore(target)?;
            done(&format!("restored {kind} {}", id.unwrap_or_default()))
        }
        Command::Backup { file, json } => {
            let made = library.backup(&file)?;
            if json {
                return print_out(|out| write_json(out, &made));
            }
            done(&format!(
                "backed up {} soundtracks, {} songs, {} playlists and {} covers to {}",
                made.soundtracks, made.tracks, made.playlists, made.covers, made.file
            ))
        }
    }
}

fn playlist_action(library: &mut Library, action: PlaylistAction) -> cuesheet_core::Result<()> {
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

fn ranked_action(library: &mut Library, action: RankedAction) -> cuesheet_core::Result<()> {
    let at_rank = |detail: &RankedListDetail, rank: u32| {
        detail
            .entries
            .iter()
            .find(|e| e.rank == rank)
            .map(|e| e.entry_id)
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "{} has no soundtrack at rank {rank} (it has {})",
                    detail.summary.name, detail.summary.entry_count
                ))
            })
    };
    match action {
        RankedAction::List { json } => {
            let lists = library.list_ranked_lists()?;
            print_out(|out| {
                if json {
                    return write_json(out, &lists);
                }
                if lists.is_empty() {
                    return writeln!(
                        out,
                        "No ranked lists yet: try `cuesheet ranked create \"Best of\"`."
                    );
                }
                for list in &lists {
                    writeln!(
                        out,
                        "{:>5}  {}  ({} soundtracks)",
                        list.id, list.name, list.entry_count
                    )?;
                }
                Ok(())
            })
        }
        RankedAction::Show { list, json } => {
            let detail = library.find_ranked_list(&list)?;
            print_out(|out| {
                if json {
                    return write_json(out, &detail);
                }
                writeln!(out, "{}", detail.summary.name)?;
                for entry in &detail.entries {
                    let note = if entry.note.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", entry.note)
                    };
                    writeln!(
                        out,
                        "{:>4}. {} ({}){note}",
                        entry.rank,
                        entry.soundtrack.film_title,
                        year(entry.soundtrack.film_year)
                    )?;
                }
                Ok(())
            })
        }
        RankedAction::Create { name, description } => {
            let id = library.create_ranked_list(&name, &description)?;
            done(&format!("created ranked list {id}: {}", name.trim()))
        }
        RankedAction::Add {
            list,
            soundtrack,
            rank,
            note,
        } => {
            let detail = library.find_ranked_list(&list)?;
            let soundtrack = library.find_soundtrack(&soundtrack)?;
            library.add_to_ranked_list(detail.summary.id, soundtrack.id, rank, &note)?;
            done(&format!(
                "{}: added {}",
                detail.summary.name, soundtrack.film_title
            ))
        }
        RankedAction::Move { list, from, to } => {
            let detail = library.find_ranked_list(&list)?;
            library.move_ranked_entry(at_rank(&detail, from)?, to)?;
            done(&format!("{}: moved {from} to {to}", detail.summary.name))
        }
        RankedAction::Remove { list, rank } => {
            let detail = library.find_ranked_list(&list)?;
            library.remove_ranked_entry(at_rank(&detail, rank)?)?;
            done(&format!("{}: removed rank {rank}", detail.summary.name))
        }
        RankedAction::Note { list, rank, text } => {
            let detail = library.find_ranked_list(&list)?;
            library.set_ranked_note(at_rank(&detail, rank)?, &text)?;
            done(&format!(
                "{}: note saved for rank {rank}",
                detail.summary.name
            ))
        }
        RankedAction::Playlist { list, top, songs } => {
            let detail = library.find_ranked_list(&list)?;
            let id = library.playlist_from_ranked_list(detail.summary.id, top, songs)?;
            let made = library.get_playlist(id)?;
            done(&format!(
                "created playlist {id}: {} with {} song(s)",
                made.summary.name, made.summary.song_count
            ))
        }
        RankedAction::Delete { list } => {
            let detail = library.find_ranked_list(&list)?;
            library.delete_ranked_list(detail.summary.id)?;
            done(&format!("deleted ranked list {}", detail.summary.name))
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

/// Turns the soundtrack (and optional song) arguments into a target and a label for messages.
fn resolve(library: &Library, args: &TargetArgs) -> cuesheet_core::Result<(Target, String)> {
    let soundtrack = library.find_soundtrack(&args.soundtrack)?;
    match &args.track {
        None => Ok((
            Target::Soundtrack(soundtrack.id),
            soundtrack.film_title.clone(),
        )),
        Some(wanted) => {
            let track = find_track(&soundtrack, wanted)?;
            Ok((
                Target::Track(track.id),
                format!("{} ({})", track.title, soundtrack.film_title),
            ))
        }
    }
}

/// "4.5" → 9 half stars; "0" or "none" → no rating.
fn parse_stars(text: &str) -> cuesheet_core::Result<Option<u8>> {
    let trimmed = text.trim();
    if trimmed == "0" || trimmed.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let stars: f64 = trimmed.replace('½', ".5").parse().map_err(|_| {
        Error::InvalidInput(format!(
            "{text:?} is not a rating: give stars from 0.5 to 5, like 4 or 3.5"
        ))
    })?;
    let half_stars = stars * 2.0;
    if half_stars.fract() != 0.0 || !(1.0..=10.0).contains(&half_stars) {
        return Err(Error::InvalidInput(format!(
            "{text:?} is not a rating: use 0.5 to 5 in half steps (or 0 to clear)"
        )));
    }
    Ok(Some(half_stars as u8))
}

fn stars_text(half_stars: u8) -> String {
    let whole = "★".repeat(usize::from(half_stars / 2));
    let half = if half_stars % 2 == 1 { "½" } else { "" };
    format!("{whole}{half} ({} / 5)", f64::from(half_stars) / 2.0)
}

/// Reads a pasted-style track list from a file or stdin ("-"). Any unreadable line fails the
/// whole command, naming the file and line, so a half-read list never lands in the library.
fn read_songs(path: &Path, on_album: bool) -> cuesheet_core::Result<Vec<TrackFields>> {
    let (name, text) = if path == Path::new("-") {
        ("standard input".to_owned(), read_stdin()?)
    } else {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::InvalidInput(format!(
                "cannot read the track list {}: {e}",
                path.display()
            ))
        })?;
        (path.display().to_string(), text)
    };
    let parsed = parse_tracklist(&text, on_album);
    if let Some(problem) = parsed.problems.first() {
        let more = match parsed.problems.len() {
            1 => String::new(),
            n => format!(" (and {} more unreadable line(s))", n - 1),
        };
        return Err(Error::InvalidInput(format!(
            "{name}, line {}: {} — {:?}{more}",
            problem.line, problem.reason, problem.text
        )));
    }
    if parsed.songs.is_empty() {
        return Err(Error::InvalidInput(format!("{name} holds no songs")));
    }
    Ok(parsed.songs.into_iter().map(|song| song.fields).collect())
}

fn read_stdin() -> cuesheet_core::Result<String> {
    let mut text = String::new();
    io::Read::read_to_string(&mut io::stdin(), &mut text)
        .map_err(|e| Error::InvalidInput(format!("could not read standard input: {e}")))?;
    Ok(text)
}

fn done(message: &str) -> cuesheet_core::Result<()> {
    print_out(|out| writeln!(out, "{message}"))
}

/// Prints the error for a person and picks the exit code: 2 for input the user can fix,
/// 1 for everything else.
pub fn fail(error: &Error) -> ExitCode {
    eprintln!("cuesheet: {error}");
    match error.code() {
        ErrorCode::InvalidInput | ErrorCode::NotFound | ErrorCode::Conflict => ExitCode::from(2),
        _ => ExitCode::FAILURE,
    }
}

/// Writes to stdout; a closed pipe (`cuesheet soundtracks | head`) is not an error.
pub(crate) fn print_out(
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> cuesheet_core::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(Error::Internal(format!("could not write the output: {e}")))
        }
        _ => Ok(()),
    }
}

pub(crate) fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

fn year(year: Option<i32>) -> String {
    year.map(|y| y.to_string()).unwrap_or_else(|| "—".into())
}

fn write_search(out: &mut dyn Write, results: &SearchResults) -> io::Result<()> {
    for correction in &results.corrections {
        writeln!(
            out,
            "(searched for {:?} instead of {:?})",
            correction.used, correction.typed
        )?;
    }
    if results.soundtracks.is_empty() && results.songs.is_empty() {
        return writeln!(out, "Nothing matches {:?}.", results.query);
    }
    if !results.soundtracks.is_empty() {
        writeln!(out, "Soundtracks:")?;
        for s in &results.soundtracks {
            writeln!(out, "{:>7}  {} ({})", s.id, s.film_title, year(s.film_year))?;
        }
    }
    if !results.songs.is_empty() {
        writeln!(out, "Songs:")?;
        for hit in &results.songs {
            let track = &hit.track;
            let film_only = if track.on_album { "" } else { "  [film only]" };
            let by = if track.artists.is_empty() {
                String::new()
            } else {
                format!(" — {}", track.artists.join(", "))
            };
            writeln!(
                out,
                "{:>7}  {}{by}  ({}, {}){film_only}",
                hit.track.soundtrack_id,
                track.title,
                hit.film_title,
                year(hit.film_year)
            )?;
        }
    }
    Ok(())
}

fn write_list(out: &mut dyn Write, list: &[SoundtrackSummary]) -> io::Result<()> {
    if list.is_empty() {
        return writeln!(out, "The library is empty.");
    }
    writeln!(
        out,
        "{:>5}  {:<40} {:>4}  {:>5}  ALBUM",
        "ID", "FILM", "YEAR", "SONGS"
    )?;
    for s in list {
        let songs = if s.film_only_count > 0 {
            format!("{}+{}", s.track_count, s.film_only_count)
        } else {
            s.track_count.to_string()
        };
        writeln!(
            out,
            "{:>5}  {:<40} {:>4}  {:>5}  {}",
            s.id,
            s.film_title,
            year(s.film_year),
            songs,
            s.album_title.as_deref().unwrap_or("—")
        )?;
    }
    let albums: u32 = list.iter().map(|s| s.track_count).sum();
    let film_only: u32 = list.iter().map(|s| s.film_only_count).sum();
    writeln!(
        out,
        "\n{} soundtracks, {albums} album songs, {film_only} more heard only in the films (shown as +N).",
        list.len()
    )
}

fn duration(ms: Option<u32>) -> String {
    match ms {
        Some(ms) => {
            let seconds = ms / 1000;
            format!("{}:{:02}", seconds / 60, seconds % 60)
        }
        None => "—".into(),
    }
}

fn artists(track: &Track) -> String {
    if track.artists.is_empty() {
        "unknown artist".into()
    } else {
        track.artists.join(", ")
    }
}

fn write_detail(out: &mut dyn Write, s: &SoundtrackDetail) -> io::Result<()> {
    writeln!(
        out,
        "{} ({}) — {}",
        s.film_title,
        year(s.film_year),
        s.media.as_str()
    )?;
    if let Some(album) = &s.album_title {
        writeln!(out, "Album: {album} ({})", year(s.album_year))?;
    }
    if let Some(label) = &s.label {
        writeln!(out, "Label: {label}")?;
    }
    if !s.tags.is_empty() {
        writeln!(out, "Tags: {}", s.tags.join(", "))?;
    }
    writeln!(out)?;
    for t in s.tracks.iter().filter(|t| t.on_album) {
        let position = t
            .position
            .map(|p| format!("{p:>2}."))
            .unwrap_or_else(|| "  -".into());
        writeln!(
            out,
            "{position} {} — {} ({})",
            t.title,
            artists(t),
            duration(t.duration_ms)
        )?;
    }
    if !s.tracklist_complete {
        writeln!(
            out,
            "   (the sources showed only part of this album's track list)"
        )?;
    }
    let film_only: Vec<&Track> = s.tracks.iter().filter(|t| !t.on_album).collect();
    if !film_only.is_empty() {
        writeln!(out, "\nHeard in the film, not on the album:")?;
        for t in film_only {
            writeln!(out, "  * {} — {}  [film only]", t.title, artists(t))?;
            if !t.scene_note.is_empty() {
                writeln!(out, "    {}", t.scene_note)?;
            }
        }
    }
    if !s.notes.is_empty() {
        writeln!(out, "\nNotes: {}", s.notes)?;
    }
    if !s.source_urls.is_empty() {
        writeln!(out, "\nSources:")?;
        for url in &s.source_urls {
            writeln!(out, "  {url}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_parse_in_half_steps() {
        assert_eq!(parse_stars("4.5").unwrap(), Some(9));
        assert_eq!(parse_stars("3½").unwrap(), Some(7));
        assert_eq!(parse_stars("5").unwrap(), Some(10));
        assert_eq!(parse_stars("0").unwrap(), None);
        assert_eq!(parse_stars("none").unwrap(), None);
        for bad in ["4.3", "6", "-1", "0.25", "five", "", "NaN", "inf"] {
            assert!(parse_stars(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn stars_print_as_glyphs() {
        assert_eq!(stars_text(9), "★★★★½ (4.5 / 5)");
        assert_eq!(stars_text(2), "★ (1 / 5)");
    }
}
