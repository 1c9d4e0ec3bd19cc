//! Answers of MusicBrainz and the Cover Art Archive kept in the library file (`catalog_cache`),
//! so a look-up asked again soon costs no request and works offline.
//!
//! Keys are the request's address, so answers from another server (a test's fake) never mix
//! with the real ones. How long an entry counts is the reader's choice: a week for searches and
//! look-ups, a month for "this release has no cover". This module must not know what answers
//! mean.

use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;

/// Searches and release look-ups: data changes slowly, and a week keeps repeats free.
pub const SEARCH_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);
/// A release without cover art rarely gains one within a month.
pub const NO_COVER_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

/// `Some(body)` when a fresh entry exists (`body` `None` records "nothing there").
pub fn read(
    conn: &Connection,
    key: &str,
    lifetime: Duration,
    now: i64,
) -> Result<Option<Option<String>>> {
    let row: Option<(Option<String>, i64)> = conn
        .query_row(
            "SELECT body, fetched_at FROM catalog_cache WHERE key = ?1",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row
        .filter(|(_, fetched_at)| {
            let age = now - fetched_at;
            (0..lifetime.as_secs() as i64).contains(&age)
        })
        .map(|(body, _)| body))
}

pub fn write(conn: &Connection, key: &str, body: Option<&str>, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO catalog_cache (key, body, fetched_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at",
        params![key, body, now],
    )?;
    Ok(())
}

/// Drops entries older than the longest lifetime, so the cache does not grow for ever.
pub fn prune(conn: &Connection, now: i64) -> Result<usize> {
    let oldest = now - NO_COVER_LIFETIME.as_secs() as i64;
    Ok(conn.execute(
        "DELETE FROM catalog_cache WHERE fetched_at < ?1 OR fetched_at > ?2",
        params![oldest, now + 3600],
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_count_for_their_lifetime_only() {
        let conn = crate::db::open_in_memory().unwrap();
        write(&conn, "search a", Some("{}"), 1_000).unwrap();
        write(&conn, "cover b", None, 1_000).unwrap();
        let week = SEARCH_LIFETIME.as_secs() as i64;
        assert_eq!(
            read(&conn, "search a", SEARCH_LIFETIME, 1_000 + week - 1).unwrap(),
            Some(Some("{}".into()))
        );
        assert_eq!(
            read(&conn, "search a", SEARCH_LIFETIME, 1_000 + week).unwrap(),
            None
        );
        assert_eq!(
            read(&conn, "cover b", NO_COVER_LIFETIME, 1_000 + week).unwrap(),
            Some(None)
        );
        assert_eq!(
            read(&conn, "missing", SEARCH_LIFETIME, 1_000).unwrap(),
            None
        );
        // A clock that went backwards does not make an entry last for ever.
        assert_eq!(read(&conn, "search a", SEARCH_LIFETIME, 10).unwrap(), None);
        let month = NO_COVER_LIFETIME.as_secs() as i64;
        assert_eq!(prune(&conn, 1_000 + month + 1).unwrap(), 2);
    }
}
