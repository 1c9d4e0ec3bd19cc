//! Benchmark of Spotify export (issue 5): a 1,000-song playlist exported through the release
//! `cuesheet` binary to the fake Spotify with 50 ms added to every call. Reports the calls by
//! kind, the wall time, and beside the write calls made the fewest any plan could make, for a
//! first export, an unchanged re-export, and a re-export after moving 10 songs and adding 5.
//! A second part times the first export of a playlist whose 357 songs must all be searched.
//!
//! Run by `make bench`; writes its section of docs/BENCHMARKS.md when given `--out FILE`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cuesheet_tests::fake_spotify::{FakeSpotify, RecordedRequest};
use cuesheet_tests::spotify_cli::{import_exportify, log_in, spotify, spotify_json, stderr};
use cuesheet_tests::{cli_json, run_cli};
use serde_json::Value;

#[path = "../../src-tauri/core/examples/shared/bench_doc.rs"]
mod bench_doc;

const SECTION: &str = "## Spotify export (issue 5)";
const SONGS: usize = 1000;
const LATENCY: Duration = Duration::from_millis(50);

struct Row {
    label: &'static str,
    took: Duration,
    searches: usize,
    reads: usize,
    writes: usize,
    minimum_writes: u64,
}

fn measure(label: &'static str, dir: &Path, fake: &FakeSpotify, playlist: &str) -> Row {
    fake.clear_requests();
    let started = Instant::now();
    let summary = spotify_json(dir, fake, &["spotify", "export", playlist, "--json"]);
    let took = started.elapsed();
    let requests = fake.requests();
    let count =
        |keep: &dyn Fn(&RecordedRequest) -> bool| requests.iter().filter(|r| keep(r)).count();
    Row {
        label,
        took,
        searches: count(&|r| r.path == "/v1/search"),
        reads: count(&|r| {
            r.method == "GET" && r.path.starts_with("/v1/") && r.path != "/v1/search"
        }),
        writes: count(&|r| r.is_write()),
        minimum_writes: summary["minimum_writes"].as_u64().unwrap_or(0)
            + u64::from(summary["created"] == true),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);

    let fake = FakeSpotify::start();
    let dir = tempfile::tempdir()?;
    log_in(dir.path(), &fake);
    let (playlist, _) = import_exportify(dir.path(), &fake, SONGS, "Thousand");
    fake.faults().latency = LATENCY;

    let mut rows = vec![
        measure(
            "first export (creates the playlist)",
            dir.path(),
            &fake,
            &playlist,
        ),
        measure("unchanged re-export", dir.path(), &fake, &playlist),
    ];
    // Ten songs moved to spread-out places, and five library songs added at the end.
    for i in 0..10u32 {
        let from = (100 * i + 3).to_string();
        let to = (100 * i + 60).to_string();
        let moved = run_cli(dir.path(), &["playlist", "move", &playlist, &from, &to]);
        assert!(moved.status.success(), "{}", stderr(&moved));
    }
    for track in ["1", "2", "3", "4", "5"] {
        let added = run_cli(
            dir.path(),
            &["playlist", "add", &playlist, "The Crow", "--track", track],
        );
        assert!(added.status.success(), "{}", stderr(&added));
    }
    rows.push(measure(
        "after moving 10 songs and adding 5",
        dir.path(),
        &fake,
        &playlist,
    ));

    // Matching cost: every starter song in one playlist, none with a known URI.
    let soundtracks: Value = cli_json(dir.path(), &["soundtracks", "--json"]);
    let all = run_cli(dir.path(), &["playlist", "create", "Every starter song"]);
    assert!(all.status.success());
    let mut starter_songs = 0;
    for soundtrack in soundtracks.as_array().unwrap() {
        let id = soundtrack["id"].to_string();
        let added = run_cli(dir.path(), &["playlist", "add", "Every starter song", &id]);
        assert!(added.status.success(), "{}", stderr(&added));
    }
    let detail = cli_json(
        dir.path(),
        &["playlist", "show", "Every starter song", "--json"],
    );
    starter_songs += detail["songs"].as_array().map(Vec::len).unwrap_or(0);
    let matching = measure(
        "first export, every song searched",
        dir.path(),
        &fake,
        "Every starter song",
    );
    let report = spotify_json(
        dir.path(),
        &fake,
        &["spotify", "match", "Every starter song", "--json"],
    );
    let sanity = spotify(dir.path(), &fake, &["spotify", "status"]);
    assert!(sanity.status.success());

    let mut section = String::new();
    writeln!(section, "{SECTION}\n")?;
    writeln!(section, "Command: `cargo run --release -p cuesheet-tests --example export_bench -- --out docs/BENCHMARKS.md` (part of `make bench`; it drives the release `cuesheet` binary). The fake Spotify from `tests/support/` runs on 127.0.0.1 with {} ms added to every call; every figure is one run.\n", LATENCY.as_millis())?;
    writeln!(section, "A {SONGS}-song playlist imported from an Exportify CSV (its songs carry their Spotify URIs, so these rows measure syncing, not searching):\n")?;
    writeln!(
        section,
        "| Export | Wall time | Searches | Reads | Writes | Fewest writes possible |"
    )?;
    writeln!(section, "|---|---|---|---|---|---|")?;
    for row in rows.iter().chain(std::iter::once(&matching)) {
        writeln!(
            section,
            "| {} | {:.2} s | {} | {} | {} | {} |",
            row.label,
            row.took.as_secs_f64(),
            row.searches,
            row.reads,
            row.writes,
            row.minimum_writes
        )?;
    }
    let counts = &report["counts"];
    writeln!(section, "\nThe last row is a separate playlist of all {starter_songs} starter songs, none with a known URI: each is searched (at most four searches, stopping at the first confident answer). Result: {} matched, {} to review, {} not found.\n", counts["matched"], counts["doubtful"], counts["not_found"])?;
    writeln!(section, "\"Fewest writes possible\" is what the planner in `spotify/sync.rs` prices as the cheapest plan (plus one for creating the playlist); the first export also makes one read to look for a playlist an interrupted export may have created, and the moved-and-added export reads the playlist's snapshot once to check nobody changed it in Spotify.")?;
    print!("{section}");
    if let Some(path) = out {
        bench_doc::write_section(&path, SECTION, &section)?;
        eprintln!("updated {}", path.display());
    }
    Ok(())
}
