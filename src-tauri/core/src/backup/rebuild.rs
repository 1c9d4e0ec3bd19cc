//! Building a new library from a checked backup: a fresh file made by Cuesheet's own
//! migrations, into which every row the backup carries is copied only after it has passed the
//! rules in `tables`, with the same ids (so every reference inside the library still holds).
//! References are checked once all rows are in, orders must be whole, and each cover is decoded
//! and written anew as our own JPEG. The backup's file itself never becomes the library.
//!
//! No lock of the live library is held here: the file being built is private until a restore
//! swaps it in or a merge reads it. This module must not touch the live library.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::config::DbConfig;
use rusqlite::types::Value;
use rusqlite::Connection;

use super::check::CheckedBackup;
use super::tables::{self, Role, Table, TABLES};
use super::work::Work;
use super::{refused, BackupStage};
use crate::error::{Error, Result};

/// A library built from a backup: a closed, synced file and its covers, both removed when this
/// is dropped unless moved into place first.
#[derive(Debug)]
pub(crate) struct Rebuilt {
    pub file: tempfile::NamedTempFile,
    pub covers: tempfile::TempDir,
    pub soundtracks: u32,
    pub tracks: u32,
    pub playlists: u32,
    pub cover_count: u32,
}

/// Builds the library the backup holds in `scratch` (a folder on the library's disk). Cover
/// names already taken in `data_dir`'s covers are given fresh ones, so nothing there is
/// overwritten.
pub(crate) fn rebuild(
    backup: &CheckedBackup,
    scratch: &Path,
    data_dir: &Path,
    work: &mut Work,
) -> Result<Rebuilt> {
    let file = tempfile::Builder::new()
        .prefix(".cuesheet-restoring-")
        .suffix(".sqlite3")
        .tempfile_in(scratch)
        .map_err(|e| {
            Error::io(
                format!("cannot make a new library in {}", scratch.display()),
                e,
            )
        })?;
    let covers = tempfile::Builder::new()
        .prefix(".cuesheet-restoring-covers-")
        .tempdir_in(scratch)
        .map_err(|e| Error::io(format!("cannot make a folder in {}", scratch.display()), e))?;
    let path = super::absolute(file.path())?;
    let mut conn = crate::db::create_scratch(&path)?;
    // References are checked all at once at the end, where a broken one can be named.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    // The only triggers keep the search index in step (a test in this module fails if another
    // kind appears); row by row they cost more than the copy itself, so the index is built once
    // from its own views after the rows are in.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    let tx = conn.transaction()?;
    copy_rows(backup, &tx, work)?;
    index_for_search(&tx)?;
    check_orders(backup, &tx)?;
    check_references(backup, &tx)?;
    let cover_count = copy_covers(backup, &tx, data_dir, covers.path(), work)?;
    tx.commit()?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true)?;
    let (soundtracks, tracks, playlists) = tx_counts(&conn)?;
    drop(conn);
    file.as_file()
        .sync_all()
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    Ok(Rebuilt {
        file,
        covers,
        soundtracks,
        tracks,
        playlists,
        cover_count,
    })
}

/// Fills the search index from the views that say what each of its rows holds, as migration
/// 0004 does for a library it upgrades; the triggers keep it in step from then on.
fn index_for_search(tx: &Connection) -> Result<()> {
    tx.execute_batch(
        "INSERT INTO search_index (rowid, title, artists, album, tags, notes)
         SELECT -id, title, artists, album, tags, notes FROM search_soundtrack_docs;
         INSERT INTO search_index (rowid, title, artists, album, tags, notes)
         SELECT id, title, artists, album, tags, notes FROM search_track_docs;",
    )?;
    Ok(())
}

fn tx_counts(conn: &Connection) -> Result<(u32, u32, u32)> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM soundtracks), (SELECT count(*) FROM tracks),
                (SELECT count(*) FROM playlists)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// The columns of `table` that the backup's version has, in the order of the list.
fn present_columns(backup: &CheckedBackup, table: &Table) -> Vec<&'static tables::Column> {
    let Some(found) = backup.columns.get(table.name) else {
        return Vec::new();
    };
    table
        .columns
        .iter()
        .filter(|c| found.iter().any(|f| f == c.name))
        .collect()
}

/// How a row is named in a message: "song 12", "source link of soundtrack 3",
/// "Spotify match \"t12\"".
fn row_name(table: &Table, columns: &[&tables::Column], values: &[Value]) -> String {
    let first = columns
        .iter()
        .zip(values)
        .find(|(c, _)| matches!(c.role, Role::Key | Role::Parent(_)))
        .or_else(|| columns.iter().zip(values).next());
    match first.map(|(_, v)| v) {
        Some(Value::Integer(id)) => format!("{} {id}", table.row),
        Some(Value::Text(text)) => format!("{} {}", table.row, crate::validate::quoted(text)),
        _ => table.row.to_owned(),
    }
}

fn read_error(backup: &CheckedBackup, work: &Work, table: &str, e: rusqlite::Error) -> Error {
    work.sql_error(e, |e| {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::TooBig) {
            refused(
                &backup.shown,
                &format!("a value in its {table} is larger than anything Cuesheet keeps"),
            )
        } else {
            refused(&backup.shown, &format!("cannot read its {table} ({e})"))
        }
    })
}

fn copy_rows(backup: &CheckedBackup, tx: &Connection, work: &mut Work) -> Result<()> {
    let mut total = 0u64;
    for table in TABLES {
        if backup.columns.contains_key(table.name) {
            let count: i64 = backup
                .conn
                .query_row(
                    &format!("SELECT count(*) FROM \"{}\"", table.name),
                    [],
                    |r| r.get(0),
                )
                .map_err(|e| read_error(backup, work, table.name, e))?;
            total += count.max(0) as u64;
        }
    }
    let mut done = 0u64;
    for table in TABLES {
        let columns = present_columns(backup, table);
        if columns.is_empty() {
            continue;
        }
        let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
        let list = names.join(", ");
        let slots: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
        let mut insert = tx.prepare(&format!(
            "INSERT INTO {} ({list}) VALUES ({})",
            table.name,
            slots.join(", ")
        ))?;
        let mut select = backup
            .conn
            .prepare(&format!("SELECT {list} FROM {}", table.name))
            .map_err(|e| read_error(backup, work, table.name, e))?;
        let mut rows = select
            .query([])
            .map_err(|e| read_error(backup, work, table.name, e))?;
        let cap_column = table
            .per_parent
            .and_then(|(name, max)| names.iter().position(|n| *n == name).map(|i| (i, max)));
        let mut per_parent: HashMap<i64, usize> = HashMap::new();
        loop {
            let row = match rows.next() {
                Ok(Some(row)) => row,
                Ok(None) => break,
                Err(e) => return Err(read_error(backup, work, table.name, e)),
            };
            let mut values = Vec::with_capacity(columns.len());
            for i in 0..columns.len() {
                values.push(
                    row.get::<_, Value>(i)
                        .map_err(|e| read_error(backup, work, table.name, e))?,
                );
            }
            let named = row_name(table, &columns, &values);
            let mut checked = Vec::with_capacity(values.len());
            for (column, value) in columns.iter().zip(values) {
                checked.push(
                    tables::check(column, value).map_err(|problem| {
                        refused(&backup.shown, &format!("{named}: {problem}"))
                    })?,
                );
            }
            if let Some((index, max)) = cap_column {
                if let Value::Integer(parent) = checked[index] {
                    let count = per_parent.entry(parent).or_default();
                    *count += 1;
                    if *count > max {
                        return Err(refused(
                            &backup.shown,
                            &format!("{named}: more than {max} of them"),
                        ));
                    }
                }
            }
            insert
                .execute(rusqlite::params_from_iter(&checked))
                .map_err(|e| {
                    refused(
                        &backup.shown,
                        &format!("{named}: breaks a rule of the library ({e})"),
                    )
                })?;
            done += 1;
            work.step(BackupStage::Reading, done, total)?;
        }
    }
    Ok(())
}

/// Playlists and ranked lists keep their places as 0, 1, 2, … (the ordering code relies on
/// it); a backup whose places skip or repeat is refused rather than guessed at.
fn check_orders(backup: &CheckedBackup, tx: &Connection) -> Result<()> {
    for table in TABLES {
        let Some((parent, order)) = table.dense_order else {
            continue;
        };
        if !backup.columns.contains_key(table.name) {
            continue;
        }
        let broken: Option<i64> = tx
            .query_row(
                &format!(
                    "SELECT {parent} FROM {} GROUP BY {parent}
                     HAVING min({order}) <> 0 OR max({order}) <> count(*) - 1
                         OR count(DISTINCT {order}) <> count(*)
                     LIMIT 1",
                    table.name
                ),
                [],
                |r| r.get(0),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        if let Some(id) = broken {
            return Err(refused(
                &backup.shown,
                &format!(
                    "the {}s with {} {id} are out of order (places must run 0, 1, 2, … once each)",
                    table.row,
                    parent.replace('_', " ")
                ),
            ));
        }
    }
    Ok(())
}

/// Every reference points at a row the backup holds.
fn check_references(backup: &CheckedBackup, tx: &Connection) -> Result<()> {
    let broken: Option<(String, Option<i64>, String)> = tx
        .query_row("PRAGMA foreign_key_check", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    let Some((table, rowid, parent)) = broken else {
        return Ok(());
    };
    let row = tables::table(&table).map_or(table.as_str(), |t| t.row);
    let parent = tables::table(&parent).map_or(parent.as_str(), |t| t.row);
    let which = rowid.map(|id| format!(" {id}")).unwrap_or_default();
    Err(refused(
        &backup.shown,
        &format!("{row}{which} refers to a {parent} that is not in the backup"),
    ))
}

/// Decodes each cover a soundtrack names and writes our own JPEG of it into `into`; a
/// soundtrack whose cover the backup lacks (a backup of a library whose cover file was gone)
/// keeps no cover. Returns how many were written.
fn copy_covers(
    backup: &CheckedBackup,
    tx: &Connection,
    data_dir: &Path,
    into: &Path,
    work: &mut Work,
) -> Result<u32> {
    if !backup.columns.contains_key("cuesheet_backup_covers") {
        return Ok(0);
    }
    let wanted: Vec<(i64, String)> = {
        let mut stmt =
            tx.prepare("SELECT id, cover FROM soundtracks WHERE cover IS NOT NULL ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let total = wanted.len() as u64;
    let mut written: HashMap<String, Option<String>> = HashMap::new();
    for (done, (id, name)) in wanted.into_iter().enumerate() {
        work.step(BackupStage::Covers, done as u64, total)?;
        let stored = match written.get(&name) {
            Some(stored) => stored.clone(),
            None => {
                let stored = copy_cover(backup, id, &name, data_dir, into, work)?;
                written.insert(name.clone(), stored.clone());
                stored
            }
        };
        if stored.as_deref() != Some(name.as_str()) {
            tx.execute(
                "UPDATE soundtracks SET cover = ?2 WHERE id = ?1",
                rusqlite::params![id, stored],
            )?;
        }
    }
    work.step(BackupStage::Covers, total, total)?;
    Ok(written.values().filter(|stored| stored.is_some()).count() as u32)
}

/// One cover: the name it is stored under, or `None` when the backup does not carry it.
fn copy_cover(
    backup: &CheckedBackup,
    id: i64,
    name: &str,
    data_dir: &Path,
    into: &Path,
    work: &Work,
) -> Result<Option<String>> {
    let size: Option<i64> = backup
        .conn
        .query_row(
            "SELECT length(data) FROM cuesheet_backup_covers WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })
        .map_err(|e| read_error(backup, work, "covers", e))?;
    let Some(size) = size else {
        return Ok(None);
    };
    let shown = format!("the cover of soundtrack {id} ({name})");
    if size.max(0) as u64 > crate::covers::MAX_COVER_BYTES {
        return Err(refused(
            &backup.shown,
            &format!(
                "{shown} is {} MB; a cover is at most {} MB",
                size / 1_000_000,
                crate::covers::MAX_COVER_BYTES / 1_000_000
            ),
        ));
    }
    let bytes: Vec<u8> = backup
        .conn
        .query_row(
            "SELECT data FROM cuesheet_backup_covers WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .map_err(|e| read_error(backup, work, "covers", e))?;
    let taken = crate::covers::cover_path(data_dir, name).is_some_and(|path| path.exists());
    let stored = if taken {
        crate::covers::fresh_name(id)
    } else {
        name.to_owned()
    };
    crate::covers::reencode_cover(&bytes, &shown, &into.join(&stored))
        .map_err(|e| refused(&backup.shown, &e.to_string()))?;
    Ok(Some(stored))
}

#[cfg(test)]
mod tests {
    /// A rebuild copies rows with triggers off and then fills the search index itself. A
    /// migration that adds a trigger for anything else must teach `rebuild` what it maintains,
    /// or restored libraries would lack it: this test says so when one appears.
    #[test]
    fn the_only_triggers_are_the_search_index_s() {
        let conn = crate::db::schema_at(crate::db::SCHEMA_VERSION).unwrap();
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")
            .unwrap();
        let triggers: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(!triggers.is_empty());
        for trigger in triggers {
            assert!(
                trigger.starts_with("search_"),
                "trigger {trigger}: backup::rebuild copies rows with triggers off; make it \
                 maintain what {trigger} maintains, then allow it here"
            );
        }
    }
}
