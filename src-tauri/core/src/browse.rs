//! The library view's filters, sort orders and pages, worked out in SQL so the window holds only
//! the cards near its viewport, never the whole library (issue 6: 10,000 summaries held in the
//! page cost the web process about 12 MiB, and their transfer more). It owns the rules of the
//! view's orders, including how titles sort ("The Crow" under C, accents ignored, numbers by
//! value); it must not know about windows or pages' sizes on screen.

use std::collections::HashMap;

use rusqlite::functions::FunctionFlags;
use rusqlite::{params_from_iter, types::Value, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};
use crate::library::{summary_from_row, SUMMARY_COLUMNS};
use crate::model::{Media, SoundtrackSummary};
use crate::validate;

/// The orders the library view offers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum BrowseSort {
    /// Date added, oldest first: the starter catalog keeps the survey's order.
    #[default]
    Added,
    Title,
    /// Film year, then title; unknown years last.
    Year,
    /// Highest rated first, then title; unrated last.
    Rating,
}

/// What the library view's filter bar asks for. Every filter left empty lets everything through.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BrowseFilter {
    pub favourites_only: bool,
    /// A tag's name, matched without regard to case.
    pub tag: Option<String>,
    /// First year of a decade: 1990 for the 1990s.
    pub decade: Option<i32>,
    pub media: Option<Media>,
    /// Minimum rating in half stars (1–10).
    pub min_rating: Option<u8>,
    pub sort: BrowseSort,
}

/// One page of the library view: the soundtracks at `offset..offset + items.len()` of the
/// filtered, sorted library, how many pass the filter, and how many there are in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BrowsePage {
    pub offset: u32,
    pub items: Vec<SoundtrackSummary>,
    pub matched: u32,
    pub total: u32,
}

/// The choices the filter bar offers, drawn from what the library holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BrowseChoices {
    pub tags: Vec<String>,
    pub decades: Vec<i32>,
}

/// Summaries in one page of the library view. The shell hands the first page over at start and
/// the bench times pages of this size; the UI's `PAGE_SIZE` (LibraryView.svelte) is the same, and
/// it ignores a handed-over page of another size.
pub const VIEW_PAGE: u32 = 100;

/// The most cards one call returns: a few screens' worth. A whole library is what
/// `list_soundtracks` (the CLI's listing) is for.
pub const MAX_PAGE: u32 = 1_000;

/// The SQL function the title orders call; registered on every connection by `register`.
const TITLE_KEY: &str = "cuesheet_title_key";

/// Registers the SQL functions the view's orders use. Called for every connection the core
/// opens, so the CLI, the window and the tests sort the same way.
pub(crate) fn register(conn: &Connection) -> Result<()> {
    conn.create_scalar_function(
        TITLE_KEY,
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(title_key(&ctx.get::<String>(0)?)),
    )?;
    Ok(())
}

/// The key titles sort by, as a person reads a shelf: a leading "The", "A" or "An" does not
/// count, case and accents do not count, and runs of digits compare by value ("Part 2" before
/// "Part 10"). Written here because SQLite's collations know none of this and ICU would add
/// megabytes to the binary for three rules.
pub fn title_key(title: &str) -> String {
    // Most titles are plain ASCII, which has no accents to take off: skipping the Unicode
    // decomposition for them halves the cost of a title sort.
    let folded: String = if title.is_ascii() {
        title.to_ascii_lowercase()
    } else {
        title
            .nfkd()
            .filter(|c| !is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let trimmed = folded.trim_start();
    let without_article = ["the ", "a ", "an "]
        .iter()
        .find_map(|article| trimmed.strip_prefix(article))
        .map_or(trimmed, str::trim_start);
    // Each run of digits becomes its length's digit count and the length, then the digits, so
    // a longer number (a larger value once leading zeros go) sorts after a shorter one.
    let mut key = String::with_capacity(without_article.len() + 8);
    let mut chars = without_article.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut digits = String::from(c);
            while let Some(&next) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(next);
                chars.next();
            }
            let value = digits.trim_start_matches('0');
            let value = if value.is_empty() { "0" } else { value };
            let length = value.len().to_string();
            key.push(char::from(b'0' + length.len().min(9) as u8));
            key.push_str(&length);
            key.push_str(value);
        } else {
            key.push(c);
        }
    }
    key
}

impl BrowseFilter {
    /// Whether anything but the order narrows the list.
    pub fn narrows(&self) -> bool {
        self.favourites_only
            || self.tag.is_some()
            || self.decade.is_some()
            || self.media.is_some()
            || self.min_rating.is_some()
    }
}

fn check(filter: &BrowseFilter) -> Result<()> {
    if let Some(tag) = &filter.tag {
        validate::text("tag", tag, validate::MAX_TAG_CHARS)?;
    }
    if let Some(decade) = filter.decade {
        if !(0..=9990).contains(&decade) || decade % 10 != 0 {
            return Err(Error::InvalidInput(format!(
                "decade: {decade} is not the first year of a decade (1990 for the 1990s)"
            )));
        }
    }
    if let Some(rating) = filter.min_rating {
        validate::range("min_rating", u32::from(rating), 1, 10)?;
    }
    Ok(())
}

/// The WHERE clause for `filter` over `soundtracks s`, and its parameters.
fn conditions(filter: &BrowseFilter) -> (String, Vec<Value>) {
    let mut clauses = vec!["s.deleted_at IS NULL".to_owned()];
    let mut values = Vec::new();
    if filter.favourites_only {
        clauses.push("s.favourite = 1".to_owned());
    }
    if let Some(tag) = &filter.tag {
        // tags.name is COLLATE NOCASE, so this matches "Grunge" for "grunge".
        clauses.push(
            "EXISTS (SELECT 1 FROM soundtrack_tags st JOIN tags tg ON tg.id = st.tag_id
                     WHERE st.soundtrack_id = s.id AND tg.name = ?)"
                .to_owned(),
        );
        values.push(Value::Text(tag.clone()));
    }
    if let Some(decade) = filter.decade {
        clauses.push("s.film_year BETWEEN ? AND ?".to_owned());
        values.push(Value::Integer(i64::from(decade)));
        values.push(Value::Integer(i64::from(decade) + 9));
    }
    if let Some(media) = filter.media {
        clauses.push("s.media = ?".to_owned());
        values.push(Value::Text(media.as_str().to_owned()));
    }
    if let Some(rating) = filter.min_rating {
        clauses.push("coalesce(s.rating, 0) >= ?".to_owned());
        values.push(Value::Integer(i64::from(rating)));
    }
    (clauses.join(" AND "), values)
}

fn order_by(sort: BrowseSort) -> String {
    let title = format!("{TITLE_KEY}(s.film_title), s.id");
    match sort {
        // RFC 3339 timestamps in UTC order as plain strings.
        BrowseSort::Added => "s.added_at, s.id".to_owned(),
        BrowseSort::Title => title,
        BrowseSort::Year => format!("coalesce(s.film_year, 9999), {title}"),
        BrowseSort::Rating => format!("coalesce(s.rating, -1) DESC, {title}"),
    }
}

/// The soundtracks at `offset..offset + limit` of the library filtered and sorted by `filter`,
/// with the counts the view needs to size its grid. An offset past the end gives no items.
pub fn browse_page(
    conn: &Connection,
    filter: &BrowseFilter,
    offset: u32,
    limit: u32,
) -> Result<BrowsePage> {
    check(filter)?;
    validate::range("limit", limit, 1, MAX_PAGE)?;
    let (conditions, mut values) = conditions(filter);
    let matched: u32 = conn.query_row(
        &format!("SELECT count(*) FROM soundtracks s WHERE {conditions}"),
        params_from_iter(&values),
        |row| row.get(0),
    )?;
    let total: u32 = if !filter.narrows() {
        matched
    } else {
        conn.query_row(
            "SELECT count(*) FROM soundtracks WHERE deleted_at IS NULL",
            [],
            |row| row.get(0),
        )?
    };
    // The page's ids are chosen first and its summaries read after, so the per-row counts and
    // tags are worked out for the page's rows only. (A window function that numbered the rows
    // would keep this to one query, but cost ten times as much on 10,000 rows.)
    values.push(Value::Integer(i64::from(limit)));
    values.push(Value::Integer(i64::from(offset)));
    let mut ids = conn.prepare_cached(&format!(
        "SELECT s.id FROM soundtracks s WHERE {conditions}
         ORDER BY {} LIMIT ? OFFSET ?",
        order_by(filter.sort)
    ))?;
    let ids = ids
        .query_map(params_from_iter(&values), |row| row.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let items = summaries_in_order(conn, &ids)?;
    Ok(BrowsePage {
        offset,
        items,
        matched,
        total,
    })
}

/// The summaries of `ids`, in the order given.
fn summaries_in_order(conn: &Connection, ids: &[i64]) -> Result<Vec<SoundtrackSummary>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM soundtracks s
         WHERE s.id IN (SELECT value FROM json_each(?1))"
    ))?;
    let listed = serde_json::to_string(ids).expect("a list of numbers is JSON");
    let mut found: HashMap<i64, SoundtrackSummary> = stmt
        .query_map([listed], summary_from_row)?
        .map(|row| row.map(|summary| (summary.id, summary)))
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// The tags in use on soundtracks outside the trash, and the decades their films are from.
pub fn browse_choices(conn: &Connection) -> Result<BrowseChoices> {
    // Each tag stops at its first soundtrack outside the trash, rather than looking up every
    // tagged soundtrack.
    let mut tags = conn.prepare_cached(
        "SELECT tg.name FROM tags tg
         WHERE EXISTS (SELECT 1 FROM soundtrack_tags st JOIN soundtracks s ON s.id = st.soundtrack_id
                       WHERE st.tag_id = tg.id AND s.deleted_at IS NULL)
         ORDER BY tg.name",
    )?;
    let tags = tags
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let mut decades = conn.prepare_cached(
        "SELECT DISTINCT (film_year / 10) * 10 FROM soundtracks
         WHERE deleted_at IS NULL AND film_year IS NOT NULL ORDER BY 1",
    )?;
    let decades = decades
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<i32>>>()?;
    Ok(BrowseChoices { tags, decades })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::list_soundtracks;
    use crate::starter::seeded_in_memory as seeded;

    fn all(conn: &Connection, filter: &BrowseFilter) -> Vec<SoundtrackSummary> {
        browse_page(conn, filter, 0, MAX_PAGE).unwrap().items
    }

    #[test]
    fn titles_sort_as_a_shelf_is_read() {
        let mut shelf = vec![
            "The Crow",
            "Part 10",
            "An Education",
            "Élan",
            "apple",
            "Part 2",
            "Zardoz",
            "A",
            "Thelma",
        ];
        shelf.sort_by_key(|title| title_key(title));
        assert_eq!(
            shelf,
            [
                "A",
                "apple",
                "The Crow",
                "An Education",
                "Élan",
                "Part 2",
                "Part 10",
                "Thelma",
                "Zardoz"
            ]
        );
        // Leading zeros do not make a number bigger.
        assert!(title_key("Track 007") < title_key("Track 10"));
        assert_eq!(title_key("  The  Crow"), title_key("crow"));
    }

    #[test]
    fn pages_follow_each_order_and_leave_out_the_trash() {
        let conn = seeded();
        conn.execute_batch(
            "UPDATE soundtracks SET added_at = '2999-01-01T00:00:00.000Z' WHERE id = 1;
             UPDATE soundtracks SET deleted_at = '2026-01-01T00:00:00.000Z' WHERE id = 2;
             UPDATE soundtracks SET rating = 9 WHERE id = 3;
             UPDATE soundtracks SET film_year = NULL WHERE id = 4;",
        )
        .unwrap();
        let mut everything = list_soundtracks(&conn).unwrap();
        let total = everything.len() as u32;

        everything.sort_by(|a, b| (&a.added_at, a.id).cmp(&(&b.added_at, b.id)));
        let added = all(&conn, &BrowseFilter::default());
        assert_eq!(added, everything);
        assert_eq!(added.last().map(|s| s.id), Some(1));
        assert!(added.iter().all(|s| s.id != 2));

        let by_title = |a: &SoundtrackSummary, b: &SoundtrackSummary| {
            (title_key(&a.film_title), a.id).cmp(&(title_key(&b.film_title), b.id))
        };
        let sorted = |sort: BrowseSort| {
            all(
                &conn,
                &BrowseFilter {
                    sort,
                    ..Default::default()
                },
            )
        };
        everything.sort_by(by_title);
        assert_eq!(sorted(BrowseSort::Title), everything);

        everything.sort_by(|a, b| {
            a.film_year
                .unwrap_or(9999)
                .cmp(&b.film_year.unwrap_or(9999))
                .then_with(|| by_title(a, b))
        });
        let by_year = sorted(BrowseSort::Year);
        assert_eq!(by_year, everything);
        assert_eq!(by_year.last().map(|s| s.id), Some(4), "unknown years last");

        everything.sort_by(|a, b| {
            // None orders below every rating, so descending puts the unrated last.
            b.rating.cmp(&a.rating).then_with(|| by_title(a, b))
        });
        let by_rating = sorted(BrowseSort::Rating);
        assert_eq!(by_rating, everything);
        assert_eq!(by_rating[0].id, 3);

        // Pages are slices of the same order, whatever their size.
        let page = browse_page(&conn, &BrowseFilter::default(), 5, 4).unwrap();
        assert_eq!(page.items, added[5..9]);
        assert_eq!((page.offset, page.matched, page.total), (5, total, total));
        let past = browse_page(&conn, &BrowseFilter::default(), 10_000, 4).unwrap();
        assert!(past.items.is_empty());
        assert_eq!(past.matched, total);
    }

    #[test]
    fn filters_combine_and_count() {
        let conn = seeded();
        conn.execute_batch(
            "UPDATE soundtracks SET favourite = 1, rating = 8 WHERE id IN (1, 2, 3);
             UPDATE soundtracks SET media = 'tv' WHERE id = 2;
             UPDATE soundtracks SET rating = 4 WHERE id = 3;
             INSERT INTO tags (name) VALUES ('Grunge');
             INSERT INTO soundtrack_tags SELECT id, (SELECT id FROM tags WHERE name = 'Grunge')
                 FROM soundtracks WHERE id IN (1, 3, 5);",
        )
        .unwrap();
        let everything = list_soundtracks(&conn).unwrap();
        let ids = |filter: BrowseFilter| -> Vec<i64> {
            let page = browse_page(&conn, &filter, 0, MAX_PAGE).unwrap();
            assert_eq!(page.matched as usize, page.items.len());
            assert_eq!(page.total as usize, everything.len());
            page.items.iter().map(|s| s.id).collect()
        };
        assert_eq!(
            ids(BrowseFilter {
                favourites_only: true,
                ..Default::default()
            }),
            [1, 2, 3]
        );
        assert_eq!(
            ids(BrowseFilter {
                tag: Some("grunge".into()),
                ..Default::default()
            }),
            [1, 3, 5]
        );
        assert_eq!(
            ids(BrowseFilter {
                tag: Some("grunge".into()),
                min_rating: Some(6),
                ..Default::default()
            }),
            [1]
        );
        let on_tv: Vec<i64> = everything
            .iter()
            .filter(|s| s.media == Media::Tv)
            .map(|s| s.id)
            .collect();
        assert!(on_tv.contains(&2));
        assert_eq!(
            ids(BrowseFilter {
                media: Some(Media::Tv),
                ..Default::default()
            }),
            on_tv
        );
        let nineties: Vec<i64> = everything
            .iter()
            .filter(|s| s.film_year.is_some_and(|y| (1990..2000).contains(&y)))
            .map(|s| s.id)
            .collect();
        assert!(!nineties.is_empty());
        assert_eq!(
            ids(BrowseFilter {
                decade: Some(1990),
                ..Default::default()
            }),
            nineties
        );
        assert!(ids(BrowseFilter {
            tag: Some("no such tag".into()),
            ..Default::default()
        })
        .is_empty());
    }

    #[test]
    fn choices_come_from_what_is_outside_the_trash() {
        let conn = seeded();
        conn.execute_batch(
            "INSERT INTO tags (name) VALUES ('kept'), ('trashed'), ('unused');
             INSERT INTO soundtrack_tags VALUES (1, (SELECT id FROM tags WHERE name = 'kept'));
             INSERT INTO soundtrack_tags VALUES (2, (SELECT id FROM tags WHERE name = 'trashed'));
             UPDATE soundtracks SET deleted_at = '2026-01-01T00:00:00.000Z' WHERE id = 2;",
        )
        .unwrap();
        let choices = browse_choices(&conn).unwrap();
        assert!(choices.tags.contains(&"kept".to_owned()));
        assert!(!choices.tags.contains(&"trashed".to_owned()));
        assert!(!choices.tags.contains(&"unused".to_owned()));
        let mut decades: Vec<i32> = list_soundtracks(&conn)
            .unwrap()
            .iter()
            .filter_map(|s| s.film_year.map(|y| y / 10 * 10))
            .collect();
        decades.sort();
        decades.dedup();
        assert_eq!(choices.decades, decades);
    }

    #[test]
    fn malformed_requests_are_refused_by_field() {
        let conn = seeded();
        let refused = |filter: BrowseFilter, limit: u32| match browse_page(&conn, &filter, 0, limit)
        {
            Err(Error::InvalidInput(message)) => message,
            other => panic!("expected invalid_input, got {other:?}"),
        };
        assert!(refused(BrowseFilter::default(), 0).starts_with("limit"));
        assert!(refused(BrowseFilter::default(), MAX_PAGE + 1).starts_with("limit"));
        let decade = BrowseFilter {
            decade: Some(1995),
            ..Default::default()
        };
        assert!(refused(decade, 10).starts_with("decade"));
        let rating = BrowseFilter {
            min_rating: Some(11),
            ..Default::default()
        };
        assert!(refused(rating, 10).starts_with("min_rating"));
        let tag = BrowseFilter {
            tag: Some("x".repeat(validate::MAX_TAG_CHARS + 1)),
            ..Default::default()
        };
        assert!(refused(tag, 10).starts_with("tag"));
    }
}
