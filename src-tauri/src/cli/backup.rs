//! `cuesheet backup FILE` and `cuesheet restore FILE --replace|--merge`: the whole library to
//! one file and back.
//!
//! Restoring runs before the library is opened (replacing swaps the file itself). This module
//! only unpacks arguments and prints (progress on a terminal's stderr); the core's `backup`
//! module decides every rule.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use cuesheet_core::backup::{BackupProgress, BackupStage};
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
/// swaps the file itself (and must not hold the shared lock it needs exclusively).
pub(super) fn restore_backup(data_dir: &Path, file: &Path, replace: bool, merge: bool) -> ExitCode {
    let cancel = cancel_on_ctrl_c();
    let mut bar = ProgressLine::new();
    if merge {
        let merged = Library::open(data_dir).and_then(|mut library| {
            let prepared = cuesheet_core::backup::prepare(
                data_dir,
                file,
                &mut |p| bar.show(&p),
                Arc::clone(&cancel),
            )?;
            library.merge_prepared(&prepared, &mut |p| bar.show(&p), cancel)
        });
        bar.clear();
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
                warn_unread_wal(summary.unread_wal.as_deref(), "merged");
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
    let restored =
        cuesheet_core::backup::restore_replacing(data_dir, file, &mut |p| bar.show(&p), cancel);
    bar.clear();
    match restored {
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
            warn_unread_wal(summary.unread_wal.as_deref(), "restored");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// A cancel flag that Ctrl+C sets. Killed outright, a restore would leave its working copies
/// (a copy of the backup, the library being rebuilt) in the data folder, where nothing may
/// safely remove them later (another process's restore looks the same); cancelled, it removes
/// them and says nothing was changed. A second Ctrl+C is for someone who cannot wait: it ends
/// the process, which is still safe for the library, whose file is swapped only at the end.
fn cancel_on_ctrl_c() -> Arc<AtomicBool> {
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    let installed = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("\ncancelling… (Ctrl+C again to stop at once)");
    });
    if let Err(e) = installed {
        // Without the handler Ctrl+C ends the process as it always did; the restore still runs.
        tracing::warn!("cannot catch Ctrl+C: {e}");
    }
    cancel
}

/// Says on stderr that a `-wal` beside the backup was left unread, and what that may mean.
fn warn_unread_wal(wal: Option<&str>, done: &str) {
    if let Some(wal) = wal {
        eprintln!(
            "note: {wal} beside the backup was not read: if the backup is a copy of a library \
             that was open, its latest changes may be only in that file and are not in what was \
             {done}"
        );
    }
}

/// A one-line progress report on stderr, redrawn in place, only when stderr is a terminal
/// (scripts and tests read the summary line alone).
struct ProgressLine {
    on: bool,
    last: Option<(BackupStage, u64)>,
}

impl ProgressLine {
    fn new() -> ProgressLine {
        ProgressLine {
            on: std::io::stderr().is_terminal(),
            last: None,
        }
    }

    fn show(&mut self, progress: &BackupProgress) {
        if !self.on {
            return;
        }
        let percent = (progress.done * 100)
            .checked_div(progress.total)
            .unwrap_or(0)
            .min(100);
        if self.last == Some((progress.stage, percent)) {
            return;
        }
        self.last = Some((progress.stage, percent));
        let doing = match progress.stage {
            BackupStage::Copying => "copying the backup",
            BackupStage::Checking => "checking it",
            BackupStage::Reading => "checking its rows",
            BackupStage::Covers => "checking its covers",
            BackupStage::Writing => "adding to your library",
        };
        eprint!("\r\x1b[2K{doing}… {percent}%");
    }

    fn clear(&self) {
        if self.on && self.last.is_some() {
            eprint!("\r\x1b[2K");
        }
    }
}
