//! The start-up bench's baseline: the smallest Tauri 2 app this workspace can build — one window
//! showing one static page (`page/index.html`), no plugins, no state. `make bench` compares
//! Cuesheet's start-up time and memory with this, so the ratio shows what Cuesheet adds on top
//! of Tauri and WebKit themselves.
//!
//! It lives in the shell's package so it builds with the same tauri version and features; its
//! own `tauri.conf.json` beside this file gives it its own page and identifier. Its window is
//! labelled `main`, so the shell's capability grants it the one command it calls.

use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();

/// The page's first paint, printed the way Cuesheet's probe prints it so the bench reads both
/// alike.
#[tauri::command]
fn report_first_render(page_ms: f64) {
    if std::env::var_os("CUESHEET_STARTUP_PROBE").is_some_and(|v| v == "1") {
        let since_start = STARTED
            .get()
            .map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
        eprintln!(
            "cuesheet: first data render at {since_start:.1} ms since start (page clock {page_ms:.1} ms)"
        );
    }
}

fn main() {
    STARTED.get_or_init(Instant::now);
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![report_first_render])
        .run(tauri::generate_context!(
            "examples/minimal_window/tauri.conf.json"
        ))
        .expect("the minimal window runs");
}
