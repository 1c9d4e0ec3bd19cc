//! "Make ranked list": a reviewed tally becomes a ranked list in vote order (ties by first
//! mention), each entry's note holding its vote count and one quoted reason, with the thread
//! kept beside the list so it can be counted again. Titles the library lacks become entries
//! that wait for their soundtrack. One transaction: the list lands whole or not at all.
//!
//! The tally comes from the window after the curator's corrections, so nothing in it is taken
//! on trust: votes are counted again from its evidence, and every comment, soundtrack and
//! length is checked before anything is written.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::titles::{Target, TitleIndex};
use super::tokens::phrase_key;
use super::{known_soundtracks, split, tally, EvidenceKind, TallyEntry, MAX_THREAD_BYTES};
use crate::error::{Error, Result};
use crate::validate::{self, quoted, MAX_NAME, MAX_TITLE};

/// Titles one list can hold from a survey: far more than any thread names.
pub const MAX_SURVEY_TITLES: usize = 5_000;
/// Evidence items of one title: every comment of a very long thread, several times.
pub const MAX_EVIDENCE: usize = 100_000;
/// A reason quoted in an entry's note is cut to this many characters.
const REASON_CHARS: usize = 200;

/// What "Make ranked list" sends: the list's name, the thread, and the reviewed tally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SaveSurvey {
    pub name: String,
    pub thread: String,
    pub agreeing_replies: bool,
    pub tally: Vec<TallyEntry>,
}

/// The thread a ranked list was counted from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SurveyThread {
    pub thread: String,
    pub agreeing_replies: bool,
    pub comments: u32,
    pub counted_at: String,
}

struct Row {
    title: String,
    soundtrack_id: Option<i64>,
    release_group_id: Option<String>,
    entry: TallyEntry,
}

/// Makes the ranked list; returns its id. Refuses, changing nothing, a name already in use,
/// evidence that points at no comment of the thread, a soundtrack that is not in the library,
/// and a tally with no votes.
pub fn save_ranked_list(conn: &mut Connection, request: &SaveSurvey) -> Result<i64> {
    let name = validate::name("ranked list name", &request.name, MAX_NAME)?;
    if request.thread.len() > MAX_THREAD_BYTES {
        return Err(Error::InvalidInput(format!(
            "survey thread: too long ({} bytes; at most {})",
            validate::thousands(request.thread.len()),
            validate::thousands(MAX_THREAD_BYTES)
        )));
    }
    validate::count("survey titles", request.tally.len(), MAX_SURVEY_TITLES)?;
    let thread = split::split(&request.thread);
    let comments = thread.comments.len() as u32;
    let known = known_soundtracks(conn)?;
    let titles = TitleIndex::from_library(&known);

    let mut rows: Vec<Row> = Vec::new();
    for (n, entry) in request.tally.iter().enumerate() {
        let title = entry.title.trim();
        let which = format!("title {} ({})", n + 1, quoted(title));
        if title.is_empty() {
            return Err(Error::InvalidInput(format!("title {}: empty", n + 1)));
        }
        validate::text(&which, title, MAX_TITLE)?;
        validate::count(
            &format!("{which}: evidence"),
            entry.evidence.len(),
            MAX_EVIDENCE,
        )?;
        for evidence in &entry.evidence {
            if evidence.comment == 0 || evidence.comment > comments {
                return Err(Error::InvalidInput(format!(
                    "{which}: a vote names comment {}, but the thread has {comments} comment(s)",
                    evidence.comment
                )));
            }
            validate::text(&format!("{which}: evidence"), &evidence.text, MAX_TITLE)?;
        }
        for (what, id) in [
            ("release group id", &entry.release_group_id),
            ("release id", &entry.release_id),
        ] {
            if let Some(id) = id {
                if id.trim().is_empty() || id.len() > 64 {
                    return Err(Error::InvalidInput(format!(
                        "{which}: {what} {} is not a MusicBrainz id",
                        quoted(id)
                    )));
                }
            }
        }
        let mut soundtrack_id = entry.soundtrack_id;
        if let Some(id) = soundtrack_id {
            validate::id("soundtrack", id)?;
            if !known.iter().any(|s| s.id == id) {
                return Err(Error::NotFound(format!(
                    "{which}: there is no soundtrack with id {id}"
                )));
            }
        } else if let Some(found) = titles.identify(title) {
            // A title the curator typed or split off that the library has after all.
            if let Target::Library(id) = titles.entries[found].target {
                soundtrack_id = Some(id);
            }
        }
        rows.push(Row {
            title: title.to_owned(),
            soundtrack_id,
            release_group_id: entry.release_group_id.clone(),
            entry: entry.clone(),
        });
    }
    let mut entries = merge_same_titles(rows);
    entries.retain(|row| row.entry.votes > 0);
    if entries.is_empty() {
        return Err(Error::InvalidInput(
            "the count has no votes to make a ranked list of".into(),
        ));
    }
    entries.sort_by(|a, b| tally::compare(&a.entry, &b.entry));
    // How many titles each comment votes for: a reason is best taken from a comment about
    // one title only.
    let mut titles_voted: HashMap<u32, u32> = HashMap::new();
    for row in &entries {
        let mut comments: Vec<u32> = row
            .entry
            .evidence
            .iter()
            .filter(|e| is_vote(e.kind))
            .map(|e| e.comment)
            .collect();
        comments.dedup();
        for comment in comments {
            *titles_voted.entry(comment).or_default() += 1;
        }
    }

    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    check_name_free(&tx, &name)?;
    tx.execute(
        "INSERT INTO ranked_lists (name, description) VALUES (?1, ?2)",
        params![
            name,
            format!("Counted from a survey thread of {comments} comment(s).")
        ],
    )?;
    let list_id = tx.last_insert_rowid();
    let mut insert = tx.prepare_cached(
        "INSERT INTO ranked_entries (list_id, ord, soundtrack_id, title, release_group_id, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (ord, row) in entries.iter().enumerate() {
        insert.execute(params![
            list_id,
            ord as i64,
            row.soundtrack_id,
            row.title,
            row.release_group_id,
            note(&row.entry, &thread, &titles_voted),
        ])?;
    }
    drop(insert);
    tx.execute(
        "INSERT INTO ranked_list_surveys (list_id, thread, agreeing_replies, comments)
         VALUES (?1, ?2, ?3, ?4)",
        params![list_id, request.thread, request.agreeing_replies, comments],
    )?;
    tx.commit()?;
    Ok(list_id)
}

/// `Conflict` when a ranked list already has this name (case aside).
pub(crate) fn check_name_free(conn: &Connection, name: &str) -> Result<()> {
    let name = validate::name("ranked list name", name, MAX_NAME)?;
    let taken: Option<i64> = conn
        .query_row(
            "SELECT id FROM ranked_lists WHERE lower(name) = lower(?1)",
            [&name],
            |r| r.get(0),
        )
        .optional()?;
    match taken {
        Some(_) => Err(Error::Conflict(format!(
            "a ranked list named {name:?} already exists: choose another name"
        ))),
        None => Ok(()),
    }
}

/// Titles that name the same soundtrack, release group or (for titles without either) the
/// same words become one entry with all their evidence: a list names each film once.
fn merge_same_titles(rows: Vec<Row>) -> Vec<Row> {
    let mut merged: Vec<Row> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for mut row in rows {
        let key = match (&row.soundtrack_id, &row.release_group_id) {
            (Some(id), _) => format!("s{id}"),
            (None, Some(group)) => format!("g{group}"),
            (None, None) => format!("t{}", phrase_key(&row.title).0.join(" ")),
        };
        row.entry.evidence.sort_by_key(|e| (e.comment, e.start));
        match at.get(&key) {
            Some(&i) => {
                let into = &mut merged[i];
                into.entry.evidence.extend(row.entry.evidence);
                into.entry.evidence.sort_by_key(|e| (e.comment, e.start));
                into.entry.evidence.dedup();
                into.release_group_id = into.release_group_id.take().or(row.release_group_id);
            }
            None => {
                at.insert(key, merged.len());
                merged.push(row);
            }
        }
    }
    for row in &mut merged {
        row.entry.votes = tally::votes(&row.entry.evidence);
        row.entry.title = row.title.clone();
    }
    merged
}

fn is_vote(kind: EvidenceKind) -> bool {
    matches!(
        kind,
        EvidenceKind::Title | EvidenceKind::Curator | EvidenceKind::Agreement
    )
}

/// "3 votes — “Would? by Alice in Chains still gives me chills.”": the longest sentence that
/// named the title or one of its artists or songs, from a comment about this title alone if
/// there is one.
fn note(entry: &TallyEntry, thread: &split::Thread, titles_voted: &HashMap<u32, u32>) -> String {
    let votes = match entry.votes {
        1 => "1 vote".to_owned(),
        n => format!("{n} votes"),
    };
    let reason = entry
        .evidence
        .iter()
        .filter(|e| e.kind != EvidenceKind::Agreement)
        .filter_map(|e| {
            let comment = thread.comments.get(e.comment as usize - 1)?;
            let sentence = sentence_around(&comment.text, e.start as usize, e.end as usize);
            let alone = titles_voted.get(&e.comment).copied().unwrap_or(1) <= 1;
            Some(((alone, sentence.split_whitespace().count()), sentence))
        })
        // The first of equally good sentences: max_by_key would keep the last.
        .fold(
            None,
            |best: Option<((bool, usize), String)>, (score, sentence)| match best {
                Some((kept, _)) if kept >= score => best,
                _ => Some((score, sentence)),
            },
        )
        .map(|(_, sentence)| sentence)
        .or_else(|| entry.evidence.first().map(|e| e.text.clone()))
        .unwrap_or_default();
    if reason.is_empty() {
        votes
    } else {
        format!("{votes} — “{reason}”")
    }
}

/// The sentence of `text` holding characters `start..end`, cut to a readable length.
fn sentence_around(text: &str, start: usize, end: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let start = start.min(chars.len());
    let end = end.clamp(start, chars.len());
    // A full stop, "!" or "?" ends a sentence only before a capital or the end: "Would? by
    // Alice in Chains" is one sentence.
    let stop = |i: usize| match chars[i] {
        '\n' => true,
        '.' | '!' | '?' => {
            let next = chars[i + 1..]
                .iter()
                .find(|c| !c.is_whitespace() && !matches!(c, '.' | '!' | '?' | '"' | '”' | ')'));
            next.is_none_or(|c| c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“'))
        }
        _ => false,
    };
    let from = (0..start).rev().find(|&i| stop(i)).map_or(0, |i| i + 1);
    let to = (end..chars.len())
        .find(|&i| stop(i))
        .map_or(chars.len(), |i| (i + 1).min(chars.len()));
    let sentence: String = chars[from..to].iter().collect::<String>().trim().to_owned();
    if sentence.chars().count() <= REASON_CHARS {
        return sentence;
    }
    let mut cut: String = sentence.chars().take(REASON_CHARS).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_is_the_sentence_that_named_the_title() {
        let text = "Hi all. I love the Pretty In Pink soundtrack, and the film! Bye.";
        let start = text.find("Pretty").unwrap();
        assert_eq!(
            sentence_around(text, start, start + 14),
            "I love the Pretty In Pink soundtrack, and the film!"
        );
        let long = format!("Singles {}", "so good ".repeat(40));
        let cut = sentence_around(&long, 0, 7);
        assert!(cut.ends_with('…') && cut.chars().count() <= REASON_CHARS + 1);
    }
}
