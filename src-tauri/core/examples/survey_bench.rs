//! `make bench`: counting a survey thread. A 500-comment thread (comments in the shapes the
//! survey tests use, naming starter titles, songs and bands) is counted against the starter
//! library and against the starter library plus 10,000 generated soundtracks of 15 songs:
//! reading the library's titles, artists and songs, then splitting, recognising and tallying.
//! The section "Counting a survey" of docs/BENCHMARKS.md is replaced with the figures.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cuesheet_core::survey::{count, known_soundtracks};
use cuesheet_core::Library;

#[path = "shared/bench_doc.rs"]
mod bench_doc;

const SECTION: &str = "## Counting a survey (issue 16)";
const COMMENTS: usize = 500;
const RUNS: usize = 5;

const TEMPLATES: &[&str] = &[
    "Singles, hands down. Would? by Alice in Chains still gives me chills.",
    "Judgement Night. Judgement Night forever!",
    "Trainspoting — Born Slippy by Underworld over the end credits.",
    "I think Pump Up the Volume is the most underrated one here.",
    "You read my mind!!",
    "Bon Jovi's Lost Highway album is not it, but the Lost Highway soundtrack is.",
    "My mixtape:\n- Drown - Smashing Pumpkins\n- #1 Crush - Garbage",
    "The Crow. Also Empire Records and Tank Girl if they count.",
    "singles and the crow, sorry to be boring",
    "+1",
];

fn thread() -> String {
    let mut text = format!("{COMMENTS} thoughts on “The best soundtrack?”\n\n");
    for n in 0..COMMENTS {
        text.push_str(&format!(
            "  • Reader {n}\n    May 1, 2025 at 9:{:02} am\n\n    {}\n\n    Reply\n",
            n % 60,
            TEMPLATES[n % TEMPLATES.len()].replace('\n', "\n    ")
        ));
    }
    text
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .skip_while(|a| a != "--out")
        .nth(1)
        .map(PathBuf::from);
    let text = thread();
    let mut rows = Vec::new();
    for generated in [0, 10_000] {
        let dir = tempfile::tempdir()?;
        let library = Library::open(dir.path())?;
        if generated > 0 {
            cuesheet_core::synthetic::generate(library.conn(), generated, 15)?;
        }
        let mut reads = Vec::new();
        let mut counts = Vec::new();
        let mut tally = Vec::new();
        let mut songs = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            let known = known_soundtracks(library.conn())?;
            reads.push(started.elapsed());
            songs = known.iter().map(|s| s.songs.len()).sum::<usize>();
            let started = Instant::now();
            let counted = count(&text, &known, false, None)?;
            counts.push(started.elapsed());
            assert_eq!(counted.comments.len(), COMMENTS);
            tally = counted
                .tally
                .iter()
                .map(|e| format!("{} {}", e.title, e.votes))
                .collect();
        }
        let soundtracks = library.list_soundtracks()?.len();
        rows.push((soundtracks, songs, median(reads), median(counts), tally));
    }

    let mut section = String::new();
    writeln!(section, "{SECTION}\n")?;
    writeln!(section, "Command: `cargo run --release -p cuesheet-core --example survey_bench -- --out docs/BENCHMARKS.md` (part of `make bench`). Same machine as above; median of {RUNS} runs.\n")?;
    writeln!(section, "A WordPress-shaped thread of {COMMENTS} comments (titles, misspellings, songs, bands, agreeing replies) counted offline. \"Read\" is `known_soundtracks` (titles, songs and artists from SQLite); \"count\" builds the title and name indexes, splits the thread, recognises and tallies.\n")?;
    writeln!(section, "| Library | Songs | Read | Count | Total |")?;
    writeln!(section, "|---|---|---|---|---|")?;
    for (soundtracks, songs, read, counted, _) in &rows {
        writeln!(
            section,
            "| {soundtracks} soundtracks | {songs} | {} | {} | {} |",
            ms(*read),
            ms(*counted),
            ms(*read + *counted)
        )?;
    }
    writeln!(
        section,
        "\nThe tally is the same on both libraries: {}.",
        rows[0].4.join(", ")
    )?;
    assert_eq!(rows[0].4, rows[1].4, "a larger library changed the tally");
    print!("{section}");
    if let Some(path) = out {
        bench_doc::write_section(&path, SECTION, &section)?;
        eprintln!("updated {}", path.display());
    }
    Ok(())
}
