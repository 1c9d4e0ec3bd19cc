//! Declares the app's own commands to Tauri so that capabilities can grant them one by one
//! (a command no capability names cannot be called from the window).

/// Every `#[tauri::command]` in `src/commands*.rs`; a test keeps this list and the handler in step.
const COMMANDS: &[&str] = &[
    "browse_soundtracks",
    "browse_choices",
    "get_soundtrack",
    "library_info",
    "search",
    "favourite_songs",
    "report_first_render",
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
    "cancel_backup",
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
    "take_opened_files",
    "about",
    "spotify_status",
    "spotify_set_client_id",
    "spotify_login",
    "spotify_logout",
    "spotify_cancel",
    "spotify_review",
    "spotify_match",
    "spotify_choose",
    "spotify_forget_choice",
    "spotify_search",
    "spotify_export",
    "open_spotify_link",
    "open_link",
    "catalog_search",
    "catalog_thumbnail",
    "catalog_add",
    "catalog_enrich",
    "catalog_reviews",
    "catalog_dismiss_review",
    "catalog_cancel",
    "catalog_contact",
    "catalog_set_contact",
    "count_survey",
    "save_survey",
    "ranked_list_survey",
    "read_survey_file",
];

/// Embeds the third-party notices that `make notices` generated, when `CUESHEET_NOTICES` names
/// them (a path relative to the workspace root, or absolute); otherwise embeds nothing, and the
/// app says how to get them. Generating them needs cargo-about, so plain builds do without.
fn embed_notices() {
    println!("cargo:rerun-if-env-changed=CUESHEET_NOTICES");
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let target = std::path::Path::new(&out_dir).join("third-party-notices.txt");
    let text = match std::env::var_os("CUESHEET_NOTICES").filter(|v| !v.is_empty()) {
        Some(named) => {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
            let path = root.join(named);
            println!("cargo:rerun-if-changed={}", path.display());
            std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("CUESHEET_NOTICES names {}: {e}", path.display()))
        }
        None => String::new(),
    };
    if std::fs::read_to_string(&target).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&target, text).expect("OUT_DIR is writable");
    }
}

fn main() {
    embed_notices();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
