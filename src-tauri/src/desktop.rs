//! Cuesheet as a desktop app among others: one window per library, playlist files handed to it
//! (`cuesheet FILE`, a double-click in the file manager, a second launch), and a window that
//! comes back where it was.
//!
//! This module owns the single-instance and window-state plugins and the queue of files waiting
//! for the import preview. It decides nothing about importing: the window reads the queue and
//! opens its preview, which calls the core like any other import.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Parser;
use tauri::{AppHandle, Emitter, Manager, Runtime, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// The event that tells the window files are waiting; it then calls `take_opened_files`.
pub const FILES_OPENED_EVENT: &str = "files-opened";

/// Size, position and maximised; never visibility or decorations, which are the app's to set.
const WINDOW_STATE: StateFlags = StateFlags::SIZE
    .union(StateFlags::POSITION)
    .union(StateFlags::MAXIMIZED);

/// Playlist files handed to this window and not yet shown in the import preview. A queue rather
/// than an event payload: a file given at start arrives before the page listens.
#[derive(Debug, Default)]
pub struct OpenedFiles(Mutex<Vec<PathBuf>>);

impl OpenedFiles {
    pub fn new(first: Option<PathBuf>) -> OpenedFiles {
        OpenedFiles(Mutex::new(first.into_iter().collect()))
    }

    fn push(&self, file: PathBuf) {
        if let Ok(mut files) = self.0.lock() {
            files.push(file);
        }
    }

    /// Every waiting file, oldest first, leaving the queue empty.
    pub fn take(&self) -> Vec<PathBuf> {
        self.0
            .lock()
            .map(|mut files| std::mem::take(&mut *files))
            .unwrap_or_default()
    }
}

/// A file named on the command line, made absolute against the directory it was typed in (a
/// second launch's directory is not ours).
pub fn absolute(file: &Path, cwd: &Path) -> PathBuf {
    if file.is_absolute() {
        file.to_path_buf()
    } else {
        cwd.join(file)
    }
}

/// The D-Bus name that makes one window per library: the app's identifier plus a hash of the
/// library's folder, so a second launch on the same library reaches the running window while
/// one on another library (`--data-dir`) opens its own. Hand-rolled FNV-1a because the name
/// must be the same in every build, which std's hasher does not promise; a crate for ten lines
/// is not worth it.
pub fn instance_id(identifier: &str, data_dir: &Path) -> String {
    let folder = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in folder.as_os_str().as_encoded_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{identifier}.library_{hash:016x}")
}

/// Hands a second launch's file to this window and brings the window to the front. `argv` is
/// the second process's command line, already checked by it (see `lib.rs`): a file that did not
/// exist never gets here.
fn second_launch<R: Runtime>(app: &AppHandle<R>, argv: Vec<String>, cwd: String) {
    let file = crate::cli::Args::try_parse_from(&argv)
        .ok()
        .and_then(|args| args.file);
    if let Some(file) = file {
        app.state::<OpenedFiles>()
            .push(absolute(&file, Path::new(&cwd)));
        if let Err(e) = app.emit_to("main", FILES_OPENED_EVENT, ()) {
            tracing::warn!(error = %e, "could not tell the window about an opened file");
        }
    }
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// One instance per library (see [`instance_id`]). Without a session bus (a bare virtual
/// display, some containers) the plugin cannot register and every launch opens its own window.
pub fn single_instance<R: Runtime>(
    identifier: &str,
    data_dir: &Path,
) -> tauri::plugin::TauriPlugin<R> {
    let id = instance_id(identifier, data_dir);
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(id)
        .callback(second_launch)
        .build()
}

/// The window's size, position and maximised state come back at the next start. The plugin
/// saves when the app exits normally; a window closed by the system or killed never gets there,
/// so the state is also saved a second after the window stops moving or resizing.
pub fn window_state<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_window_state::Builder::new()
        .with_state_flags(WINDOW_STATE)
        .build()
}

/// Saves the window's state a second after the last move or resize (see [`window_state`]).
pub fn save_after_moves<R: Runtime>(window: &tauri::WebviewWindow<R>) {
    let app = window.app_handle().clone();
    let generation = Arc::new(AtomicU64::new(0));
    window.on_window_event(move |event| {
        if !matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
            return;
        }
        let mine = generation.fetch_add(1, Ordering::SeqCst) + 1;
        let generation = generation.clone();
        let app = app.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(1));
            if generation.load(Ordering::SeqCst) == mine {
                if let Err(e) = app.save_window_state(WINDOW_STATE) {
                    tracing::warn!(error = %e, "could not save the window's size and place");
                }
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_library_has_one_name_and_another_library_another() {
        let a = tempfile_dir("a");
        let b = tempfile_dir("b");
        let id_a = instance_id("app.cuesheet.desktop", &a);
        assert_eq!(id_a, instance_id("app.cuesheet.desktop", &a.join(".")));
        assert_ne!(id_a, instance_id("app.cuesheet.desktop", &b));
        // A D-Bus name: dot-separated elements of letters, digits and _, none starting with a digit.
        assert!(id_a.starts_with("app.cuesheet.desktop.library_"));
        for element in id_a.split('.') {
            assert!(!element.is_empty() && !element.starts_with(|c: char| c.is_ascii_digit()));
            assert!(element
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'));
        }
    }

    fn tempfile_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "cuesheet-desktop-test-{}-{name}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn files_are_made_absolute_against_the_launching_directory() {
        assert_eq!(
            absolute(Path::new("mix.m3u8"), Path::new("/home/fan/Music")),
            PathBuf::from("/home/fan/Music/mix.m3u8")
        );
        assert_eq!(
            absolute(Path::new("/tmp/a.pls"), Path::new("/home")),
            PathBuf::from("/tmp/a.pls")
        );
    }

    #[test]
    fn the_queue_hands_each_file_once_in_order() {
        let files = OpenedFiles::new(Some(PathBuf::from("/a.m3u")));
        files.push(PathBuf::from("/b.pls"));
        assert_eq!(
            files.take(),
            vec![PathBuf::from("/a.m3u"), PathBuf::from("/b.pls")]
        );
        assert!(files.take().is_empty());
    }
}
