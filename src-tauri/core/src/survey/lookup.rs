//! The seam for "Look up the rest online": phrases that look like titles but are not in the
//! library are asked of a [`TitleLookup`], each at most once per count ([`Memo`]), and a
//! soundtrack release group it finds is kept only when its title is close to the phrase.
//!
//! The count never talks to the network itself. [`MusicBrainzTitles`] answers through the
//! MusicBrainz client of "Find a soundtrack online" (soundtrack release groups only, under
//! MusicBrainz's rules); the unit tests of the tally use a table-driven double, and the CLI's
//! tests ask the fake MusicBrainz over real HTTP.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::tokens::phrase_key;
use crate::catalog::model::ReleaseGroup;
use crate::catalog::rank::{self, EditionPrefs};
use crate::catalog::CatalogClient;
use crate::error::{Error, Result};

/// A soundtrack release group found online for a phrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReleaseGroupMatch {
    /// MusicBrainz release group id (MBID).
    pub release_group_id: String,
    pub title: String,
    /// The year of its first release.
    pub year: Option<i32>,
    /// MusicBrainz's types, e.g. "Album; Soundtrack".
    pub kind: String,
    /// The edition "Find a soundtrack online" would suggest: what adding it takes.
    pub release_id: Option<String>,
}

/// Answers "which soundtrack release group does this phrase name?". `Ok(None)` when nothing
/// does; an error (offline, rate limited) stops the count and is shown to the curator.
pub trait TitleLookup {
    fn look_up(&mut self, phrase: &str) -> Result<Option<ReleaseGroupMatch>>;
}

/// Releases asked for per phrase: a title's editions and its sequels, fewer than a search in
/// "Find a soundtrack online" asks for because only the best group is kept.
const PHRASE_SEARCH_LIMIT: u32 = 25;

/// "Look up the rest online" through MusicBrainz: the client of "Find a soundtrack online"
/// (its pace, User-Agent, back-off, cancel and week-long cache), asked one release search per
/// phrase restricted to `secondarytype:soundtrack`, so a band's album of the same name
/// ("Garbage", The Smiths' "Singles") is never an answer.
pub struct MusicBrainzTitles {
    client: CatalogClient,
}

impl std::fmt::Debug for MusicBrainzTitles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MusicBrainzTitles")
            .field("client", &self.client)
            .finish()
    }
}

impl MusicBrainzTitles {
    pub fn new(client: CatalogClient) -> MusicBrainzTitles {
        MusicBrainzTitles { client }
    }

    pub fn client(&self) -> &CatalogClient {
        &self.client
    }
}

impl TitleLookup for MusicBrainzTitles {
    fn look_up(&mut self, phrase: &str) -> Result<Option<ReleaseGroupMatch>> {
        self.client.check_cancel()?;
        let Some(query) = rank::release_query(phrase, true) else {
            return Ok(None);
        };
        let releases = match self.client.search_releases(&query, PHRASE_SEARCH_LIMIT) {
            Ok(releases) => releases,
            // A mirror that refuses the type filter cannot tell a soundtrack from a band's
            // album of the same name, so it finds nothing here rather than a wrong vote.
            Err(Error::Catalog(message)) if message.contains("(400)") => return Ok(None),
            Err(e) => return Err(e),
        };
        let groups = rank::rank_groups(phrase, None, releases, &EditionPrefs::default());
        Ok(groups
            .iter()
            .filter(|group| not_refused_as_soundtrack(&group.group))
            .map(|group| ReleaseGroupMatch {
                release_group_id: group.group.id.clone(),
                title: rank::strip_soundtrack_words(&group.group.title),
                year: group.year(),
                kind: std::iter::once(group.group.primary_type.clone().unwrap_or_default())
                    .chain(group.group.secondary_types.iter().cloned())
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join("; "),
                release_id: Some(group.best().id.clone()),
            })
            .find(|found| close(phrase, &found.title)))
    }
}

/// The search asked for soundtracks only, but an answer that shows its types and lacks
/// Soundtrack is not one. Search answers often leave the types out; that says nothing.
fn not_refused_as_soundtrack(group: &ReleaseGroup) -> bool {
    group.secondary_types.is_empty()
        || group
            .secondary_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case("soundtrack"))
}

/// The look-up "Look up the rest online" uses, for the window and the CLI: MusicBrainz through
/// `client` (made for the library, so answers are cached and a repeated count is offline).
pub fn online_lookup(client: CatalogClient) -> MusicBrainzTitles {
    MusicBrainzTitles::new(client)
}

/// Asks each phrase once per count, however many comments hold it and however it is cased or
/// punctuated.
pub struct Memo<'a> {
    inner: &'a mut dyn TitleLookup,
    answers: HashMap<Vec<String>, Option<ReleaseGroupMatch>>,
}

impl std::fmt::Debug for Memo<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo")
            .field("asked", &self.answers.len())
            .finish()
    }
}

impl<'a> Memo<'a> {
    pub fn new(inner: &'a mut dyn TitleLookup) -> Memo<'a> {
        Memo {
            inner,
            answers: HashMap::new(),
        }
    }

    /// The close match for `phrase`, asking the lookup only the first time.
    pub fn look_up(&mut self, phrase: &str) -> Result<Option<ReleaseGroupMatch>> {
        let (words, _) = phrase_key(phrase);
        if let Some(answer) = self.answers.get(&words) {
            return Ok(answer.clone());
        }
        let answer = self
            .inner
            .look_up(phrase)?
            .filter(|found| close(phrase, &found.title));
        self.answers.insert(words, answer.clone());
        Ok(answer)
    }

    /// How many distinct phrases were asked.
    pub fn asked(&self) -> usize {
        self.answers.len()
    }
}

/// Words a release group's title adds around the film's name.
const SOUNDTRACK_WORDS: &[&str] = &[
    "original",
    "motion",
    "picture",
    "soundtrack",
    "soundtracks",
    "music",
    "from",
    "inspired",
    "by",
    "the",
    "ost",
    "score",
    "songs",
    "album",
    "movie",
    "film",
    "series",
    "television",
    "tv",
    "o",
    "s",
    "t",
];

fn core_words(title: &str) -> Vec<String> {
    let head = title.split(['(', '[']).next().unwrap_or(title);
    let (words, _) = phrase_key(head);
    let mut words = words;
    while words
        .last()
        .is_some_and(|w| SOUNDTRACK_WORDS.contains(&w.as_str()))
        && words.len() > 1
    {
        words.pop();
    }
    words
}

/// Whether a found title is close enough to the phrase to count: the same words once case,
/// punctuation, "The" and soundtrack words are set aside ("Empire Records" and "Empire
/// Records: Original Motion Picture Soundtrack"); the phrase being the first two or more words
/// of the title ("Scott Pilgrim" and "Scott Pilgrim vs. the World"); or one slip in a word of
/// five letters or more.
pub fn close(phrase: &str, title: &str) -> bool {
    let wanted = core_words(phrase);
    let found = core_words(title);
    if wanted.is_empty() || found.is_empty() {
        return false;
    }
    if wanted == found {
        return true;
    }
    if wanted.len() >= 2 && found.starts_with(&wanted) {
        return true;
    }
    wanted.len() == found.len()
        && wanted
            .iter()
            .zip(&found)
            .filter(|(a, b)| a != b)
            .map(|(a, b)| {
                if a.len().min(b.len()) >= 5 {
                    strsim::damerau_levenshtein(a, b)
                } else {
                    usize::MAX / 4
                }
            })
            .sum::<usize>()
            <= 1
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A lookup that answers from a table and counts what it was asked: a stand-in for the
    /// MusicBrainz client in the tally's unit tests only.
    #[derive(Debug, Default)]
    pub(crate) struct Table {
        pub found: Vec<(&'static str, ReleaseGroupMatch)>,
        pub asked: Vec<String>,
    }

    impl TitleLookup for Table {
        fn look_up(&mut self, phrase: &str) -> Result<Option<ReleaseGroupMatch>> {
            self.asked.push(phrase.to_owned());
            let (wanted, _) = phrase_key(phrase);
            Ok(self
                .found
                .iter()
                .find(|(p, _)| phrase_key(p).0 == wanted)
                .map(|(_, m)| m.clone()))
        }
    }

    pub(crate) fn group(id: &str, title: &str, year: i32) -> ReleaseGroupMatch {
        ReleaseGroupMatch {
            release_group_id: id.into(),
            title: title.into(),
            year: Some(year),
            kind: "Album; Soundtrack".into(),
            release_id: None,
        }
    }

    #[test]
    fn close_titles() {
        assert!(close(
            "Empire Records",
            "Empire Records: Original Motion Picture Soundtrack"
        ));
        assert!(close("empire records soundtrack", "Empire Records"));
        assert!(close("Scott Pilgrim", "Scott Pilgrim vs. the World"));
        assert!(close("Clerks", "Clerks (Music From the Motion Picture)"));
        assert!(close("Empire Record", "Empire Records"));
        assert!(!close("Clerks", "Clerks II"));
        assert!(!close("Garbage", "Garbage Pail Kids"));
        assert!(!close("The Crow", "Crowded House"));
    }

    #[test]
    fn each_phrase_is_asked_once() {
        let mut table = Table {
            found: vec![("Empire Records", group("rg-1", "Empire Records", 1995))],
            ..Table::default()
        };
        let mut memo = Memo::new(&mut table);
        for phrase in [
            "Empire Records",
            "empire records",
            "EMPIRE RECORDS!",
            "Garbage",
            "garbage",
        ] {
            memo.look_up(phrase).unwrap();
        }
        assert_eq!(memo.asked(), 2);
        assert_eq!(table.asked, ["Empire Records", "Garbage"]);
    }
}
