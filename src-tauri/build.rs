//! Declares the app's own commands to Tauri so that capabilities can grant them one by one
//! (a command no capability names cannot be called from the window).

/// Every `#[tauri::command]` in `src/commands.rs`; a test keeps this list and the handler in step.
const COMMANDS: &[&str] = &[
    "list_soundtracks",
    "get_soundtrack",
    "library_info",
    "search",
    "favourite_songs",
    "list_playlists",
    "get_playlist",
    "create_playlist",
    "update_playlist",
    "delete_playlist",
    "add_to_playlist",
    "remove_playlist_entry",
    "move_playlist_entry",
    "playlist_from_soundtrack",
    "playlist_from_favourites",
    "preview_import",
    "import_playlists",
    "export_playlist",
    "list_ranked_lists",
    "get_ranked_list",
    "create_ranked_list",
    "delete_ranked_list",
    "add_to_ranked_list",
    "move_ranked_entry",
    "remove_ranked_entry",
    "set_ranked_note",
    "playlist_from_ranked_list",
    "backup_library",
    "merge_backup",
    "create_soundtrack",
    "update_soundtrack",
    "add_tracks",
    "update_track",
    "set_favourite",
    "set_rating",
    "set_notes",
    "set_tags",
    "tag_suggestions",
    "parse_tracklist",
    "delete_item",
    "restore_item",
    "list_trash",
    "empty_trash",
    "set_cover",
    "clear_cover",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
