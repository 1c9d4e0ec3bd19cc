//! `make bench`, part two: playlist import and export at scale. Imports a 100,000-row CSV
//! (TuneMyMusic layout) and a 100,000-entry M3U8 through `Library::import_playlists` — reading,
//! detecting, parsing, linking to the library and inserting in one transaction — and, in the
//! same run, inserts the same rows with a bare rusqlite loop as the floor. Then exports a
//! 10,000-song playlist to every format. The section "Playlist import and export" of
//! docs/BENCHMARKS.md is replaced with the figures.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cuesheet_core::formats::{self, Entry, Format, PlaylistFile};
use cuesheet_core::Library;

const ROWS: usize = 100_000;
const EXPORT_SONGS: usize = 10_000;
#[path = "shared/bench_doc.rs"]
mod bench_doc;

const SECTION: &str = "## Playlist import and export (issue 4)";

fn entries(count: usize) -> Vec<Entry> {
    (0..count)
        .map(|n| Entry {
            title: format!("Song {n} — “Überschall”, part {}", n % 7),
            artists: vec![format!("Artist {}", n % 997), format!("Gäst; {}", n % 13)],
            album: Some(format!("Album {}", n % 5003)),
            duration_ms: Some(120_000 + (n as u32 * 7919) % 240_000),
            isrc: (n % 3 == 0).then(|| format!("USAAA{:07}", n)),
            ..Entry::default()
        })
        .collect()
}

/// A TuneMyMusic CSV as that service writes it (no columns of ours).
fn tunemymusic_csv(entries: &[Entry]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "Track name",
            "Artist name",
            "Album",
            "Playlist name",
            "Type",
            "ISRC",
            "Spotify - id",
        ])
        .unwrap();
    for e in entries {
        writer
            .write_record([
                e.title.as_str(),
                &e.artists.join(", "),
                e.album.as_deref().unwrap_or(""),
                "Big one",
                "Playlist",
                e.isrc.as_deref().unwrap_or(""),
                "",
            ])
            .unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

/// A plain extended M3U8 as players write it.
fn player_m3u8(entries: &[Entry]) -> String {
    let mut out = String::from("#EXTM3U\n");
    for (n, e) in entries.iter().enumerate() {
        let seconds = e.duration_ms.unwrap_or(0) / 1000;
        let _ = writeln!(
            out,
            "#EXTINF:{seconds},{} - {}\n/music/{n}.flac",
            e.artists.join(", "),
            e.title
        );
    }
    out
}

fn bare_insert(
    dir: &std::path::Path,
    entries: &[Entry],
) -> Result<Duration, Box<dyn std::error::Error>> {
    let mut conn = cuesheet_core::db::open(dir)?;
    let started = Instant::now();
    let tx = conn.transaction()?;
    tx.execute("INSERT INTO playlists (name) VALUES ('floor')", [])?;
    let playlist = tx.last_insert_rowid();
    {
        let mut insert = tx.prepare(
            "INSERT INTO playlist_entries (playlist_id, ord, title, artists, album, duration_ms, isrc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (ord, e) in entries.iter().enumerate() {
            insert.execute(rusqlite::params![
                playlist,
                ord as i64,
                e.title,
                serde_json::to_string(&e.artists)?,
                e.album,
                e.duration_ms,
                e.isrc
            ])?;
        }
    }
    tx.commit()?;
    Ok(started.elapsed())
}

fn per_second(rows: usize, took: Duration) -> String {
    format!("{:.0}", rows as f64 / took.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .skip_while(|a| a != "--out")
        .nth(1)
        .map(PathBuf::from);
    let songs = entries(ROWS);
    let csv_text = tunemymusic_csv(&songs);
    let m3u_text = player_m3u8(&songs);
    let scratch = tempfile::tempdir()?;
    let csv_file = scratch.path().join("big.csv");
    let m3u_file = scratch.path().join("big.m3u8");
    std::fs::write(&csv_file, &csv_text)?;
    std::fs::write(&m3u_file, &m3u_text)?;

    let mut rows = Vec::new();
    for (label, file) in [("CSV (TuneMyMusic)", &csv_file), ("M3U8", &m3u_file)] {
        let dir = tempfile::tempdir()?;
        let mut library = Library::open(dir.path())?;
        let started = Instant::now();
        let content = formats::read_file_text(file)?;
        let created =
            library.import_playlists(&content, None, &file.display().to_string(), None)?;
        let took = started.elapsed();
        assert_eq!(created.playlists[0].song_count as usize, ROWS);
        let floor_dir = tempfile::tempdir()?;
        drop(Library::open(floor_dir.path())?);
        let floor = bare_insert(floor_dir.path(), &songs)?;
        rows.push((label, took, floor));
        eprintln!("{label}: {} / floor {}", ms(took), ms(floor));
    }

    let dir = tempfile::tempdir()?;
    let mut library = Library::open(dir.path())?;
    let file = PlaylistFile {
        name: Some("Ten thousand".into()),
        description: None,
        entries: entries(EXPORT_SONGS),
    };
    let created = library.import_playlists(
        &formats::write(&file, Format::Jspf),
        Some(Format::Jspf),
        "ten.jspf",
        None,
    )?;
    let playlist = created.playlists[0].id;
    let mut exports = Vec::new();
    for format in [
        Format::M3u8,
        Format::Pls,
        Format::Xspf,
        Format::Jspf,
        Format::Csv,
        Format::Uris,
    ] {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..5 {
            let started = Instant::now();
            let text = library.export_playlist(playlist, format)?;
            times.push(started.elapsed());
            size = text.len();
        }
        times.sort();
        exports.push((format, times[2], size));
    }

    let mut section = String::new();
    writeln!(section, "{SECTION}\n")?;
    writeln!(section, "Command: `cargo run --release -p cuesheet-core --example formats_bench -- --out docs/BENCHMARKS.md` (part of `make bench`). Same machine and run conditions as above.\n")?;
    writeln!(section, "Import of {ROWS} rows (titles with non-ASCII letters and quotes, two artists each, one with a `;`) from a file, streamed: detect the format, parse, link to library songs and insert each song as it is read, in one transaction. The floor is a bare rusqlite loop inserting the same rows into the same table with one prepared statement in one transaction, in the same run.\n")?;
    writeln!(
        section,
        "| File | Import | Rows/s | Bare insert loop | Rows/s | Import ÷ floor |"
    )?;
    writeln!(section, "|---|---|---|---|---|---|")?;
    for (label, took, floor) in &rows {
        writeln!(
            section,
            "| {label} | {} | {} | {} | {} | {:.1}× |",
            ms(*took),
            per_second(ROWS, *took),
            ms(*floor),
            per_second(ROWS, *floor),
            took.as_secs_f64() / floor.as_secs_f64()
        )?;
    }
    writeln!(
        section,
        "\nExport of a {EXPORT_SONGS}-song playlist (median of 5):\n"
    )?;
    writeln!(section, "| Format | Time | Size |")?;
    writeln!(section, "|---|---|---|")?;
    for (format, took, size) in &exports {
        writeln!(
            section,
            "| {} | {} | {:.0} KiB |",
            format.name(),
            ms(*took),
            *size as f64 / 1024.0
        )?;
    }
    writeln!(section, "\nM3U8 and CSV files are streamed (64 KiB reads), so memory does not grow with the file ({:.0} MiB here); XSPF is read event by event; PLS and JSPF are read whole.", csv_text.len() as f64 / 1048576.0)?;

    print!("{section}");
    if let Some(path) = out {
        bench_doc::write_section(&path, SECTION, &section)?;
        eprintln!("updated {}", path.display());
    }
    Ok(())
}
