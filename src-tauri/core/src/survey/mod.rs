//! Counting a survey thread: a pasted comment thread (or a `.txt` of one) split into comments
//! (`split`), the soundtrack titles each comment names (`titles`), what else speaks for them
//! and which replies only agree (`evidence`), a tally of votes (`tally`), phrases that may be
//! titles the library lacks (`candidates`, asked online through the `lookup` seam), and the
//! ranked list made from the reviewed tally (`save`).
//!
//! Counting is pure: it reads the library's titles, artists and songs once and never writes.
//! Nothing here touches the network; an online look-up is handed in as a [`TitleLookup`].

mod add_found;
mod candidates;
mod context;
mod evidence;
pub mod lookup;
mod save;
pub mod split;
mod stop_words;
mod tally;
mod titles;
mod tokens;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalog::CatalogEvent;
use crate::error::{Error, Result};
pub use add_found::{titles_to_add, AddedFound, AddedTitle, FailedTitle, SavedSurvey};
pub use lookup::{online_lookup, Memo, MusicBrainzTitles, ReleaseGroupMatch, TitleLookup};
pub use save::{save_ranked_list, SaveSurvey, SurveyThread};
pub use split::{Comment, Shape, Thread};

/// A pasted thread larger than this is not a comment thread: 8 MiB holds tens of thousands of
/// comments.
pub const MAX_THREAD_BYTES: usize = 8 * 1024 * 1024;
/// Phrases asked online in one count: at MusicBrainz's one request per second this is five
/// minutes; a thread proposing more is mostly noise.
pub const MAX_LOOKUPS: usize = 300;

/// A library soundtrack as the count knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownSoundtrack {
    pub id: i64,
    pub film_title: String,
    pub film_year: Option<i32>,
    pub album_title: Option<String>,
    pub songs: Vec<KnownSong>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KnownSong {
    pub title: String,
    pub artists: Vec<String>,
}

/// What made a comment's vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceKind {
    /// The comment names the title.
    Title,
    /// One of the soundtrack's artists, shown beside the title that made the vote.
    Artist,
    /// One of the soundtrack's songs, shown beside the title that made the vote.
    Song,
    /// The comment only agrees with the one it answers (counted when the curator says so).
    Agreement,
    /// The curator marked these words as a vote.
    Curator,
}

/// Words of one comment that speak for a title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Evidence {
    /// The comment's index (1 for the first comment after the post).
    pub comment: u32,
    /// The words as written.
    pub text: String,
    /// Where the words stand in the comment's text, in characters (Unicode code points).
    pub start: u32,
    pub end: u32,
    pub kind: EvidenceKind,
}

/// One title of the tally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TallyEntry {
    pub title: String,
    /// Comments that vote for it: one per comment however often it names the title.
    pub votes: u32,
    /// The library's soundtrack, when the title is in the library.
    pub soundtrack_id: Option<i64>,
    /// The MusicBrainz release group, when the title was found online.
    pub release_group_id: Option<String>,
    /// The edition of that release group that "add the titles found online" stores.
    #[serde(default)]
    pub release_id: Option<String>,
    pub year: Option<i32>,
    /// Every mention, in thread order.
    pub evidence: Vec<Evidence>,
}

/// A comment as the count read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CountedComment {
    pub index: u32,
    pub author: Option<String>,
    pub text: String,
    pub reply_to: Option<u32>,
    /// The comment only agrees with another; it votes only when agreeing replies count.
    pub agrees: bool,
}

/// A counted thread, for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SurveyCount {
    pub shape: Shape,
    pub comments: Vec<CountedComment>,
    /// Best first: most votes, then first mentioned.
    pub tally: Vec<TallyEntry>,
    /// Phrases that look like titles but are neither in the library nor found online.
    pub unrecognised: Vec<String>,
    pub agreeing_replies: bool,
    /// How many phrases were asked online (0 offline).
    pub looked_up: u32,
}

/// `cuesheet survey --json`: the count without the comments' text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveySummary {
    pub comments: u32,
    pub tally: Vec<TallyEntry>,
    pub unrecognised: Vec<String>,
    /// The ranked list made from the count (`--ranked-list`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ranked_list_id: Option<i64>,
    /// Soundtracks added from MusicBrainz before saving (`--add-found`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub added: Vec<AddedTitle>,
}

impl From<&SurveyCount> for SurveySummary {
    fn from(count: &SurveyCount) -> SurveySummary {
        SurveySummary {
            comments: count.comments.len() as u32,
            tally: count.tally.clone(),
            unrecognised: count.unrecognised.clone(),
            ranked_list_id: None,
            added: Vec::new(),
        }
    }
}

/// The live library's soundtracks with their songs and artists, as the count reads them.
pub fn known_soundtracks(conn: &Connection) -> Result<Vec<KnownSoundtrack>> {
    let mut soundtracks: Vec<KnownSoundtrack> = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, film_title, film_year, album_title FROM soundtracks
         WHERE deleted_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(KnownSoundtrack {
            id: row.get(0)?,
            film_title: row.get(1)?,
            film_year: row.get(2)?,
            album_title: row.get(3)?,
            songs: Vec::new(),
        })
    })?;
    for row in rows {
        soundtracks.push(row?);
    }
    let at: std::collections::HashMap<i64, usize> = soundtracks
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    // One pass over songs and their artists in credit order (a subquery per song took
    // seconds on a library of 150,000 songs).
    let mut songs = conn.prepare_cached(
        "SELECT t.soundtrack_id, t.id, t.title, a.name FROM tracks t
         LEFT JOIN track_artists a ON a.track_id = t.id
         WHERE t.deleted_at IS NULL ORDER BY t.soundtrack_id, t.id, a.ord",
    )?;
    let mut rows = songs.query([])?;
    let mut last_track: Option<i64> = None;
    while let Some(row) = rows.next()? {
        let soundtrack: i64 = row.get(0)?;
        let track: i64 = row.get(1)?;
        let Some(&i) = at.get(&soundtrack) else {
            continue;
        };
        if last_track != Some(track) {
            soundtracks[i].songs.push(KnownSong {
                title: row.get(2)?,
                artists: Vec::new(),
            });
            last_track = Some(track);
        }
        if let (Some(name), Some(song)) = (
            row.get::<_, Option<String>>(3)?,
            soundtracks[i].songs.last_mut(),
        ) {
            song.artists.push(name);
        }
    }
    Ok(soundtracks)
}

/// Counts a thread against the library's soundtracks. With a `lookup`, phrases that look like
/// titles and are not in the library are asked online (each once), and those found close
/// count like library titles.
pub fn count(
    text: &str,
    known: &[KnownSoundtrack],
    agreeing_replies: bool,
    lookup: Option<&mut dyn TitleLookup>,
) -> Result<SurveyCount> {
    count_reporting(text, known, agreeing_replies, lookup, &|_| {})
}

/// [`count`], telling `on_event` which phrase is being looked up online (one a second at
/// MusicBrainz's pace, so a long thread needs a progress bar).
pub fn count_reporting(
    text: &str,
    known: &[KnownSoundtrack],
    agreeing_replies: bool,
    lookup: Option<&mut dyn TitleLookup>,
    on_event: &dyn Fn(CatalogEvent),
) -> Result<SurveyCount> {
    if text.len() > MAX_THREAD_BYTES {
        return Err(Error::InvalidInput(format!(
            "survey thread: too long ({} bytes; at most {}) — paste the comments, not the whole page's source",
            crate::validate::thousands(text.len()),
            crate::validate::thousands(MAX_THREAD_BYTES)
        )));
    }
    let thread = split::split(text);
    let mut title_index = titles::TitleIndex::from_library(known);
    let names = evidence::NameIndex::from_library(known);
    let mut found = recognise(&thread, &title_index, &names);
    let mut looked_up = 0;
    if let Some(lookup) = lookup {
        let mut memo = Memo::new(lookup);
        let phrases: Vec<_> = candidate_phrases(&thread, &found)
            .into_iter()
            .take(MAX_LOOKUPS)
            .collect();
        let total = phrases.len() as u32;
        for (done, (phrase, fallback)) in phrases.into_iter().enumerate() {
            on_event(CatalogEvent::Looking {
                done: done as u32,
                total,
                film_title: phrase.clone(),
            });
            for asked in std::iter::once(phrase).chain(fallback) {
                if let Some(group) = memo.look_up(&asked)? {
                    title_index.add_online(&group, &asked);
                    break;
                }
            }
        }
        looked_up = memo.asked() as u32;
        on_event(CatalogEvent::Finished { done: total, total });
        found = recognise(&thread, &title_index, &names);
    }
    let (tally, agrees) = tally::tally(&thread.comments, &found, &title_index, agreeing_replies);
    let unrecognised = candidate_phrases(&thread, &found)
        .into_iter()
        .map(|(phrase, _)| phrase)
        .collect();
    let comments = thread
        .comments
        .iter()
        .zip(agrees)
        .map(|(comment, agrees)| CountedComment {
            index: comment.index,
            author: comment.author.clone(),
            text: comment.text.clone(),
            reply_to: comment.reply_to,
            agrees,
        })
        .collect();
    Ok(SurveyCount {
        shape: thread.shape,
        comments,
        tally,
        unrecognised,
        agreeing_replies,
        looked_up,
    })
}

fn recognise<'a>(
    thread: &'a Thread,
    title_index: &titles::TitleIndex,
    names: &evidence::NameIndex,
) -> Vec<tally::Found<'a>> {
    thread
        .comments
        .iter()
        .map(|comment| {
            let words = tokens::Words::new(&comment.text);
            let titles = title_index.find(&words, names);
            let names = names.find(&words);
            tally::Found {
                words,
                titles,
                names,
            }
        })
        .collect()
}

/// The distinct title-like phrases no recogniser claimed, in thread order, each with the other
/// readings to ask online when it finds nothing.
fn candidate_phrases(thread: &Thread, found: &[tally::Found<'_>]) -> Vec<(String, Vec<String>)> {
    let mut seen: Vec<Vec<String>> = Vec::new();
    let mut phrases = Vec::new();
    for found in found.iter().take(thread.comments.len()) {
        let covered = candidates::Covered {
            titles: found.titles.iter().map(|m| (m.first, m.last)).collect(),
            names: found.names.iter().map(|m| (m.first, m.last)).collect(),
        };
        for candidate in candidates::find(&found.words, &covered) {
            let (key, _) = tokens::phrase_key(&candidate.phrase);
            if !key.is_empty() && !seen.contains(&key) {
                seen.push(key);
                phrases.push((candidate.phrase, candidate.fallback));
            }
        }
    }
    phrases
}

/// Reads a thread saved as text (the window's "Open a .txt…" and `cuesheet survey FILE`):
/// refused by name when it cannot be read, is larger than a thread can be, or is not UTF-8.
pub fn read_thread_file(path: &std::path::Path) -> Result<String> {
    crate::validate::path("survey thread", path)?;
    let unreadable = |e: std::io::Error| {
        Error::InvalidInput(format!("cannot read the thread {}: {e}", path.display()))
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_THREAD_BYTES as u64 {
        return Err(Error::InvalidInput(format!(
            "{}: too long for a comment thread ({} bytes; at most {})",
            path.display(),
            crate::validate::thousands(size as usize),
            crate::validate::thousands(MAX_THREAD_BYTES)
        )));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    String::from_utf8(bytes).map_err(|e| {
        Error::InvalidInput(format!(
            "{} is not UTF-8 text (byte {} is not): save the thread as plain text",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Whether a counted title names a soundtrack with this film (or album) title, folded like the
/// count folds ("Romeo and Juliet" names "William Shakespeare's Romeo + Juliet").
pub(crate) fn same_title(counted: &str, film_title: &str, album_title: Option<&str>) -> bool {
    let known = [KnownSoundtrack {
        id: 1,
        film_title: film_title.to_owned(),
        film_year: None,
        album_title: album_title.map(str::to_owned),
        songs: Vec::new(),
    }];
    titles::TitleIndex::from_library(&known)
        .identify(counted)
        .is_some()
}

impl crate::Library {
    /// Counts a thread against this library (offline unless a `lookup` is given).
    pub fn count_survey(
        &self,
        text: &str,
        agreeing_replies: bool,
        lookup: Option<&mut dyn TitleLookup>,
    ) -> Result<SurveyCount> {
        let known = known_soundtracks(self.conn())?;
        count(text, &known, agreeing_replies, lookup)
    }

    /// `Conflict` when a ranked list already has this name (checked again when saving).
    pub fn check_ranked_list_name_free(&self, name: &str) -> Result<()> {
        save::check_name_free(self.conn(), name)
    }

    /// Makes a ranked list from a reviewed tally; see [`save_ranked_list`].
    pub fn save_survey(&mut self, request: &SaveSurvey) -> Result<i64> {
        save_ranked_list(&mut self.conn, request)
    }
}

#[cfg(test)]
mod tests;
