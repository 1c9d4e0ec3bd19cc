//! The window's "Count a survey" commands: count a pasted or opened thread (online look-ups
//! with progress, stopped by `catalog_cancel`), keep a reviewed tally as a ranked list (adding
//! the titles found online first when asked), and give back the thread a list was counted
//! from. Each unpacks its arguments and calls the core; the counting rules live in
//! `cuesheet_core::survey`.

use std::path::Path;

use cuesheet_core::catalog::CatalogEvent;
use cuesheet_core::survey::{
    self, AddedFound, SaveSurvey, SavedSurvey, SurveyCount, SurveyThread, TitleLookup,
};
use cuesheet_core::{ErrorPayload, Library};
use tauri::ipc::Channel;
use tauri::State;

use crate::commands_catalog::{blocking, client_for};
use crate::AppState;

/// Counts a thread. The library's titles are read under the lock; the count itself runs on a
/// blocking thread without it, so a long thread or a minute of look-ups (one a second, as
/// MusicBrainz asks) never holds up the rest of the window.
#[tauri::command]
pub async fn count_survey(
    state: State<'_, AppState>,
    text: String,
    agreeing_replies: bool,
    online: bool,
    progress: Channel<CatalogEvent>,
) -> Result<SurveyCount, ErrorPayload> {
    let known = state.with(|library| survey::known_soundtracks(library.conn()))?;
    blocking(&state, move |dir, cancel| {
        let waits = progress.clone();
        let mut lookup = if online {
            let client = client_for(dir, cancel)?.with_wait_report(move |seconds| {
                let _ = waits.send(CatalogEvent::Waiting { seconds });
            });
            Some(survey::online_lookup(client))
        } else {
            None
        };
        survey::count_reporting(
            &text,
            &known,
            agreeing_replies,
            lookup.as_mut().map(|l| l as &mut dyn TitleLookup),
            &|event| {
                let _ = progress.send(event);
            },
        )
    })
    .await
}

/// "Make ranked list": with `add_found`, the titles found online are added to the library
/// first (progress to the channel) so their entries point at soundtracks.
#[tauri::command]
pub async fn save_survey(
    state: State<'_, AppState>,
    mut request: SaveSurvey,
    add_found: bool,
    progress: Channel<CatalogEvent>,
) -> Result<SavedSurvey, ErrorPayload> {
    blocking(&state, move |dir, cancel| {
        let mut library = Library::open(dir)?;
        let mut added = AddedFound::default();
        if add_found && survey::titles_to_add(&request.tally) > 0 {
            library.check_ranked_list_name_free(&request.name)?;
            let client = client_for(dir, cancel)?;
            added = library.add_found_titles(&client, &mut request.tally, &|event| {
                let _ = progress.send(event);
            })?;
        }
        let list_id = library.save_survey(&request)?;
        Ok(SavedSurvey { list_id, added })
    })
    .await
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
