//! The seam for "Look up the rest online": phrases that look like titles but are not in the
//! library are asked of a [`TitleLookup`], each at most once per count ([`Memo`]), and a
//! soundtrack release group it finds is kept only when its title is close to the phrase.
//!
//! The count never talks to the network itself. The MusicBrainz client of "Find a soundtrack
//! online" implements `TitleLookup` (searching release groups with `secondarytype:soundtrack`
//! under MusicBrainz's rules); until it is wired in, `--online` is refused and the unit tests of
//! the tally use a table-driven double.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::tokens::phrase_key;
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
}

/// Answers "which soundtrack release group does this phrase name?". `Ok(None)` when nothing
/// does; an error (offline, rate limited) stops the count and is shown to the curator.
pub trait TitleLookup {
    fn look_up(&mut self, phrase: &str) -> Result<Option<ReleaseGroupMatch>>;
}

/// The look-up "Look up the rest online" uses: the one place where the MusicBrainz client of
/// "Find a soundtrack online" (issue 15) plugs in, as a `TitleLookup` that searches release
/// groups of secondary type Soundtrack and answers the best one. The window and the CLI both
/// call this; until that client is in this build, asking online is refused with a message and
/// nothing touches the network.
pub fn online_lookup(_data_dir: &std::path::Path) -> Result<Box<dyn TitleLookup>> {
    Err(Error::InvalidInput(
        "looking titles up online needs MusicBrainz (\"Find a soundtrack online\"), which this \
         build does not have yet; count without --online (nothing was looked up)"
            .into(),
    ))
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
