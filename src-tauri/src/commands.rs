//! The window's commands: each unpacks its arguments, calls one core function and maps the
//! error to the `{ code, message }` payload the UI shows. No business rules live here.

use std::sync::atomic::Ordering;

use cuesheet_core::backup::{BackupProgress, BackupSummary, MergeSummary};
use cuesheet_core::browse::{BrowseChoices, BrowseFilter, BrowsePage};
use cuesheet_core::edit::{SoundtrackFields, Target, TrackFields, TrashItem};
use cuesheet_core::formats::Format;
use cuesheet_core::model::{LibraryInfo, SongHit, SoundtrackDetail};
use cuesheet_core::paste::PastedTracklist;
use cuesheet_core::playlists::{
    AddedSongs, ImportPreview, ImportProgress, ImportSummary, PlaylistDetail, PlaylistSummary,
};
use cuesheet_core::ranked::{RankedListDetail, RankedListSummary};
use cuesheet_core::search::SearchResults;
use cuesheet_core::{Error, ErrorPayload};
use tauri::ipc::Channel;
use tauri::State;

use crate::AppState;

// Commands are async so Tauri runs them off the main thread and the window never waits on SQLite.

/// One page of the library view: the window asks for the pages near its viewport, so it never
/// holds (or waits for) the whole library.
#[tauri::command]
pub async fn browse_soundtracks(
    state: State<'_, AppState>,
    filter: BrowseFilter,
    offset: u32,
    limit: u32,
) -> Result<BrowsePage, ErrorPayload> {
    state.with(|library| library.browse(&filter, offset, limit))
}

#[tauri::command]
pub async fn browse_choices(state: State<'_, AppState>) -> Result<BrowseChoices, ErrorPayload> {
    state.with(|library| library.browse_choices())
}

#[tauri::command]
pub async fn get_soundtrack(
    state: State<'_, AppState>,
    id: i64,
) -> Result<SoundtrackDetail, ErrorPayload> {
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

/// The UI says it has painted its first library data. Only the start-up benchmark listens
/// (`CUESHEET_STARTUP_PROBE=1`); otherwise this does nothing, so normal runs print nothing.
#[tauri::command]
pub async fn report_first_render(page_ms: f64, marks: Option<String>) {
    crate::startup_probe(page_ms, marks.as_deref().unwrap_or(""));
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

/// Playlist files handed to the window (`cuesheet FILE`, a second launch) and not yet shown in
/// the import preview, oldest first; each is handed out once.
#[tauri::command]
pub async fn take_opened_files(
    opened: State<'_, crate::desktop::OpenedFiles>,
) -> Result<Vec<String>, ErrorPayload> {
    Ok(opened
        .take()
        .into_iter()
        .map(|path| path.to_string_lossy().into_owned())
        .collect())
}

/// The version and the third-party notices, for Settings → About.
#[tauri::command]
pub async fn about() -> Result<cuesheet_core::model::AboutInfo, ErrorPayload> {
    Ok(crate::about::about())
}

// Playlists.

#[tauri::command]
pub async fn list_playlists(
    state: State<'_, AppState>,
) -> Result<Vec<PlaylistSummary>, ErrorPayload> {
    state.with(|library| library.list_playlists())
}

#[tauri::command]
pub async fn get_playlist(
    state: State<'_, AppState>,
    id: i64,
) -> Result<PlaylistDetail, ErrorPayload> {
    state.with(|library| library.get_playlist(id))
}

#[tauri::command]
pub async fn create_playlist(
    state: State<'_, AppState>,
    name: String,
    description: String,
) -> Result<i64, ErrorPayload> {
    state.with_mut(|library| library.create_playlist(&name, &description))
}

#[tauri::command]
pub async fn update_playlist(
    state: State<'_, AppState>,
    id: i64,
    name: String,
    description: String,
) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.update_playlist(id, &name, &description))
}

#[tauri::command]
pub async fn delete_playlist(state: State<'_, AppState>, id: i64) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.delete_playlist(id))
}

#[tauri::command]
pub async fn add_to_playlist(
    state: State<'_, AppState>,
    playlist_id: i64,
    track_ids: Vec<i64>,
) -> Result<AddedSongs, ErrorPayload> {
    state.with_mut(|library| library.add_to_playlist(playlist_id, &track_ids))
}

#[tauri::command]
pub async fn remove_playlist_entry(
    state: State<'_, AppState>,
    entry_id: i64,
) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.remove_playlist_entry(entry_id))
}

#[tauri::command]
pub async fn move_playlist_entry(
    state: State<'_, AppState>,
    entry_id: i64,
    to_position: u32,
) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.move_playlist_entry(entry_id, to_position))
}

#[tauri::command]
pub async fn playlist_from_soundtrack(
    state: State<'_, AppState>,
    soundtrack_id: i64,
    with_film_only: bool,
) -> Result<i64, ErrorPayload> {
    state.with_mut(|library| library.playlist_from_soundtrack(soundtrack_id, with_film_only))
}

#[tauri::command]
pub async fn playlist_from_favourites(state: State<'_, AppState>) -> Result<i64, ErrorPayload> {
    state.with_mut(|library| library.playlist_from_favourites())
}

/// Reads a file the person picked or dropped (streamed), or pasted text, for the preview.
#[tauri::command]
pub async fn preview_import(
    state: State<'_, AppState>,
    path: Option<String>,
    text: Option<String>,
) -> Result<ImportPreview, ErrorPayload> {
    state.with(|library| match (path, text) {
        (Some(path), _) => library.preview_file(std::path::Path::new(&path), None),
        (None, Some(text)) => library.preview_import(&text, None, "pasted text"),
        (None, None) => Err(Error::InvalidInput("nothing to import".into())),
    })
}

/// Imports in one transaction, streaming a file, and sends `{ songs, bytes_read, bytes_total }`
/// on `progress` as songs are written so the window can show a bar for a large file.
#[tauri::command]
pub async fn import_playlists(
    state: State<'_, AppState>,
    path: Option<String>,
    text: Option<String>,
    name: Option<String>,
    progress: Channel<ImportProgress>,
) -> Result<ImportSummary, ErrorPayload> {
    // A closed window cannot take the message; the import goes on regardless.
    let mut report = |step: ImportProgress| {
        let _ = progress.send(step);
    };
    state.with_mut(|library| match (path, text) {
        (Some(path), _) => library.import_file(
            std::path::Path::new(&path),
            None,
            name.as_deref(),
            &mut report,
        ),
        (None, Some(text)) => library.import_playlists_with_progress(
            &text,
            None,
            "pasted text",
            name.as_deref(),
            &mut report,
        ),
        (None, None) => Err(Error::InvalidInput("nothing to import".into())),
    })
}

/// Opens a web page (a soundtrack's source) in the system browser. Only http(s) addresses: the
/// core refuses `javascript:`, `file:` and every other scheme before the opener sees them.
#[tauri::command]
pub async fn open_link(url: String) -> Result<(), ErrorPayload> {
    cuesheet_core::validate::web_link(&url).map_err(|e| e.payload())?;
    tauri_plugin_opener::open_url(&url, None::<&str>)
        .map_err(|e| Error::Internal(format!("could not open the browser: {e}")).payload())
}

/// Writes the playlist to the file the person chose in the save dialog.
#[tauri::command]
pub async fn export_playlist(
    state: State<'_, AppState>,
    id: i64,
    format: Format,
    path: String,
) -> Result<u32, ErrorPayload> {
    state.with(|library| library.export_playlist_to(id, format, std::path::Path::new(&path)))
}

// Ranked lists.

#[tauri::command]
pub async fn list_ranked_lists(
    state: State<'_, AppState>,
) -> Result<Vec<RankedListSummary>, ErrorPayload> {
    state.with(|library| library.list_ranked_lists())
}

#[tauri::command]
pub async fn get_ranked_list(
    state: State<'_, AppState>,
    id: i64,
) -> Result<RankedListDetail, ErrorPayload> {
    state.with(|library| library.get_ranked_list(id))
}

#[tauri::command]
pub async fn create_ranked_list(
    state: State<'_, AppState>,
    name: String,
) -> Result<i64, ErrorPayload> {
    state.with_mut(|library| library.create_ranked_list(&name, ""))
}

#[tauri::command]
pub async fn delete_ranked_list(state: State<'_, AppState>, id: i64) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.delete_ranked_list(id))
}

#[tauri::command]
pub async fn add_to_ranked_list(
    state: State<'_, AppState>,
    list_id: i64,
    soundtrack_id: i64,
) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.add_to_ranked_list(list_id, soundtrack_id, None, ""))
}

#[tauri::command]
pub async fn move_ranked_entry(
    state: State<'_, AppState>,
    entry_id: i64,
    to_rank: u32,
) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.move_ranked_entry(entry_id, to_rank))
}

#[tauri::command]
pub async fn remove_ranked_entry(
    state: State<'_, AppState>,
    entry_id: i64,
) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.remove_ranked_entry(entry_id))
}

#[tauri::command]
pub async fn set_ranked_note(
    state: State<'_, AppState>,
    entry_id: i64,
    note: String,
) -> Result<(), ErrorPayload> {
    state.with_mut(|library| library.set_ranked_note(entry_id, &note))
}

#[tauri::command]
pub async fn playlist_from_ranked_list(
    state: State<'_, AppState>,
    list_id: i64,
    top: u32,
    songs_each: u32,
) -> Result<i64, ErrorPayload> {
    state.with_mut(|library| library.playlist_from_ranked_list(list_id, top, songs_each))
}

// Backups.

/// Writes a backup of the whole library to the file chosen in the save dialog.
#[tauri::command]
pub async fn backup_library(
    state: State<'_, AppState>,
    path: String,
) -> Result<BackupSummary, ErrorPayload> {
    state.with(|library| library.backup(std::path::Path::new(&path)))
}

/// Adds what a backup has and the library lacks, sending `{ stage, done, total }` on
/// `progress`. The backup is copied, checked and rebuilt on a thread of its own without the
/// library's lock, so the window stays usable; only adding takes it. Replacing the whole
/// library needs the window closed (the file itself is swapped), so it is offered in the CLI.
#[tauri::command]
pub async fn merge_backup(
    state: State<'_, AppState>,
    path: String,
    progress: Channel<BackupProgress>,
) -> Result<MergeSummary, ErrorPayload> {
    let cancel = state.backup_cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    let data_dir = state.data_dir.clone();
    let channel = progress.clone();
    let prepared = tauri::async_runtime::spawn_blocking(move || {
        // A closed window cannot take the message; the work goes on regardless.
        cuesheet_core::backup::prepare(
            &data_dir,
            std::path::Path::new(&path),
            &mut |step| {
                let _ = channel.send(step);
            },
            cancel,
        )
    })
    .await
    .map_err(|e| Error::Internal(format!("the backup could not be read: {e}")).payload())?
    .map_err(|e| e.payload())?;
    let cancel = state.backup_cancel.clone();
    state.with_mut(|library| {
        library.merge_prepared(
            &prepared,
            &mut |step| {
                let _ = progress.send(step);
            },
            cancel,
        )
    })
}

/// Stops the merge in progress; nothing of it is kept.
#[tauri::command]
pub async fn cancel_backup(state: State<'_, AppState>) -> Result<(), ErrorPayload> {
    state.backup_cancel.store(true, Ordering::Relaxed);
    Ok(())
}
