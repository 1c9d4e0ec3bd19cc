//! The app's version and the third-party notices embedded at build time, for Settings → About
//! and `cuesheet notices`.
//!
//! `build.rs` copies the notices file that `make notices` generates (named by
//! `CUESHEET_NOTICES`) into the build; this module only hands the text out. It must not read
//! notices from disk at run time: the binary carries its own, wherever it is installed.

use cuesheet_core::model::AboutInfo;

/// The notices generated for this build, or empty when it was built without them.
pub const NOTICES: &str = include_str!(concat!(env!("OUT_DIR"), "/third-party-notices.txt"));

pub fn about() -> AboutInfo {
    AboutInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        notices: NOTICES.to_owned(),
    }
}

/// What a build without notices says instead of them.
pub const NO_NOTICES: &str = "This build of Cuesheet was made without its third-party notices. \
     `make notices` (which `make package` runs) generates them from the Rust crates and npm \
     packages inside; installed packages carry them.";

/// `cuesheet notices`: the notices on stdout, or why there are none (exit status 1).
pub fn print_notices() -> std::process::ExitCode {
    use std::io::Write;
    if NOTICES.is_empty() {
        eprintln!("cuesheet: {NO_NOTICES}");
        return std::process::ExitCode::FAILURE;
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(NOTICES.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // A closed pipe (`cuesheet notices | head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cuesheet: could not print the notices: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
