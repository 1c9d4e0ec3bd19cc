//! The window's Spotify commands: settings, login, the review and export. Each runs its core
//! call on a blocking thread (network calls wait seconds) with its own library connection, so
//! neither the window nor the other commands wait for Spotify. No business rules live here.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use cuesheet_core::spotify::{
    self, ExportOptions, ExportSummary, MatchReport, SongMatch, SpotifyEvent, SpotifyStatus, Work,
};
use cuesheet_core::{Error, ErrorPayload};
use tauri::ipc::Channel;
use tauri::State;

use crate::AppState;

/// Runs Spotify work off the async runtime, with the shared cancel flag reset first.
async fn blocking<T: Send + 'static>(
    state: &State<'_, AppState>,
    work: impl FnOnce(&Path, &AtomicBool) -> cuesheet_core::Result<T> + Send + 'static,
) -> Result<T, ErrorPayload> {
    let data_dir = state.data_dir.clone();
    let cancel: Arc<AtomicBool> = state.spotify_cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    tauri::async_runtime::spawn_blocking(move || work(&data_dir, &cancel))
        .await
        .map_err(|e| Error::Internal(format!("the Spotify task stopped: {e}")).payload())?
        .map_err(|e| e.payload())
}

/// Runs Spotify work that takes a `Work`: its events go to the window's channel, if it gave
/// one (a send to a closed window fails and the work goes on), and the shared flag cancels it.
async fn with_work<T: Send + 'static>(
    state: &State<'_, AppState>,
    progress: Option<Channel<SpotifyEvent>>,
    run: impl FnOnce(&Path, &Work<'_>) -> cuesheet_core::Result<T> + Send + 'static,
) -> Result<T, ErrorPayload> {
    blocking(state, move |dir, cancel| {
        let send = move |event: SpotifyEvent| {
            if let Some(progress) = &progress {
                let _ = progress.send(event);
            }
        };
        run(
            dir,
            &Work {
                on_event: &send,
                cancel,
            },
        )
    })
    .await
}

#[tauri::command]
pub async fn spotify_status(state: State<'_, AppState>) -> Result<SpotifyStatus, ErrorPayload> {
    blocking(&state, |dir, _| spotify::status(dir)).await
}

#[tauri::command]
pub async fn spotify_set_client_id(
    state: State<'_, AppState>,
    client_id: Option<String>,
) -> Result<SpotifyStatus, ErrorPayload> {
    blocking(&state, move |dir, _| {
        spotify::set_client_id(dir, client_id.as_deref())
    })
    .await
}

/// Opens the system browser on Spotify's login page and waits (cancellable) for the redirect.
#[tauri::command]
pub async fn spotify_login(state: State<'_, AppState>) -> Result<SpotifyStatus, ErrorPayload> {
    blocking(&state, |dir, cancel| {
        let mut open_browser = |url: &str| {
            tauri_plugin_opener::open_url(url, None::<&str>).map_err(|e| {
                Error::Internal(format!(
                    "could not open the browser for the Spotify login: {e}"
                ))
            })
        };
        spotify::login(
            dir,
            &mut open_browser,
            spotify::auth::DEFAULT_LOGIN_TIMEOUT,
            cancel,
        )
    })
    .await
}

#[tauri::command]
pub async fn spotify_logout(state: State<'_, AppState>) -> Result<SpotifyStatus, ErrorPayload> {
    blocking(&state, |dir, _| spotify::logout(dir)).await
}

/// Stops the login, matching or export in progress; work done so far is kept.
#[tauri::command]
pub async fn spotify_cancel(state: State<'_, AppState>) -> Result<(), ErrorPayload> {
    state.spotify_cancel.store(true, Ordering::Relaxed);
    Ok(())
}

/// The review from remembered decisions: no network call.
#[tauri::command]
pub async fn spotify_review(
    state: State<'_, AppState>,
    playlist_id: i64,
) -> Result<MatchReport, ErrorPayload> {
    // The core finds a playlist by id or name and checks the id; the window names it by id.
    let playlist = playlist_id.to_string();
    blocking(&state, move |dir, _| spotify::review(dir, &playlist)).await
}

#[tauri::command]
pub async fn spotify_match(
    state: State<'_, AppState>,
    playlist_id: i64,
    again: bool,
    progress: Channel<SpotifyEvent>,
) -> Result<MatchReport, ErrorPayload> {
    let playlist = playlist_id.to_string();
    with_work(&state, Some(progress), move |dir, work| {
        spotify::match_playlist(dir, &playlist, again, work)
    })
    .await
}

/// The curator's pick for a song: a track URI, or `None` for "not on Spotify".
#[tauri::command]
pub async fn spotify_choose(
    state: State<'_, AppState>,
    song_id: String,
    uri: Option<String>,
) -> Result<SongMatch, ErrorPayload> {
    blocking(&state, move |dir, _| {
        spotify::choose(dir, &song_id, uri.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn spotify_forget_choice(
    state: State<'_, AppState>,
    song_id: String,
) -> Result<(), ErrorPayload> {
    blocking(&state, move |dir, _| spotify::forget_choice(dir, &song_id)).await
}

/// "Search again with my own words" in the review.
#[tauri::command]
pub async fn spotify_search(
    state: State<'_, AppState>,
    song_id: String,
    words: String,
) -> Result<SongMatch, ErrorPayload> {
    with_work(&state, None, move |dir, work| {
        spotify::search_for_song(dir, &song_id, &words, work)
    })
    .await
}

#[tauri::command]
pub async fn spotify_export(
    state: State<'_, AppState>,
    playlist_id: i64,
    public: bool,
    recreate: bool,
    follow_again: bool,
    progress: Channel<SpotifyEvent>,
) -> Result<ExportSummary, ErrorPayload> {
    let playlist = playlist_id.to_string();
    let options = ExportOptions {
        public,
        recreate,
        follow_again,
    };
    with_work(&state, Some(progress), move |dir, work| {
        spotify::export_playlist(dir, &playlist, options, work)
    })
    .await
}

/// Opens a Spotify page (an exported playlist, the developer dashboard) in the browser. Only
/// Spotify's own https pages: the window cannot open arbitrary addresses through this.
#[tauri::command]
pub async fn open_spotify_link(url: String) -> Result<(), ErrorPayload> {
    spotify::check_page_link(&url).map_err(|e| e.payload())?;
    tauri_plugin_opener::open_url(&url, None::<&str>)
        .map_err(|e| Error::Internal(format!("could not open the browser: {e}")).payload())
}
