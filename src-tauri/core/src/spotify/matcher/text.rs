//! Folding text for comparison and search: case, accents, the many dashes, quotes and spaces
//! people type, and word helpers. It must not know what a title or an artist is.

use super::*;

/// Normalised form used for comparisons: lowercase, accents stripped (NFKD, drop combining marks),
/// curly quotes/apostrophes → straight, all dashes (‐ ‑ ‒ – — ―) → '-', "&" → "and", punctuation
/// removed, whitespace collapsed. Public for tests and for the client's de-duplication.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        for c in c.to_lowercase() {
            match unify_mark(c) {
                '-' => out.push('-'),
                '&' => out.push_str(" and "),
                // Apostrophes and full stops join: "Don't" → "dont", ".NUXX" → "nuxx", "P.S." → "ps".
                '\'' | '.' => {}
                // Letters NFKD does not take apart.
                'ø' => out.push('o'),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                'ß' => out.push_str("ss"),
                'ł' => out.push('l'),
                'đ' | 'ð' => out.push('d'),
                'þ' => out.push_str("th"),
                'ı' => out.push('i'),
                c if c.is_alphanumeric() => out.push(c),
                // Any other punctuation, symbol or space separates words.
                _ => out.push(' '),
            }
        }
    }
    collapse_whitespace(&out)
}

// ---------------------------------------------------------------------------------------------
// Characters and words

/// Maps the many dashes, quotes and spaces people (and Spotify) type onto one of each.
pub(super) fn unify_mark(c: char) -> char {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        c if c.is_whitespace() => ' ',
        c => c,
    }
}

pub(super) fn unify_marks(text: &str) -> String {
    text.chars().map(unify_mark).collect()
}

pub(super) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words of the normalised text, hyphens split too ("8-bit" → "8", "bit").
pub(super) fn words(text: &str) -> Vec<String> {
    normalise(text)
        .split([' ', '-'])
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(super) fn clean_isrc(isrc: &str) -> String {
    isrc.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

pub(super) fn contains_phrase(haystack: &[String], phrase: &[&str]) -> bool {
    !phrase.is_empty()
        && haystack.len() >= phrase.len()
        && haystack
            .windows(phrase.len())
            .any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
}

pub(super) fn contains_words(haystack: &[String], phrase: &[String]) -> bool {
    let phrase: Vec<&str> = phrase.iter().map(String::as_str).collect();
    contains_phrase(haystack, &phrase)
}

/// Removes every occurrence of `phrase` from `words` (so a film called "Live and Let Die" is not
/// read as a live album).
pub(super) fn remove_phrase(words: &mut Vec<String>, phrase: &[String]) {
    if phrase.is_empty() {
        return;
    }
    let mut i = 0;
    while i + phrase.len() <= words.len() {
        if words[i..i + phrase.len()] == *phrase {
            words.drain(i..i + phrase.len());
        } else {
            i += 1;
        }
    }
}
