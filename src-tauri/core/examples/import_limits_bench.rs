//! `make bench`, untrusted imports (issue 13): what the import caps cost and save. Each scenario
//! runs in a child process of its own (this program run again with `--scenario`), so its peak
//! memory (VmHWM) is its own: a file naming 100,000 playlists, a JSPF just under the 16 MiB
//! cap, a 300 MB JSPF, a 200 MB line, a 200 MB CSV field and `/dev/zero`. The section
//! "Untrusted imports (issue 13)" of docs/BENCHMARKS.md is replaced with the figures.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use cuesheet_core::formats::{self, Entry, Format, PlaylistFile};
use cuesheet_core::validate::MAX_WHOLE_FILE_BYTES;
use cuesheet_core::Library;

#[path = "shared/bench_doc.rs"]
mod bench_doc;

const SECTION: &str = "## Untrusted imports (issue 13)";
const NAMES: usize = 100_000;

/// The scenarios, in the order of the table: name, what it is.
const SCENARIOS: &[(&str, &str)] = &[
    (
        "names",
        "CSV of 100,000 rows, each naming its own playlist (imported)",
    ),
    (
        "jspf",
        "JSPF just under the 16 MiB cap, our own export format (imported)",
    ),
    ("jspf300", "300 MB JSPF (refused by its size)"),
    (
        "line",
        "M3U8 whose second line is 200 MB (refused at 1 MiB)",
    ),
    (
        "field",
        "CSV whose first field is 200 MB (refused at 1 MiB)",
    ),
    ("zero", "`/dev/zero` (refused: not a regular file)"),
];

/// A file of `size` bytes starting with `head`, the rest a hole of zeros (no disk used).
fn sparse(path: &Path, head: &str, size: u64) -> std::io::Result<()> {
    std::fs::write(path, head)?;
    std::fs::File::options()
        .write(true)
        .open(path)?
        .set_len(size)
}

/// A JSPF of our own export format just under the whole-file cap, and its song count.
fn jspf_under_cap(path: &Path) -> std::io::Result<usize> {
    let song = |n: usize| Entry {
        title: format!("Song {n} — “Überschall”"),
        artists: vec![format!("Artist {}", n % 997)],
        album: Some(format!("Album {}", n % 5003)),
        duration_ms: Some(120_000 + (n as u32 * 7919) % 240_000),
        ..Entry::default()
    };
    let per_song = formats::write(
        &PlaylistFile {
            entries: vec![song(1)],
            ..PlaylistFile::default()
        },
        Format::Jspf,
    )
    .len();
    let mut count = MAX_WHOLE_FILE_BYTES / per_song;
    loop {
        let file = PlaylistFile {
            name: Some("Just under the cap".into()),
            description: None,
            entries: (0..count).map(song).collect(),
        };
        let text = formats::write(&file, Format::Jspf);
        if text.len() <= MAX_WHOLE_FILE_BYTES {
            std::fs::write(path, text)?;
            return Ok(count);
        }
        count = count * 99 / 100;
    }
}

/// Writes the file a scenario imports (in the parent, so its making does not count in the
/// child's peak memory).
fn prepare(name: &str, work: &Path) -> Result<PathBuf, Box<dyn std::error::Error>> {
    Ok(match name {
        "names" => {
            let path = work.join("names.csv");
            let mut text = String::from("Track name,Artist name,Playlist name\n");
            for n in 0..NAMES {
                writeln!(text, "Song {n},Artist {n},List {n}")?;
            }
            std::fs::write(&path, text)?;
            path
        }
        "jspf" => {
            let path = work.join("big.jspf");
            jspf_under_cap(&path)?;
            path
        }
        "jspf300" => {
            let path = work.join("huge.jspf");
            sparse(&path, "{\"playlist\": {\"track\": [", 300 << 20)?;
            path
        }
        "line" => {
            let path = work.join("line.m3u8");
            sparse(&path, "#EXTM3U\n", 200 << 20)?;
            path
        }
        "field" => {
            let path = work.join("field.csv");
            sparse(&path, "Track name,Artist name\n\"", 200 << 20)?;
            path
        }
        "zero" => PathBuf::from("/dev/zero"),
        other => return Err(format!("no scenario {other}").into()),
    })
}

/// Imports `file` into a fresh library in `work` and prints `milliseconds peak_kib outcome`.
fn run_scenario(file: &Path, work: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut library = Library::open(&work.join("data"))?;
    let started = Instant::now();
    let outcome = match library.import_file(file, None, None, &mut |_| {}) {
        Ok(summary) => format!(
            "imported {} playlists, {} songs",
            summary.playlists.len(),
            summary.playlists.iter().map(|p| p.song_count).sum::<u32>()
        ),
        Err(e) => format!("refused: {e}"),
    };
    let took = started.elapsed();
    let status = std::fs::read_to_string("/proc/self/status")?;
    let peak_kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    println!(
        "{} {peak_kib} {}",
        took.as_millis(),
        outcome.replace(&work.display().to_string(), "…")
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--scenario") {
        return run_scenario(Path::new(&args[at + 1]), Path::new(&args[at + 2]));
    }
    let out = args
        .iter()
        .skip_while(|a| *a != "--out")
        .nth(1)
        .map(PathBuf::from);
    let me = std::env::current_exe()?;
    let mut rows = Vec::new();
    for (name, what) in SCENARIOS {
        let work = tempfile::tempdir()?;
        let file = prepare(name, work.path())?;
        let output = Command::new(&me)
            .arg("--scenario")
            .arg(&file)
            .arg(work.path())
            .output()?;
        let line = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        let mut parts = line.splitn(3, ' ');
        let (ms, kib, outcome) = (
            parts.next().unwrap_or("?").to_owned(),
            parts.next().unwrap_or("?").to_owned(),
            parts.next().unwrap_or("").to_owned(),
        );
        eprintln!("{name}: {ms} ms, {kib} KiB peak: {outcome}");
        rows.push((what, ms, kib, outcome));
    }

    let mut section = String::new();
    writeln!(section, "{SECTION}\n")?;
    writeln!(section, "Command: `cargo run --release -p cuesheet-core --example import_limits_bench -- --out docs/BENCHMARKS.md` (part of `make bench`). Each file is imported through `Library::import_file` into a fresh library, in a process of its own; peak memory is that process's VmHWM (the library and the program included: about 6 MiB before any file is read).\n")?;
    writeln!(section, "| File | Time | Peak memory | Outcome |")?;
    writeln!(section, "|---|---|---|---|")?;
    for (what, ms, kib, outcome) in &rows {
        let mib = kib
            .parse::<f64>()
            .map_or("?".into(), |k| format!("{:.0} MiB", k / 1024.0));
        let outcome = outcome.chars().take(120).collect::<String>();
        writeln!(section, "| {what} | {ms} ms | {mib} | {outcome} |")?;
    }
    writeln!(section, "\nBefore these caps (issue 13's measurements): the 300 MB JSPF took 2.6 GB, `/dev/zero` grew until the process aborted, and grouping by playlist name compared each row with every playlist so far (quadratic in the number of names).")?;

    print!("{section}");
    if let Some(path) = out {
        bench_doc::write_section(&path, SECTION, &section)?;
        eprintln!("updated {}", path.display());
    }
    Ok(())
}
