//! Ranked lists: a curator's "best of" soundtracks in order, a note per entry, and the playlist
//! of "the top N songs of each of my top M soundtracks". It owns the ranked-list tables; the
//! playlist it makes is created through `playlists`, and a list counted from a survey is made by
//! `survey::save`. An entry of a counted list may wait for its soundtrack (a title the library
//! does not have yet): it shows its title until a soundtrack of that title is added.

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::library::SUMMARY_COLUMNS;
use crate::model::SoundtrackSummary;
use crate::ordering::OrderedTable;
use crate::validate::{self, MAX_DESCRIPTION, MAX_NAME, MAX_NOTES, MAX_RANKED_TOP, MAX_SONGS_EACH};

const ENTRIES: OrderedTable = OrderedTable {
    table: "ranked_entries",
    group_column: "list_id",
    row_name: "ranked entry",
    place_name: "rank",
    group_name: "the ranked list",
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RankedListSummary {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub entry_count: u32,
    /// Counted from a survey thread, which is kept with the list (`ranked_list_survey`).
    pub from_survey: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RankedEntry {
    pub entry_id: i64,
    /// 1 for the best, counting the entries still waiting for their soundtrack.
    pub rank: u32,
    pub note: String,
    pub soundtrack: SoundtrackSummary,
}

/// A title of a counted survey that the library does not have yet: it holds its rank and
/// takes its soundtrack when one of that title is added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WaitingEntry {
    pub entry_id: i64,
    pub rank: u32,
    pub note: String,
    pub title: String,
    /// The MusicBrainz release group it was found as online, if it was.
    pub release_group_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RankedListDetail {
    pub summary: RankedListSummary,
    /// The soundtracks, in rank order.
    pub entries: Vec<RankedEntry>,
    /// Titles waiting for their soundtrack, in rank order; their ranks interleave with
    /// `entries`' (a list made by hand has none).
    pub waiting: Vec<WaitingEntry>,
}

fn write_tx(conn: &mut Connection) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

fn clean_name(name: &str) -> Result<String> {
    validate::name("ranked list name", name, MAX_NAME)
}

fn clean_note(note: &str) -> Result<&str> {
    let note = note.trim();
    validate::text("ranked note", note, MAX_NOTES)?;
    Ok(note)
}

/// Entries shown: those whose soundtrack is not in the trash, and those still waiting for one.
const LIVE_COUNT: &str = "(SELECT count(*) FROM ranked_entries e LEFT JOIN soundtracks s
    ON s.id = e.soundtrack_id WHERE e.list_id = r.id
    AND (e.soundtrack_id IS NULL OR s.deleted_at IS NULL))";

const SUMMARY_OF_LIST: &str = "r.id, r.name, r.description, {LIVE_COUNT},
    EXISTS (SELECT 1 FROM ranked_list_surveys v WHERE v.list_id = r.id)";

fn summary_of_list(row: &rusqlite::Row<'_>) -> rusqlite::Result<RankedListSummary> {
    Ok(RankedListSummary {
        id: row.get(0)?,
        name: row.get(1)?,
        description: row.get(2)?,
        entry_count: row.get(3)?,
        from_survey: row.get(4)?,
    })
}

fn list_columns() -> String {
    SUMMARY_OF_LIST.replace("{LIVE_COUNT}", LIVE_COUNT)
}

pub fn list_ranked_lists(conn: &Connection) -> Result<Vec<RankedListSummary>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM ranked_lists r ORDER BY r.name COLLATE NOCASE, r.id",
        list_columns()
    ))?;
    let rows = stmt.query_map([], summary_of_list)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get_ranked_list(conn: &Connection, id: i64) -> Result<RankedListDetail> {
    validate::id("ranked list", id)?;
    let summary = conn
        .query_row(
            &format!(
                "SELECT {} FROM ranked_lists r WHERE r.id = ?1",
                list_columns()
            ),
            [id],
            summary_of_list,
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("there is no ranked list with id {id}")))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT e.id, e.note, e.title, e.release_group_id, e.soundtrack_id, {SUMMARY_COLUMNS}
         FROM ranked_entries e LEFT JOIN soundtracks s ON s.id = e.soundtrack_id
         WHERE e.list_id = ?1 AND (e.soundtrack_id IS NULL OR s.deleted_at IS NULL)
         ORDER BY e.ord"
    ))?;
    let rows = stmt.query_map([id], |row| {
        let linked: Option<i64> = row.get(4)?;
        // The soundtrack's columns start after the entry's own five.
        let soundtrack = match linked {
            Some(_) => Some(crate::library::summary_from_row_at(row, 5)?),
            None => None,
        };
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, Option<String>>(3)?,
            soundtrack,
        ))
    })?;
    let mut entries = Vec::new();
    let mut waiting = Vec::new();
    for (index, row) in rows.enumerate() {
        let (entry_id, note, title, release_group_id, soundtrack) = row?;
        let rank = index as u32 + 1;
        match soundtrack {
            Some(soundtrack) => entries.push(RankedEntry {
                entry_id,
                rank,
                note,
                soundtrack,
            }),
            None => waiting.push(WaitingEntry {
                entry_id,
                rank,
                note,
                title,
                release_group_id,
            }),
        }
    }
    Ok(RankedListDetail {
        summary,
        entries,
        waiting,
    })
}

pub fn find_ranked_list(conn: &Connection, id_or_name: &str) -> Result<RankedListDetail> {
    let wanted = id_or_name.trim();
    if let Ok(id) = wanted.parse::<i64>() {
        return get_ranked_list(conn, id);
    }
    let lowered = wanted.to_lowercase();
    let all = list_ranked_lists(conn)?;
    let found: Vec<&RankedListSummary> = all
        .iter()
        .filter(|l| l.name.to_lowercase() == lowered)
        .collect();
    match found.as_slice() {
        [one] => get_ranked_list(conn, one.id),
        [] => Err(Error::NotFound(format!(
            "no ranked list is named {wanted:?}"
        ))),
        _ => Err(Error::Conflict(format!(
            "several ranked lists are named {wanted:?}; use an id"
        ))),
    }
}

pub fn create_ranked_list(conn: &mut Connection, name: &str, description: &str) -> Result<i64> {
    let name = clean_name(name)?;
    let description = description.trim();
    validate::text("ranked list description", description, MAX_DESCRIPTION)?;
    let tx = write_tx(conn)?;
    tx.execute(
        "INSERT INTO ranked_lists (name, description) VALUES (?1, ?2)",
        params![name, description],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(id)
}

pub fn delete_ranked_list(conn: &mut Connection, id: i64) -> Result<()> {
    validate::id("ranked list", id)?;
    let tx = write_tx(conn)?;
    if tx.execute("DELETE FROM ranked_lists WHERE id = ?1", [id])? == 0 {
        return Err(Error::NotFound(format!(
            "there is no ranked list with id {id}"
        )));
    }
    tx.commit()?;
    Ok(())
}

/// Adds a soundtrack at the end (or at a 1-based `rank`, from 1 to one past the last). A
/// soundtrack already on the list is refused: a best-of names each film once.
pub fn add_to_ranked_list(
    conn: &mut Connection,
    list_id: i64,
    soundtrack_id: i64,
    rank: Option<u32>,
    note: &str,
) -> Result<()> {
    validate::id("ranked list", list_id)?;
    validate::id("soundtrack", soundtrack_id)?;
    let note = clean_note(note)?;
    let tx = write_tx(conn)?;
    let exists: Option<String> = tx
        .query_row(
            "SELECT name FROM ranked_lists WHERE id = ?1",
            [list_id],
            |r| r.get(0),
        )
        .optional()?;
    let list_name = exists
        .ok_or_else(|| Error::NotFound(format!("there is no ranked list with id {list_id}")))?;
    let film: String = tx
        .query_row(
            "SELECT film_title FROM soundtracks WHERE id = ?1 AND deleted_at IS NULL",
            [soundtrack_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| {
            Error::NotFound(format!("there is no soundtrack with id {soundtrack_id}"))
        })?;
    let already: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM ranked_entries WHERE list_id = ?1 AND soundtrack_id = ?2)",
        params![list_id, soundtrack_id],
        |r| r.get(0),
    )?;
    if already {
        return Err(Error::Conflict(format!("{film} is already on {list_name}")));
    }
    let end = ENTRIES.next_ord(&tx, list_id)?;
    // Checked before the insert: the new entry may go anywhere up to just after the last.
    let to = rank
        .map(|rank| validate::place("rank", rank, end + 1, "the ranked list"))
        .transpose()?;
    tx.execute(
        "INSERT INTO ranked_entries (list_id, ord, soundtrack_id, note) VALUES (?1, ?2, ?3, ?4)",
        params![list_id, end, soundtrack_id, note],
    )?;
    if let Some(to) = to {
        let id = tx.last_insert_rowid();
        ENTRIES.move_row(&tx, list_id, id, end, to)?;
    }
    tx.commit()?;
    Ok(())
}

pub fn move_ranked_entry(conn: &mut Connection, entry_id: i64, to_rank: u32) -> Result<()> {
    let tx = write_tx(conn)?;
    ENTRIES.move_to(&tx, entry_id, to_rank)?;
    tx.commit()?;
    Ok(())
}

pub fn remove_ranked_entry(conn: &mut Connection, entry_id: i64) -> Result<()> {
    let tx = write_tx(conn)?;
    ENTRIES.remove(&tx, entry_id)?;
    tx.commit()?;
    Ok(())
}

pub fn set_ranked_note(conn: &mut Connection, entry_id: i64, note: &str) -> Result<()> {
    validate::id("ranked entry", entry_id)?;
    let note = clean_note(note)?;
    let tx = write_tx(conn)?;
    if tx.execute(
        "UPDATE ranked_entries SET note = ?2 WHERE id = ?1",
        params![entry_id, note],
    )? == 0
    {
        return Err(Error::NotFound(format!(
            "there is no ranked entry with id {entry_id}"
        )));
    }
    tx.commit()?;
    Ok(())
}

/// The songs of "the top `songs_each` songs of each of my top `top` soundtracks", in list order:
/// within a soundtrack, favourites first, then by rating, then album order (songs heard only in
/// the film come after the album's).
pub fn top_songs(conn: &Connection, list_id: i64, top: u32, songs_each: u32) -> Result<Vec<i64>> {
    let list = get_ranked_list(conn, list_id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM tracks WHERE soundtrack_id = ?1 AND deleted_at IS NULL
         ORDER BY favourite DESC, coalesce(rating, 0) DESC, on_album DESC, disc, position,
                  film_order, id
         LIMIT ?2",
    )?;
    let mut ids = Vec::new();
    // Titles still waiting for their soundtrack have no songs yet, but they keep their place
    // among the top.
    for entry in list.entries.iter().filter(|e| e.rank <= top) {
        let rows = stmt.query_map(params![entry.soundtrack.id, songs_each], |r| r.get(0))?;
        for id in rows {
            ids.push(id?);
        }
    }
    Ok(ids)
}

/// Puts a newly added soundtrack in the place of ranked-list entries that were waiting for a
/// title it bears (counted from a survey before the library had it). An entry whose list
/// already holds the soundtrack keeps waiting, rather than naming it twice.
pub(crate) fn link_waiting_entries(conn: &Connection, soundtrack_id: i64) -> Result<u32> {
    let mut waiting = conn.prepare_cached(
        "SELECT e.id, e.list_id, e.title FROM ranked_entries e WHERE e.soundtrack_id IS NULL",
    )?;
    let rows: Vec<(i64, i64, String)> = waiting
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if rows.is_empty() {
        return Ok(0);
    }
    let (film, album): (String, Option<String>) = conn.query_row(
        "SELECT film_title, album_title FROM soundtracks WHERE id = ?1",
        [soundtrack_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut linked = 0;
    for (entry, list, title) in rows {
        if !crate::survey::same_title(&title, &film, album.as_deref()) {
            continue;
        }
        linked += conn.execute(
            "UPDATE ranked_entries SET soundtrack_id = ?2 WHERE id = ?1 AND NOT EXISTS
                (SELECT 1 FROM ranked_entries WHERE list_id = ?3 AND soundtrack_id = ?2)",
            params![entry, soundtrack_id, list],
        )? as u32;
    }
    Ok(linked)
}

/// The thread a ranked list was counted from, if it was.
pub fn ranked_list_survey(
    conn: &Connection,
    list_id: i64,
) -> Result<Option<crate::survey::SurveyThread>> {
    validate::id("ranked list", list_id)?;
    get_ranked_list(conn, list_id)?;
    Ok(conn
        .query_row(
            "SELECT thread, agreeing_replies, comments, counted_at FROM ranked_list_surveys
             WHERE list_id = ?1",
            [list_id],
            |r| {
                Ok(crate::survey::SurveyThread {
                    thread: r.get(0)?,
                    agreeing_replies: r.get(1)?,
                    comments: r.get(2)?,
                    counted_at: r.get(3)?,
                })
            },
        )
        .optional()?)
}

impl crate::Library {
    pub fn ranked_list_survey(&self, list_id: i64) -> Result<Option<crate::survey::SurveyThread>> {
        ranked_list_survey(self.conn(), list_id)
    }
    pub fn list_ranked_lists(&self) -> Result<Vec<RankedListSummary>> {
        list_ranked_lists(self.conn())
    }
    pub fn get_ranked_list(&self, id: i64) -> Result<RankedListDetail> {
        get_ranked_list(self.conn(), id)
    }
    pub fn find_ranked_list(&self, id_or_name: &str) -> Result<RankedListDetail> {
        find_ranked_list(self.conn(), id_or_name)
    }
    pub fn create_ranked_list(&mut self, name: &str, description: &str) -> Result<i64> {
        create_ranked_list(&mut self.conn, name, description)
    }
    pub fn delete_ranked_list(&mut self, id: i64) -> Result<()> {
        delete_ranked_list(&mut self.conn, id)
    }
    pub fn add_to_ranked_list(
        &mut self,
        list_id: i64,
        soundtrack_id: i64,
        rank: Option<u32>,
        note: &str,
    ) -> Result<()> {
        add_to_ranked_list(&mut self.conn, list_id, soundtrack_id, rank, note)
    }
    pub fn move_ranked_entry(&mut self, entry_id: i64, to_rank: u32) -> Result<()> {
        move_ranked_entry(&mut self.conn, entry_id, to_rank)
    }
    pub fn remove_ranked_entry(&mut self, entry_id: i64) -> Result<()> {
        remove_ranked_entry(&mut self.conn, entry_id)
    }
    pub fn set_ranked_note(&mut self, entry_id: i64, note: &str) -> Result<()> {
        set_ranked_note(&mut self.conn, entry_id, note)
    }
    /// One click: a playlist of the top songs of the top soundtracks of a ranked list.
    pub fn playlist_from_ranked_list(
        &mut self,
        list_id: i64,
        top: u32,
        songs_each: u32,
    ) -> Result<i64> {
        validate::range("top soundtracks", top, 1, MAX_RANKED_TOP)?;
        validate::range("songs of each soundtrack", songs_each, 1, MAX_SONGS_EACH)?;
        let tx = write_tx(&mut self.conn)?;
        let list = get_ranked_list(&tx, list_id)?;
        let ids = top_songs(&tx, list_id, top, songs_each)?;
        if ids.is_empty() {
            return Err(Error::InvalidInput(format!(
                "{} has no songs to put on a playlist",
                list.summary.name
            )));
        }
        let name = format!("{} — top {songs_each} of the top {top}", list.summary.name);
        let playlist = crate::playlists::insert_playlist_of_tracks(&tx, &name, &ids)?;
        tx.commit()?;
        Ok(playlist)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::starter::seeded_in_memory as seeded;

    fn films(conn: &Connection, id: i64) -> Vec<String> {
        get_ranked_list(conn, id)
            .unwrap()
            .entries
            .into_iter()
            .map(|e| e.soundtrack.film_title)
            .collect()
    }

    #[test]
    fn order_notes_duplicates_and_the_trash() {
        let mut conn = seeded();
        let list = create_ranked_list(&mut conn, "Best of the 90s", "").unwrap();
        add_to_ranked_list(&mut conn, list, 1, None, "the Seattle one").unwrap();
        add_to_ranked_list(&mut conn, list, 2, None, "").unwrap();
        add_to_ranked_list(&mut conn, list, 4, Some(1), "").unwrap();
        assert_eq!(films(&conn, list), ["Trainspotting", "Singles", "The Crow"]);
        assert!(matches!(
            add_to_ranked_list(&mut conn, list, 1, None, ""),
            Err(Error::Conflict(_))
        ));
        let detail = get_ranked_list(&conn, list).unwrap();
        assert_eq!(detail.entries[1].note, "the Seattle one");
        assert_eq!(detail.entries[1].rank, 2);
        move_ranked_entry(&mut conn, detail.entries[2].entry_id, 1).unwrap();
        assert_eq!(films(&conn, list), ["The Crow", "Trainspotting", "Singles"]);
        crate::edit::delete(&mut conn, crate::edit::Target::Soundtrack(4)).unwrap();
        assert_eq!(films(&conn, list), ["The Crow", "Singles"]);
        crate::edit::restore(&mut conn, crate::edit::Target::Soundtrack(4)).unwrap();
        assert_eq!(films(&conn, list), ["The Crow", "Trainspotting", "Singles"]);
        // detail.entries[0] is Trainspotting's entry, wherever it stands now.
        remove_ranked_entry(&mut conn, detail.entries[0].entry_id).unwrap();
        assert_eq!(films(&conn, list), ["The Crow", "Singles"]);
    }

    #[test]
    fn top_songs_prefer_favourites_then_ratings_then_album_order() {
        let mut conn = seeded();
        let list = create_ranked_list(&mut conn, "Top", "").unwrap();
        add_to_ranked_list(&mut conn, list, 1, None, "").unwrap();
        add_to_ranked_list(&mut conn, list, 2, None, "").unwrap();
        add_to_ranked_list(&mut conn, list, 3, None, "").unwrap();
        let singles = crate::library::get_soundtrack(&conn, 1).unwrap();
        let seasons = singles.tracks[2].id;
        let breath = singles.tracks[1].id;
        crate::edit::set_favourite(&mut conn, crate::edit::Target::Track(seasons), true).unwrap();
        crate::edit::set_rating(&mut conn, crate::edit::Target::Track(breath), Some(9)).unwrap();
        let ids = top_songs(&conn, list, 2, 3).unwrap();
        assert_eq!(ids.len(), 6, "three songs from each of the top two");
        assert_eq!(&ids[..3], &[seasons, breath, singles.tracks[0].id]);
        let crow = crate::library::get_soundtrack(&conn, 2).unwrap();
        assert_eq!(
            &ids[3..],
            &[crow.tracks[0].id, crow.tracks[1].id, crow.tracks[2].id]
        );
    }
}
