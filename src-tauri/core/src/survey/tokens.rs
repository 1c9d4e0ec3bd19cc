//! The words of a comment with where each stands and how it was written: the folded spelling
//! the recognisers compare (search's folding and spelling variants, so "Judgement" and
//! "Judgment" are one word), byte offsets for highlighting, capitalisation and whether it opens
//! a sentence or a line. It only reads text; deciding what a word means is for `titles`,
//! `evidence` and `candidates`.

use crate::search::{canonical_spelling, fold};

/// One word as written in a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// Folded (lower case, no accents) and in its canonical spelling.
    pub key: String,
    /// Byte range in the comment's text.
    pub start: usize,
    pub end: usize,
    /// Starts with a capital letter or a digit.
    pub capital: bool,
    /// Opens a sentence (after `.`, `!`, `?`, a line break or a bullet), where a capital says
    /// nothing about the word.
    pub sentence_start: bool,
    /// The first word of its line (after any bullet or list number).
    pub line_start: bool,
}

/// Splits on anything that is not a letter or digit, as search does: "Love & a .45" is
/// love, a, 45 and "Shakespeare's" is shakespeare, s.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None;
    for (at, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                tokens.push(make_token(text, from, at));
                start = None;
            }
            _ => {}
        }
    }
    tokens
}

fn make_token(text: &str, start: usize, end: usize) -> Token {
    let raw = &text[start..end];
    let folded = fold(raw);
    let key = canonical_spelling(&folded).to_owned();
    let first = raw.chars().next().unwrap_or(' ');
    let (sentence_start, line_start) = opens(&text[..start]);
    Token {
        key,
        start,
        end,
        capital: first.is_uppercase() || first.is_ascii_digit(),
        sentence_start,
        line_start,
    }
}

/// Whether a word opens a sentence and whether it opens its line, from the text before it on
/// the same line: nothing but a bullet or list number ("-", "•", "2.", "3)") opens the line;
/// a full stop, "!", "?", ":" or ";" opens a sentence (a colon often starts a list of picks).
fn opens(before: &str) -> (bool, bool) {
    let line = before.rsplit(['\n', '\r']).next().unwrap_or("");
    let skippable = |c: char| c.is_whitespace() || is_quote(c) || "([{".contains(c);
    let marker = line
        .trim_start()
        .trim_start_matches(|c: char| "•◦▪‣●○■□*>-–—".contains(c));
    let number = marker
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_digit());
    let unmarked = match number.strip_prefix(['.', ')']) {
        Some(rest) if number.len() < marker.trim_start().len() => rest,
        _ => marker,
    };
    if unmarked.chars().all(skippable) {
        return (true, true);
    }
    let ends_sentence = line
        .trim_end_matches(skippable)
        .ends_with(['.', '!', '?', ':', ';', '…']);
    (ends_sentence, false)
}

/// Words that join a title's parts and that people drop or swap freely ("Love & a .45",
/// "Romeo + Juliet", "Romeo and Juliet"): left out of every comparison.
pub(crate) fn is_joiner(key: &str) -> bool {
    key == "and" || key == "n"
}

/// Small words that need no capital in a title ("Pump Up the Volume", "Pretty in Pink").
pub(crate) fn is_small_word(key: &str) -> bool {
    matches!(
        key,
        "the"
            | "a"
            | "an"
            | "of"
            | "in"
            | "on"
            | "and"
            | "n"
            | "to"
            | "for"
            | "at"
            | "by"
            | "with"
            | "from"
            | "up"
            | "vs"
            | "o"
            | "s"
            | "t"
            | "de"
            | "la"
            | "le"
            | "el"
            | "is"
            | "it"
            | "or"
            | "as"
    )
}

/// A title's or name's words as the recognisers compare them: folded, joiners dropped, and a
/// leading article dropped when more words follow ("The Crow" is "crow"). Returns the article
/// too, so the words "The" in a comment can be shown as part of what named it.
pub(crate) fn phrase_key(text: &str) -> (Vec<String>, Option<String>) {
    // The same words as `tokenize` gives, without positions or capitals: indexing a large
    // library folds hundreds of thousands of names.
    let mut words: Vec<String> = fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| canonical_spelling(w).to_owned())
        .filter(|k| !is_joiner(k))
        .collect();
    let mut article = None;
    if words.len() > 1 && matches!(words[0].as_str(), "the" | "a" | "an") {
        article = Some(words.remove(0));
    }
    (words, article)
}

/// The positions (into `tokens`) of the words a phrase can match: everything but joiners.
pub(crate) fn stream(tokens: &[Token]) -> Vec<usize> {
    (0..tokens.len())
        .filter(|&i| !is_joiner(&tokens[i].key))
        .collect()
}

pub(crate) fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}' | '\'' | '«' | '»' | '„' | '`'
    )
}

/// One comment's words with what the recognisers ask about their surroundings.
#[derive(Debug)]
pub(crate) struct Words<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    /// Positions of the words phrases are matched on (joiners left out).
    pub stream: Vec<usize>,
    /// The writer capitalises nothing but sentence starts (and "I"): then a title in lower
    /// case says nothing against it being a title.
    pub lowercase_writer: bool,
}

impl<'a> Words<'a> {
    pub fn new(text: &'a str) -> Words<'a> {
        let tokens = tokenize(text);
        let stream = stream(&tokens);
        let lowercase_writer = !tokens.iter().any(|t| {
            t.capital
                && !t.sentence_start
                && t.key != "i"
                && !t.key.starts_with(|c: char| c.is_ascii_digit())
        });
        Words {
            text,
            tokens,
            stream,
            lowercase_writer,
        }
    }

    /// The text between two tokens (exclusive), e.g. to see whether only a space separates them.
    pub fn gap(&self, before: usize, after: usize) -> &'a str {
        &self.text[self.tokens[before].end..self.tokens[after].start]
    }

    /// Whether the words from byte `start` to `end` stand in quotes ("“Singles,”" too).
    pub fn quoted(&self, start: usize, end: usize) -> bool {
        let before = self.text[..start].trim_end_matches([' ', '(']);
        let after = self.text[end..].trim_start_matches([',', '.', '!', '?', ' ']);
        before.ends_with(is_quote) && after.starts_with(is_quote)
    }

    /// Whether the words from token `first` to `last` are all there is on their line, but for
    /// a list marker, punctuation, a year or soundtrack words ("2. The Crow (1994)",
    /// "- Singles OST").
    pub fn own_line(&self, first: usize, last: usize) -> bool {
        if !self.tokens[first].line_start {
            return false;
        }
        let rest = &self.text[self.tokens[last].end..];
        let rest = rest.split(['\n', '\r']).next().unwrap_or("");
        tokenize(rest).iter().all(|t| {
            is_cue(&t.key)
                || t.key.len() == 4 && t.key.chars().all(|c| c.is_ascii_digit())
                || matches!(t.key.as_str(), "o" | "s" | "t" | "the" | "original")
        })
    }
}

/// Words that say a soundtrack or film is meant: next to a phrase they make it a title.
pub(crate) fn is_cue(key: &str) -> bool {
    matches!(
        key,
        "soundtrack"
            | "soundtracks"
            | "ost"
            | "osts"
            | "ost's"
            | "score"
            | "movie"
            | "movies"
            | "film"
            | "films"
            | "flick"
            | "soundtrak"
            | "soundtrax"
    )
}

/// Byte offset to a count of characters, for the offsets the window highlights with.
pub(crate) fn char_offset(text: &str, byte: usize) -> u32 {
    text[..byte].chars().count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.key).collect()
    }

    #[test]
    fn words_fold_like_search_with_one_spelling_per_variant() {
        assert_eq!(keys("Love & a .45"), keys("love a 45"));
        assert_eq!(keys("Love & a .45").len(), 3);
        assert_eq!(keys("Judgment Night"), keys("JUDGEMENT night"));
        assert_eq!(keys("Mötley Crüe's"), ["motley", "crue", "s"]);
        assert_eq!(keys("The Crow II"), keys("the crow 2"));
    }

    #[test]
    fn phrase_keys_are_the_tokens_keys() {
        for text in [
            "The Crow: City of Angels",
            "Mötley Crüe's Love & a .45",
            "Judgement Nite II",
        ] {
            let mut from_tokens: Vec<String> = tokenize(text)
                .into_iter()
                .map(|t| t.key)
                .filter(|k| !is_joiner(k))
                .collect();
            if from_tokens.len() > 1 && from_tokens[0] == "the" {
                from_tokens.remove(0);
            }
            assert_eq!(phrase_key(text).0, from_tokens, "{text}");
        }
    }

    #[test]
    fn offsets_capitals_and_sentence_starts() {
        let text = "I love Singles. the crow too\n- Garden State\n2. Lost Highway";
        let tokens = tokenize(text);
        let find = |word: &str| tokens.iter().find(|t| t.key == word).unwrap().clone();
        let singles = find("singles");
        assert_eq!(&text[singles.start..singles.end], "Singles");
        assert!(singles.capital && !singles.sentence_start);
        let the = find("the");
        assert!(the.sentence_start && !the.capital && !the.line_start);
        assert!(find("garden").line_start && find("garden").sentence_start);
        assert!(find("lost").line_start, "after a list number");
        assert!(!find("highway").line_start);
        assert!(find("i").sentence_start && find("i").line_start);
    }

    #[test]
    fn char_offsets_count_characters_not_bytes() {
        let text = "Mötley Crüe";
        let tokens = tokenize(text);
        assert_eq!(char_offset(text, tokens[1].start), 7);
        assert_eq!(char_offset(text, tokens[1].end), 11);
    }
}
