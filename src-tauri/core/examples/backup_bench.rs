//! `make bench`, backups (issue 13): what treating a backup as untrusted input costs. A
//! generated library of 10,000 soundtracks (150,000 songs) is backed up, restored and merged,
//! each step in a child process of its own (this program run again with `--scenario`) so its
//! peak memory (VmHWM) is its own. The baseline, measured in the same run, is what the old
//! restore did: copy the file into place and run SQLite's integrity check on it ("adopt"),
//! which trusted the backup's schema, triggers and rows. The section "Backups (issue 13)" of
//! docs/BENCHMARKS.md is replaced with the figures.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use cuesheet_core::backup::{self, BackupProgress, BackupStage};
use cuesheet_core::Library;

#[path = "shared/bench_doc.rs"]
mod bench_doc;
#[path = "shared/machine.rs"]
mod machine;

const SECTION: &str = "## Backups (issue 13)";
const SOUNDTRACKS: usize = 10_000;
const SONGS_PER: usize = 15;

/// The scenarios, in the order of the table: name, what it does.
const SCENARIOS: &[(&str, &str)] = &[
    ("backup", "`backup FILE`: `VACUUM INTO` a new file"),
    (
        "adopt",
        "baseline: copy the file into place and `PRAGMA integrity_check` it (the old restore)",
    ),
    (
        "restore",
        "`restore FILE --replace`: copy, check, rebuild through the migrations, swap",
    ),
    (
        "merge-new",
        "`restore FILE --merge` into the starter library (adds every soundtrack)",
    ),
    (
        "merge-again",
        "`restore FILE --merge` into the library it came from (everything matches)",
    ),
];

/// Peak resident memory of this process so far, in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Runs one scenario and prints `total_ms lock_ms peak_kib outcome`; `lock_ms` is the time
/// the live library's write lock was held (merges only; `-` otherwise).
fn run_scenario(name: &str, work: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let file = work.join("big.cuesheet-backup");
    let source = work.join("source");
    let no_cancel = || Arc::new(AtomicBool::new(false));
    // When the merge's writing stage began: the write lock is held from then to the end.
    let mut writing_from: Option<Instant> = None;
    let mut watch = |p: BackupProgress| {
        if p.stage == BackupStage::Writing && writing_from.is_none() {
            writing_from = Some(Instant::now());
        }
    };
    let started = Instant::now();
    let outcome = match name {
        "backup" => {
            let made = Library::open(&source)?.backup(&file)?;
            format!(
                "{} soundtracks, {} songs, {:.0} MiB",
                made.soundtracks,
                made.tracks,
                std::fs::metadata(&file)?.len() as f64 / 1048576.0
            )
        }
        "adopt" => {
            let target = work.join("adopted");
            std::fs::create_dir_all(&target)?;
            let library = target.join("library.sqlite3");
            std::fs::copy(&file, &library)?;
            let conn = rusqlite::Connection::open(&library)?;
            let verdict: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
            format!("integrity_check: {verdict}")
        }
        "restore" => {
            let made =
                backup::restore_replacing(&work.join("restored"), &file, &mut watch, no_cancel())?;
            format!("{} soundtracks, {} songs", made.soundtracks, made.tracks)
        }
        "merge-new" | "merge-again" => {
            let target = if name == "merge-new" {
                work.join("starter")
            } else {
                source
            };
            let mut library = Library::open(&target)?;
            let prepared = backup::prepare(&target, &file, &mut watch, no_cancel())?;
            let merged = library.merge_prepared(&prepared, &mut watch, no_cancel())?;
            format!(
                "added {} soundtracks, {} songs",
                merged.soundtracks_added, merged.tracks_added
            )
        }
        other => return Err(format!("no scenario {other}").into()),
    };
    let took = started.elapsed();
    let lock = writing_from.map_or("-".to_owned(), |from| {
        from.elapsed().as_millis().to_string()
    });
    println!("{} {lock} {} {outcome}", took.as_millis(), peak_kib());
    Ok(())
}

fn seconds(ms: &str) -> String {
    ms.parse::<f64>()
        .map_or_else(|_| ms.to_owned(), |ms| format!("{:.1} s", ms / 1000.0))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--scenario") {
        return run_scenario(&args[at + 1], Path::new(&args[at + 2]));
    }
    let out = args
        .iter()
        .skip_while(|a| *a != "--out")
        .nth(1)
        .map(PathBuf::from);
    let work = tempfile::tempdir()?;
    let generating = Instant::now();
    {
        let library = Library::open(&work.path().join("source"))?;
        cuesheet_core::synthetic::generate(library.conn(), SOUNDTRACKS, SONGS_PER)?;
    }
    eprintln!(
        "generated {SOUNDTRACKS} soundtracks in {:.1?}",
        generating.elapsed()
    );
    let me = std::env::current_exe()?;
    let mut rows = Vec::new();
    for (name, what) in SCENARIOS {
        let output = Command::new(&me)
            .arg("--scenario")
            .arg(name)
            .arg(work.path())
            .output()?;
        if !output.status.success() {
            return Err(
                format!("{name} failed: {}", String::from_utf8_lossy(&output.stderr)).into(),
            );
        }
        let line = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        let mut parts = line.splitn(4, ' ');
        let mut next = || parts.next().unwrap_or("?").to_owned();
        let (ms, lock_ms, kib, outcome) = (next(), next(), next(), next());
        eprintln!("{name}: {ms} ms (lock {lock_ms}), {kib} KiB peak: {outcome}");
        rows.push((*name, *what, ms, lock_ms, kib, outcome));
    }
    let ms_of = |name: &str| {
        rows.iter()
            .find(|r| r.0 == name)
            .and_then(|r| r.2.parse::<f64>().ok())
    };
    let adopt = ms_of("adopt").unwrap_or(f64::NAN);

    let mut section = String::new();
    writeln!(section, "{SECTION}\n")?;
    writeln!(
        section,
        "Last run: {} on {}, {}, release build. Command: `cargo run --release -p cuesheet-core \
         --example backup_bench -- --out docs/BENCHMARKS.md` (part of `make bench`). A library of \
         the 26 starter soundtracks and {} generated ones with {SONGS_PER} songs each \
         (`cuesheet generate-library`; no covers) is backed up, then restored into a new folder \
         and merged two ways; each step runs in a process of its own, so peak memory is that \
         process's VmHWM. \"Write lock\" is how long a merge holds the live library's write lock \
         (other Cuesheets wait that long to write); everything before it runs with no lock.\n",
        machine::date(),
        machine::machine(),
        machine::rustc(),
        cuesheet_core::validate::thousands(SOUNDTRACKS)
    )?;
    writeln!(
        section,
        "| Step | Time | × adopt | Write lock | Peak memory | Outcome |"
    )?;
    writeln!(section, "|---|---|---|---|---|---|")?;
    for (name, what, ms, lock_ms, kib, outcome) in &rows {
        let ratio = ms
            .parse::<f64>()
            .ok()
            .filter(|_| *name != "backup")
            .map_or("".into(), |ms| format!("{:.1}×", ms / adopt));
        let lock = if lock_ms == "-" {
            "none".to_owned()
        } else {
            seconds(lock_ms)
        };
        let mib = kib
            .parse::<f64>()
            .map_or("?".into(), |k| format!("{:.0} MiB", k / 1024.0));
        writeln!(
            section,
            "| {what} | {} | {ratio} | {lock} | {mib} | {outcome} |",
            seconds(ms)
        )?;
    }
    writeln!(
        section,
        "\nWhat the ratio buys: the adopted file keeps whatever schema, triggers, views and rows \
         it came with (see docs/ARCHITECTURE.md, \"Untrusted backups\"); the restore's file holds \
         only what our migrations make and rows that passed an edit's rules. The bar and Cancel \
         cover every step.\n\nBefore a merge indexed what it added once at the end, with the \
         search index's triggers off while rows went in (measured 2026-12-05 on the machine \
         above, same command): the merge into the starter library took 48.5 s, 40.2 s of them \
         with the write lock held; with the triggers off and no index at all, the lock was held \
         3.4 s, so the refresh costs about 5 s of the lock."
    )?;
    print!("{section}");
    if let Some(path) = out {
        bench_doc::write_section(&path, SECTION, &section)?;
        eprintln!("updated {}", path.display());
    }
    Ok(())
}
