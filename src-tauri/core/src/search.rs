//! Instant search over the library: turns whatever a person typed into a safe FTS5 query over
//! `search_index` (kept in step with the tables by the triggers in migration 0004), widens it
//! with spelling variants and corrections, and returns ranked soundtracks and songs. It only
//! reads; it never writes the index (the triggers do) and never touches the network.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;

use crate::error::Result;
use crate::library::{song_hit_from_row, summary_from_row, SUMMARY_COLUMNS, TRACK_COLUMNS};
use crate::model::{SongHit, SoundtrackSummary};

/// What a search found, best first in each group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SearchResults {
    pub query: String,
    pub soundtracks: Vec<SoundtrackSummary>,
    pub songs: Vec<SongHit>,
    /// Words that matched nothing and were read as the nearest word in the library instead.
    pub corrections: Vec<Correction>,
}

/// "trainspoting" was searched as "trainspotting".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Correction {
    pub typed: String,
    pub used: String,
}

/// More words than this add nothing to as-you-type search and only slow it down.
const MAX_WORDS: usize = 16;
/// Longer "words" are pasted junk; they are cut, not refused.
const MAX_WORD_CHARS: usize = 64;

/// Spellings that mean the same word. The index keeps words as written; a query for any
/// spelling asks for all of them. Small on purpose: names, not a thesaurus.
const VARIANT_GROUPS: &[&[&str]] = &[
    &["judgement", "judgment"],
    &["colour", "color"],
    &["grey", "gray"],
    &["favourite", "favorite"],
    &["theatre", "theater"],
    &["centre", "center"],
    &["harbour", "harbor"],
    &["2", "two", "ii"],
    &["3", "three", "iii"],
    &["okay", "ok"],
    &["tonite", "tonight"],
    &["nite", "night"],
    &["luv", "love"],
    &["thru", "through"],
];

/// Case-folds and strips accents the way the index's tokenizer does, and splits on anything that
/// is not a letter or digit, so the query's words line up with the indexed ones.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(MAX_WORDS)
        .map(|word| word.chars().take(MAX_WORD_CHARS).collect())
        .collect()
}

/// Lower case without accents, the way the index's tokenizer folds: "Mötley Crüe" → "motley
/// crue". Punctuation is left for the caller to split on.
pub fn fold(text: &str) -> String {
    // Ranking folds every title in the window, so plain ASCII (most titles) skips the
    // decomposition, which leaves it unchanged anyway.
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.nfkd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .collect()
    }
}

/// One spelling for every word of a variant group ("judgement" for "judgment", "2" for "ii"),
/// so two texts can be compared word for word without expanding queries. `word` is folded.
pub fn canonical_spelling(word: &str) -> &str {
    VARIANT_GROUPS
        .iter()
        .find(|group| group.contains(&word))
        .map_or(word, |group| group[0])
}

/// One query word as an FTS5 expression: every spelling of it, each quoted (and marked as a
/// prefix when `prefix`). Quoting makes any character safe (`"` is doubled), so AND, OR, NEAR,
/// `*`, `-`, `:` are just text.
fn word_expression(spellings: &[String], prefix: bool) -> String {
    let star = if prefix { "*" } else { "" };
    let terms: Vec<String> = spellings
        .iter()
        .map(|s| format!("\"{}\"{star}", s.replace('"', "\"\"")))
        .collect();
    if terms.len() == 1 {
        terms.into_iter().next().unwrap_or_default()
    } else {
        format!("({})", terms.join(" OR "))
    }
}

fn variants_of(word: &str) -> Vec<String> {
    let mut spellings = vec![word.to_owned()];
    for group in VARIANT_GROUPS {
        // A word typed part-way ("judgem") already names its group once it is long enough to
        // tell the group apart.
        let named = group
            .iter()
            .any(|v| *v == word || (word.len() >= 4 && v.starts_with(word)));
        if named {
            for variant in *group {
                let variant: String = words(variant).concat();
                if !spellings.contains(&variant) {
                    spellings.push(variant);
                }
            }
        }
    }
    spellings
}

/// The indexed word nearest to a word that matched nothing, if one is close enough: one edit
/// for words of 4 to 7 letters, two for longer ones. Candidates share the first letter (people
/// rarely misspell that). The word still being typed (`unfinished`, five letters or more) is
/// also compared with each candidate cut to its length, so "pumki" finds "pumpkins". The most
/// common candidate wins a tie.
fn correction_for(conn: &Connection, word: &str, unfinished: bool) -> Result<Option<String>> {
    let length = word.chars().count();
    let allowed = match length {
        0..=3 => return Ok(None),
        4..=7 => 1,
        _ => 2,
    };
    let Some(first) = word.chars().next() else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT term, doc FROM search_terms
         WHERE term >= ?1 AND term < ?1 || char(1114111)
           AND length(term) BETWEEN ?2 AND ?3",
    )?;
    let first = first.to_string();
    let rows = stmt.query_map(
        rusqlite::params![first, length.saturating_sub(allowed), length + 24],
        |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?)),
    )?;
    let mut best: Option<(usize, i64, String)> = None;
    for row in rows {
        let (term, docs) = row?;
        let whole = strsim::damerau_levenshtein(word, &term);
        let distance = if unfinished && length >= 5 {
            // A missing or extra letter shifts where the typed part ends, so try the cuts
            // one letter shorter and longer too.
            (length - 1..=length + 1)
                .map(|cut| {
                    let cut: String = term.chars().take(cut).collect();
                    strsim::damerau_levenshtein(word, &cut)
                })
                .fold(whole, usize::min)
        } else {
            whole
        };
        if distance > allowed {
            continue;
        }
        let better = match &best {
            None => true,
            Some((d, n, _)) => distance < *d || (distance == *d && docs > *n),
        };
        if better {
            best = Some((distance, docs, term));
        }
    }
    Ok(best.map(|(_, _, term)| term))
}

/// Searches the library. Any text is a valid query; text without a letter or digit finds
/// nothing, and only the first `validate::MAX_SEARCH_CHARS` characters are read (a long paste
/// is cut, not refused). `limit` applies to soundtracks and to songs separately.
pub fn search(conn: &Connection, query: &str, limit: u32) -> Result<SearchResults> {
    let mut results = SearchResults {
        query: query.to_owned(),
        soundtracks: Vec::new(),
        songs: Vec::new(),
        corrections: Vec::new(),
    };
    let typed = words(crate::validate::cut(
        query,
        crate::validate::MAX_SEARCH_CHARS,
    ));
    if typed.is_empty() || limit == 0 {
        return Ok(results);
    }
    let mut spellings: Vec<Vec<String>> = typed.iter().map(|word| variants_of(word)).collect();
    // As you type, the words before the last are finished: matching them whole spares FTS5
    // from merging the lists of every longer word ("love" → lovely, lover…), which is what made
    // multi-word queries slow on a large library. Only if that finds nothing are they read as
    // prefixes too ("smash pumpkins").
    for every_word_a_prefix in [false, true] {
        run_query(conn, &spellings, every_word_a_prefix, limit, &mut results)?;
        if !results.soundtracks.is_empty() || !results.songs.is_empty() {
            return Ok(results);
        }
    }
    // Nothing found: correct the words that match nothing on their own and try once more. Only
    // this path pays for corrections, so a search that works is a single query per group.
    let last = typed.len() - 1;
    for (index, word) in typed.iter().enumerate() {
        if matches_anything(conn, &spellings[index])? {
            continue;
        }
        if let Some(used) = correction_for(conn, word, index == last)? {
            results.corrections.push(Correction {
                typed: word.clone(),
                used: used.clone(),
            });
            spellings[index] = vec![used];
        }
    }
    if !results.corrections.is_empty() {
        run_query(conn, &spellings, true, limit, &mut results)?;
    }
    if results.soundtracks.is_empty() && results.songs.is_empty() {
        // A guess that found nothing would only confuse ("searched for creepy").
        results.corrections.clear();
    }
    Ok(results)
}

/// Whether a word (in any of its spellings) is in the index at all, as a word or a prefix.
fn matches_anything(conn: &Connection, spellings: &[String]) -> Result<bool> {
    let mut stmt =
        conn.prepare_cached("SELECT 1 FROM search_index WHERE search_index MATCH ?1 LIMIT 1")?;
    Ok(stmt
        .query_row([word_expression(spellings, true)], |_| Ok(()))
        .optional()?
        .is_some())
}

/// How many matching rows of each group are put in order; see `run_query`.
pub const RANK_WINDOW: u32 = 200;

/// Ranks by tiers instead of bm25: every word in the title first, then in the title and the
/// artists (songs) or album (soundtracks), then anywhere; within a tier, shorter titles first
/// ("Would?" before "Wouldn't It Be Good"). bm25 needs each word's document frequency, which
/// FTS5 finds by reading the word's whole list: for a two-letter prefix in a library of a million
/// songs that is tens of milliseconds per keystroke. Here each group is one FTS5 query read
/// lazily in index order, and the first `RANK_WINDOW` matches are put in order from the index's
/// own copy of the title and artists; typing more narrows the matches until the order is exact.
fn run_query(
    conn: &Connection,
    spellings: &[Vec<String>],
    every_word_a_prefix: bool,
    limit: u32,
    results: &mut SearchResults,
) -> Result<()> {
    let last = spellings.len().saturating_sub(1);
    let expression_with = |last_a_prefix: bool| {
        spellings
            .iter()
            .enumerate()
            .map(|(index, s)| {
                word_expression(s, every_word_a_prefix || (index == last && last_a_prefix))
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    };
    let expression = expression_with(true);
    // A prefix longer than the index's prefix lists (1–4 letters) makes FTS5 merge the whole
    // list of every word it starts ("night" → night, nights, nightmare…) before the first row:
    // tens of milliseconds for a common word in a large library. When the word as typed
    // already fills the ranking window on its own, that window is used instead; the longer
    // words would only have joined it. Checking costs one read of rowids, no row contents.
    let long_last = !every_word_a_prefix
        && spellings[last]
            .iter()
            .any(|s| s.chars().count() > LONGEST_PREFIX_INDEX);
    let exact = long_last.then(|| expression_with(false));
    let wanted = |index: usize| every_word_a_prefix || index == last;
    let soundtrack_expression = pick_expression(conn, "rowid < 0", exact.as_deref(), &expression)?;
    let song_expression = pick_expression(conn, "rowid > 0", exact.as_deref(), &expression)?;

    let soundtrack_ids = ranked_ids(
        conn,
        "SELECT -rowid, title, album FROM search_index
         WHERE search_index MATCH ?1 AND rowid < 0 LIMIT ?2",
        soundtrack_expression,
        spellings,
        &wanted,
        limit,
    )?;
    let mut summary = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM soundtracks s WHERE s.id = ?1"
    ))?;
    results.soundtracks = soundtrack_ids
        .iter()
        .map(|id| summary.query_row([id], summary_from_row))
        .collect::<rusqlite::Result<_>>()?;

    let song_ids = ranked_ids(
        conn,
        "SELECT rowid, title, artists FROM search_index
         WHERE search_index MATCH ?1 AND rowid > 0 LIMIT ?2",
        song_expression,
        spellings,
        &wanted,
        limit,
    )?;
    let mut song = conn.prepare_cached(&format!(
        "SELECT {TRACK_COLUMNS}, s.film_title, s.film_year
         FROM tracks t JOIN soundtracks s ON s.id = t.soundtrack_id WHERE t.id = ?1"
    ))?;
    results.songs = song_ids
        .iter()
        .map(|id| song.query_row([id], song_hit_from_row))
        .collect::<rusqlite::Result<_>>()?;
    Ok(())
}

/// The longest prefix `search_index` keeps its own lists for (`prefix = '1 2 3 4'`).
const LONGEST_PREFIX_INDEX: usize = 4;

/// `exact` when it alone matches a full ranking window of the group (`side` selects soundtracks
/// or songs by the rowid's sign), else `prefixed`. See `run_query`.
fn pick_expression<'a>(
    conn: &Connection,
    side: &str,
    exact: Option<&'a str>,
    prefixed: &'a str,
) -> Result<&'a str> {
    let Some(exact) = exact else {
        return Ok(prefixed);
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT count(*) FROM (SELECT rowid FROM search_index
         WHERE search_index MATCH ?1 AND {side} LIMIT ?2)"
    ))?;
    let found: u32 = stmt.query_row(rusqlite::params![exact, RANK_WINDOW], |row| row.get(0))?;
    Ok(if found >= RANK_WINDOW {
        exact
    } else {
        prefixed
    })
}

/// Runs `sql` (id, title, second field) and returns the best `limit` ids by tier, then title
/// length, then id.
fn ranked_ids(
    conn: &Connection,
    sql: &str,
    expression: &str,
    spellings: &[Vec<String>],
    is_prefix: &dyn Fn(usize) -> bool,
    limit: u32,
) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(rusqlite::params![expression, RANK_WINDOW], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    let mut ranked = Vec::new();
    for row in rows {
        let (id, title, second) = row?;
        let title_words = words(&title);
        let mut both = title_words.clone();
        both.extend(words(&second));
        let tier = if all_found(spellings, is_prefix, &title_words) {
            0
        } else if all_found(spellings, is_prefix, &both) {
            1
        } else {
            2
        };
        ranked.push((tier, title.chars().count(), id));
    }
    ranked.sort_unstable();
    Ok(ranked
        .into_iter()
        .take(limit as usize)
        .map(|(_, _, id)| id)
        .collect())
}

/// Whether every query word (some spelling of it, as a prefix where it is one) is among `found`.
fn all_found(
    spellings: &[Vec<String>],
    is_prefix: &dyn Fn(usize) -> bool,
    found: &[String],
) -> bool {
    spellings.iter().enumerate().all(|(index, variants)| {
        variants.iter().any(|variant| {
            found.iter().any(|word| {
                if is_prefix(index) {
                    word.starts_with(variant.as_str())
                } else {
                    word == variant
                }
            })
        })
    })
}

/// The naive way: `LIKE '%word%'` over the same fields, every word required. Kept only as the
/// benchmark's baseline, so the index's speed-up is measured against something real.
pub fn search_like(conn: &Connection, query: &str, limit: u32) -> Result<(usize, usize)> {
    let typed = words(query);
    if typed.is_empty() {
        return Ok((0, 0));
    }
    let pattern_of = |word: &String| format!("%{word}%");
    let patterns: Vec<String> = typed.iter().map(pattern_of).collect();
    let soundtrack_terms: Vec<String> = (1..=patterns.len())
        .map(|i| {
            format!(
                "(s.film_title LIKE ?{i} OR s.album_title LIKE ?{i} OR s.label LIKE ?{i}
                  OR s.notes LIKE ?{i})"
            )
        })
        .collect();
    let track_terms: Vec<String> = (1..=patterns.len())
        .map(|i| {
            format!(
                "(t.title LIKE ?{i} OR t.notes LIKE ?{i} OR t.scene_note LIKE ?{i}
                  OR s.film_title LIKE ?{i} OR s.album_title LIKE ?{i}
                  OR EXISTS (SELECT 1 FROM track_artists a
                             WHERE a.track_id = t.id AND a.name LIKE ?{i}))"
            )
        })
        .collect();
    let params = rusqlite::params_from_iter(patterns.iter());
    let soundtracks: usize = conn.query_row(
        &format!(
            "SELECT count(*) FROM (SELECT s.id FROM soundtracks s
             WHERE s.deleted_at IS NULL AND {} LIMIT {limit})",
            soundtrack_terms.join(" AND ")
        ),
        params,
        |row| row.get(0),
    )?;
    let params = rusqlite::params_from_iter(patterns.iter());
    let songs: usize = conn.query_row(
        &format!(
            "SELECT count(*) FROM (SELECT t.id FROM tracks t JOIN soundtracks s
             ON s.id = t.soundtrack_id
             WHERE t.deleted_at IS NULL AND s.deleted_at IS NULL AND {} LIMIT {limit})",
            track_terms.join(" AND ")
        ),
        params,
        |row| row.get(0),
    )?;
    Ok((soundtracks, songs))
}

impl crate::Library {
    pub fn search(&self, query: &str, limit: u32) -> Result<SearchResults> {
        search(self.conn(), query, limit)
    }

    pub fn favourite_songs(&self) -> Result<Vec<SongHit>> {
        crate::library::favourite_songs(self.conn())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{self, SoundtrackFields, Target, TrackFields};
    use crate::model::Media;

    use crate::starter::seeded_in_memory as seeded;

    fn song_titles(conn: &Connection, query: &str) -> Vec<String> {
        search(conn, query, 20)
            .unwrap()
            .songs
            .into_iter()
            .map(|hit| hit.track.title)
            .collect()
    }

    fn film_titles(conn: &Connection, query: &str) -> Vec<String> {
        search(conn, query, 20)
            .unwrap()
            .soundtracks
            .into_iter()
            .map(|s| s.film_title)
            .collect()
    }

    fn song(title: &str, artist: &str) -> TrackFields {
        TrackFields {
            disc: 1,
            position: None,
            title: title.into(),
            artists: vec![artist.into()],
            duration_ms: None,
            on_album: true,
            scene_note: String::new(),
            notes: String::new(),
            isrc: None,
        }
    }

    fn add(conn: &mut Connection, film: &str, songs: &[TrackFields]) -> i64 {
        let fields = SoundtrackFields {
            film_title: film.into(),
            film_year: Some(1988),
            media: Media::Film,
            album_title: None,
            album_year: None,
            label: None,
            notes: String::new(),
            source_urls: vec![],
            tracklist_complete: true,
        };
        edit::create_soundtrack(conn, &fields, songs).unwrap()
    }

    #[test]
    fn accents_case_and_punctuation_do_not_matter() {
        let mut conn = seeded();
        add(
            &mut conn,
            "The Decline of Western Civilization Part II",
            &[song("Home Sweet Home", "Mötley Crüe")],
        );
        assert_eq!(song_titles(&conn, "motley crue"), ["Home Sweet Home"]);
        assert_eq!(song_titles(&conn, "MÖTLEY"), ["Home Sweet Home"]);
        assert!(song_titles(&conn, "blue oyster cult")
            .contains(&"Veteran of the Psychic Wars".to_owned()));
        assert_eq!(
            film_titles(&conn, "romeo juliet"),
            ["William Shakespeare's Romeo + Juliet"]
        );
        assert_eq!(song_titles(&conn, "would")[0], "Would?");
        assert_eq!(song_titles(&conn, "would?!")[0], "Would?");
    }

    #[test]
    fn words_are_prefixes_and_ranked_title_first() {
        let conn = seeded();
        // A finished word that is only a prefix still finds, on the second try.
        assert!(!search(&conn, "smash pumpkins", 20)
            .unwrap()
            .songs
            .is_empty());
        let pumpkins = search(&conn, "smashing pump", 20).unwrap().songs;
        assert!(pumpkins.len() >= 2, "{pumpkins:?}");
        assert!(pumpkins.iter().all(|hit| hit
            .track
            .artists
            .iter()
            .any(|a| a == "The Smashing Pumpkins")));
        // "singles" is the title of one soundtrack and the album of its songs: the soundtrack
        // comes first in its group, and its songs are found by film title plus song words.
        assert_eq!(film_titles(&conn, "singles")[0], "Singles");
        assert_eq!(song_titles(&conn, "singles would"), ["Would?"]);
    }

    #[test]
    fn spelling_variants_find_each_other() {
        let mut conn = seeded();
        assert!(film_titles(&conn, "judgement night").contains(&"Judgment Night".to_owned()));
        add(&mut conn, "Colour of Night", &[]);
        assert_eq!(film_titles(&conn, "color of night"), ["Colour of Night"]);
        assert_eq!(film_titles(&conn, "colou"), ["Colour of Night"]);
    }

    #[test]
    fn a_misspelt_word_is_corrected_and_reported() {
        let conn = seeded();
        let found = search(&conn, "trainspoting", 20).unwrap();
        assert!(found
            .soundtracks
            .iter()
            .all(|s| s.film_title == "Trainspotting"));
        assert_eq!(found.soundtracks.len(), 2);
        assert_eq!(
            found.corrections,
            [Correction {
                typed: "trainspoting".into(),
                used: "trainspotting".into()
            }]
        );
        let pumpkins = search(&conn, "smashing pumkins", 20).unwrap().songs;
        assert!(!pumpkins.is_empty());
        assert!(!search(&conn, "smashing pumkin", 20)
            .unwrap()
            .songs
            .is_empty());
        // Short words are not guessed at: "wud" stays "wud" and finds nothing.
        let short = search(&conn, "wud", 20).unwrap();
        assert!(short.songs.is_empty() && short.corrections.is_empty());
        // A guess that still finds nothing is not reported.
        let nothing = search(&conn, "motley crue", 20).unwrap();
        assert!(
            nothing.songs.is_empty() && nothing.corrections.is_empty(),
            "{nothing:?}"
        );
    }

    #[test]
    fn any_text_is_a_safe_query() {
        let conn = seeded();
        let long = "a\"(".repeat(5_000);
        let hostile = [
            "",
            " ",
            "\"",
            "\"\"",
            "'",
            "(",
            ")",
            "((",
            "[]",
            "{}",
            "*",
            "**",
            "-",
            "--",
            "+",
            "^",
            ":",
            "title:would",
            "AND",
            "OR",
            "NOT",
            "NEAR",
            "NEAR(a b)",
            "a AND",
            "OR would",
            "would OR",
            "NOT would",
            "\"would",
            "would\"",
            "wo\"uld",
            "col:",
            "-would",
            "would*",
            "*would",
            "🎸",
            "🎸🎶 would",
            "\u{0}",
            "\\",
            "%",
            "_",
            "'; DROP TABLE tracks; --",
            "ⅻ",
            "ǅ",
            "\u{202e}would",
            &long,
        ];
        for query in hostile {
            assert!(search(&conn, query, 20).is_ok(), "{query:?}");
        }
        for query in ["\"would\"", "would*", "(would)", "-would"] {
            assert!(
                song_titles(&conn, query).contains(&"Would?".to_owned()),
                "{query:?} is read as the word would"
            );
        }
        assert!(search(&conn, "🎸", 20).unwrap().songs.is_empty());
        let tracks: i64 = conn
            .query_row("SELECT count(*) FROM tracks", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tracks, 372);
    }

    #[test]
    fn the_index_follows_edits_tags_notes_and_the_trash() {
        let mut conn = seeded();
        let would = search(&conn, "would alice", 20).unwrap().songs[0]
            .track
            .clone();
        let target = Target::Track(would.id);

        edit::set_tags(&mut conn, target, &["Seattle sound".into()]).unwrap();
        assert_eq!(song_titles(&conn, "seattle"), ["Would?"]);
        edit::set_notes(&mut conn, target, "the bass line over the opening credits").unwrap();
        assert_eq!(song_titles(&conn, "bass line"), ["Would?"]);

        let mut fields = song("Would? (Live)", "Alice in Chains");
        fields.position = would.position;
        edit::update_track(&mut conn, would.id, &fields).unwrap();
        assert_eq!(song_titles(&conn, "would live"), ["Would? (Live)"]);

        edit::delete(&mut conn, target).unwrap();
        assert!(song_titles(&conn, "would live").is_empty());
        edit::restore(&mut conn, target).unwrap();
        assert_eq!(song_titles(&conn, "would live"), ["Would? (Live)"]);

        // A soundtrack in the trash takes its songs out of the results with it.
        let singles = would.soundtrack_id;
        edit::delete(&mut conn, Target::Soundtrack(singles)).unwrap();
        assert!(song_titles(&conn, "would live").is_empty());
        assert!(!film_titles(&conn, "singles").contains(&"Singles".to_owned()));
        edit::restore(&mut conn, Target::Soundtrack(singles)).unwrap();
        assert_eq!(song_titles(&conn, "would live"), ["Would? (Live)"]);

        edit::delete(&mut conn, Target::Soundtrack(singles)).unwrap();
        edit::empty_trash(&mut conn).unwrap();
        let indexed: i64 = conn
            .query_row("SELECT count(*) FROM search_index", [], |r| r.get(0))
            .unwrap();
        let live: i64 = conn
            .query_row(
                "SELECT (SELECT count(*) FROM search_soundtrack_docs)
                      + (SELECT count(*) FROM search_track_docs)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexed, live, "no stale rows are left in the index");
    }

    #[test]
    fn a_library_at_the_previous_version_is_indexed_on_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut old = Connection::open(dir.path().join("library.sqlite3")).unwrap();
            old.execute_batch(include_str!("../migrations/0001_library.sql"))
                .unwrap();
            old.execute_batch(include_str!("../migrations/0002_tags.sql"))
                .unwrap();
            old.execute_batch(include_str!("../migrations/0003_trash.sql"))
                .unwrap();
            old.pragma_update(None, "user_version", 3).unwrap();
            let tx = old.transaction().unwrap();
            tx.execute(
                "INSERT INTO soundtracks (id, film_title) VALUES (7, 'Hackers')",
                [],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO tracks (id, soundtrack_id, position, title) VALUES (70, 7, 1, 'Halcyon')",
                [],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO track_artists (track_id, ord, name) VALUES (70, 0, 'Orbital')",
                [],
            )
            .unwrap();
            tx.commit().unwrap();
        }
        let conn = crate::db::open(dir.path()).unwrap();
        assert_eq!(film_titles(&conn, "hackers"), ["Hackers"]);
        assert_eq!(song_titles(&conn, "orbital"), ["Halcyon"]);
    }

    #[test]
    fn a_common_long_word_is_read_whole_and_its_longer_words_still_found() {
        let conn = seeded();
        // More soundtracks with "midnight" than the ranking window holds: the word as typed fills
        // the window on its own, so FTS5 need not merge the lists of every word it starts.
        let tx = conn.unchecked_transaction().unwrap();
        for n in 0..RANK_WINDOW + 10 {
            tx.execute(
                "INSERT INTO soundtracks (film_title) VALUES (?1)",
                [format!("Midnight Express {n}")],
            )
            .unwrap();
        }
        tx.execute(
            "INSERT INTO soundtracks (film_title) VALUES ('Midnightmare')",
            [],
        )
        .unwrap();
        tx.commit().unwrap();
        let found = film_titles(&conn, "midnight");
        assert_eq!(found.len(), 20);
        assert!(found.iter().all(|t| t.starts_with("Midnight")), "{found:?}");
        // Once the word is longer than any common one, it is a prefix again.
        assert_eq!(film_titles(&conn, "midnightm"), ["Midnightmare"]);
    }

    #[test]
    fn query_words_fold_like_the_index() {
        assert_eq!(words("Mötley Crüe"), ["motley", "crue"]);
        assert_eq!(words("Romeo + Juliet"), ["romeo", "juliet"]);
        assert_eq!(words("\"NEAR\"(x*)"), ["near", "x"]);
        assert_eq!(words(&"w ".repeat(100)).len(), MAX_WORDS);
        assert_eq!(word_expression(&["a\"b".into()], true), "\"a\"\"b\"*");
        assert_eq!(word_expression(&["would".into()], false), "\"would\"");
        assert_eq!(
            word_expression(&["judgement".into(), "judgment".into()], true),
            "(\"judgement\"* OR \"judgment\"*)"
        );
    }
}
