//! The review list of "Find covers and details": each soundtrack whose latest look-up was not
//! confident (a doubtful match with its candidates, or nothing close), kept in the library file
//! (`enrich_reviews`) until the fan settles it, so the list survives closing the window and
//! reading it costs no request. A look-up replaces its soundtrack's entry; a confident one, a
//! chosen release or a dismissal removes it; a soundtrack in the trash is not shown.
//!
//! This module only stores and reads proposals; `enrich.rs` decides them. It must not talk to
//! MusicBrainz.

use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection};

use super::enrich::{Proposal, Verdict};
use crate::error::{Error, Result};

/// Keeps `proposal` for review when it is not confident, or settles its soundtrack's entry
/// when it is.
pub(crate) fn record(conn: &Connection, proposal: &Proposal) -> Result<()> {
    if proposal.verdict == Verdict::Confident {
        return dismiss(conn, proposal.soundtrack_id);
    }
    let json = serde_json::to_string(proposal)
        .map_err(|e| Error::Internal(format!("cannot keep a review: {e}")))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    conn.execute(
        "INSERT INTO enrich_reviews (soundtrack_id, proposal, found_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (soundtrack_id) DO UPDATE
         SET proposal = excluded.proposal, found_at = excluded.found_at",
        params![proposal.soundtrack_id, json, now],
    )?;
    Ok(())
}

/// Removes the soundtrack's entry, if any: the fan keeps it as it is.
pub(crate) fn dismiss(conn: &Connection, soundtrack_id: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM enrich_reviews WHERE soundtrack_id = ?1",
        [soundtrack_id],
    )?;
    Ok(())
}

/// The entries waiting for review, of one soundtrack or of every live one, in library order.
/// Titles are the soundtrack's own today (it may have been renamed since the look-up). An entry
/// an older or newer Cuesheet wrote in a shape this one cannot read is left out: the next
/// look-up of that soundtrack writes it anew.
pub(crate) fn pending(conn: &Connection, soundtrack_id: Option<i64>) -> Result<Vec<Proposal>> {
    let mut stmt = conn.prepare(
        "SELECT r.proposal, s.film_title, s.album_title FROM enrich_reviews r
         JOIN soundtracks s ON s.id = r.soundtrack_id
         WHERE s.deleted_at IS NULL AND (?1 IS NULL OR s.id = ?1)
         ORDER BY s.id",
    )?;
    let rows = stmt.query_map([soundtrack_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut found = Vec::new();
    for row in rows {
        let (json, film_title, album_title) = row?;
        match serde_json::from_str::<Proposal>(&json) {
            Ok(mut proposal) => {
                proposal.film_title = film_title;
                proposal.album_title = album_title;
                found.push(proposal);
            }
            Err(e) => tracing::warn!("a review entry this version cannot read was skipped: {e}"),
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::enrich::Fills;
    use crate::Library;

    fn proposal(soundtrack_id: i64, verdict: Verdict, reason: &str) -> Proposal {
        Proposal {
            soundtrack_id,
            film_title: "as it was then".into(),
            album_title: None,
            verdict,
            reason: reason.into(),
            candidate: None,
            matched_tracks: 0,
            album_tracks: 0,
            release_tracks: 0,
            fills: Fills::default(),
            applied: false,
            cover_problem: None,
            candidates: Vec::new(),
        }
    }

    #[test]
    fn a_review_is_kept_replaced_settled_and_hidden_with_its_soundtrack() {
        let dir = tempfile::tempdir().unwrap();
        let mut library = Library::open(dir.path()).unwrap();
        let conn = library.conn();
        record(conn, &proposal(1, Verdict::Doubtful, "first look")).unwrap();
        record(conn, &proposal(2, Verdict::NotFound, "nothing close")).unwrap();
        record(conn, &proposal(1, Verdict::Doubtful, "second look")).unwrap();
        let waiting = pending(conn, None).unwrap();
        let reasons: Vec<&str> = waiting.iter().map(|p| p.reason.as_str()).collect();
        assert_eq!(reasons, ["second look", "nothing close"]);
        // Titles are today's, not those of the look-up.
        let today = library.get_soundtrack(1).unwrap().film_title;
        assert_eq!(waiting[0].film_title, today);
        assert_eq!(pending(conn, Some(2)).unwrap().len(), 1);

        // A confident look-up settles it; so does a dismissal.
        record(conn, &proposal(1, Verdict::Confident, "matched")).unwrap();
        assert_eq!(pending(conn, Some(1)).unwrap().len(), 0);
        record(conn, &proposal(3, Verdict::Doubtful, "unsure")).unwrap();
        dismiss(conn, 3).unwrap();
        assert!(pending(conn, Some(3)).unwrap().is_empty());

        // In the trash it is not shown; back from the trash it is.
        library.delete(crate::edit::Target::Soundtrack(2)).unwrap();
        assert!(pending(library.conn(), None).unwrap().is_empty());
        library.restore(crate::edit::Target::Soundtrack(2)).unwrap();
        assert_eq!(pending(library.conn(), None).unwrap().len(), 1);

        // An entry in a shape this version cannot read is skipped, not an error.
        library
            .conn()
            .execute(
                "UPDATE enrich_reviews SET proposal = '{\"soundtrack_id\": 2}' WHERE soundtrack_id = 2",
                [],
            )
            .unwrap();
        assert!(pending(library.conn(), None).unwrap().is_empty());
    }
}
