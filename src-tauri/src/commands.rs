//! The window's commands: each unpacks its arguments, calls one core function and maps the
//! error to the `{ code, message }` payload the UI shows. No business rules live here.

use cuesheet_core::model::{LibraryInfo, SoundtrackDetail, SoundtrackSummary};
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
