//! The window's online look-ups: find soundtracks on MusicBrainz, add one, fill in soundtracks
//! already in the library (with progress and cancel), the cover thumbnail of a candidate, and
//! the contact email. Each runs on a blocking thread with the core's own client (its own
//! library connection), so a search never holds the window's library. No business rules here.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use cuesheet_core::catalog::add::{AddOptions, Added};
use cuesheet_core::catalog::enrich::{self, EnrichOptions, EnrichReport, Proposal};
use cuesheet_core::catalog::{
    self, client, CatalogClient, CatalogEvent, SearchOptions, SoundtrackCandidate,
};
use cuesheet_core::{Error, ErrorPayload};
use tauri::ipc::Channel;
use tauri::State;

use crate::AppState;

pub(crate) async fn blocking<T: Send + 'static>(
    state: &State<'_, AppState>,
    work: impl FnOnce(&Path, Arc<AtomicBool>) -> cuesheet_core::Result<T> + Send + 'static,
) -> Result<T, ErrorPayload> {
    let data_dir = state.data_dir.clone();
    let cancel = state.catalog_cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    tauri::async_runtime::spawn_blocking(move || work(&data_dir, cancel))
        .await
        .map_err(|e| Error::Internal(format!("the look-up stopped: {e}")).payload())?
        .map_err(|e| e.payload())
}

pub(crate) fn client_for(
    dir: &Path,
    cancel: Arc<AtomicBool>,
) -> cuesheet_core::Result<CatalogClient> {
    Ok(CatalogClient::for_library(dir)?.with_cancel(cancel))
}

#[tauri::command]
pub async fn catalog_search(
    state: State<'_, AppState>,
    query: String,
    year: Option<i32>,
) -> Result<Vec<SoundtrackCandidate>, ErrorPayload> {
    blocking(&state, move |dir, cancel| {
        let client = client_for(dir, cancel)?;
        catalog::search_soundtracks(
            &client,
            &query,
            &SearchOptions {
                year,
                wanted_tracks: None,
            },
        )
    })
    .await
}

/// The release's front cover at 250 px as a `data:` URL, so the page never loads a remote
/// address (the CSP stays strict); `None` when it has none.
#[tauri::command]
pub async fn catalog_thumbnail(
    state: State<'_, AppState>,
    release_id: String,
) -> Result<Option<String>, ErrorPayload> {
    blocking(&state, move |dir, cancel| {
        let client = client_for(dir, cancel)?;
        catalog::thumbnail_data_url(&client, &release_id)
    })
    .await
}

/// The review list of "Find covers and details" kept from earlier runs (one soundtrack's, or
/// every one's); read from the library, no request.
#[tauri::command]
pub async fn catalog_reviews(
    state: State<'_, AppState>,
    soundtrack_id: Option<i64>,
) -> Result<Vec<Proposal>, ErrorPayload> {
    state.with(|library| library.pending_reviews(soundtrack_id))
}

/// Takes a soundtrack off the review list, as it is.
#[tauri::command]
pub async fn catalog_dismiss_review(
    state: State<'_, AppState>,
    soundtrack_id: i64,
) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.dismiss_review(soundtrack_id))
}

#[tauri::command]
pub async fn catalog_add(
    state: State<'_, AppState>,
    release_id: String,
    options: AddOptions,
) -> Result<Added, ErrorPayload> {
    blocking(&state, move |dir, cancel| {
        let client = client_for(dir, cancel)?;
        let mut conn = cuesheet_core::db::open(dir)?;
        catalog::add::add_release(&client, &mut conn, dir, &release_id, &options)
    })
    .await
}

/// Fills in the given soundtracks (every one when `ids` is empty); with `apply`, the confident
/// matches are written. Progress goes to the channel; `catalog_cancel` stops it.
#[tauri::command]
pub async fn catalog_enrich(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    apply: bool,
    release: Option<String>,
    progress: Channel<CatalogEvent>,
) -> Result<EnrichReport, ErrorPayload> {
    blocking(&state, move |dir, cancel| {
        let waits = progress.clone();
        let client = client_for(dir, cancel)?.with_wait_report(move |seconds| {
            let _ = waits.send(CatalogEvent::Waiting { seconds });
        });
        let mut conn = cuesheet_core::db::open(dir)?;
        let ids = if ids.is_empty() {
            enrich::all_soundtrack_ids(&conn)?
        } else {
            ids
        };
        let send = move |event: CatalogEvent| {
            let _ = progress.send(event);
        };
        enrich::enrich(
            &client,
            &mut conn,
            dir,
            &ids,
            &EnrichOptions { apply, release },
            &send,
        )
    })
    .await
}

#[tauri::command]
pub async fn catalog_cancel(state: State<'_, AppState>) -> Result<(), ErrorPayload> {
    state.catalog_cancel.store(true, Ordering::Relaxed);
    Ok(())
}

/// The email MusicBrainz sees as the contact (`None`: the project's page).
#[tauri::command]
pub async fn catalog_contact(state: State<'_, AppState>) -> Result<Option<String>, ErrorPayload> {
    let dir = state.data_dir.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let conn = cuesheet_core::db::open(&dir)?;
        client::contact_setting(&conn)
    })
    .await
    .map_err(|e| Error::Internal(format!("the settings task stopped: {e}")).payload())?
    .map_err(|e| e.payload())
}

#[tauri::command]
pub async fn catalog_set_contact(
    state: State<'_, AppState>,
    email: Option<String>,
) -> Result<Option<String>, ErrorPayload> {
    let dir = state.data_dir.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let conn = cuesheet_core::db::open(&dir)?;
        client::set_contact(&conn, email.as_deref())
    })
    .await
    .map_err(|e| Error::Internal(format!("the settings task stopped: {e}")).payload())?
    .map_err(|e| e.payload())
}
