//! Which searches a song gets and in what order: [`STRATEGIES`] is the one place the order is
//! decided, and [`plan_searches`] writes each kind of search for Spotify's search endpoint.
//!
//! Spotify's field filters are fragile: two double-quoted filters in one query, or a filter value
//! holding an apostrophe, have been reported to find nothing (DESIGN.md, spotify/web-api issues
//! 1041 and 1212). Had matching depended on them, every such song would have fallen through to
//! the next search and doubled the searches per song. So plain words come first, and no query
//! written here quotes a filter value or puts an apostrophe in one: a filter names one word of
//! its value and the other words are searched as plain words (`artist:Stone Temple Pilots`
//! filters on "Stone", as Spotify's own examples do). Pure: it must not run the searches.

use super::*;

/// What a [`PlannedSearch`] looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    /// `isrc:CODE`: the one recording the song's ISRC names.
    Isrc,
    /// `track:<word> <title> artist:<word> <artist>`: the plain-text search's words, with one word
    /// of the title and one of the artist held to their fields.
    Fields,
    /// `<title> album:<word> <album>`: the song within its soundtrack album, whoever is credited.
    Album,
    /// `<title> <artist>` as plain words, as a person types them into Spotify.
    Text,
}

/// The order searches are tried in, best first; the first confident answer ends a song's search.
/// An ISRC names one recording, so it comes first when the song has one. Plain words come next:
/// they find most songs and depend on no filter. [`SearchKind::Fields`] only narrows the plain
/// search (see [`PlannedSearch::narrows`]), and the album search tries other words.
pub const STRATEGIES: [SearchKind; 4] = [
    SearchKind::Isrc,
    SearchKind::Text,
    SearchKind::Fields,
    SearchKind::Album,
];

/// One search to run against Spotify's search endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSearch {
    pub kind: SearchKind,
    pub query: String,
    /// The search this one only narrows (the same words, held to fewer places). When that page
    /// came back shorter than a full page, it held every match there is, so this one cannot find
    /// anything new and is skipped.
    pub narrows: Option<SearchKind>,
}

/// The searches for a song in [`STRATEGIES`] order, at most one of each kind, none repeating an
/// earlier query. Titles are cleaned first (neutral suffixes such as "- Remastered 2011",
/// "(From \"X\" Soundtrack)" and "feat. Y" removed; double quotes removed everywhere).
pub fn plan_searches(song: &SongQuery) -> Vec<PlannedSearch> {
    let title = search_value(&parse_title(&song.title).search);
    let artist = song
        .artists
        .first()
        .map(|a| search_value(&strip_inline_featuring(&unify_marks(a)).0))
        .unwrap_or_default();
    let album = song
        .album
        .as_deref()
        .map(|a| search_value(&parse_album(a, &[]).search))
        .unwrap_or_default();
    let isrc = song.isrc.as_deref().map(clean_isrc).unwrap_or_default();

    let mut plans: Vec<PlannedSearch> = Vec::new();
    for kind in STRATEGIES {
        let (query, narrows) = match kind {
            SearchKind::Isrc if !isrc.is_empty() => (format!("isrc:{isrc}"), None),
            // Without a title there is nothing to search by name.
            _ if title.is_empty() => continue,
            SearchKind::Isrc => continue,
            SearchKind::Text => (format!("{title} {artist}"), None),
            SearchKind::Fields => (
                format!("{} {}", filter("track", &title), filter("artist", &artist)),
                Some(SearchKind::Text),
            ),
            SearchKind::Album if album.is_empty() => continue,
            SearchKind::Album => (format!("{title} {}", filter("album", &album)), None),
        };
        let query = collapse_whitespace(&query);
        if !query.is_empty() && !plans.iter().any(|p| p.query == query) {
            plans.push(PlannedSearch {
                kind,
                query,
                narrows,
            });
        }
    }
    plans
}

/// `field:<word> <the other words>`: the longest word that is only letters and digits is the
/// filter (an apostrophe or other mark there is what makes a filter find nothing); the rest stay
/// plain words. A value with no such word is searched as plain words.
fn filter(field: &str, value: &str) -> String {
    let words: Vec<&str> = value.split_whitespace().collect();
    let chosen = words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.chars().all(char::is_alphanumeric))
        .max_by_key(|(i, w)| (w.chars().count(), std::cmp::Reverse(*i)))
        .map(|(i, _)| i);
    let Some(chosen) = chosen else {
        return value.to_string();
    };
    let mut parts = vec![format!("{field}:{}", words[chosen])];
    parts.extend(
        words
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != chosen)
            .map(|(_, w)| (*w).to_string()),
    );
    parts.join(" ")
}

/// A value for a search query: double quotes removed (Spotify would read them as a phrase).
pub(super) fn search_value(text: &str) -> String {
    collapse_whitespace(&unify_marks(text).replace('"', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn song(title: &str, artists: &[&str], album: Option<&str>) -> SongQuery {
        SongQuery {
            title: title.to_owned(),
            artists: artists.iter().map(|a| (*a).to_owned()).collect(),
            album: album.map(str::to_owned),
            ..SongQuery::default()
        }
    }

    fn queries(plans: &[PlannedSearch]) -> Vec<(SearchKind, &str)> {
        plans.iter().map(|p| (p.kind, p.query.as_str())).collect()
    }

    /// What the reports say makes a search find nothing: a quoted filter value, or a filter
    /// value with an apostrophe.
    fn fragile(query: &str) -> bool {
        query.contains('"')
            || query.split_whitespace().any(|word| {
                ["track:", "artist:", "album:", "isrc:"]
                    .iter()
                    .any(|field| word.starts_with(field) && word.contains('\''))
            })
    }

    #[test]
    fn plain_words_come_first_after_an_isrc() {
        let big_empty = SongQuery {
            isrc: Some("usat2-94-00234".to_owned()),
            ..song(
                "Big Empty - Remastered 2019",
                &["Stone Temple Pilots"],
                Some("The Crow: Original Motion Picture Soundtrack"),
            )
        };
        let plans = plan_searches(&big_empty);
        assert_eq!(
            queries(&plans),
            [
                (SearchKind::Isrc, "isrc:USAT29400234"),
                (SearchKind::Text, "Big Empty Stone Temple Pilots"),
                (
                    SearchKind::Fields,
                    "track:Empty Big artist:Temple Stone Pilots"
                ),
                (SearchKind::Album, "Big Empty album:Crow The"),
            ]
        );
        assert_eq!(plans[2].narrows, Some(SearchKind::Text));
        assert!(plans
            .iter()
            .all(|p| p.kind == SearchKind::Fields || p.narrows.is_none()));
        // Without an ISRC the plain search leads.
        let plain = SongQuery {
            isrc: None,
            ..big_empty
        };
        assert_eq!(plan_searches(&plain)[0].kind, SearchKind::Text);
    }

    #[test]
    fn no_query_quotes_a_filter_or_puts_an_apostrophe_in_one() {
        let songs = [
            song("Don't Speak", &["No Doubt"], Some("Tragic Kingdom")),
            song("What's Going On", &["Marvin Gaye"], None),
            song("J'ouvert", &["BROCKHAMPTON"], Some("Saturation II")),
            song("Believe", &["K's Choice"], Some("Cocoon Crash")),
            song(
                "Eat It",
                &["\"Weird Al\" Yankovic"],
                Some("“Weird Al” Yankovic in 3-D"),
            ),
            song(
                "Kiss from a Rose",
                &["Seal"],
                Some("Batman Forever (Original Motion Picture Soundtrack)"),
            ),
        ];
        for song in &songs {
            let plans = plan_searches(song);
            assert!(!plans.is_empty(), "{}", song.title);
            assert_eq!(plans[0].kind, SearchKind::Text, "{}", song.title);
            for plan in &plans {
                assert!(!fragile(&plan.query), "{}: {}", song.title, plan.query);
            }
        }
        // The apostrophe stays, as a plain word; the filter takes another word.
        let speak = plan_searches(&songs[0]);
        assert_eq!(speak[1].query, "track:Speak Don't artist:Doubt No");
        // A value with no plain word is not filtered at all.
        let only = plan_searches(&song("J'ouvert", &["K's"], None));
        assert_eq!(queries(&only), [(SearchKind::Text, "J'ouvert K's")]);
        // Quotes inside values are gone everywhere.
        assert_eq!(
            plan_searches(&songs[4])[0].query,
            "Eat It Weird Al Yankovic"
        );
    }

    #[test]
    fn cleaned_titles_and_missing_parts() {
        // "feat." and soundtrack suffixes are not searched; no album, no album search.
        let angel = song(
            "Angel (feat. Horace Andy) - From \"Snatch\" Soundtrack",
            &["Massive Attack"],
            None,
        );
        assert_eq!(
            queries(&plan_searches(&angel)),
            [
                (SearchKind::Text, "Angel Massive Attack"),
                (SearchKind::Fields, "track:Angel artist:Massive Attack"),
            ]
        );
        // A version the song names is kept: the acoustic one is what we want.
        let acoustic = song("Big Empty (Acoustic)", &["Stone Temple Pilots"], None);
        assert_eq!(
            plan_searches(&acoustic)[0].query,
            "Big Empty (Acoustic) Stone Temple Pilots"
        );
        // No artist: the title alone, and the album.
        let unknown = song("Theme", &[], Some("The Crow"));
        assert_eq!(
            queries(&plan_searches(&unknown)),
            [
                (SearchKind::Text, "Theme"),
                (SearchKind::Fields, "track:Theme"),
                (SearchKind::Album, "Theme album:Crow The"),
            ]
        );
        // Nothing to search by but an ISRC.
        let bare = SongQuery {
            isrc: Some("GBAYE9600001".to_owned()),
            ..SongQuery::default()
        };
        assert_eq!(
            queries(&plan_searches(&bare)),
            [(SearchKind::Isrc, "isrc:GBAYE9600001")]
        );
        assert!(plan_searches(&SongQuery::default()).is_empty());
    }
}
