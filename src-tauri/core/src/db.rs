//! Opening the library file: where it lives, the PRAGMAs it runs under, and its schema migrations.
//!
//! This module owns the connection's set-up and the schema version; it must not know what the
//! tables mean (that is `library` and `starter`). A library written by a newer Cuesheet is
//! refused before anything is written to it, and opening a library that is already up to date
//! writes nothing and takes no write lock, so a read works while another process imports.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::{Error, Result};

/// The file name of the library inside the data dir.
pub const DATABASE_FILE: &str = "library.sqlite3";

/// Environment variable that overrides the data dir (tests always set it).
pub const DATA_DIR_ENV: &str = "CUESHEET_DATA_DIR";

/// The schema migrations, in order. Migration `i` (0-based) takes the schema from version `i`
/// to version `i + 1`; `PRAGMA user_version` records the version reached.
///
/// Written by hand rather than with rusqlite_migration because we want each migration in its
/// own transaction (a failed step leaves the file at the last good version) and a refusal of
/// newer files that names both versions; the runner is a dozen lines.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_library.sql"),
    include_str!("../migrations/0002_tags.sql"),
    include_str!("../migrations/0003_trash.sql"),
    include_str!("../migrations/0004_search.sql"),
    include_str!("../migrations/0005_playlists.sql"),
    include_str!("../migrations/0006_ranked_lists.sql"),
    include_str!("../migrations/0007_spotify.sql"),
    include_str!("../migrations/0008_browse.sql"),
    include_str!("../migrations/0009_musicbrainz.sql"),
    include_str!("../migrations/0010_survey.sql"),
    include_str!("../migrations/0011_starter_provenance.sql"),
    include_str!("../migrations/0012_enrich_reviews.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Picks the data dir: the `--data-dir` flag, else `CUESHEET_DATA_DIR`, else the platform's data
/// dir (`~/.local/share/cuesheet` on Linux).
pub fn resolve_data_dir(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        return Ok(dir.to_path_buf());
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir()
        .map(|base| base.join("cuesheet"))
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "could not find a data folder for this user; set {DATA_DIR_ENV} or pass --data-dir"
            ))
        })
}

/// Opens (creating if needed) the library file in `data_dir` and brings its schema up to date.
pub fn open(data_dir: &Path) -> Result<Connection> {
    std::fs::create_dir_all(data_dir).map_err(|e| {
        Error::io(
            format!("could not create the data folder {}", data_dir.display()),
            e,
        )
    })?;
    open_path(&data_dir.join(DATABASE_FILE))
}

/// Opens a library file at any path (restoring a backup builds one beside the live file first).
pub(crate) fn open_path(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // The version check comes before any PRAGMA that writes (journal_mode writes the header),
    // so a file from a newer Cuesheet is left byte for byte as it was.
    refuse_newer_schema(&conn, &path.display().to_string())?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // Switching to WAL needs the file to itself; a library already in WAL (every one Cuesheet
    // has opened before) is only asked, so opening never waits on another process's writer.
    let mode: String = conn.pragma_query_value(None, "journal_mode", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        conn.pragma_update(None, "journal_mode", "WAL")?;
    }
    configure(&conn)?;
    migrate(&mut conn, SCHEMA_VERSION, &path.display().to_string())?;
    Ok(conn)
}

/// A new library file at `path` (an empty file or none), at the latest schema, for building a
/// library from a backup: its journal is kept in memory and nothing is synced, since the file is
/// thrown away unless it is finished (and then synced by the caller).
pub(crate) fn create_scratch(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.pragma_update(None, "journal_mode", "MEMORY")?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    configure(&conn)?;
    migrate(&mut conn, SCHEMA_VERSION, &path.display().to_string())?;
    Ok(conn)
}

/// An in-memory database holding exactly the schema Cuesheet's migrations make up to `version`:
/// what a backup of that version may hold, object for object.
pub(crate) fn schema_at(version: u32) -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    migrate(&mut conn, version.min(SCHEMA_VERSION), ":memory:")?;
    Ok(conn)
}

/// An in-memory library at the latest schema, for tests and benchmarks.
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate(&mut conn, SCHEMA_VERSION, ":memory:")?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // WAL makes NORMAL durable against application crashes; only power loss can drop the last
    // transactions, never corrupt the file.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    crate::browse::register(conn)
}

pub fn schema_version(conn: &Connection) -> Result<u32> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

fn refuse_newer_schema(conn: &Connection, path: &str) -> Result<()> {
    let found = schema_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Applies the migrations after the file's version up to `target`, each in its own transaction.
/// A file already at `target` is only read: no transaction, no lock.
fn migrate(conn: &mut Connection, target: u32, path: &str) -> Result<()> {
    let found = schema_version(conn)?;
    for (index, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(found as usize)
    {
        let step_version = index as u32 + 1;
        // IMMEDIATE takes the write lock before reading the version again, so two processes
        // starting at once cannot both apply the same step.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = schema_version(&tx)?;
        if current > SCHEMA_VERSION {
            return Err(Error::SchemaTooNew {
                path: path.to_owned(),
                found: current,
                supported: SCHEMA_VERSION,
            });
        }
        if current >= step_version {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", step_version)?;
        tx.commit()?;
        tracing::info!(version = step_version, "applied schema migration");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_names(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// Every table, index and trigger definition, for comparing two schemas.
    fn schema_sql(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn fresh_database_reaches_latest_version_in_wal_with_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(dir.path()).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let tables = table_names(&conn);
        for expected in [
            "soundtracks",
            "tracks",
            "track_artists",
            "tags",
            "soundtrack_tags",
            "track_tags",
        ] {
            assert!(
                tables.iter().any(|t| t == expected),
                "missing table {expected}: {tables:?}"
            );
        }
    }

    #[test]
    fn database_at_previous_version_is_migrated_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE);
        {
            let mut old = Connection::open(&path).unwrap();
            configure(&old).unwrap();
            migrate(&mut old, SCHEMA_VERSION - 1, "test").unwrap();
            assert_eq!(schema_version(&old).unwrap(), SCHEMA_VERSION - 1);
            old.execute(
                "INSERT INTO soundtracks (film_title) VALUES ('Singles')",
                [],
            )
            .unwrap();
        }
        let conn = open(dir.path()).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
        let fresh = open_in_memory().unwrap();
        assert_eq!(
            schema_sql(&conn),
            schema_sql(&fresh),
            "a migrated file has the fresh schema"
        );
        let film: String = conn
            .query_row("SELECT film_title FROM soundtracks", [], |r| r.get(0))
            .unwrap();
        assert_eq!(film, "Singles");
    }

    #[test]
    fn database_from_a_newer_version_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE);
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (1);")
                .unwrap();
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = open(dir.path()).unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, Error::SchemaTooNew { found, .. } if found == SCHEMA_VERSION + 1));
        assert!(message.contains("newer Cuesheet"), "{message}");
        assert!(
            message.contains(&format!("version {}", SCHEMA_VERSION + 1)),
            "{message}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "the file must not change"
        );
        assert!(!dir.path().join("library.sqlite3-wal").exists());
    }

    #[test]
    fn migrations_are_idempotent_when_reopened() {
        let dir = tempfile::tempdir().unwrap();
        drop(open(dir.path()).unwrap());
        let conn = open(dir.path()).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn an_up_to_date_library_opens_while_another_connection_writes() {
        let dir = tempfile::tempdir().unwrap();
        drop(open(dir.path()).unwrap());
        let writer = open(dir.path()).unwrap();
        writer
            .execute_batch(
                "BEGIN IMMEDIATE; INSERT INTO soundtracks (film_title) VALUES ('Empire Records');",
            )
            .unwrap();
        let reader = open(dir.path()).expect("opening needs no write lock");
        reader.busy_timeout(Duration::ZERO).unwrap();
        let films: i64 = reader
            .query_row("SELECT count(*) FROM soundtracks", [], |r| r.get(0))
            .unwrap();
        assert_eq!(films, 0, "the reader sees the last commit");
        writer.execute_batch("COMMIT").unwrap();
    }

    #[test]
    fn the_schema_of_a_version_is_what_the_migrations_make() {
        let at_three = schema_at(3).unwrap();
        assert_eq!(schema_version(&at_three).unwrap(), 3);
        let tables = table_names(&at_three);
        assert!(tables.iter().any(|t| t == "tags"));
        assert!(!tables.iter().any(|t| t == "playlists"), "{tables:?}");
        let latest = schema_at(SCHEMA_VERSION).unwrap();
        assert_eq!(schema_sql(&latest), schema_sql(&open_in_memory().unwrap()));
    }

    #[test]
    fn explicit_data_dir_wins() {
        let dir = Path::new("/tmp/explicit-cuesheet");
        assert_eq!(resolve_data_dir(Some(dir)).unwrap(), dir);
    }
}
