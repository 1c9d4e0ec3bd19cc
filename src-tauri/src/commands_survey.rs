//! The window's "Count a survey" commands: count a pasted or opened thread, keep a reviewed
//! tally as a ranked list, and give back the thread a list was counted from. Each unpacks its
//! arguments and calls the core; the counting rules live in `cuesheet_core::survey`.

use std::path::Path;

use cuesheet_core::survey::{self, SaveSurvey, SurveyCount, SurveyThread, TitleLookup};
use cuesheet_core::ErrorPayload;
use tauri::State;

use crate::AppState;

/// Counts a thread. The library's titles are read under the lock; the count itself runs
/// without it, so a long thread never holds up the rest of the window.
#[tauri::command]
pub async fn count_survey(
    state: State<'_, AppState>,
    text: String,
    agreeing_replies: bool,
    online: bool,
) -> Result<SurveyCount, ErrorPayload> {
    let known = state.with(|library| survey::known_soundtracks(library.conn()))?;
    let mut lookup: Option<Box<dyn TitleLookup>> = if online {
        Some(survey::online_lookup(&state.data_dir).map_err(|e| e.payload())?)
    } else {
        None
    };
    survey::count(
        &text,
        &known,
        agreeing_replies,
        lookup.as_deref_mut().map(|l| l as &mut dyn TitleLookup),
    )
    .map_err(|e| e.payload())
}

/// "Make ranked list": returns the new list's id.
#[tauri::command]
pub async fn save_survey(
    state: State<'_, AppState>,
    request: SaveSurvey,
) -> Result<i64, ErrorPayload> {
    state.with_mut(|library| library.save_survey(&request))
}

/// The thread a ranked list was counted from, or `null` for a list made by hand.
#[tauri::command]
pub async fn ranked_list_survey(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Option<SurveyThread>, ErrorPayload> {
    state.with(|library| library.ranked_list_survey(id))
}

/// The text of a thread saved as a `.txt` file the person picked.
#[tauri::command]
pub async fn read_survey_file(path: String) -> Result<String, ErrorPayload> {
    survey::read_thread_file(Path::new(&path)).map_err(|e| e.payload())
}
