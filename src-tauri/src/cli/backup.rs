//! `cuesheet backup FILE` and `cuesheet restore FILE --replace|--merge`: the whole library to
//! one file and back.
//!
//! Restoring runs before the library is opened (replacing swaps the file itself). This module
//! only unpacks arguments and prints; the core's `backup` module decides every rule.

use std::path::Path;
use std::process::ExitCode;

use cuesheet_core::{Error, Library};

use super::{done, fail, print_out, write_json};

/// `cuesheet backup FILE`.
pub(super) fn backup(library: &Library, file: &Path, json: bool) -> cuesheet_core::Result<()> {
    let made = library.backup(file)?;
    if json {
        return print_out(|out| write_json(out, &made));
    }
    done(&format!(
        "backed up {} soundtracks, {} songs, {} playlists and {} covers to {}",
        made.soundtracks, made.tracks, made.playlists, made.covers, made.file
    ))
}

/// `restore FILE --replace|--merge`: runs before the library is opened, because replacing
/// swaps the file itself.
pub(super) fn restore_backup(data_dir: &Path, file: &Path, replace: bool, merge: bool) -> ExitCode {
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
