//! What a benchmark's figures were measured on, for the "Last run: … on …" line each one writes:
//! the date, the CPU and its cores, the Rust toolchain. Included with `#[path]` by each benchmark,
//! like bench_doc.rs, since examples of different packages cannot share a module otherwise.

use std::ffi::OsStr;
use std::process::Command;

/// What `program args…` prints, trimmed; empty when it cannot run, so a missing tool leaves a
/// blank in the report rather than failing the benchmark.
pub fn output_of(program: impl AsRef<OsStr>, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// Today in UTC, `YYYY-MM-DD`.
#[allow(dead_code)]
pub fn date() -> String {
    output_of("date", &["-u", "+%Y-%m-%d"])
}

#[allow(dead_code)]
pub fn rustc() -> String {
    output_of("rustc", &["--version"])
}

/// "N cores, <CPU model>".
#[allow(dead_code)]
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cores} cores, {cpu}")
}
