//! Search and single-track reads: the query language (field filters, quoted phrases) as Spotify
//! documents it, with decoys listed first, and (behind a switch) the field filters other clients
//! found to return nothing: a double-quoted filter value, or one holding an apostrophe.

use super::*;

impl World {
    pub(super) fn search(
        &self,
        base: &str,
        params: &Params,
        quoted_filters_find_nothing: bool,
    ) -> Result<Reply, Reply> {
        let q = param(params, "q").unwrap_or("").trim();
        if q.is_empty() {
            return Err(Reply::error(400, "No search query"));
        }
        let Some(kinds) = param(params, "type") else {
            return Err(Reply::error(400, "Missing parameter type"));
        };
        if !kinds.split(',').any(|k| k.trim() == "track") {
            return Err(Reply::error(400, "Bad search type field"));
        }
        let (limit, offset) = paging_params(params, 5, 10)?;
        if offset > MAX_SEARCH_OFFSET {
            return Err(Reply::error(400, "Invalid offset"));
        }
        let (terms, fragile) = parse_search(q);
        let matching: Vec<&FakeTrack> = if fragile && quoted_filters_find_nothing {
            Vec::new()
        } else {
            let hits = self
                .catalogue
                .iter()
                .filter(|t| self.search_matches(t, &terms));
            // Decoys first, then the rest, each in catalogue order.
            let (mut decoys, rest): (Vec<_>, Vec<_>) = hits.partition(|t| t.decoy);
            decoys.extend(rest);
            decoys
        };
        let items = matching
            .iter()
            .skip(offset)
            .take(limit)
            .map(|t| self.track_json(base, t))
            .collect();
        let href_base = format!(
            "{base}/v1/search?query={}&type={}&",
            encode(q),
            encode(kinds)
        );
        Ok(Reply::json(
            200,
            &json!({"tracks": page(&href_base, items, matching.len(), limit, offset)}),
        ))
    }

    pub(super) fn search_matches(&self, track: &FakeTrack, terms: &[Term]) -> bool {
        let name = fold(&track.name);
        let album = fold(&track.album);
        let artists: Vec<String> = track.artists.iter().map(|a| fold(a)).collect();
        terms.iter().all(|term| match term {
            Term::Field(Field::Track, v) => name.contains(v),
            Term::Field(Field::Artist, v) => artists.iter().any(|a| a.contains(v)),
            Term::Field(Field::Album, v) => album.contains(v),
            Term::Field(Field::Isrc, v) => {
                track.isrc.as_deref().is_some_and(|i| fold(i).contains(v))
            }
            Term::Field(Field::Year, v) => {
                let year = self
                    .albums
                    .get(&track.album)
                    .and_then(|a| a.release_date.get(..4))
                    .and_then(|y| y.parse::<u32>().ok());
                year.is_some_and(|y| year_matches(v, y))
            }
            Term::Free(v) => {
                name.contains(v) || album.contains(v) || artists.iter().any(|a| a.contains(v))
            }
        })
    }

    pub(super) fn get_track(&self, base: &str, id: &str) -> Result<Reply, Reply> {
        let at = self.index.get(id).ok_or_else(not_found)?;
        Ok(Reply::json(
            200,
            &self.track_json(base, &self.catalogue[*at]),
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Search query language

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Track,
    Artist,
    Album,
    Isrc,
    Year,
}

/// One condition of a search; values are already folded (see [`fold`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Term {
    Field(Field, String),
    Free(String),
}

pub(super) const FIELDS: [(&str, Field); 5] = [
    ("track:", Field::Track),
    ("artist:", Field::Artist),
    ("album:", Field::Album),
    ("isrc:", Field::Isrc),
    ("year:", Field::Year),
];

/// Splits `q` into field filters (`field:word` or `field:"a phrase"`) and free words (a bare
/// word or a "quoted phrase"). The flag says whether a filter had the form reported to find
/// nothing: a quoted value, or an apostrophe (straight or curly) in the value.
pub(super) fn parse_search(q: &str) -> (Vec<Term>, bool) {
    let chars: Vec<char> = q.chars().collect();
    let mut terms = Vec::new();
    let mut fragile = false;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let field = FIELDS.iter().find(|(name, _)| {
            let name: Vec<char> = name.chars().collect();
            chars.len() >= i + name.len()
                && chars[i..i + name.len()]
                    .iter()
                    .zip(&name)
                    .all(|(a, b)| a.to_ascii_lowercase() == *b)
        });
        if let Some((name, field)) = field {
            let start = i + name.chars().count();
            let (value, next) = read_value(&chars, start);
            fragile |= chars.get(start) == Some(&'"') || value.contains(['\'', '\u{2019}']);
            i = next;
            let value = fold(&value);
            if !value.trim().is_empty() {
                terms.push(Term::Field(*field, value));
            }
        } else {
            let (value, next) = read_value(&chars, i);
            i = next;
            let value = fold(&value);
            if !value.trim().is_empty() {
                terms.push(Term::Free(value));
            }
        }
    }
    (terms, fragile)
}

/// Reads a "quoted phrase" (to the closing quote or the end) or a word (to the next space)
/// starting at `i`; returns it and where reading stopped.
pub(super) fn read_value(chars: &[char], i: usize) -> (String, usize) {
    if chars.get(i) == Some(&'"') {
        let end = chars[i + 1..]
            .iter()
            .position(|c| *c == '"')
            .map_or(chars.len(), |p| i + 1 + p);
        (chars[i + 1..end].iter().collect(), end + 1)
    } else {
        let end = chars[i..]
            .iter()
            .position(|c| c.is_whitespace())
            .map_or(chars.len(), |p| i + p);
        (chars[i..end].iter().collect(), end)
    }
}

/// Case- and accent-insensitive form: decomposed, combining marks dropped, lower case.
pub(super) fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// `year:1996` or `year:1990-1999`.
pub(super) fn year_matches(filter: &str, year: u32) -> bool {
    match filter.split_once('-') {
        Some((from, to)) => match (from.trim().parse::<u32>(), to.trim().parse::<u32>()) {
            (Ok(from), Ok(to)) => (from..=to).contains(&year),
            _ => false,
        },
        None => filter.trim().parse::<u32>() == Ok(year),
    }
}
