//! The `cuesheet` subcommands: the same core calls as the window, printed for people or, with
//! `--json`, for scripts (the shapes are documented in the README).
//!
//! Subcommands never need a display. Errors print the core's message on stderr and exit
//! non-zero; nothing here decides anything the window would decide differently.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cuesheet_core::model::{SoundtrackDetail, SoundtrackSummary, Track};
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
}

pub fn run(command: Command, data_dir: &Path) -> ExitCode {
    let library = match Library::open(data_dir) {
        Ok(library) => library,
        Err(e) => return fail(&e),
    };
    let outcome = match command {
        Command::Soundtracks { json } => library
            .list_soundtracks()
            .and_then(|list| print_out(|out| if json { write_json(out, &list) } else { write_list(out, &list) })),
        Command::Show { id_or_title, json } => library
            .find_soundtrack(&id_or_title)
            .and_then(|detail| print_out(|out| if json { write_json(out, &detail) } else { write_detail(out, &detail) })),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
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
fn print_out(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> cuesheet_core::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(Error::Internal(format!("could not write the output: {e}")))
        }
        _ => Ok(()),
    }
}

fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

fn year(year: Option<i32>) -> String {
    year.map(|y| y.to_string()).unwrap_or_else(|| "—".into())
}

fn write_list(out: &mut dyn Write, list: &[SoundtrackSummary]) -> io::Result<()> {
    if list.is_empty() {
        return writeln!(out, "The library is empty.");
    }
    writeln!(out, "{:>5}  {:<40} {:>4}  {:>5}  ALBUM", "ID", "FILM", "YEAR", "SONGS")?;
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
    writeln!(out, "{} ({}) — {}", s.film_title, year(s.film_year), s.media.as_str())?;
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
        let position = t.position.map(|p| format!("{p:>2}.")).unwrap_or_else(|| "  -".into());
        writeln!(out, "{position} {} — {} ({})", t.title, artists(t), duration(t.duration_ms))?;
    }
    if !s.tracklist_complete {
        writeln!(out, "   (the sources showed only part of this album's track list)")?;
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
