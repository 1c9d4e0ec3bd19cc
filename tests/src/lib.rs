//! Shared support for Cuesheet's cross-process tests: locating the built `cuesheet` binary,
//! running it on temporary data dirs, and (in [`window`]) the real window under Xvfb driven by
//! tauri-driver and WebKitWebDriver.
//!
//! Nothing here fakes the app: tests run the same binary a user runs, on a real SQLite file.
//! This crate must not reach into the app's internals; it talks to it as a user or script would.

pub mod a11y;
pub mod backup_cli;
pub mod data_dir;
#[path = "../support/fake_musicbrainz/mod.rs"]
pub mod fake_musicbrainz;
#[path = "../support/fake_spotify/mod.rs"]
pub mod fake_spotify;
pub mod musicbrainz_cli;
pub mod spotify_cli;
pub mod survey_json;
pub mod window;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits inside the workspace")
        .to_path_buf()
}

/// The built `cuesheet` binary: `$CUESHEET_BIN`, else `target/debug/cuesheet` (built by `make
/// test` before the tests run).
pub fn cuesheet_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("CUESHEET_BIN") {
        return PathBuf::from(bin);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let bin = target.join("debug").join("cuesheet");
    assert!(
        bin.exists(),
        "{} is missing: build it first with `cargo build -p cuesheet` (make test does)",
        bin.display()
    );
    bin
}

/// `cuesheet --data-dir DIR ARGS…` with no display, not yet started: for a test that must spawn
/// it, feed it or add to its environment.
pub fn cli_command(data_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(cuesheet_bin());
    command
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("CUESHEET_LOG", "warn");
    command
}

/// Runs `cuesheet --data-dir DIR ARGS…` with no display and returns its output.
pub fn run_cli(data_dir: &Path, args: &[&str]) -> Output {
    cli_command(data_dir, args)
        .output()
        .expect("the cuesheet binary runs")
}

/// Runs the CLI, asserts it succeeded, and parses its stdout as JSON.
pub fn cli_json(data_dir: &Path, args: &[&str]) -> serde_json::Value {
    let output = run_cli(data_dir, args);
    assert!(
        output.status.success(),
        "cuesheet {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "cuesheet {args:?} printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// Saves what the window showed when a test gave up, under `artifacts/e2e/`, and returns the
/// path (or why there is none), so a failure on CI can be looked at.
pub async fn save_failure_screenshot(client: &fantoccini::Client, what: &str) -> String {
    let name: String = what
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(100)
        .collect();
    let dir = workspace_root().join("artifacts/e2e");
    let path = dir.join(format!("{name}.png"));
    // WebKitWebDriver has been seen to never answer a screenshot of a window in a bad state;
    // a failing test must still end, with its message.
    let shot = tokio::time::timeout(std::time::Duration::from_secs(10), client.screenshot()).await;
    match shot.unwrap_or_else(|_| Err(fantoccini::error::CmdError::WaitTimeout)) {
        Ok(png) => match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, png)) {
            Ok(()) => path.display().to_string(),
            Err(e) => format!("not saved: {e}"),
        },
        Err(e) => format!("not taken: {e}"),
    }
}
