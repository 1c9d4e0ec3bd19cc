//! Cuesheet's shell: parses the command line, then either runs a CLI subcommand or opens the
//! Tauri window with the library as managed state.
//!
//! This crate is the only one that depends on tauri. It holds no business rules: commands and
//! subcommands unpack their arguments, call the core, and map its errors.

mod about;
mod cli;
mod cli_spotify;
mod commands;
mod commands_catalog;
mod commands_spotify;
mod commands_survey;
mod desktop;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use clap::Parser;
use cuesheet_core::browse::{BrowseFilter, VIEW_PAGE};
use cuesheet_core::{ErrorCode, ErrorPayload, Library};
use tauri::Manager;

/// The window's view of the library. Opening can fail (a file from a newer Cuesheet, or
/// "database is locked" while a long CLI import migrates a new library); the window still opens,
/// every command answers with the reason, and each later command tries to open it again, so a
/// window started at a bad moment recovers without a restart.
#[derive(Debug)]
pub(crate) struct AppState {
    library: Mutex<Option<Library>>,
    /// Spotify work opens its own connection here, so a long export never holds `library`.
    pub(crate) data_dir: PathBuf,
    /// Set by the Cancel button; long Spotify work checks it between calls.
    pub(crate) spotify_cancel: Arc<AtomicBool>,
    /// Set by the Cancel button of a merge from a backup.
    pub(crate) backup_cancel: Arc<AtomicBool>,
    /// Set by the Cancel button of online look-ups (filling in the library).
    pub(crate) catalog_cancel: Arc<AtomicBool>,
}

impl AppState {
    /// The state, and why the library could not be opened yet (for the log).
    fn open(data_dir: &Path) -> (AppState, Option<ErrorPayload>) {
        let (library, error) = match Library::open(data_dir) {
            Ok(library) => (Some(library), None),
            Err(e) => (None, Some(e.payload())),
        };
        let state = AppState {
            library: Mutex::new(library),
            data_dir: data_dir.to_path_buf(),
            spotify_cancel: Arc::new(AtomicBool::new(false)),
            backup_cancel: Arc::new(AtomicBool::new(false)),
            catalog_cancel: Arc::new(AtomicBool::new(false)),
        };
        (state, error)
    }

    /// Runs `action` with the library locked, opening it first if it is not open yet. The lock
    /// is plain and never held across an await.
    pub(crate) fn with<T>(
        &self,
        action: impl FnOnce(&Library) -> cuesheet_core::Result<T>,
    ) -> Result<T, ErrorPayload> {
        self.with_mut(|library| action(library))
    }

    /// Like [`AppState::with`], for actions that write.
    pub(crate) fn with_mut<T>(
        &self,
        action: impl FnOnce(&mut Library) -> cuesheet_core::Result<T>,
    ) -> Result<T, ErrorPayload> {
        let mut guard = self.library.lock().map_err(|_| ErrorPayload {
            code: ErrorCode::Internal,
            message: "an earlier action failed badly; restart Cuesheet".into(),
        })?;
        let library = match &mut *guard {
            Some(library) => library,
            empty => empty.insert(Library::open(&self.data_dir).map_err(|e| e.payload())?),
        };
        action(library).map_err(|e| e.payload())
    }
}

/// When the process started, as near as the shell can tell: the first thing `main` does is read
/// the clock, so the start-up probe can say how long the first library render took.
static STARTED: OnceLock<Instant> = OnceLock::new();

/// Prints when the UI first painted library data, for `make bench`; silent unless
/// `CUESHEET_STARTUP_PROBE=1`. The bench also times the line's arrival from its own spawn, which
/// counts the dynamic loading before `main` too. `marks` are the page's own milestones
/// ("script 37, list-asked 52, …" in page-clock ms), printed as given.
pub(crate) fn startup_probe(page_ms: f64, marks: &str) {
    if std::env::var_os("CUESHEET_STARTUP_PROBE").is_some_and(|v| v == "1") {
        let since_start = STARTED
            .get()
            .map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
        eprintln!(
            "cuesheet: first data render at {since_start:.1} ms since start (page clock {page_ms:.1} ms) {marks}"
        );
    }
}

pub fn main() -> ExitCode {
    STARTED.get_or_init(Instant::now);
    let args = cli::Args::parse();
    init_logging();
    let data_dir = match cuesheet_core::db::resolve_data_dir(args.data_dir.as_deref()) {
        Ok(dir) => dir,
        Err(e) => return cli::fail(&e),
    };
    match (args.command, args.file) {
        (Some(_), Some(file)) => {
            eprintln!(
                "cuesheet: give a playlist file to open or a subcommand, not both ({:?})",
                file.display().to_string()
            );
            ExitCode::from(2)
        }
        (Some(command), None) => cli::run(command, &data_dir),
        (None, Some(file)) if !file.is_file() => {
            eprintln!(
                "cuesheet: {:?} is neither a file nor a subcommand; `cuesheet --help` lists the subcommands",
                file.display().to_string()
            );
            ExitCode::from(2)
        }
        (None, file) => run_window(data_dir, file),
    }
}

fn init_logging() {
    let mut filter = tracing_subscriber::EnvFilter::try_from_env("CUESHEET_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    // The HTTP and OAuth libraries log request headers and bodies at debug level, which hold
    // tokens and codes: whatever the user asks for, they speak only of warnings.
    for quiet in [
        "rspotify=warn",
        "rspotify_http=warn",
        "ureq=warn",
        "rustls=warn",
    ] {
        if let Ok(directive) = quiet.parse() {
            filter = filter.add_directive(directive);
        }
    }
    // Logs go to stderr so `--json` output on stdout stays clean for scripts.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn has_display() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// Answers `cover://localhost/<name>` with a stored cover; only names the core recognises as its
/// own map to files, so the window cannot read anything else through this scheme.
fn serve_cover(data_dir: &Path, path: &str) -> tauri::http::Response<Vec<u8>> {
    let name = path.trim_start_matches('/');
    let file =
        cuesheet_core::covers::cover_path(data_dir, name).and_then(|p| std::fs::read(p).ok());
    let builder = tauri::http::Response::builder();
    let response = match file {
        Some(bytes) => builder
            .header("Content-Type", "image/jpeg")
            // Names change whenever a cover changes, so a cached picture is never stale.
            .header("Cache-Control", "max-age=31536000, immutable")
            .body(bytes),
        None => builder.status(404).body(Vec::new()),
    };
    response.unwrap_or_else(|_| tauri::http::Response::new(Vec::new()))
}

/// With no GPU to draw with (no `/dev/dri`: virtual displays, many VMs and remote desktops),
/// WebKit's compositing mode only adds work: with 10,000 soundtracks it took about 120 MiB more
/// and twice as long to the first painted library as without it (docs/BENCHMARKS.md, issue 6).
/// So it is turned off there, before WebKit starts; with a GPU WebKit keeps its default, and a
/// `WEBKIT_DISABLE_COMPOSITING_MODE` the user set always wins.
fn prefer_software_rendering_without_a_gpu() {
    const VARIABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if cfg!(target_os = "linux")
        && std::env::var_os(VARIABLE).is_none()
        && !Path::new("/dev/dri").exists()
    {
        // Still single-threaded here: nothing else reads the environment yet.
        std::env::set_var(VARIABLE, "1");
    }
}

/// A script that hands the window the library view's first page before the page's own scripts
/// run, so the first cards render while the view is being built instead of after a round trip
/// through IPC that waits behind the window's first layout (issue 6: about 60 ms of the first
/// paint). The read is an index walk of a few milliseconds. The UI reads the page once and asks
/// for it again after its first paint, so a page made stale by a reload corrects itself.
/// JSON is valid JavaScript, and this is not HTML, so no escaping is needed.
/// On a failed read the script is empty: the window then asks through IPC and shows the error
/// as it shows any other.
fn first_page_script(state: &AppState) -> String {
    state
        .with(|library| library.browse(&BrowseFilter::default(), 0, VIEW_PAGE))
        .ok()
        .and_then(|page| serde_json::to_string(&page).ok())
        .map(|json| format!("window.__CUESHEET_FIRST_PAGE__ = {json};"))
        .unwrap_or_default()
}

fn run_window(data_dir: PathBuf, file: Option<PathBuf>) -> ExitCode {
    if !has_display() {
        let instead = match &file {
            Some(file) => format!("`cuesheet import {}`", file.display()),
            None => "a subcommand (`cuesheet --help`)".to_owned(),
        };
        eprintln!(
            "cuesheet: there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset).\n\
             Run {instead} instead, or `make run`, which starts a virtual display."
        );
        return ExitCode::from(2);
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let opened = desktop::OpenedFiles::new(file.map(|f| desktop::absolute(&f, &cwd)));
    prefer_software_rendering_without_a_gpu();
    let (state, failed) = AppState::open(&data_dir);
    if let Some(e) = &failed {
        tracing::error!(message = %e.message, "could not open the library yet; the window will say why and try again");
    }
    let first_page = first_page_script(&state);
    let covers_dir = data_dir.clone();
    let context = tauri::generate_context!();
    let instance = desktop::single_instance(&context.config().identifier, &data_dir);
    let result = tauri::Builder::default()
        // First, so a second launch hands over its file before anything else starts.
        .plugin(instance)
        .plugin(desktop::window_state())
        .setup(|app| {
            if let Some(window) = app.get_webview_window("main") {
                desktop::save_after_moves(&window);
            }
            Ok(())
        })
        .plugin(
            tauri::plugin::Builder::<tauri::Wry>::new("first-page")
                .js_init_script(first_page)
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .register_asynchronous_uri_scheme_protocol("cover", move |_ctx, request, responder| {
            let data_dir = covers_dir.clone();
            std::thread::spawn(move || {
                responder.respond(serve_cover(&data_dir, request.uri().path()))
            });
        })
        .manage(state)
        .manage(opened)
        .invoke_handler(tauri::generate_handler![
            commands::browse_soundtracks,
            commands::browse_choices,
            commands::get_soundtrack,
            commands::library_info,
            commands::search,
            commands::favourite_songs,
            commands::report_first_render,
            commands::list_playlists,
            commands::get_playlist,
            commands::create_playlist,
            commands::update_playlist,
            commands::delete_playlist,
            commands::add_to_playlist,
            commands::remove_playlist_entry,
            commands::move_playlist_entry,
            commands::playlist_from_soundtrack,
            commands::playlist_from_favourites,
            commands::preview_import,
            commands::import_playlists,
            commands::export_playlist,
            commands::list_ranked_lists,
            commands::get_ranked_list,
            commands::create_ranked_list,
            commands::delete_ranked_list,
            commands::add_to_ranked_list,
            commands::move_ranked_entry,
            commands::remove_ranked_entry,
            commands::set_ranked_note,
            commands::playlist_from_ranked_list,
            commands::backup_library,
            commands::merge_backup,
            commands::cancel_backup,
            commands::create_soundtrack,
            commands::update_soundtrack,
            commands::add_tracks,
            commands::update_track,
            commands::set_favourite,
            commands::set_rating,
            commands::set_notes,
            commands::set_tags,
            commands::tag_suggestions,
            commands::parse_tracklist,
            commands::delete_item,
            commands::restore_item,
            commands::list_trash,
            commands::empty_trash,
            commands::set_cover,
            commands::clear_cover,
            commands::take_opened_files,
            commands::about,
            commands_spotify::spotify_status,
            commands_spotify::spotify_set_client_id,
            commands_spotify::spotify_login,
            commands_spotify::spotify_logout,
            commands_spotify::spotify_cancel,
            commands_spotify::spotify_review,
            commands_spotify::spotify_match,
            commands_spotify::spotify_choose,
            commands_spotify::spotify_forget_choice,
            commands_spotify::spotify_search,
            commands_spotify::spotify_export,
            commands_spotify::open_spotify_link,
            commands::open_link,
            commands_catalog::catalog_search,
            commands_catalog::catalog_thumbnail,
            commands_catalog::catalog_add,
            commands_catalog::catalog_enrich,
            commands_catalog::catalog_reviews,
            commands_catalog::catalog_dismiss_review,
            commands_catalog::catalog_cancel,
            commands_catalog::catalog_contact,
            commands_catalog::catalog_set_contact,
            commands_survey::count_survey,
            commands_survey::save_survey,
            commands_survey::ranked_list_survey,
            commands_survey::read_survey_file,
        ])
        .run(context);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cuesheet: the window could not run: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    //! The command list lives in four places (the functions, the handler, build.rs for the
    //! permissions, the capability); these tests keep them in step.

    use std::collections::BTreeSet;

    fn quoted_names(text: &str) -> BTreeSet<String> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    }

    fn command_functions() -> BTreeSet<String> {
        let source = [
            include_str!("commands.rs"),
            include_str!("commands_spotify.rs"),
            include_str!("commands_catalog.rs"),
            include_str!("commands_survey.rs"),
        ]
        .concat();
        source
            .split("#[tauri::command]")
            .skip(1)
            .filter_map(|after| after.split("fn ").nth(1))
            .filter_map(|rest| rest.split('(').next())
            .map(|name| name.trim().to_owned())
            .collect()
    }

    fn build_rs_commands() -> BTreeSet<String> {
        let build = include_str!("../build.rs");
        let list = build
            .split("const COMMANDS: &[&str] = &[")
            .nth(1)
            .and_then(|rest| rest.split("];").next())
            .expect("build.rs lists COMMANDS");
        quoted_names(list)
    }

    fn handler_commands() -> BTreeSet<String> {
        let source = include_str!("lib.rs");
        let list = source
            .split("generate_handler![")
            .nth(1)
            .and_then(|rest| rest.split("])").next())
            .expect("lib.rs has a generate_handler! list");
        list.split(',')
            .map(|item| {
                // commands::x, commands_spotify::x, commands_survey::x
                item.trim().rsplit("::").next().unwrap_or("").to_owned()
            })
            .filter(|name| !name.is_empty())
            .collect()
    }

    fn granted_commands() -> BTreeSet<String> {
        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/main.json")).expect("valid JSON");
        capability["permissions"]
            .as_array()
            .expect("a permissions list")
            .iter()
            .map(|p| p.as_str().expect("permission names are strings"))
            // Plugin permissions are checked by the security test, not matched to commands.
            .filter(|name| !name.contains(':'))
            .map(|name| {
                name.strip_prefix("allow-")
                    .unwrap_or_else(|| panic!("only allow- permissions of our commands: {name}"))
                    .replace('-', "_")
            })
            .collect()
    }

    #[test]
    fn every_command_is_registered_declared_and_granted() {
        let functions = command_functions();
        assert!(functions.contains("browse_soundtracks"), "{functions:?}");
        assert_eq!(
            handler_commands(),
            functions,
            "generate_handler! vs commands.rs"
        );
        assert_eq!(
            build_rs_commands(),
            functions,
            "build.rs COMMANDS vs commands.rs"
        );
        assert_eq!(
            granted_commands(),
            functions,
            "capabilities/main.json vs commands.rs"
        );
    }
}
