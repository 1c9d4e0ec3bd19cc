//! Dense 0-based order columns shared by playlists and ranked lists: moving one row to a new
//! place and closing the gap a removed row leaves. Callers pass their own table and column
//! names (constants, never user text) and run these inside their write transaction.

use rusqlite::{params, OptionalExtension, Transaction};

use crate::error::{Error, Result};

/// A table with an `ord` column ordered within groups of `group_column`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OrderedTable {
    pub table: &'static str,
    pub group_column: &'static str,
    /// What a row is called in messages ("playlist entry").
    pub row_name: &'static str,
    /// What a 1-based place is called in messages ("position").
    pub place_name: &'static str,
    /// What holds the rows, in messages ("the playlist").
    pub group_name: &'static str,
}

impl OrderedTable {
    /// The group and 0-based place of row `id`, or a not-found error naming it.
    pub fn place(self, tx: &Transaction<'_>, id: i64) -> Result<(i64, i64)> {
        let OrderedTable {
            table,
            group_column,
            row_name,
            ..
        } = self;
        crate::validate::id(row_name, id)?;
        tx.query_row(
            &format!("SELECT {group_column}, ord FROM {table} WHERE id = ?1"),
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("there is no {row_name} with id {id}")))
    }

    /// Moves row `id` to a 1-based place within its group, shifting the others. A place
    /// outside the group is refused (see `validate::place`).
    pub fn move_to(self, tx: &Transaction<'_>, id: i64, to_place: u32) -> Result<()> {
        let (group, from) = self.place(tx, id)?;
        let count = self.next_ord(tx, group)?;
        let to = crate::validate::place(self.place_name, to_place, count, self.group_name)?;
        self.move_row(tx, group, id, from, to)
    }

    /// Deletes row `id` and closes the gap it leaves.
    pub fn remove(self, tx: &Transaction<'_>, id: i64) -> Result<()> {
        let (group, ord) = self.place(tx, id)?;
        tx.execute(&format!("DELETE FROM {} WHERE id = ?1", self.table), [id])?;
        self.close_gap(tx, group, ord)
    }

    /// Moves row `id` from place `from` to place `to` (both 0-based) within `group`.
    pub fn move_row(
        self,
        tx: &Transaction<'_>,
        group: i64,
        id: i64,
        from: i64,
        to: i64,
    ) -> Result<()> {
        let OrderedTable {
            table,
            group_column,
            ..
        } = self;
        if to < from {
            tx.execute(
                &format!("UPDATE {table} SET ord = ord + 1 WHERE {group_column} = ?1 AND ord >= ?2 AND ord < ?3"),
                params![group, to, from],
            )?;
        } else if to > from {
            tx.execute(
                &format!("UPDATE {table} SET ord = ord - 1 WHERE {group_column} = ?1 AND ord > ?2 AND ord <= ?3"),
                params![group, from, to],
            )?;
        }
        tx.execute(
            &format!("UPDATE {table} SET ord = ?2 WHERE id = ?1"),
            params![id, to],
        )?;
        Ok(())
    }

    /// Shifts the rows after a removed row at `ord` up by one.
    pub fn close_gap(self, tx: &Transaction<'_>, group: i64, ord: i64) -> Result<()> {
        let OrderedTable {
            table,
            group_column,
            ..
        } = self;
        tx.execute(
            &format!("UPDATE {table} SET ord = ord - 1 WHERE {group_column} = ?1 AND ord > ?2"),
            params![group, ord],
        )?;
        Ok(())
    }

    /// The next free place at the end of `group`.
    pub fn next_ord(self, tx: &Transaction<'_>, group: i64) -> Result<i64> {
        let OrderedTable {
            table,
            group_column,
            ..
        } = self;
        Ok(tx.query_row(
            &format!("SELECT count(*) FROM {table} WHERE {group_column} = ?1"),
            [group],
            |r| r.get(0),
        )?)
    }
}
