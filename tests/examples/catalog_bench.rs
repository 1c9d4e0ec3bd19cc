//! Benchmark of finding soundtracks online (issue 15), through the `cuesheet` binary against
//! the fake MusicBrainz and Cover Art Archive, which decline anything faster than one request
//! a second: the requests and wall time to look up and add one soundtrack, and to fill in the
//! 26 starter soundtracks (how many matched confidently, went to review, or matched wrongly);
//! then, with the fake Spotify, the Spotify searches per song of the starter songs before and
//! after the library carries ISRCs.
//!
//! Run by `make bench`; writes its section of docs/BENCHMARKS.md when given `--out FILE`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cuesheet_tests::fake_musicbrainz::{FakeMusicBrainz, Host};
use cuesheet_tests::fake_spotify::FakeSpotify;
use cuesheet_tests::spotify_cli::{log_in, spotify_command, stderr};
use cuesheet_tests::{cli_command, cli_json, run_cli};
use serde_json::Value;

#[path = "../../src-tauri/core/examples/shared/bench_doc.rs"]
mod bench_doc;

const SECTION: &str = "## Finding soundtracks online (issue 15)";

fn with_catalog(mut command: Command, fake: &FakeMusicBrainz) -> Command {
    command
        .env("CUESHEET_MUSICBRAINZ_URL", fake.musicbrainz_url())
        .env("CUESHEET_COVERART_URL", fake.coverart_url())
        .env("LANG", "en_US.UTF-8");
    command
}

fn json_of(mut command: Command, what: &str) -> Value {
    let output = command.output().expect("cuesheet runs");
    assert!(output.status.success(), "{what}: {}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

struct Counts {
    musicbrainz: usize,
    coverart: usize,
    images: usize,
    declined: usize,
}

fn counts(fake: &FakeMusicBrainz) -> Counts {
    let requests = fake.requests();
    let of = |host| requests.iter().filter(|r| r.host == host).count();
    Counts {
        musicbrainz: of(Host::MusicBrainz),
        coverart: of(Host::CoverArt),
        images: of(Host::Images),
        declined: requests.iter().filter(|r| r.status == 503).count(),
    }
}

/// Spotify searches made by `spotify match` of the playlist.
fn searches(dir: &Path, spotify: &FakeSpotify, playlist: &str, again: bool) -> (usize, Value) {
    spotify.clear_requests();
    let mut args = vec!["spotify", "match", playlist, "--json"];
    if again {
        args.push("--again");
    }
    let report = json_of(spotify_command(dir, spotify, &args), "spotify match");
    let made = spotify
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/search")
        .count();
    (made, report["counts"].clone())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);

    // 1. Look up and add one soundtrack, as the window does: a search, then the chosen edition.
    let fake = FakeMusicBrainz::start();
    let dir = tempfile::tempdir()?;
    let started = Instant::now();
    let candidates = json_of(
        with_catalog(
            cli_command(dir.path(), &["lookup", "the crow city of angels", "--json"]),
            &fake,
        ),
        "lookup",
    );
    let release = candidates[0]["release"]["id"].as_str().unwrap().to_owned();
    let looked = started.elapsed();
    let search_counts = counts(&fake);
    fake.clear_requests();
    let started = Instant::now();
    let added = json_of(
        with_catalog(
            cli_command(dir.path(), &["add", "--release", &release, "--json"]),
            &fake,
        ),
        "add",
    );
    let add_took = started.elapsed();
    let add_counts = counts(&fake);
    assert!(added["cover"].is_string(), "the cover was stored");

    // 2. Fill in the 26 starter soundtracks.
    let fake = FakeMusicBrainz::start();
    let dir = tempfile::tempdir()?;
    let spotify = FakeSpotify::start();
    log_in(dir.path(), &spotify);
    let soundtracks: Value = cli_json(dir.path(), &["soundtracks", "--json"]);
    let created = run_cli(dir.path(), &["playlist", "create", "Every starter song"]);
    assert!(created.status.success(), "{}", stderr(&created));
    for soundtrack in soundtracks.as_array().unwrap() {
        let id = soundtrack["id"].to_string();
        let added = run_cli(dir.path(), &["playlist", "add", "Every starter song", &id]);
        assert!(added.status.success(), "{}", stderr(&added));
    }
    let songs = cli_json(
        dir.path(),
        &["playlist", "show", "Every starter song", "--json"],
    )["songs"]
        .as_array()
        .map_or(0, Vec::len);
    let (searches_before, before_counts) =
        searches(dir.path(), &spotify, "Every starter song", false);

    let started = Instant::now();
    let report = json_of(
        with_catalog(
            cli_command(dir.path(), &["enrich", "--all", "--apply", "--json"]),
            &fake,
        ),
        "enrich",
    );
    let fill_took = started.elapsed();
    let fill_counts = counts(&fake);
    let mut wrong = 0;
    let mut covers = 0;
    let mut lengths_missing_before = 0;
    let mut lengths_missing_after = 0;
    let mut isrcs = 0;
    for (soundtrack, proposal) in soundtracks
        .as_array()
        .unwrap()
        .iter()
        .zip(report["proposals"].as_array().unwrap())
    {
        let id = soundtrack["id"].to_string();
        let detail = cli_json(dir.path(), &["show", &id, "--json"]);
        let truth = fake
            .catalogue()
            .starter
            .iter()
            .find(|t| Some(t.album_title.as_str()) == soundtrack["album_title"].as_str());
        if let (Some(group), Some(truth)) = (detail["musicbrainz_release_group_id"].as_str(), truth)
        {
            if group != truth.release_group_id {
                wrong += 1;
            }
        }
        covers += usize::from(detail["cover"].is_string());
        lengths_missing_before += proposal["fills"]["durations"].as_u64().unwrap_or(0) as usize;
        for track in detail["tracks"].as_array().unwrap() {
            lengths_missing_after +=
                usize::from(track["on_album"] == true && track["duration_ms"].is_null());
            isrcs += usize::from(track["isrc"].is_string());
        }
    }
    let (searches_after, after_counts) = searches(dir.path(), &spotify, "Every starter song", true);

    let per_song = |n: usize| n as f64 / songs.max(1) as f64;
    let seconds = |d: Duration| d.as_secs_f64();
    let mut section = String::new();
    writeln!(section, "{SECTION}\n")?;
    let command = if cfg!(debug_assertions) {
        "cargo run -p cuesheet-tests --example catalog_bench -- --out docs/BENCHMARKS.md` (a debug build, driving `target/debug/cuesheet`; `make bench` runs it in release"
    } else {
        "cargo run --release -p cuesheet-tests --example catalog_bench -- --out docs/BENCHMARKS.md` (part of `make bench`; it drives `$CUESHEET_BIN`"
    };
    writeln!(section, "Command: `{command}). The fake MusicBrainz, Cover Art Archive and image host from `tests/support/fake_musicbrainz` run on 127.0.0.1 and decline any MusicBrainz request that comes less than a second after the one before, as the real one does; its image host fails every third request with 500. Every figure is one run; the time is almost all the one-second pace.\n")?;
    writeln!(
        section,
        "| Work | Wall time | MusicBrainz | Cover Art Archive | Image host | Declined (503) |"
    )?;
    writeln!(section, "|---|---|---|---|---|---|")?;
    writeln!(
        section,
        "| `lookup \"the crow city of angels\"` | {:.2} s | {} | {} | {} | {} |",
        seconds(looked),
        search_counts.musicbrainz,
        search_counts.coverart,
        search_counts.images,
        search_counts.declined
    )?;
    writeln!(
        section,
        "| `add --release` of the first candidate's edition | {:.2} s | {} | {} | {} | {} |",
        seconds(add_took),
        add_counts.musicbrainz,
        add_counts.coverart,
        add_counts.images,
        add_counts.declined
    )?;
    writeln!(
        section,
        "| `enrich --all --apply` on the 26 starter soundtracks | {:.1} s | {} | {} | {} | {} |\n",
        seconds(fill_took),
        fill_counts.musicbrainz,
        fill_counts.coverart,
        fill_counts.images,
        fill_counts.declined
    )?;
    let c = &report["counts"];
    writeln!(section, "Filling the starter library: {} confident (all filled in), {} sent to review, {} not found, **{wrong} wrong** (a release group other than the album's, checked against the fake's truth). {covers} of 26 soundtracks have a cover afterwards (the fake has no front image for 2 of them); {lengths_missing_before} missing lengths were filled, {lengths_missing_after} album songs are still without one; {isrcs} songs carry an ISRC. Adding one soundtrack costs one MusicBrainz look-up and one cover request (plus the image host it redirects to, asked again when it fails); with the search before it, three requests to MusicBrainz and the Cover Art Archive.\n", c["confident"], c["doubtful"], c["not_found"])?;
    writeln!(section, "Spotify matching of a playlist of all {songs} starter album songs (`spotify match`, fake Spotify, whose songs carry the same ISRCs as the fake MusicBrainz's recordings, as the real services agree):\n")?;
    writeln!(
        section,
        "| Library | Searches | Per song | Matched | To review | Not found |"
    )?;
    writeln!(section, "|---|---|---|---|---|---|")?;
    writeln!(
        section,
        "| before filling in (no ISRCs) | {searches_before} | {:.2} | {} | {} | {} |",
        per_song(searches_before),
        before_counts["matched"],
        before_counts["doubtful"],
        before_counts["not_found"]
    )?;
    writeln!(section, "| after `enrich --all --apply` (`match --again`) | {searches_after} | {:.2} | {} | {} | {} |", per_song(searches_after), after_counts["matched"], after_counts["doubtful"], after_counts["not_found"])?;
    print!("{section}");
    if let Some(path) = out {
        bench_doc::write_section(&path, SECTION, &section)?;
        eprintln!("updated {}", path.display());
    }
    Ok(())
}
