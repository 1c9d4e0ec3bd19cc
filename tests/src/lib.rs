//! Shared support for Cuesheet's cross-process tests: locating the built `cuesheet` binary,
//! temporary data dirs, and (in `window`) the real window under Xvfb driven by tauri-driver.
//!
//! Nothing here fakes the app: tests run the same binary a user runs, on a real SQLite file.
