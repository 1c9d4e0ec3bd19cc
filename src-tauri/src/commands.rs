//! The window's commands: each unpacks its arguments, calls one core function and maps the
//! error to the `{ code, message }` payload the UI shows. No business rules live here.

use cuesheet_core::edit::{SoundtrackFields, Target, TrackFields, TrashItem};
use cuesheet_core::model::{LibraryInfo, SongHit, SoundtrackDetail, SoundtrackSummary};
use cuesheet_core::paste::PastedTracklist;
use cuesheet_core::search::SearchResults;
use cuesheet_core::{Error, ErrorPayload};
use tauri::State;

use crate::AppState;

// Commands are async so Tauri runs them off the main thread and the window never waits on SQLite.

#[tauri::command]
pub async fn list_soundtracks(
    state: State<'_, AppState>,
) -> Result<Vec<SoundtrackSummary>, ErrorPayload> {
    state.with(|library| library.list_soundtracks())
}

#[tauri::command]
pub async fn get_soundtrack(
    state: State<'_, AppState>,
    id: i64,
) -> Result<SoundtrackDetail, ErrorPayload> {
    if id <= 0 {
        return Err(Error::InvalidInput(format!("{id} is not a soundtrack id")).payload());
    }
    state.with(|library| library.get_soundtrack(id))
}

#[tauri::command]
pub async fn library_info(state: State<'_, AppState>) -> Result<LibraryInfo, ErrorPayload> {
    state.with(|library| library.info())
}

/// As-you-type search; the UI drops answers to older keystrokes.
#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
) -> Result<SearchResults, ErrorPayload> {
    state.with(|library| library.search(&query, 30))
}

#[tauri::command]
pub async fn favourite_songs(state: State<'_, AppState>) -> Result<Vec<SongHit>, ErrorPayload> {
    state.with(|library| library.favourite_songs())
}

#[tauri::command]
pub async fn create_soundtrack(
    state: State<'_, AppState>,
    fields: SoundtrackFields,
    tracks: Vec<TrackFields>,
) -> Result<i64, ErrorPayload> {
    state.with_mut(|library| library.create_soundtrack(&fields, &tracks))
}

#[tauri::command]
pub async fn update_soundtrack(
    state: State<'_, AppState>,
    id: i64,
    fields: SoundtrackFields,
) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.update_soundtrack(id, &fields))
}

#[tauri::command]
pub async fn add_tracks(
    state: State<'_, AppState>,
    soundtrack_id: i64,
    tracks: Vec<TrackFields>,
) -> Result<Vec<i64>, ErrorPayload> {
    state.with_mut(|library| library.add_tracks(soundtrack_id, &tracks))
}

#[tauri::command]
pub async fn update_track(
    state: State<'_, AppState>,
    id: i64,
    fields: TrackFields,
) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.update_track(id, &fields))
}

#[tauri::command]
pub async fn set_favourite(
    state: State<'_, AppState>,
    target: Target,
    favourite: bool,
) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.set_favourite(target, favourite))
}

#[tauri::command]
pub async fn set_rating(
    state: State<'_, AppState>,
    target: Target,
    half_stars: Option<u8>,
) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.set_rating(target, half_stars))
}

#[tauri::command]
pub async fn set_notes(
    state: State<'_, AppState>,
    target: Target,
    notes: String,
) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.set_notes(target, &notes))
}

#[tauri::command]
pub async fn set_tags(
    state: State<'_, AppState>,
    target: Target,
    tags: Vec<String>,
) -> Result<Vec<String>, ErrorPayload> {
    state.with_mut(|library| library.set_tags(target, &tags))
}

#[tauri::command]
pub async fn tag_suggestions(
    state: State<'_, AppState>,
    prefix: String,
) -> Result<Vec<String>, ErrorPayload> {
    state.with(|library| library.tag_suggestions(&prefix, 12))
}

/// Reads pasted "Artist – Title" lines for the preview; saving goes through add/create.
#[tauri::command]
pub async fn parse_tracklist(text: String, on_album: bool) -> PastedTracklist {
    cuesheet_core::paste::parse_tracklist(&text, on_album)
}

#[tauri::command]
pub async fn delete_item(state: State<'_, AppState>, target: Target) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.delete(target))
}

#[tauri::command]
pub async fn restore_item(state: State<'_, AppState>, target: Target) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.restore(target))
}

#[tauri::command]
pub async fn list_trash(state: State<'_, AppState>) -> Result<Vec<TrashItem>, ErrorPayload> {
    state.with(|library| library.list_trash())
}

#[tauri::command]
pub async fn empty_trash(state: State<'_, AppState>) -> Result<usize, ErrorPayload> {
    state.with_mut(|library| library.empty_trash())
}

#[tauri::command]
pub async fn set_cover(
    state: State<'_, AppState>,
    soundtrack_id: i64,
    path: String,
) -> Result<String, ErrorPayload> {
    state.with_mut(|library| library.set_cover(soundtrack_id, std::path::Path::new(&path)))
}

#[tauri::command]
pub async fn clear_cover(
    state: State<'_, AppState>,
    soundtrack_id: i64,
) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.clear_cover(soundtrack_id))
}
