//! `make bench`: measures instant search on a library far larger than any fan's — 100,000
//! soundtracks and 1,500,000 songs — and writes the figures, with the command that produced
//! them, to docs/BENCHMARKS.md.
//!
//! The library is generated into a temporary folder by `cuesheet_core::synthetic`, through the
//! real insert path, so every insert goes through the search triggers exactly as an edit in the
//! app does. Queries are what a person types: one to three words taken from real rows, the last
//! one cut short. Each query is timed through `search::search` (FTS5) and through
//! `search::search_like` (a plain `LIKE '%…%'` scan of the same fields) in the same run, on the
//! same file.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cuesheet_core::search::{search, search_like, words, RANK_WINDOW};
use cuesheet_core::synthetic::{self, Rng, SearchWords};
use cuesheet_core::Library;

#[path = "shared/bench_doc.rs"]
mod bench_doc;
#[path = "shared/machine.rs"]
mod machine;

const SEARCH_SECTION: &str = "## Instant search (issue 3)";
const SOUNDTRACKS: usize = 100_000;
const TRACKS_PER_SOUNDTRACK: usize = 15;
const QUERIES: usize = 50;
const LIMIT: u32 = 20;

/// As-you-type queries: one to three consecutive words of a real song or film title, the last
/// cut to between two letters and the whole word.
fn queries(library: &Library, rng: &mut Rng) -> rusqlite::Result<Vec<String>> {
    let conn = library.conn();
    let mut out = Vec::with_capacity(QUERIES);
    while out.len() < QUERIES {
        let from_track = rng.below(3) != 0;
        let id = 1 + rng.below(if from_track {
            SOUNDTRACKS * TRACKS_PER_SOUNDTRACK
        } else {
            SOUNDTRACKS
        }) as i64;
        let text: String = if from_track {
            conn.query_row("SELECT title FROM tracks WHERE id = ?1", [id], |r| r.get(0))?
        } else {
            conn.query_row(
                "SELECT film_title FROM soundtracks WHERE id = ?1",
                [id],
                |r| r.get(0),
            )?
        };
        let all = words(&text);
        let take = (1 + rng.below(3)).min(all.len());
        let start = rng.below(all.len() - take + 1);
        let mut picked: Vec<String> = all[start..start + take].to_vec();
        if let Some(last) = picked.last_mut() {
            let length = last.chars().count();
            if length > 2 {
                let keep = 2 + rng.below(length - 1);
                *last = last.chars().take(keep).collect();
            }
        }
        out.push(picked.join(" "));
    }
    Ok(out)
}

/// Queries with one typo: a whole word of five letters or more from a real title with one
/// letter (not the first) replaced, so search has to correct it.
fn typo_queries(library: &Library, rng: &mut Rng, count: usize) -> rusqlite::Result<Vec<String>> {
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let id = 1 + rng.below(SOUNDTRACKS * TRACKS_PER_SOUNDTRACK) as i64;
        let title: String =
            library
                .conn()
                .query_row("SELECT title FROM tracks WHERE id = ?1", [id], |r| r.get(0))?;
        let Some(word) = words(&title).into_iter().find(|w| w.chars().count() >= 5) else {
            continue;
        };
        let mut chars: Vec<char> = word.chars().collect();
        let at = 1 + rng.below(chars.len() - 1);
        chars[at] = if chars[at] == 'x' { 'q' } else { 'x' };
        out.push(chars.into_iter().collect());
    }
    Ok(out)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .skip_while(|a| a != "--out")
        .nth(1)
        .map(PathBuf::from);
    // `--reuse DIR` keeps the generated library between runs while tuning (not used by
    // `make bench`, whose figures always come from a fresh library).
    let reuse = std::env::args()
        .skip_while(|a| a != "--reuse")
        .nth(1)
        .map(PathBuf::from);
    let temporary = tempfile::tempdir()?;
    let dir = reuse.as_deref().unwrap_or(temporary.path());
    let vocabulary = SearchWords::new();

    let started = Instant::now();
    if !dir.join("library.sqlite3").exists() {
        eprintln!(
            "generating {SOUNDTRACKS} soundtracks × {TRACKS_PER_SOUNDTRACK} songs in {}",
            dir.display()
        );
        drop(Library::open(dir)?);
        let conn = cuesheet_core::db::open(dir)?;
        synthetic::generate_search_library(
            &conn,
            &vocabulary,
            SOUNDTRACKS,
            TRACKS_PER_SOUNDTRACK,
            |done| {
                if done % 10_000 == 0 {
                    eprintln!("  generated {done} soundtracks");
                }
            },
        )?;
    }
    let generate_time = started.elapsed();
    // Queries draw from their own sequence, so a reused library gets the same queries.
    let mut rng = Rng::new(0x00DD_BA11_5EED_0042);
    let library = Library::open(dir)?;
    let (soundtracks, tracks): (i64, i64) = library.conn().query_row(
        "SELECT (SELECT count(*) FROM soundtracks), (SELECT count(*) FROM tracks)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    library
        .conn()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
    drop(library);

    let file = dir.join("library.sqlite3");
    let file_size = std::fs::metadata(&file)?.len();
    let mut open_times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let library = Library::open(dir)?;
        open_times.push(started.elapsed());
        drop(library);
    }
    open_times.sort();

    let library = Library::open(dir)?;
    let queries = queries(&library, &mut rng)?;
    // One untimed pass warms the page cache for both ways alike.
    for query in &queries {
        search(library.conn(), query, LIMIT)?;
    }
    let mut fts = Vec::new();
    let mut fts_hits = 0;
    for query in &queries {
        let started = Instant::now();
        let found = search(library.conn(), query, LIMIT)?;
        fts.push(started.elapsed());
        if started.elapsed() > Duration::from_millis(5) {
            eprintln!("  slow FTS5 query {query:?}: {}", ms(started.elapsed()));
        }
        fts_hits += usize::from(!found.songs.is_empty() || !found.soundtracks.is_empty());
    }
    let mut like = Vec::new();
    for (index, query) in queries.iter().enumerate() {
        let started = Instant::now();
        search_like(library.conn(), query, LIMIT)?;
        like.push(started.elapsed());
        eprintln!(
            "  LIKE {}/{}: {query:?} {}",
            index + 1,
            queries.len(),
            ms(like[index])
        );
    }
    let typos = typo_queries(&library, &mut rng, 20)?;
    let mut corrected = Vec::new();
    let mut corrected_found = 0;
    for query in &typos {
        let started = Instant::now();
        let found = search(library.conn(), query, LIMIT)?;
        corrected.push(started.elapsed());
        corrected_found += usize::from(!found.corrections.is_empty());
    }
    corrected.sort();
    fts.sort();
    like.sort();
    let (fts50, fts95) = (percentile(&fts, 50.0), percentile(&fts, 95.0));
    let (like50, like95) = (percentile(&like, 50.0), percentile(&like, 95.0));

    let mut report = String::new();
    writeln!(report, "# Benchmarks\n")?;
    writeln!(report, "Figures from `make bench`, which runs:\n")?;
    writeln!(report, "```sh\ncargo run --release -p cuesheet-core --example search_bench -- --out docs/BENCHMARKS.md\n```\n")?;
    writeln!(
        report,
        "Last run: {} on {} (Rust {}).\n",
        machine::date(),
        machine::machine(),
        machine::rustc()
    )?;
    writeln!(report, "{SEARCH_SECTION}\n")?;
    writeln!(report, "A generated library of {soundtracks} soundtracks and {tracks} songs (1–2 artists each, a quarter of the soundtracks with notes, a tenth of the songs with scene notes), inserted through the real schema in one transaction, so the search triggers ran for every row. Words are a mix of 40 common English title words and ~{} invented ones with accents, drawn with a skew so some are common. Queries: {QUERIES} as-you-type queries of one to three consecutive words from real rows, the last word cut short (e.g. `{}`, `{}`, `{}`), the same list for both ways, after one untimed warm-up pass of the FTS5 queries.\n", vocabulary.invented(), queries[0], queries[1], queries[2])?;
    writeln!(report, "| Measure | FTS5 (`search::search`, limit {LIMIT}) | `LIKE '%…%'` scan (`search::search_like`) | Ratio |")?;
    writeln!(report, "|---|---|---|---|")?;
    writeln!(
        report,
        "| p50 latency | {} | {} | {:.0}× |",
        ms(fts50),
        ms(like50),
        like50.as_secs_f64() / fts50.as_secs_f64()
    )?;
    writeln!(
        report,
        "| p95 latency | {} | {} | {:.0}× |",
        ms(fts95),
        ms(like95),
        like95.as_secs_f64() / fts95.as_secs_f64()
    )?;
    writeln!(
        report,
        "| max latency | {} | {} | |",
        ms(*fts.last().unwrap_or(&Duration::ZERO)),
        ms(*like.last().unwrap_or(&Duration::ZERO))
    )?;
    writeln!(
        report,
        "\n- Queries with at least one result: {fts_hits} of {QUERIES}."
    )?;
    writeln!(
        report,
        "- Misspelt words (one letter of a real word of 5+ letters replaced, e.g. `{}`; {} queries): \
         p50 {}, p95 {}; corrected to a word in the library: {corrected_found} of {}. These pay \
         for a second query and a scan of the indexed words with the same first letter.",
        typos[0],
        typos.len(),
        ms(percentile(&corrected, 50.0)),
        ms(percentile(&corrected, 95.0)),
        typos.len()
    )?;
    writeln!(
        report,
        "- Ranking: the best {LIMIT} of the first {RANK_WINDOW} matching rows of each group (soundtracks, \
         songs) in index order are put in order (title match first, then title and artist or \
         album, then anywhere; shorter titles first), so a one-letter prefix costs no more than a \
         whole word; once a query matches fewer rows, the order is exact."
    )?;
    writeln!(
        report,
        "- Library file: {:.0} MiB ({file_size} bytes) after a WAL checkpoint.",
        file_size as f64 / 1048576.0
    )?;
    writeln!(report, "- Opening it (`Library::open`: PRAGMAs, schema check, starter check), median of 5: {}; slowest {}.", ms(open_times[2]), ms(open_times[4]))?;
    writeln!(
        report,
        "- Generating it (inserts with the search triggers): {:.0} s.",
        generate_time.as_secs_f64()
    )?;
    writeln!(report, "\nThe aim was p95 ≤ 5 ms and at least 20× faster than the scan. Timings are wall-clock on a shared 2-core machine; rerun `make bench` to compare on yours.")?;

    print!("{report}");
    if let Some(path) = out {
        // This benchmark writes the file's top; the other benchmarks' sections are kept.
        let existing = std::fs::read_to_string(&path).unwrap_or_default();
        let others = bench_doc::other_sections(&existing, SEARCH_SECTION);
        std::fs::write(&path, format!("{}\n\n{others}\n", report.trim_end()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
