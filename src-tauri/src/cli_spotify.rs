//! `cuesheet spotify …`: log in, see the login, match a playlist's songs, decide a song by hand,
//! and export, over the same core calls as the window's Spotify screens.
//!
//! Progress goes to stderr (a line per step, so scripts reading stdout get only the result).
//! This module must not decide anything about matching or syncing; the core does.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use clap::Subcommand;
use cuesheet_core::spotify::{
    self, ExportOptions, MatchReport, MatchState, SongMatch, SpotifyEvent, SpotifyStatus, Work,
};
use cuesheet_core::Error;

use crate::cli::{fail, print_out, write_json};

/// Seconds a login waits for the browser (tests shorten it).
const LOGIN_TIMEOUT_ENV: &str = "CUESHEET_SPOTIFY_LOGIN_TIMEOUT_SECS";

#[derive(Debug, Subcommand)]
pub enum SpotifyAction {
    /// Log in with your own Client ID (PKCE, in your browser). With --no-browser the address
    /// is printed on a line of its own; open it anywhere that can reach this machine's
    /// 127.0.0.1.
    Login {
        #[arg(long)]
        no_browser: bool,
    },
    /// Who is logged in, where the tokens are kept, which Client ID is used.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Forget the Spotify login.
    Logout,
    /// Save the Client ID of your Spotify app (or `none` to clear it).
    ClientId { client_id: String },
    /// Find each song of a playlist on Spotify (no change to Spotify): its state and URI.
    Match {
        /// Playlist id or name.
        playlist: String,
        /// Search again for songs matched automatically before (your own choices are kept).
        #[arg(long)]
        again: bool,
        #[arg(long)]
        json: bool,
    },
    /// Decide a song by hand: a Spotify track URI or link, or `none` for "not on Spotify".
    Choose {
        /// The song id `cuesheet spotify match` prints.
        song_id: String,
        uri: String,
    },
    /// Export a playlist: the first time creates it on Spotify, later times update that one
    /// (undoing changes made to it in Spotify, which the summary lists).
    Export {
        /// Playlist id or name.
        playlist: String,
        /// Show a new Spotify playlist on your profile. By default it is not shown there, which
        /// is not private: anyone with its link can still open it.
        #[arg(long)]
        public: bool,
        /// Create a new Spotify playlist when the one we exported to was deleted in Spotify.
        #[arg(long, conflicts_with = "follow_again")]
        recreate: bool,
        /// Follow the Spotify playlist we exported to again when it was deleted in Spotify
        /// (Spotify's delete only unfollows it), and update that one.
        #[arg(long)]
        follow_again: bool,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(action: SpotifyAction, data_dir: &Path) -> ExitCode {
    match execute(action, data_dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn stderr_progress(event: SpotifyEvent) {
    let line = match event {
        SpotifyEvent::Matching { done, total } if done == total || done % 25 == 0 => {
            format!("matching songs: {done}/{total}")
        }
        SpotifyEvent::Writing { done, total } => format!("writing to Spotify: {done}/{total}"),
        SpotifyEvent::Waiting { seconds } => {
            format!("Spotify asks us to wait: {seconds} s")
        }
        SpotifyEvent::Reading => "reading the Spotify playlist".into(),
        _ => return,
    };
    eprintln!("{line}");
}

fn execute(action: SpotifyAction, data_dir: &Path) -> cuesheet_core::Result<()> {
    let cancel = AtomicBool::new(false);
    let work = Work {
        on_event: &stderr_progress,
        cancel: &cancel,
    };
    match action {
        SpotifyAction::Login { no_browser } => {
            let timeout = std::env::var(LOGIN_TIMEOUT_ENV)
                .ok()
                .and_then(|v| v.parse().ok())
                .map(Duration::from_secs)
                .unwrap_or(spotify::auth::DEFAULT_LOGIN_TIMEOUT);
            let mut show = |url: &str| -> cuesheet_core::Result<()> {
                if !no_browser && tauri_plugin_opener::open_url(url, None::<&str>).is_ok() {
                    eprintln!(
                        "Opened your browser to log in to Spotify. If it did not open, visit:"
                    );
                } else {
                    eprintln!("Open this address in a browser to log in to Spotify:");
                }
                // The address alone on stdout, flushed at once: a script may be waiting for it.
                let mut out = std::io::stdout().lock();
                writeln!(out, "{url}")
                    .and_then(|()| out.flush())
                    .map_err(|e| Error::Internal(format!("could not print the address: {e}")))?;
                eprintln!("Waiting for Spotify (up to {} s)…", timeout.as_secs());
                Ok(())
            };
            let status = spotify::login(data_dir, &mut show, timeout, &cancel)?;
            print_status(&status, false)
        }
        SpotifyAction::Status { json } => print_status(&spotify::status(data_dir)?, json),
        SpotifyAction::Logout => {
            spotify::logout(data_dir)?;
            print_out(|out| writeln!(out, "Logged out of Spotify: the tokens are forgotten."))
        }
        SpotifyAction::ClientId { client_id } => {
            let id = (client_id != "none").then_some(client_id.as_str());
            print_status(&spotify::set_client_id(data_dir, id)?, false)
        }
        SpotifyAction::Match {
            playlist,
            again,
            json,
        } => {
            let report = spotify::match_playlist(data_dir, &playlist, again, &work)?;
            print_out(|out| {
                if json {
                    write_json(out, &report)
                } else {
                    write_report(out, &report)
                }
            })
        }
        SpotifyAction::Choose { song_id, uri } => {
            let choice = (!uri.eq_ignore_ascii_case("none")).then_some(uri.as_str());
            let song = spotify::choose(data_dir, &song_id, choice)?;
            print_out(|out| {
                writeln!(
                    out,
                    "{} — {}: {}",
                    song.artists.join(", "),
                    song.title,
                    match &song.uri {
                        Some(uri) => format!("chosen {uri}"),
                        None => "not on Spotify (it will be left out)".into(),
                    }
                )
            })
        }
        SpotifyAction::Export {
            playlist,
            public,
            recreate,
            follow_again,
            json,
        } => {
            let summary = spotify::export_playlist(
                data_dir,
                &playlist,
                ExportOptions {
                    public,
                    recreate,
                    follow_again,
                },
                &work,
            )?;
            print_out(|out| {
                if json {
                    return write_json(out, &summary);
                }
                writeln!(out, "{}", summary.url)?;
                let c = summary.counts;
                writeln!(
                    out,
                    "{} songs on Spotify{}: {} matched, {} chosen by you, {} to review, {} not \
                     found, {} not on Spotify.",
                    summary.exported,
                    if summary.created {
                        " (new playlist)"
                    } else if summary.unchanged {
                        " (nothing changed)"
                    } else {
                        ""
                    },
                    c.matched,
                    c.chosen,
                    c.doubtful,
                    c.not_found,
                    c.not_on_spotify
                )?;
                if summary.followed_again {
                    writeln!(
                        out,
                        "Followed the playlist again: it is back among your playlists in Spotify."
                    )?;
                }
                if let Some(sentence) = summary
                    .changed_in_spotify
                    .as_ref()
                    .and_then(spotify::outside::sentence)
                {
                    writeln!(out, "{sentence}")?;
                }
                if summary.description_skipped {
                    writeln!(
                        out,
                        "Spotify did not take the playlist's description; it keeps a short one."
                    )?;
                }
                if c.doubtful + c.not_found > 0 {
                    writeln!(
                        out,
                        "Review the others with `cuesheet spotify match \"{playlist}\"` and \
                         `cuesheet spotify choose`."
                    )?;
                }
                Ok(())
            })
        }
    }
}

fn print_status(status: &SpotifyStatus, json: bool) -> cuesheet_core::Result<()> {
    print_out(|out| {
        if json {
            return write_json(out, status);
        }
        match &status.client_id {
            Some(id) => writeln!(out, "Client ID: {id}")?,
            None => writeln!(
                out,
                "Client ID: none yet (cuesheet spotify client-id <ID>, or {})",
                spotify::CLIENT_ID_ENV
            )?,
        }
        if status.logged_in {
            writeln!(
                out,
                "Logged in as {}",
                status
                    .user_name
                    .as_deref()
                    .or(status.user_id.as_deref())
                    .unwrap_or("(unknown user)")
            )?;
        } else {
            writeln!(out, "Not logged in (cuesheet spotify login)")?;
        }
        match &status.token_file {
            Some(file) => writeln!(out, "Tokens kept in: {file} (readable only by you)"),
            None => writeln!(out, "Tokens kept in: the system keychain"),
        }
    })
}

fn state_label(state: MatchState) -> &'static str {
    match state {
        MatchState::Matched => "matched",
        MatchState::Chosen => "chosen",
        MatchState::Doubtful => "review",
        MatchState::NotFound => "not found",
        MatchState::NotOnSpotify => "not on Spotify",
    }
}

fn write_report(out: &mut dyn Write, report: &MatchReport) -> std::io::Result<()> {
    writeln!(out, "{}", report.playlist_name)?;
    for song in &report.songs {
        write_song(out, song)?;
    }
    let c = report.counts;
    writeln!(
        out,
        "{} matched, {} chosen, {} to review, {} not found, {} not on Spotify ({} searches)",
        c.matched, c.chosen, c.doubtful, c.not_found, c.not_on_spotify, report.calls.searches
    )
}

fn write_song(out: &mut dyn Write, song: &SongMatch) -> std::io::Result<()> {
    writeln!(
        out,
        "{:>6}  {:<14} {} — {}  {}",
        song.song_id,
        state_label(song.state),
        song.artists.join(", "),
        song.title,
        song.uri.as_deref().unwrap_or("")
    )?;
    if song.state == MatchState::Doubtful {
        for scored in song.candidates.iter().take(3) {
            writeln!(
                out,
                "          maybe {:.2}  {} — {} ({})  {}",
                scored.score,
                scored.candidate.artists.join(", "),
                scored.candidate.title,
                scored.candidate.album,
                scored.candidate.uri
            )?;
        }
    }
    Ok(())
}
