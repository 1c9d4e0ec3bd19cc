//! What else in a comment speaks for a soundtrack: the names of its artists and songs, and
//! replies that only agree with the comment they answer.
//!
//! A band, a song or an album is never a vote on its own ("Drown by Smashing Pumpkins",
//! "Garbage", "Radiohead"): such words are evidence for a soundtrack only when the comment
//! names that soundtrack and no other, and they are shown with the vote. A comment that only
//! agrees ("+1", "this", "You read my mind!!") adds nothing, unless the curator says agreeing
//! replies count for the comment they answer. This module finds the words; `tally` decides.

use std::collections::HashMap;

use super::tokens::{is_quote, is_small_word, phrase_key, Words};
use super::KnownSoundtrack;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum NameKind {
    Artist,
    Song,
}

#[derive(Debug, Clone)]
struct Name {
    words: Vec<String>,
    kind: NameKind,
    /// The library soundtracks it belongs to, by id.
    soundtracks: Vec<i64>,
    /// For a song: the names (indices) of its artists.
    artists: Vec<usize>,
}

/// Artists and songs of the library's soundtracks.
#[derive(Debug, Default)]
pub(crate) struct NameIndex {
    names: Vec<Name>,
    by_key: HashMap<(NameKind, Vec<String>), usize>,
    /// The word counts of the names starting with a word, per kind: matching is a hash
    /// lookup per length, not a scan of every name sharing the word.
    lengths_by_first: HashMap<(NameKind, String), Vec<usize>>,
}

/// Words in a comment that name an artist or a song of the library.
#[derive(Debug, Clone)]
pub(crate) struct NameMention {
    pub kind: NameKind,
    pub soundtracks: Vec<i64>,
    /// Token positions, inclusive.
    pub first: usize,
    pub last: usize,
}

impl NameIndex {
    pub fn from_library(known: &[KnownSoundtrack]) -> NameIndex {
        let mut index = NameIndex::default();
        // Artists come back on song after song: fold each name once.
        let mut keys: HashMap<&str, Vec<String>> = HashMap::new();
        for soundtrack in known {
            for song in &soundtrack.songs {
                let artists: Vec<usize> = song
                    .artists
                    .iter()
                    .filter_map(|artist| {
                        let words = keys
                            .entry(artist.as_str())
                            .or_insert_with(|| phrase_key(artist).0);
                        index.add(words, NameKind::Artist, soundtrack.id, &[])
                    })
                    .collect();
                let words = keys
                    .entry(song.title.as_str())
                    .or_insert_with(|| phrase_key(&song.title).0);
                index.add(words, NameKind::Song, soundtrack.id, &artists);
            }
        }
        for name in &mut index.names {
            name.soundtracks.sort_unstable();
            name.soundtracks.dedup();
            name.artists.sort_unstable();
            name.artists.dedup();
        }
        index
    }

    fn add(
        &mut self,
        words: &[String],
        kind: NameKind,
        soundtrack: i64,
        artists: &[usize],
    ) -> Option<usize> {
        if words.is_empty() || words.len() > 12 {
            return None;
        }
        let words = words.to_vec();
        let at = match self.by_key.get(&(kind, words.clone())) {
            Some(&at) => at,
            None => {
                let at = self.names.len();
                let lengths = self
                    .lengths_by_first
                    .entry((kind, words[0].clone()))
                    .or_default();
                if !lengths.contains(&words.len()) {
                    lengths.push(words.len());
                }
                self.by_key.insert((kind, words.clone()), at);
                self.names.push(Name {
                    words,
                    kind,
                    soundtracks: Vec::new(),
                    artists: Vec::new(),
                });
                at
            }
        };
        // Duplicates are removed once the index is built: checking here made an artist heard on
        // thousands of soundtracks quadratic.
        let name = &mut self.names[at];
        name.soundtracks.push(soundtrack);
        name.artists.extend_from_slice(artists);
        Some(at)
    }

    /// The artist whose name is exactly these (key) words.
    pub fn artist_named(&self, words: &[String]) -> Option<usize> {
        self.by_key
            .get(&(NameKind::Artist, words.to_vec()))
            .copied()
    }

    /// Whether a song credited to `artist` is named in the comment outside the words from
    /// token `first` to `last` (a song titled like the band is the mention itself).
    pub fn song_of_artist_in(
        &self,
        words: &Words<'_>,
        artist: usize,
        first: usize,
        last: usize,
    ) -> bool {
        self.matches(words).iter().any(|&(name, a, b)| {
            self.names[name].kind == NameKind::Song
                && self.names[name].artists.contains(&artist)
                && (b < first || a > last)
        })
    }

    /// Every exact, longest match of a name in the comment: (name, first, last token).
    fn matches(&self, words: &Words<'_>) -> Vec<(usize, usize, usize)> {
        let stream = &words.stream;
        let mut found = Vec::new();
        for kind in [NameKind::Artist, NameKind::Song] {
            let mut at = 0;
            while at < stream.len() {
                let first_key = words.tokens[stream[at]].key.clone();
                let best = self
                    .lengths_by_first
                    .get(&(kind, first_key))
                    .into_iter()
                    .flatten()
                    .filter(|&&length| at + length <= stream.len())
                    .filter_map(|&length| {
                        let written: Vec<String> = (at..at + length)
                            .map(|i| words.tokens[stream[i]].key.clone())
                            .collect();
                        self.by_key.get(&(kind, written)).copied()
                    })
                    .max_by_key(|&name| self.names[name].words.len());
                match best {
                    Some(name) => {
                        let length = self.names[name].words.len();
                        let mut first = stream[at];
                        if first > 0 && words.tokens[first - 1].key == "the" {
                            first -= 1;
                        }
                        found.push((name, first, stream[at + length - 1]));
                        at += length;
                    }
                    None => at += 1,
                }
            }
        }
        found
    }

    /// The artists and songs a comment names, written as names: artists capitalised (or
    /// quoted), songs quoted or beside one of their artists ("Drown by Smashing Pumpkins",
    /// "Would? - Alice in Chains") or capitalised over two words or more.
    pub fn find(&self, words: &Words<'_>) -> Vec<NameMention> {
        let all = self.matches(words);
        let written_as_name = |first: usize, last: usize| {
            let tokens = &words.tokens;
            let significant: Vec<usize> = (first..=last)
                .filter(|&i| !is_small_word(&tokens[i].key))
                .collect();
            words.quoted(tokens[first].start, tokens[last].end)
                || !significant.is_empty() && significant.iter().all(|&i| tokens[i].capital)
                || words.lowercase_writer && last > first
        };
        let artists: Vec<(usize, usize, usize)> = all
            .iter()
            .copied()
            .filter(|&(name, first, last)| {
                self.names[name].kind == NameKind::Artist && written_as_name(first, last)
            })
            .collect();
        let mut mentions: Vec<NameMention> = artists
            .iter()
            .map(|&(name, first, last)| NameMention {
                kind: NameKind::Artist,
                soundtracks: self.names[name].soundtracks.clone(),
                first,
                last,
            })
            .collect();
        for &(name, first, last) in &all {
            let song = &self.names[name];
            if song.kind != NameKind::Song {
                continue;
            }
            let near_its_artist = artists.iter().any(|&(artist, a_first, a_last)| {
                song.artists.contains(&artist)
                    && (a_first.abs_diff(last) <= 4 || first.abs_diff(a_last) <= 4)
            });
            let tokens = &words.tokens;
            let quoted = words.quoted(tokens[first].start, tokens[last].end);
            let long_title = song.words.len() >= 2
                && written_as_name(first, last)
                && !tokens[first].sentence_start;
            if quoted || near_its_artist || long_title {
                mentions.push(NameMention {
                    kind: NameKind::Song,
                    soundtracks: song.soundtracks.clone(),
                    first,
                    last,
                });
            }
        }
        mentions.sort_by_key(|m| m.first);
        mentions
    }
}

/// Whether a comment does nothing but agree ("+1", "this", "So much this!", "You read my
/// mind!!", "Agreed 100%"). Comments that name a title are votes of their own; `tally` only
/// asks about the others. An opening "@name" is ignored.
pub(crate) fn only_agrees(text: &str) -> bool {
    const PHRASES: &[&str] = &[
        "1",
        "this",
        "so much this",
        "agreed",
        "agree",
        "i agree",
        "totally agree",
        "completely agree",
        "couldn t agree more",
        "could not agree more",
        "same",
        "same here",
        "me too",
        "ditto",
        "seconded",
        "second",
        "i second that",
        "i second this",
        "second that",
        "yes",
        "yep",
        "yup",
        "yeah",
        "exactly",
        "absolutely",
        "totally",
        "you read my mind",
        "read my mind",
        "beat me to it",
        "came here to say this",
        "came here to say that",
        "what he said",
        "what she said",
        "what they said",
        "right on",
        "bingo",
        "good call",
        "great call",
        "good choice",
        "great choice",
        "good pick",
        "great pick",
        "correct",
        "facts",
        "so true",
        "true",
        "well said",
        "nailed it",
        "hell yes",
        "hell yeah",
        "word",
        "100",
        "this one",
        "that one",
        "same for me",
        "mine too",
        "my pick too",
        "my vote too",
    ];
    const FILLER: &[&str] = &[
        "this",
        "that",
        "so",
        "much",
        "totally",
        "absolutely",
        "100",
        "x",
        "times",
        "too",
        "as",
        "well",
        "also",
        "lol",
        "haha",
        "man",
        "dude",
        "mate",
        "for",
        "sure",
        "yes",
        "yep",
        "oh",
        "a",
        "the",
        "one",
        "it",
        "is",
        "exactly",
        "agreed",
        "agree",
        "same",
        "1",
        "1000",
        "x100",
        "here",
        "very",
        "all",
        "way",
        "my",
        "mind",
        "you",
        "read",
        "friend",
        "buddy",
        "sir",
    ];
    let trimmed = text.trim();
    let without_handle = match trimmed.strip_prefix('@') {
        Some(rest) => rest
            .trim_start_matches(|c: char| c.is_alphanumeric() || "_.-".contains(c))
            .trim_start_matches([',', ':', ' ']),
        None => trimmed,
    };
    let words: Vec<String> = crate::search::fold(without_handle)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    if words.is_empty() {
        // "^", "👍", "💯", "🙌": agreement without words.
        return without_handle
            .chars()
            .any(|c| matches!(c, '^' | '👍' | '💯' | '🙌' | '☝'))
            || without_handle.contains("+1");
    }
    if words.len() > 10 || without_handle.chars().any(is_quote) && words.len() > 4 {
        return false;
    }
    let joined = words.join(" ");
    let starts_with_phrase = PHRASES.iter().any(|phrase| {
        joined == *phrase
            || joined.starts_with(&format!("{phrase} "))
            || joined.ends_with(&format!(" {phrase}"))
    });
    starts_with_phrase
        && words.iter().all(|w| {
            FILLER.contains(&w.as_str()) || PHRASES.iter().any(|p| p.split(' ').any(|pw| pw == w))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> NameIndex {
        NameIndex::from_library(&super::super::titles::tests::library())
    }

    fn found(text: &str) -> Vec<(NameKind, String)> {
        let words = Words::new(text);
        names()
            .find(&words)
            .into_iter()
            .map(|m| {
                (
                    m.kind,
                    text[words.tokens[m.first].start..words.tokens[m.last].end].to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn artists_and_songs_are_found_when_written_as_names() {
        assert_eq!(
            found("Drown by Smashing Pumpkins, and Would? by Alice in Chains"),
            [
                (NameKind::Song, "Drown".into()),
                (NameKind::Artist, "Smashing Pumpkins".into()),
                (NameKind::Song, "Would".into()),
                (NameKind::Artist, "Alice in Chains".into()),
            ]
        );
        assert_eq!(
            found("Garbage and Radiohead"),
            [
                (NameKind::Artist, "Garbage".into()),
                (NameKind::Artist, "Radiohead".into()),
            ]
        );
        assert!(found("I would drown in garbage").is_empty(), "plain words");
        assert_eq!(
            found("“Big Empty” is the one"),
            [(NameKind::Song, "Big Empty".into())]
        );
    }

    #[test]
    fn agreeing_replies() {
        for agreeing in [
            "+1",
            "This",
            "this!",
            "So much this.",
            "You read my mind!!",
            "Agreed 100%",
            "^",
            "👍",
            "@rob_k this",
            "Same here",
            "Yep, totally",
            "Seconded!",
        ] {
            assert!(only_agrees(agreeing), "{agreeing:?} only agrees");
        }
        for not in [
            "This is the best thread",
            "Same as everyone, Singles",
            "Yes! Singles!",
            "I agree with the first half but Garden State is better",
            "Thanks",
        ] {
            assert!(!only_agrees(not), "{not:?} says more than yes");
        }
    }
}
