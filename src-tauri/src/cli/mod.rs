//! The `cuesheet` subcommands: the same core calls as the window, printed for people or, with
//! `--json`, for scripts (the shapes are documented in the README).
//!
//! Subcommands never need a display. Errors print the core's message on stderr and exit
//! non-zero; nothing here decides anything the window would decide differently.
//!
//! This file holds the argument grammar, the dispatch and the library's own subcommands; each
//! other group of subcommands has its module (`playlists`, `ranked`, `backup`) and `output`
//! prints for people.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cuesheet_core::edit::{SoundtrackFields, Target, TrackFields};
use cuesheet_core::library::find_track;
use cuesheet_core::model::Media;
use cuesheet_core::paste::parse_tracklist;
use cuesheet_core::{Error, ErrorCode, Library};

use output::{write_detail, write_list, write_search};

mod backup;
mod catalog;
mod output;
mod playlists;
mod ranked;
mod survey;

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

    /// A playlist file (M3U/M3U8, PLS, XSPF, JSPF, CSV, text) to open in the window's import
    /// preview; a window already open on this library gets it instead of a second window.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

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
    /// If any line cannot be read, nothing is added and the line is named. Or, with --release,
    /// add a MusicBrainz release (see `cuesheet lookup`): its track lists, lengths, ISRCs and
    /// cover.
    Add {
        /// The film's (or series') title (with --release, use --film instead).
        #[arg(required_unless_present = "release")]
        film_title: Option<String>,
        /// The film's year.
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
        /// Add this MusicBrainz release (its id, or its page's address) instead.
        #[arg(
            long,
            value_name = "MBID",
            conflicts_with_all = ["film_title", "album", "album_year", "label", "sources", "tracks", "film_only"]
        )]
        release: Option<String>,
        /// With --release: the film's title (default: the album title without "Original
        /// Motion Picture Soundtrack" and the like).
        #[arg(long, value_name = "TITLE", requires = "release")]
        film: Option<String>,
        /// Print the new soundtrack as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Find a soundtrack album on MusicBrainz: release groups, best first, each with the
    /// edition Cuesheet suggests (and the others). Needs the network; nothing is changed.
    Lookup {
        /// A film or album title, e.g. "the crow city of angels" (a trailing year helps).
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// The film's year, to prefer the album of that year among equal titles.
        #[arg(long)]
        year: Option<i32>,
        /// Print the candidates as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Match soundtracks of the library to MusicBrainz releases and list what each match would
    /// fill in (cover, ids, ISRCs, missing lengths, the rest of an incomplete track list);
    /// with --apply, fill in the confident ones. Nothing you typed is ever changed.
    Enrich {
        /// Soundtrack ids or film titles.
        soundtracks: Vec<String>,
        /// Every soundtrack in the library.
        #[arg(long, conflicts_with = "soundtracks")]
        all: bool,
        /// Fill in the confident matches (otherwise only list them).
        #[arg(long)]
        apply: bool,
        /// Use this release for the (one) soundtrack named: settles a doubtful match.
        #[arg(long, value_name = "MBID")]
        release: Option<String>,
        /// List the soundtracks still waiting for review from earlier runs (asks MusicBrainz
        /// nothing).
        #[arg(long, conflicts_with_all = ["soundtracks", "all", "apply", "release", "dismiss"])]
        pending: bool,
        /// Take the named soundtracks off the review list, as they are.
        #[arg(long, conflicts_with_all = ["all", "apply", "release"])]
        dismiss: bool,
        /// Print the proposals as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show or set the email MusicBrainz sees as the contact in Cuesheet's User-Agent ("none"
    /// goes back to the project's page).
    MusicbrainzContact { email: Option<String> },
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
        action: playlists::PlaylistAction,
    },
    /// Ranked lists: your "best of" soundtracks, in order, with a note each.
    Ranked {
        #[command(subcommand)]
        action: ranked::RankedAction,
    },
    /// Count a survey: which soundtracks a pasted comment thread votes for (one vote per comment
    /// per title), best first; --ranked-list saves the count as a ranked list.
    Survey(survey::SurveyArgs),
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
    /// Print the licences of the Rust crates and npm packages built into Cuesheet.
    Notices,
    /// For benchmarks and tests: add generated soundtracks to the library (hidden from help).
    #[command(hide = true)]
    GenerateLibrary {
        #[arg(long, default_value_t = 10_000)]
        soundtracks: usize,
        #[arg(long, default_value_t = 15)]
        tracks_per: usize,
    },
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

pub fn run(command: Command, data_dir: &Path) -> ExitCode {
    if let Command::Notices = command {
        return crate::about::print_notices();
    }
    if let Command::Restore {
        what,
        id: None,
        replace,
        merge,
    } = &command
    {
        if what != "soundtrack" && what != "song" {
            return backup::restore_backup(data_dir, Path::new(what), *replace, *merge);
        }
    }
    // Every other command holds the library's shared lock while it runs, so a restore can see
    // that the library is in use and refuse rather than swap it away underneath.
    let _in_use = match cuesheet_core::lock::LibraryLock::shared(data_dir) {
        Ok(lock) => lock,
        Err(e) => return fail(&e),
    };
    // Spotify work opens its own connection (a long export must not hold this one).
    if let Command::Spotify { action } = command {
        return crate::cli_spotify::run(action, data_dir);
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
        Command::Spotify { .. } | Command::Notices => Err(Error::Internal(
            "this subcommand runs before the library is opened".into(),
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
            release,
            film,
            json,
        } => {
            let media = Media::parse(&media).unwrap_or(Media::Film);
            if let Some(release) = release {
                return catalog::add_release(library, &release, film, year, media, json);
            }
            let film_title = film_title.ok_or_else(|| {
                Error::InvalidInput("give the film's title, or --release MBID".into())
            })?;
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
                media,
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
        Command::Lookup { query, year, json } => catalog::lookup(library, &query, year, json),
        Command::Enrich {
            pending: true,
            json,
            ..
        } => catalog::pending_reviews(library, json),
        Command::Enrich {
            soundtracks,
            dismiss: true,
            ..
        } => catalog::dismiss_reviews(library, &soundtracks),
        Command::Enrich {
            soundtracks,
            all,
            apply,
            release,
            json,
            ..
        } => catalog::enrich(library, &soundtracks, all, apply, release, json),
        Command::MusicbrainzContact { email } => catalog::contact(library, email),
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
        Command::Playlists { json } => playlists::list(library, json),
        Command::Playlist { action } => playlists::playlist_action(library, action),
        Command::Ranked { action } => ranked::ranked_action(library, action),
        Command::Survey(args) => survey::survey(library, args),
        Command::Import {
            file,
            format,
            name,
            json,
        } => playlists::import(library, &file, format.as_deref(), name.as_deref(), json),
        Command::Export {
            playlist,
            format,
            output,
        } => playlists::export(library, &playlist, &format, output),
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
        Command::Backup { file, json } => backup::backup(library, &file, json),
    }
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

/// Standard input as text, like a paste: at most `MAX_IMPORT_TEXT_BYTES` are read, so an
/// endless input (`cuesheet import - < /dev/zero`) is refused instead of filling memory.
fn read_stdin() -> cuesheet_core::Result<String> {
    let cap = cuesheet_core::validate::MAX_IMPORT_TEXT_BYTES;
    let mut bytes = Vec::new();
    io::Read::read_to_end(
        &mut io::Read::take(io::stdin().lock(), cap as u64 + 1),
        &mut bytes,
    )
    .map_err(|e| Error::InvalidInput(format!("could not read standard input: {e}")))?;
    if bytes.len() > cap {
        return Err(Error::InvalidInput(format!(
            "standard input: more than {} MiB; save it as a file and import the file",
            cap / (1024 * 1024)
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::InvalidInput(format!(
            "standard input: not UTF-8 text (at byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
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
        // Only Ctrl+C cancels from a terminal: the shell's convention for it.
        ErrorCode::Cancelled => ExitCode::from(130),
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
