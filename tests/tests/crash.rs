//! Crash safety of the real `cuesheet` binary: it is killed with SIGKILL at random moments of a
//! large import, a bulk edit (`restore FILE --merge` of a backup holding hundreds of playlists)
//! and a Spotify export against the fake server, at least twenty times each. After every kill the
//! library file must pass SQLite's own checks and hold all or none of the interrupted action, and
//! an export run again afterwards must leave the Spotify playlist exactly right: one playlist,
//! our songs in our order, duplicates kept.
//!
//! This file owns the kill-and-check loops. It reads the library with rusqlite only to check it
//! after a kill (as the app's next start would open it), and never changes what is in it.
//! Kill delays come from a seeded xorshift generator, spread over one uninterrupted run's
//! duration; the seed is printed, and `CUESHEET_CRASH_SEED=<seed>` replays the same delays
//! (where a kill lands still depends on the machine's speed, so a replay is close, not exact).

#![cfg(unix)]

use std::fs::File;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cuesheet_tests::data_dir::{copy_dir, library_file, write_long_m3u8};
use cuesheet_tests::fake_spotify::FakeSpotify;
use cuesheet_tests::spotify_cli::{import_exportify, log_in, spotify_command, spotify_json};
use cuesheet_tests::{cli_command, cli_json};
use rusqlite::{Connection, ErrorCode};
use serde_json::Value;

/// Kills per scenario (the export has five more, of first exports).
const KILLS: usize = 20;

/// Rows in the large import: between half a second and a second in the debug build.
const IMPORT_ROWS: usize = 25_000;

/// The backup merged in the bulk edit: this many playlists of this many songs each, plus
/// soundtracks of their own.
const MERGE_PLAYLISTS: usize = 120;
const MERGE_PLAYLIST_SONGS: usize = 100;

/// Songs on the exported playlist: six write calls to fill, so there is a "between writes".
const EXPORT_SONGS: usize = 600;

// ---------------------------------------------------------------------------------------------
// Random kill moments

/// xorshift64*: tiny and deterministic, so a printed seed replays the same kill delays.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // The xorshift state must never be zero.
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A kill moment in [0, 1.2 × `normal`]: a little past the end, so some kills find the
    /// process already finished (a kill after the fact must change nothing either).
    fn kill_delay(&mut self, normal: Duration) -> Duration {
        let longest = normal.mul_f64(1.2).as_micros() as u64;
        Duration::from_micros(self.next() % (longest + 1))
    }
}

/// The seed for one scenario: `CUESHEET_CRASH_SEED` when set, else a fresh one from the clock so
/// each run tries new moments. Printed so a failure can be replayed.
fn seed(scenario: &str) -> u64 {
    let seed = std::env::var("CUESHEET_CRASH_SEED")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    println!("{scenario}: seed {seed} (replay with CUESHEET_CRASH_SEED={seed})");
    seed
}

// ---------------------------------------------------------------------------------------------
// Running and killing the binary

/// What a kill found.
#[derive(Debug, Clone, Copy)]
struct Kill {
    /// The process was still running (else it had finished, successfully, before the kill).
    running: bool,
    /// It held the library's write lock: the kill landed inside a write transaction.
    writing: bool,
}

/// Starts `command`, waits `delay` and sends SIGKILL. One that had finished before the kill must
/// have succeeded. With `library`, just before the kill a probe asks SQLite for the write lock
/// without waiting: refused means the process was inside a write transaction. Its stderr goes to
/// `log` (a pipe nobody reads could fill up and stall it, which would skew where kills land).
fn kill_after(
    mut command: Command,
    delay: Duration,
    library: Option<&Path>,
    log: &Path,
    context: &str,
) -> Kill {
    let probe = library.map(|dir| {
        let conn = Connection::open(library_file(dir))
            .unwrap_or_else(|e| panic!("{context}: the probe cannot open the library: {e}"));
        // rusqlite waits 5 s for a lock by default; the probe must only look.
        conn.busy_timeout(Duration::ZERO).unwrap();
        conn
    });
    let log_file = File::create(log).expect("the kill log can be written");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .unwrap_or_else(|e| panic!("{context}: cuesheet does not start: {e}"));
    std::thread::sleep(delay);
    let writing =
        probe.as_ref().is_some_and(
            |conn| match conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
                Ok(()) => false,
                Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::DatabaseBusy => {
                    true
                }
                Err(e) => panic!("{context}: the probe failed: {e}"),
            },
        );
    // `kill` on a child that has exited but is not yet reaped is harmless; the exit status says
    // which of the two happened, with no race between looking and killing.
    let _ = child.kill();
    let status = child.wait().unwrap_or_else(|e| panic!("{context}: {e}"));
    drop(probe);
    if status.signal() == Some(9) {
        return Kill {
            running: true,
            writing,
        };
    }
    assert!(
        status.success(),
        "{context}: finished on its own before the kill, but failed ({status}): {}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
    Kill {
        running: false,
        writing: false,
    }
}

/// How a scenario's kills landed, for the summary line.
#[derive(Debug, Default)]
struct Tally {
    /// The process had finished (successfully) before the kill.
    finished: u32,
    /// Killed while running, before it had started writing (starting up, reading its input,
    /// matching songs).
    before_writing: u32,
    /// Killed in the middle of writing: inside the library's write transaction, or (export)
    /// after some of the Spotify write calls.
    mid_write: u32,
    /// Killed after its work was committed, while it was closing down.
    after_commit: u32,
}

impl Tally {
    /// Counts one kill of a library write: `done` is whether its effect was found afterwards.
    fn library_kill(&mut self, kill: Kill, done: bool) {
        match (kill.running, done, kill.writing) {
            (false, _, _) => self.finished += 1,
            (true, true, _) => self.after_commit += 1,
            (true, false, true) => self.mid_write += 1,
            (true, false, false) => self.before_writing += 1,
        }
    }

    fn killed_running(&self) -> u32 {
        self.before_writing + self.mid_write + self.after_commit
    }

    fn total(&self) -> u32 {
        self.finished + self.killed_running()
    }

    fn summary(&self) -> String {
        format!(
            "{} kills: {} after it finished, {} before it wrote, {} mid-write, {} after its commit",
            self.total(),
            self.finished,
            self.before_writing,
            self.mid_write,
            self.after_commit
        )
    }
}

/// The scenarios run one at a time: each measures its operation's normal duration and spreads
/// its kills over it, which only holds if the others are not competing for the CPU meanwhile.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    // A failed scenario must not stop the others from running.
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

// ---------------------------------------------------------------------------------------------
// Checking the library after a kill

/// Opens the library as the app's next start would (recovering from the log) and asserts that
/// SQLite finds nothing wrong: the file's structure, the foreign keys, and the search index
/// against the tables it indexes.
fn open_checked(data_dir: &Path, context: &str) -> Connection {
    let conn = Connection::open(library_file(data_dir))
        .unwrap_or_else(|e| panic!("{context}: the library does not open: {e}"));
    let verdict: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut stmt| {
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()
        })
        .unwrap_or_else(|e| panic!("{context}: integrity_check could not run: {e}"));
    assert_eq!(verdict, ["ok"], "{context}: PRAGMA integrity_check");
    let broken_links: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap_or_else(|e| panic!("{context}: foreign_key_check could not run: {e}"));
    assert_eq!(broken_links, 0, "{context}: PRAGMA foreign_key_check");
    // FTS5's own check compares the index with its content; the triggers that keep it in step
    // with the tables must have been committed (or rolled back) together with them.
    conn.execute(
        "INSERT INTO search_index (search_index) VALUES ('integrity-check')",
        [],
    )
    .unwrap_or_else(|e| panic!("{context}: the search index is damaged: {e}"));
    conn
}

fn count(conn: &Connection, sql: &str, context: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{context}: {sql}: {e}"))
}

/// Every table a merge can add to, with its row count: the library's state for all-or-none.
const MERGED_TABLES: &[&str] = &[
    "soundtracks",
    "soundtrack_sources",
    "tracks",
    "track_artists",
    "tags",
    "soundtrack_tags",
    "track_tags",
    "playlists",
    "playlist_entries",
    "ranked_lists",
    "ranked_entries",
    "search_index",
];

fn row_counts(conn: &Connection, context: &str) -> Vec<(&'static str, i64)> {
    MERGED_TABLES
        .iter()
        .map(|table| {
            (
                *table,
                count(conn, &format!("SELECT count(*) FROM {table}"), context),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 1. A large import

/// The playlists named "Big" with their entry counts and whether their order is dense from 0.
fn big_playlists(conn: &Connection, context: &str) -> Vec<(i64, i64, bool)> {
    let mut stmt = conn
        .prepare(
            "SELECT p.id, count(e.id), coalesce(max(e.ord) = count(e.id) - 1
                                               AND count(DISTINCT e.ord) = count(e.id), 1)
             FROM playlists p LEFT JOIN playlist_entries e ON e.playlist_id = p.id
             WHERE p.name = 'Big' GROUP BY p.id ORDER BY p.id",
        )
        .unwrap_or_else(|e| panic!("{context}: {e}"));
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .and_then(Iterator::collect)
        .unwrap_or_else(|e| panic!("{context}: {e}"))
}

#[test]
fn a_killed_import_leaves_all_of_the_playlist_or_none() {
    let _alone = one_at_a_time();
    let seed = seed("import");
    let mut rng = Rng::new(seed);
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("big.m3u8");
    let file_arg = file.to_str().unwrap();
    write_long_m3u8(&file, IMPORT_ROWS, "Crash");
    let library = work.path().join("library");
    let log = work.path().join("kill.log");
    // The first start seeds the starter catalogue; do it now so no kill lands in the seeding.
    assert_eq!(
        cli_json(&library, &["playlists", "--json"]),
        Value::Array(vec![])
    );

    // Uninterrupted imports: proof the file imports whole, and the time scale for the kills.
    // The second is timed: like every later round it reuses the pages the first one freed, and
    // is faster than the one that grew the file.
    let mut normal = Duration::ZERO;
    for _ in 0..2 {
        let started = Instant::now();
        let imported = cli_json(&library, &["import", file_arg, "--name", "Big", "--json"]);
        normal = started.elapsed();
        assert_eq!(imported[0]["song_count"], IMPORT_ROWS, "{imported}");
        succeed(
            cli_command(&library, &["playlist", "delete", "Big"]),
            "deleting Big",
        );
    }

    // One library for every round: after each kill it must still be usable as it is.
    let mut tally = Tally::default();
    for round in 1..=KILLS {
        let delay = rng.kill_delay(normal);
        let context = format!("import round {round} (seed {seed}, kill after {delay:?})");
        let kill = kill_after(
            cli_command(&library, &["import", file_arg, "--name", "Big"]),
            delay,
            Some(&library),
            &log,
            &context,
        );
        let conn = open_checked(&library, &context);
        let big = big_playlists(&conn, &context);
        let playlists = count(&conn, "SELECT count(*) FROM playlists", &context);
        let entries = count(&conn, "SELECT count(*) FROM playlist_entries", &context);
        drop(conn);
        match big.as_slice() {
            [] => {
                // None of it: not even the playlist row made under a provisional name.
                assert_eq!(playlists, 0, "{context}: a stray playlist is left");
                assert_eq!(entries, 0, "{context}: stray playlist entries are left");
            }
            [(_, songs, dense)] => {
                assert_eq!(*songs, IMPORT_ROWS as i64, "{context}: half an import");
                assert!(*dense, "{context}: the entries' order has gaps");
                assert_eq!(playlists, 1, "{context}: a stray playlist is left");
                assert_eq!(
                    entries, *songs,
                    "{context}: stray playlist entries are left"
                );
            }
            more => panic!("{context}: {} playlists named Big", more.len()),
        }
        tally.library_kill(kill, !big.is_empty());
        // The library goes on working: the next round imports into it again.
        if big.is_empty() {
            let listed = cli_json(&library, &["playlists", "--json"]);
            assert_eq!(listed, Value::Array(vec![]), "{context}: after the kill");
        } else {
            succeed(
                cli_command(&library, &["playlist", "delete", "Big"]),
                &format!("{context}: deleting Big after the kill"),
            );
        }
    }
    println!(
        "import of {IMPORT_ROWS} rows, {normal:?} uninterrupted: {}",
        tally.summary()
    );
    assert!(
        tally.killed_running() > 0,
        "seed {seed}: no kill found the import running"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. A bulk edit: merging a large backup

/// A TuneMyMusic-style CSV: one file, many playlists (the "Playlist name" column).
fn write_many_playlists(path: &Path) {
    let mut text = String::from("Track name,Artist name,Album,Playlist name\n");
    for list in 0..MERGE_PLAYLISTS {
        for song in 0..MERGE_PLAYLIST_SONGS {
            text.push_str(&format!(
                "Merge song {list}-{song},Merge Artist {},Merge Album {},Merge mix {list:03}\n",
                song % 50,
                list % 20
            ));
        }
    }
    std::fs::write(path, text).unwrap();
}

fn succeed(mut command: Command, context: &str) {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{context}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A backup of a library holding everything a merge adds: playlists (some linked to songs of
/// soundtracks both libraries have), soundtracks with songs and sources, tags, a ranked list.
fn make_backup(work: &Path) -> PathBuf {
    let source = work.join("source");
    let csv = work.join("mixes.csv");
    write_many_playlists(&csv);
    let imported = cli_json(&source, &["import", csv.to_str().unwrap(), "--json"]);
    assert_eq!(imported.as_array().unwrap().len(), MERGE_PLAYLISTS);
    for film in 1..=4 {
        let tracks = work.join(format!("tracks-{film}.txt"));
        let list: String = (1..=250)
            .map(|n| format!("{n}. Film Artist {} – Film {film} song {n}\n", n % 30))
            .collect();
        std::fs::write(&tracks, list).unwrap();
        succeed(
            cli_command(
                &source,
                &[
                    "add",
                    &format!("Crash Film {film}"),
                    "--year",
                    &format!("{}", 1990 + film),
                    "--album",
                    &format!("Crash Film {film} Soundtrack"),
                    "--source",
                    "https://example.org/crash",
                    "--tracks",
                    tracks.to_str().unwrap(),
                ],
            ),
            "adding a soundtrack",
        );
        succeed(
            cli_command(
                &source,
                &["tag", &format!("Crash Film {film}"), "crash", "test"],
            ),
            "tagging",
        );
    }
    for film in ["The Crow", "Singles", "Crash Film 1"] {
        succeed(
            cli_command(&source, &["playlist", "from-soundtrack", film]),
            "a playlist of a soundtrack",
        );
    }
    succeed(
        cli_command(&source, &["ranked", "create", "Crash best"]),
        "ranked",
    );
    for film in ["Crash Film 2", "The Crow", "Crash Film 3"] {
        succeed(
            cli_command(&source, &["ranked", "add", "Crash best", film]),
            "ranking",
        );
    }
    let backup = work.join("backup.sqlite3");
    succeed(
        cli_command(&source, &["backup", backup.to_str().unwrap()]),
        "backup",
    );
    backup
}

#[test]
fn a_killed_merge_of_a_large_backup_adds_all_of_it_or_none() {
    let _alone = one_at_a_time();
    let seed = seed("merge");
    let mut rng = Rng::new(seed);
    let work = tempfile::tempdir().unwrap();
    let backup = make_backup(work.path());
    let backup_arg = backup.to_str().unwrap();
    let log = work.path().join("kill.log");
    // The library merged into: the starter catalogue, which shares two films with the backup.
    let base = work.path().join("base");
    assert_eq!(
        cli_json(&base, &["playlists", "--json"]),
        Value::Array(vec![])
    );
    let before = row_counts(&open_checked(&base, "the base library"), "base");

    // One uninterrupted merge: the time scale, and the counts of "all of it".
    let whole = work.path().join("whole");
    copy_dir(&base, &whole);
    let started = Instant::now();
    succeed(
        cli_command(&whole, &["restore", backup_arg, "--merge"]),
        "the uninterrupted merge",
    );
    let normal = started.elapsed();
    let after = row_counts(&open_checked(&whole, "the merged library"), "whole");
    for table in ["tracks", "playlists", "playlist_entries", "ranked_entries"] {
        let grew = before
            .iter()
            .zip(&after)
            .any(|(b, a)| b.0 == table && a.1 > b.1);
        assert!(grew, "the merge adds to {table}: {before:?} → {after:?}");
    }

    // A fresh copy of the base per round, so every merge has all of its work to do.
    let mut tally = Tally::default();
    for round in 1..=KILLS {
        let delay = rng.kill_delay(normal);
        let context = format!("merge round {round} (seed {seed}, kill after {delay:?})");
        let library = work.path().join(format!("round-{round}"));
        copy_dir(&base, &library);
        let kill = kill_after(
            cli_command(&library, &["restore", backup_arg, "--merge"]),
            delay,
            Some(&library),
            &log,
            &context,
        );
        let counts = row_counts(&open_checked(&library, &context), &context);
        let merged = if counts == before {
            false
        } else if counts == after {
            true
        } else {
            panic!(
                "{context}: part of the merge is in the library:\n  before {before:?}\n  \
                 all    {after:?}\n  found  {counts:?}"
            )
        };
        tally.library_kill(kill, merged);
        // Every fifth round, the merge is run again to the end on the killed library (with
        // whatever the kill left beside it): it finishes, and adds nothing twice.
        if round % 5 == 0 {
            succeed(
                cli_command(&library, &["restore", backup_arg, "--merge"]),
                &format!("{context}: merging again"),
            );
            let again = row_counts(&open_checked(&library, &context), &context);
            assert_eq!(again, after, "{context}: merging again after the kill");
        }
        std::fs::remove_dir_all(&library).unwrap();
    }
    println!("merge, {normal:?} uninterrupted: {}", tally.summary());
    assert!(
        tally.killed_running() > 0,
        "seed {seed}: no kill found the merge running"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. A Spotify export

/// What the export must leave on Spotify: each entry's URI, in playlist order, duplicates kept.
/// Read from `playlist show` (the match report lists a song once, at its first place) and
/// checked against the match report's decisions.
fn expected_uris(dir: &Path, fake: &FakeSpotify, playlist: &str, context: &str) -> Vec<String> {
    let detail = cli_json(dir, &["playlist", "show", playlist, "--json"]);
    let uris: Vec<String> = detail["songs"]
        .as_array()
        .unwrap_or_else(|| panic!("{context}: no songs in {detail}"))
        .iter()
        .map(|s| {
            s["song"]["spotify_uri"]
                .as_str()
                .unwrap_or_else(|| panic!("{context}: a song without its URI: {s}"))
                .to_string()
        })
        .collect();
    let report = spotify_json(dir, fake, &["spotify", "match", playlist, "--json"]);
    let mut matched: Vec<String> = report["songs"]
        .as_array()
        .unwrap_or_else(|| panic!("{context}: no songs in {report}"))
        .iter()
        .map(|s| {
            assert_eq!(s["state"], "matched", "{context}: {s}");
            s["uri"].as_str().unwrap().to_string()
        })
        .collect();
    let mut distinct = uris.clone();
    matched.sort();
    distinct.sort();
    distinct.dedup();
    assert_eq!(matched, distinct, "{context}: the match report's songs");
    uris
}

/// Changes the local playlist a little, the same way in `mirror`, so the next export has work.
/// Says what it did, for the round's failure messages.
fn edit_locally(
    dir: &Path,
    playlist: &str,
    mirror: &mut Vec<String>,
    rng: &mut Rng,
    round: usize,
) -> String {
    // A move that changes the order of the URIs, so every round has writes that a kill can land
    // between: with nothing changed here, an export reads the snapshot and writes nothing.
    let (from, to) = loop {
        let from = rng.below(mirror.len()) + 1;
        let to = rng.below(mirror.len()) + 1;
        let mut moved = mirror.clone();
        let song = moved.remove(from - 1);
        moved.insert(to - 1, song);
        if moved != *mirror {
            *mirror = moved;
            break (from, to);
        }
    };
    succeed(
        cli_command(
            dir,
            &[
                "playlist",
                "move",
                playlist,
                &from.to_string(),
                &to.to_string(),
            ],
        ),
        "moving a song",
    );
    let mut done = format!("moved {from} to {to} here");
    if round % 3 == 0 {
        // A removal: when the song is on the playlist twice, Spotify's delete takes both copies,
        // so the export has to rewrite the playlist.
        let at = rng.below(mirror.len()) + 1;
        succeed(
            cli_command(dir, &["playlist", "remove", playlist, &at.to_string()]),
            "removing a song",
        );
        mirror.remove(at - 1);
        done.push_str(&format!(", removed {at}"));
    }
    done
}

/// Changes the remote playlist as Spotify's own apps would, so the export must read it back.
fn edit_remotely(fake: &FakeSpotify, remote: &str, rng: &mut Rng, round: usize) -> String {
    let mut uris = fake.playlist_uris(remote).unwrap();
    let done = if round % 4 == 0 {
        uris.reverse();
        ", reversed in Spotify".to_string()
    } else {
        let keep = rng.below(uris.len());
        uris.truncate(keep);
        format!(", cut to {keep} in Spotify")
    };
    fake.set_playlist_uris(remote, uris);
    done
}

/// Kills an export of `playlist` after `delay` and counts where the kill landed, from the calls
/// the fake received.
fn kill_export(
    fake: &FakeSpotify,
    library: &Path,
    playlist: &str,
    delay: Duration,
    log: &Path,
    context: &str,
    tally: &mut Tally,
) {
    fake.clear_requests();
    let kill = kill_after(
        spotify_command(library, fake, &["spotify", "export", playlist]),
        delay,
        None,
        log,
        context,
    );
    let writes = fake.requests().into_iter().filter(|r| r.is_write()).count();
    match (kill.running, writes) {
        (false, _) => tally.finished += 1,
        (true, 0) => tally.before_writing += 1,
        (true, _) => tally.mid_write += 1,
    }
}

/// Exports to the end after a kill and checks the result: one playlist on Spotify holding
/// exactly our songs in order, and a sound library.
fn export_again_and_check(
    dir: &Path,
    fake: &FakeSpotify,
    playlist: &str,
    mirror: &[String],
    context: &str,
) -> String {
    drop(open_checked(dir, context));
    let summary = spotify_json(dir, fake, &["spotify", "export", playlist, "--json"]);
    let remote = summary["remote_id"].as_str().unwrap().to_string();
    let context = format!("{context}, export again: {summary}");
    let context = context.as_str();
    let live: Vec<String> = fake.playlists().into_iter().map(|p| p.id).collect();
    assert_eq!(live, [remote.as_str()], "{context}: playlists on Spotify");
    let expected = expected_uris(dir, fake, playlist, context);
    assert_eq!(
        expected, mirror,
        "{context}: the local playlist after the edits"
    );
    assert_eq!(
        fake.playlist_uris(&remote).unwrap(),
        expected,
        "{context}: the Spotify playlist after exporting again"
    );
    drop(open_checked(dir, context));
    remote
}

#[test]
fn a_killed_export_run_again_leaves_the_spotify_playlist_exactly_right() {
    let _alone = one_at_a_time();
    let seed = seed("export");
    let mut rng = Rng::new(seed);
    let fake = FakeSpotify::start();
    let work = tempfile::tempdir().unwrap();
    let log = work.path().join("kill.log");
    // A logged-in library holding the playlist, never exported: each first-export round starts
    // from a copy of it.
    let template = work.path().join("template");
    log_in(&template, &fake);
    let (playlist, uris) = import_exportify(&template, &fake, EXPORT_SONGS, "Mix");
    // Each call waits a little, as a real network does, so a good part of an export is spent
    // between its calls rather than starting up and matching.
    fake.faults().latency = Duration::from_millis(20);

    // One uninterrupted first export on a throw-away copy: the time scale for every kill.
    let scratch = work.path().join("scratch");
    copy_dir(&template, &scratch);
    let started = Instant::now();
    let first = spotify_json(&scratch, &fake, &["spotify", "export", &playlist, "--json"]);
    let normal = started.elapsed();
    let scratch_remote = first["remote_id"].as_str().unwrap();
    assert_eq!(fake.playlist_uris(scratch_remote).unwrap(), uris);
    fake.delete_playlist(scratch_remote);

    // First exports, killed while making the Spotify playlist and filling it: each from a fresh
    // copy, with Spotify emptied between rounds (the copies share one marker).
    let mut tally = Tally::default();
    const FIRST_EXPORTS: usize = 5;
    let mut library = PathBuf::new();
    let mut remote = String::new();
    for round in 1..=FIRST_EXPORTS {
        for old in fake.playlists() {
            fake.delete_playlist(&old.id);
        }
        library = work.path().join(format!("first-{round}"));
        copy_dir(&template, &library);
        let delay = rng.kill_delay(normal);
        let context = format!("first export round {round} (seed {seed}, kill after {delay:?})");
        kill_export(
            &fake, &library, &playlist, delay, &log, &context, &mut tally,
        );
        assert!(
            fake.playlists().len() <= 1,
            "{context}: two playlists before exporting again"
        );
        remote = export_again_and_check(&library, &fake, &playlist, &uris, &context);
    }

    // Later exports on the last copy: each round changes the playlist here (and in two rounds
    // of three in Spotify too, so the export must read it back), kills the export, and exports
    // again.
    let mut mirror = uris;
    for round in 1..=KILLS {
        let delay = rng.kill_delay(normal);
        let mut edits = edit_locally(&library, &playlist, &mut mirror, &mut rng, round);
        if round % 3 != 0 {
            edits.push_str(&edit_remotely(&fake, &remote, &mut rng, round));
        }
        let context = format!("sync round {round} (seed {seed}, {edits}, kill after {delay:?})");
        kill_export(
            &fake, &library, &playlist, delay, &log, &context, &mut tally,
        );
        let again = export_again_and_check(&library, &fake, &playlist, &mirror, &context);
        assert_eq!(
            again, remote,
            "{context}: the export moved to another playlist"
        );
    }
    println!(
        "export, a first export {normal:?} uninterrupted: {} (mid-write: after some Spotify \
         writes)",
        tally.summary()
    );
    assert!(
        tally.killed_running() > 0,
        "seed {seed}: no kill found an export running"
    );
}
