//! Support for the tests that back up and restore through the real `cuesheet` binary: running
//! it with a time limit, a library made the way a curator makes one, and a real backup of it.
//! Comparing libraries is `data_dir`'s.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use crate::cli_command;
use crate::data_dir::copy_dir;

/// How long any one command may take before the test calls it hung (a merge that ran a
/// backup's endless view used to never return).
pub const HUNG: Duration = Duration::from_secs(120);

/// Runs the CLI, killing it if it runs past [`HUNG`].
pub fn run_bounded(dir: &Path, args: &[&str]) -> Output {
    let mut child = cli_command(dir, args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cuesheet starts");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > HUNG {
            let _ = child.kill();
            panic!("cuesheet {args:?} ran for more than {HUNG:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

pub fn ok(dir: &Path, args: &[&str]) -> String {
    let output = run_bounded(dir, args);
    assert!(
        output.status.success(),
        "cuesheet {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A library with a little of everything a curator makes, for backing up or restoring into.
pub fn curated_library(dir: &Path) {
    ok(dir, &["note", "Singles", "Seen at the Egyptian, 1992"]);
    ok(dir, &["tag", "Singles", "grunge", "seattle"]);
    ok(dir, &["rate", "Singles", "4.5", "--track", "1"]);
    ok(dir, &["playlist", "from-soundtrack", "Singles"]);
    ok(dir, &["ranked", "create", "Best of the 90s"]);
    ok(dir, &["ranked", "add", "Best of the 90s", "The Crow"]);
    ok(dir, &["delete", "Heavy Metal"]);
}

/// A real backup of a curated library, made by the binary.
pub fn good_backup(work: &Path) -> PathBuf {
    let source = work.join("source");
    curated_library(&source);
    let file = work.join("good.cuesheet-backup");
    ok(&source, &["backup", file.to_str().unwrap()]);
    file
}

/// The library every refusal must leave as it was: the starter catalogue with edits of its own.
/// Made once per test folder and copied for each use.
pub fn target_library(work: &Path, name: &str) -> PathBuf {
    let base = work.join("target-base");
    if !base.exists() {
        let making = work.join("target-making");
        ok(&making, &["note", "The Crow", "mine, keep"]);
        ok(&making, &["playlist", "create", "Mine"]);
        ok(&making, &["delete", "Singles"]);
        std::fs::rename(&making, &base).unwrap();
    }
    let dir = work.join(name);
    copy_dir(&base, &dir);
    dir
}
