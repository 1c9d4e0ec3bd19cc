//! Opening a backup as the untrusted file it is. Its bytes are copied first to a private file
//! (never the `-wal` beside it: what is checked is exactly what is used), and the copy is opened
//! read-only with everything SQLite offers for hostile files: defensive mode, an untrusted
//! schema, triggers and views switched off, cell checks, no memory mapping and small limits.
//! Then its schema is compared, object for object, with the one Cuesheet's own migrations make
//! for the backup's version — any extra, missing or changed table, index, view or trigger is
//! refused by name — and only then is its integrity checked and its format read.
//!
//! This module owns those checks and their messages; it must not read the rows (that is
//! `rebuild`) and never writes to the backup or the library.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;

use rusqlite::config::DbConfig;
use rusqlite::limits::Limit;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::work::Work;
use super::{refused, sqlite_path, BackupStage, BACKUP_TABLES_SQL, FORMAT};
use crate::db::SCHEMA_VERSION;
use crate::error::{Error, Result};

/// The largest backup read, in bytes. A library of 10,000 soundtracks with a cover each is
/// about 700 MB; four times that leaves room and still refuses `/dev/zero`'s like.
pub(crate) const MAX_BACKUP_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// The largest single value read from a backup: a cover at its largest (`covers.rs`), with room
/// for SQLite's own overhead. Anything larger fails to read and is refused, never allocated.
const MAX_VALUE_BYTES: i32 = 48 * 1024 * 1024;

/// Bytes copied between two progress reports and cancel checks.
const COPY_CHUNK: usize = 1024 * 1024;

/// A backup copied, opened defensively and checked; the copy is removed when this is dropped.
#[derive(Debug)]
pub(crate) struct CheckedBackup {
    /// The read-only connection to the private copy.
    pub conn: Connection,
    /// The backup's tables and their columns, as Cuesheet's own migrations make them for
    /// `version` (the backup's schema was found identical).
    pub columns: BTreeMap<String, Vec<String>>,
    /// The file as the person named it, for messages.
    pub shown: String,
    _copy: tempfile::NamedTempFile,
}

/// Copies `file` into `scratch` (a folder of the library's), opens the copy defensively and
/// checks it. Refusals name the file and the problem; nothing outside `scratch` is written.
pub(crate) fn open_checked(file: &Path, scratch: &Path, work: &mut Work) -> Result<CheckedBackup> {
    crate::validate::path("backup file", file)?;
    let shown = file.display().to_string();
    let copy = copy_bytes(file, &shown, scratch, work)?;
    let conn = open_defensively(copy.path())?;
    // Cancel stops any statement on the copy; there is no stall limit, since no lock of the
    // library is held while the copy is read.
    work.watch(&conn, None);
    check(conn, &shown, copy, work)
}

fn check(
    conn: Connection,
    shown: &str,
    copy: tempfile::NamedTempFile,
    work: &mut Work,
) -> Result<CheckedBackup> {
    let not_ours = |e: rusqlite::Error| {
        refused(
            shown,
            &format!("it is not a Cuesheet backup, or it is damaged ({e})"),
        )
    };
    work.step(BackupStage::Checking, 0, 3)?;
    let found = read_schema(&conn).map_err(|e| work.sql_error(e, not_ours))?;
    if !found.contains_key(&("table".to_owned(), "cuesheet_backup".to_owned())) {
        return Err(refused(
            shown,
            "it is not a Cuesheet backup (it has no cuesheet_backup table); pick a file made by \
             “Back up the library” or `cuesheet backup`",
        ));
    }
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| work.sql_error(e, not_ours))?;
    if version > SCHEMA_VERSION {
        return Err(Error::InvalidInput(format!(
            "{shown} was made by a newer Cuesheet (library schema {version}; this one reads up to \
             {SCHEMA_VERSION}). Update Cuesheet to restore it. Nothing was changed."
        )));
    }
    if version == 0 {
        return Err(refused(shown, "it holds no library (schema version 0)"));
    }
    let expected = crate::db::schema_at(version)?;
    expected.execute_batch(BACKUP_TABLES_SQL)?;
    compare_schemas(&read_schema(&expected)?, &found)
        .map_err(|problem| refused(shown, &problem))?;
    work.step(BackupStage::Checking, 1, 3)?;

    // The whole file, every page and index, on exactly the bytes the restore will read.
    let problems = integrity(&conn, None).map_err(|e| {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::TooBig) {
            return too_big(&conn, &found, shown);
        }
        work.sql_error(e, not_ours)
    })?;
    if problems.first().map(String::as_str) != Some("ok") {
        let said: Vec<String> = problems
            .iter()
            .map(|p| crate::validate::cut(p, 200).to_owned())
            .collect();
        return Err(refused(
            shown,
            &format!("it is damaged ({})", said.join("; ")),
        ));
    }
    work.step(BackupStage::Checking, 2, 3)?;
    let format: Option<String> = conn
        .query_row(
            "SELECT value FROM cuesheet_backup WHERE key = 'format'",
            [],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| work.sql_error(e, not_ours))?;
    if format.as_deref() != Some(FORMAT) {
        return Err(refused(
            shown,
            &format!(
                "it is not a Cuesheet backup this version can read (format {})",
                format
                    .as_deref()
                    .map_or("missing".into(), crate::validate::quoted)
            ),
        ));
    }
    let columns = table_columns(&expected)?;
    work.step(BackupStage::Checking, 3, 3)?;
    Ok(CheckedBackup {
        conn,
        columns,
        shown: shown.to_owned(),
        _copy: copy,
    })
}

/// What `PRAGMA integrity_check` says, of the whole file or of one table.
fn integrity(conn: &Connection, table: Option<&str>) -> rusqlite::Result<Vec<String>> {
    let sql = match table {
        Some(table) => format!("PRAGMA integrity_check(\"{table}\")"),
        None => "PRAGMA integrity_check(5)".to_owned(),
    };
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// Reads every value of `table`, only to see whether one of them is too large to read.
fn read_all(conn: &Connection, table: &str) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\""))?;
    let mut rows = stmt.query([])?;
    while rows.next()?.is_some() {}
    Ok(())
}

/// The refusal of a file holding a value larger than SQLite is allowed to read here, naming
/// the table that holds it (the check reads values to test them, and stops at such a one).
fn too_big(conn: &Connection, schema: &Schema, shown: &str) -> Error {
    // The tables a restore reads first: a value copied into the search index by a trigger is
    // named where it was put, not where it was copied.
    let mut tables: Vec<&str> = schema
        .keys()
        .filter(|(kind, _)| kind == "table")
        .map(|(_, name)| name.as_str())
        .collect();
    tables.sort_by_key(|name| super::tables::table(name).is_none());
    let holder = tables.into_iter().find(|name| {
        let failed = if super::tables::table(name).is_some() {
            read_all(conn, name)
        } else {
            integrity(conn, Some(name)).map(drop)
        };
        failed.is_err_and(|e| e.sqlite_error_code() == Some(rusqlite::ErrorCode::TooBig))
    });
    let place = holder.map_or("it".to_owned(), |table| format!("its {table}"));
    refused(
        shown,
        &format!(
            "a value in {place} is larger than anything Cuesheet keeps (at most {} MB)",
            MAX_VALUE_BYTES / (1024 * 1024)
        ),
    )
}

/// Copies the backup's own bytes (only a regular file, only up to [`MAX_BACKUP_BYTES`]) into a
/// private file in `scratch`, and marks the copy as not in WAL mode so SQLite never looks for
/// a `-wal` beside it.
fn copy_bytes(
    file: &Path,
    shown: &str,
    scratch: &Path,
    work: &mut Work,
) -> Result<tempfile::NamedTempFile> {
    let mut source = File::open(file).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::InvalidInput(format!("{shown}: no such backup file"))
        } else {
            Error::InvalidInput(format!("{shown}: cannot open it: {e}"))
        }
    })?;
    let meta = source
        .metadata()
        .map_err(|e| Error::InvalidInput(format!("{shown}: cannot read it: {e}")))?;
    if meta.is_dir() {
        return Err(Error::InvalidInput(format!(
            "{shown} is a folder; pick a backup file"
        )));
    }
    if !meta.is_file() {
        return Err(Error::InvalidInput(format!(
            "{shown} is a device, pipe or socket, not a backup file"
        )));
    }
    let total = meta.len();
    if total > MAX_BACKUP_BYTES {
        return Err(refused(
            shown,
            &format!(
                "it is {} MB; a backup is at most {} MB",
                total / 1_000_000,
                MAX_BACKUP_BYTES / 1_000_000
            ),
        ));
    }
    let mut header = [0u8; 100];
    let read_header = source.read_exact(&mut header);
    if read_header.is_err() || &header[..16] != b"SQLite format 3\0" {
        return Err(refused(
            shown,
            "it is not a Cuesheet backup (not an SQLite file)",
        ));
    }
    let mut copy = tempfile::Builder::new()
        .prefix(".cuesheet-backup-check-")
        .suffix(".sqlite3")
        .tempfile_in(scratch)
        .map_err(|e| {
            Error::io(
                format!("cannot make a working copy in {}", scratch.display()),
                e,
            )
        })?;
    let write_error = |e: std::io::Error| {
        Error::io(
            format!(
                "cannot make a working copy of {shown} in {}",
                scratch.display()
            ),
            e,
        )
    };
    copy.write_all(&header).map_err(write_error)?;
    let mut done = header.len() as u64;
    let mut buffer = vec![0u8; COPY_CHUNK];
    let mut rest = (&mut source).take(total - done);
    loop {
        work.step(BackupStage::Copying, done, total)?;
        let n = rest
            .read(&mut buffer)
            .map_err(|e| Error::InvalidInput(format!("{shown}: cannot read it: {e}")))?;
        if n == 0 {
            break;
        }
        copy.write_all(&buffer[..n]).map_err(write_error)?;
        done += n as u64;
    }
    if done != total {
        return Err(refused(shown, "it changed while it was being read"));
    }
    // Bytes 18 and 19 say "WAL" (2) or "rollback journal" (1). The copy has no -wal and must
    // never read one, so it says rollback: the pages in the file are all there is.
    if header[18] == 2 || header[19] == 2 {
        copy.as_file()
            .write_all_at(&[1, 1], 18)
            .map_err(write_error)?;
    }
    copy.as_file_mut().flush().map_err(write_error)?;
    Ok(copy)
}

/// Opens the copy read-only with SQLite's defences for untrusted files
/// (<https://sqlite.org/security.html>, "untrusted SQLite database files").
fn open_defensively(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        sqlite_path(path)?,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    // Reading rows never needs either; a view or trigger smuggled past the schema check would
    // still not run.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
    for (limit, value) in [
        (Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES),
        (Limit::SQLITE_LIMIT_SQL_LENGTH, 100_000),
        (Limit::SQLITE_LIMIT_COLUMN, 100),
        (Limit::SQLITE_LIMIT_EXPR_DEPTH, 100),
        (Limit::SQLITE_LIMIT_COMPOUND_SELECT, 3),
        (Limit::SQLITE_LIMIT_FUNCTION_ARG, 8),
        (Limit::SQLITE_LIMIT_ATTACHED, 0),
        (Limit::SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 50),
        (Limit::SQLITE_LIMIT_VARIABLE_NUMBER, 10),
        (Limit::SQLITE_LIMIT_TRIGGER_DEPTH, 1),
    ] {
        conn.set_limit(limit, value)?;
    }
    conn.execute_batch(
        "PRAGMA trusted_schema = OFF; PRAGMA cell_size_check = ON; PRAGMA mmap_size = 0;
         PRAGMA query_only = ON;",
    )?;
    Ok(conn)
}

type Schema = BTreeMap<(String, String), (String, Option<String>)>;

/// Every object of a schema: (type, name) → (table it belongs to, its SQL).
fn read_schema(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema")?;
    let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?))))?;
    rows.collect()
}

/// SQLite's own statistics tables, made by ANALYZE or `PRAGMA optimize`: they only steer query
/// plans, a restore never reads them, and a library may well have them.
fn statistics(kind: &str, name: &str) -> bool {
    kind == "table" && matches!(name, "sqlite_stat1" | "sqlite_stat4")
}

/// The first difference between the schema Cuesheet makes and the backup's, in words.
fn compare_schemas(expected: &Schema, found: &Schema) -> std::result::Result<(), String> {
    for ((kind, name), (table, sql)) in found {
        match expected.get(&(kind.clone(), name.clone())) {
            None if statistics(kind, name) => {}
            None => {
                return Err(format!(
                    "it holds a {kind} {} that Cuesheet does not make (a backup holds only \
                     Cuesheet's own tables)",
                    crate::validate::quoted(name)
                ))
            }
            Some((expected_table, expected_sql))
                if expected_table != table || expected_sql != sql =>
            {
                return Err(format!(
                    "its {kind} {} is not the one Cuesheet makes",
                    crate::validate::quoted(name)
                ))
            }
            Some(_) => {}
        }
    }
    if let Some((kind, name)) = expected.keys().find(|key| !found.contains_key(*key)) {
        return Err(format!(
            "its {kind} {} is missing",
            crate::validate::quoted(name)
        ));
    }
    Ok(())
}

/// Each table's columns, from Cuesheet's own schema of the backup's version.
fn table_columns(conn: &Connection) -> Result<BTreeMap<String, Vec<String>>> {
    let mut stmt = conn.prepare(
        "SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p
         WHERE m.type = 'table' ORDER BY m.name, p.cid",
    )?;
    let mut columns: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (table, column) = row?;
        columns.entry(table).or_default().push(column);
    }
    Ok(columns)
}
