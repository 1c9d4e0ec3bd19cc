//! How a mention of a title reads in its comment: a vote, a band's name, or not a vote. A
//! title in quotes, on its own line of a list, or next to "soundtrack", "OST", "o/t", "movie" or
//! "film" counts however it is cased; otherwise it must be written like a title (capitals),
//! unless the writer capitalises nothing. "… by <someone>", "<band>'s … album", a sequel number
//! or subtitle after it, or a band's name used as one (by, 's, a dash, one of its songs) are
//! not votes for the film. `titles` finds the words; this module only judges them.

use super::evidence::NameIndex;
use super::titles::Verdict;
use super::tokens::{is_cue, is_joiner, is_quote, is_small_word, Words};

/// Decides whether the mention from token `first` to `last` is a vote (see the module's
/// comment for the rules).
pub(crate) fn judge(
    words: &Words<'_>,
    names: &NameIndex,
    key_words: &[String],
    letters: usize,
    first: usize,
    last: usize,
) -> Verdict {
    let tokens = &words.tokens;
    let start = tokens[first].start;
    let end = tokens[last].end;
    let quoted = words.quoted(start, end);
    let cue = cue_after(words, last) || cue_before(words, first);
    let own_line = words.own_line(first, last);
    let artist = names.artist_named(key_words);

    if let Some(artist) = artist {
        // A band's name used as one: "by Underworld", "Underworld's Born Slippy",
        // "Born Slippy - Underworld", or beside one of its songs.
        let by_before = first > 0 && tokens[first - 1].key == "by";
        let possessive = last + 1 < tokens.len()
            && tokens[last + 1].key == "s"
            && words.gap(last, last + 1).chars().all(is_quote)
            && !(last + 2 < tokens.len() && is_cue(&tokens[last + 2].key));
        let dash = dash_beside(words, first, last);
        let with_song = names.song_of_artist_in(words, artist, first, last);
        // "the Underworld soundtrack" stays a film unless one of the band's songs is named.
        let cue_says_film = cue && !with_song;
        if (by_before || possessive || dash || with_song) && !cue_says_film {
            return Verdict::Artist;
        }
    }
    if sequel_after(words, names, last) {
        return Verdict::Not;
    }
    if by_someone_after(words, last) && !cue_after(words, last) {
        return Verdict::Not;
    }
    if album_of_a_band(words, first, last) && !cue {
        return Verdict::Not;
    }
    if quoted || cue || own_line {
        return Verdict::Vote;
    }
    if letters <= 3 && key_words.len() == 1 {
        // A two-letter title ("FM") counts only written in capitals and not as the radio band.
        let all_caps = words.text[start..end]
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
        let radio = last + 1 < tokens.len()
            && matches!(
                tokens[last + 1].key.as_str(),
                "radio" | "station" | "stations" | "dial" | "band" | "frequency"
            )
            || first > 0 && matches!(tokens[first - 1].key.as_str(), "on" | "via" | "am");
        return if all_caps && !radio {
            Verdict::Vote
        } else {
            Verdict::Not
        };
    }
    let significant: Vec<usize> = (first..=last)
        .filter(|&i| !is_small_word(&tokens[i].key) && !is_joiner(&tokens[i].key))
        .collect();
    let capitalised = significant.iter().all(|&i| tokens[i].capital);
    let first_capital = significant.first().is_some_and(|&i| tokens[i].capital);
    let written_words = (first..=last)
        .filter(|&i| !is_joiner(&tokens[i].key))
        .count();
    if capitalised
        || first_capital && key_words.len() >= 3
        || words.lowercase_writer && (written_words >= 2 || letters >= 6)
        || letters >= 12
    {
        Verdict::Vote
    } else {
        Verdict::Not
    }
}

/// "Singles soundtrack", "Trainspotting OST", "The Crow (o/t)", "Singles' soundtrack".
fn cue_after(words: &Words<'_>, last: usize) -> bool {
    let tokens = &words.tokens;
    let mut i = last + 1;
    let mut skipped = 0;
    while i < tokens.len() && skipped <= 3 {
        let key = tokens[i].key.as_str();
        if is_cue(key) || slash_cue(words, i) {
            return true;
        }
        if !matches!(
            key,
            "s" | "the" | "original" | "motion" | "picture" | "its" | "movie's"
        ) {
            return false;
        }
        i += 1;
        skipped += 1;
    }
    false
}

/// "the soundtrack to Singles", "OST: The Crow", "the movie Garden State".
fn cue_before(words: &Words<'_>, first: usize) -> bool {
    let tokens = &words.tokens;
    let mut i = first;
    let mut skipped = 0;
    while i > 0 && skipped <= 3 {
        i -= 1;
        let key = tokens[i].key.as_str();
        if is_cue(key) || i >= 1 && slash_cue(words, i - 1) || i >= 2 && slash_cue(words, i - 2) {
            return true;
        }
        if !matches!(
            key,
            "to" | "for" | "from" | "of" | "the" | "a" | "on" | "in"
        ) {
            return false;
        }
        skipped += 1;
    }
    false
}

/// "o/t", "s/t", "O.S.T." starting at token `i`.
fn slash_cue(words: &Words<'_>, i: usize) -> bool {
    let tokens = &words.tokens;
    let key = |j: usize| tokens.get(j).map_or("", |t| t.key.as_str());
    let tight = |a: usize, b: usize| {
        b < tokens.len() && words.gap(a, b).len() <= 1 && !words.gap(a, b).contains(' ')
    };
    match key(i) {
        "o" | "s" if key(i + 1) == "t" && tight(i, i + 1) => true,
        "o" if key(i + 1) == "s" && key(i + 2) == "t" && tight(i, i + 1) && tight(i + 1, i + 2) => {
            true
        }
        _ => false,
    }
}

/// A dash on the same line right before or after the words: "Born Slippy - Underworld".
fn dash_beside(words: &Words<'_>, first: usize, last: usize) -> bool {
    let before = &words.text[..words.tokens[first].start];
    let before = before.rsplit('\n').next().unwrap_or("").trim_end();
    let after = &words.text[words.tokens[last].end..];
    let after = after.split('\n').next().unwrap_or("").trim_start();
    let dash = |s: &str| s.starts_with(['-', '–', '—']) || s.ends_with(['-', '–', '—']);
    let before_is_marker = before
        .trim_start_matches(['-', '–', '—', '*', '•'])
        .trim()
        .is_empty();
    (dash(before) && !before_is_marker) || after.starts_with(['-', '–', '—']) && after.len() > 1
}

/// "… by Bon Jovi": a song or album by someone named right after.
fn by_someone_after(words: &Words<'_>, last: usize) -> bool {
    let tokens = &words.tokens;
    last + 2 < tokens.len()
        && tokens[last + 1].key == "by"
        && tokens[last + 2].capital
        && !words
            .gap(last, last + 1)
            .contains(['.', '!', '?', '\n', ','])
}

/// "Bon Jovi's Lost Highway album", "Lost Highway album by …", "the album Lost Highway": a
/// record by a band, not a film's soundtrack (the caller lets a soundtrack word overrule it).
fn album_of_a_band(words: &Words<'_>, first: usize, last: usize) -> bool {
    let tokens = &words.tokens;
    let is_record = |i: usize| {
        matches!(
            tokens[i].key.as_str(),
            "album" | "record" | "lp" | "ep" | "single"
        )
    };
    let record_after = last + 1 < tokens.len() && is_record(last + 1);
    let possessive_before = first >= 2
        && tokens[first - 1].key == "s"
        && tokens[first - 2].capital
        && words.gap(first - 2, first - 1).chars().all(is_quote);
    let record_before = (1..=2).any(|back| first >= back && is_record(first - back));
    let by_after_record = record_after && by_someone_after(words, last + 1);
    record_after && (possessive_before || by_after_record) || record_before
}

/// "The Crow 2", "The Crow II", "The Crow: City of Angels": another film than the one named.
fn sequel_after(words: &Words<'_>, names: &NameIndex, last: usize) -> bool {
    let tokens = &words.tokens;
    if last + 1 >= tokens.len() {
        return false;
    }
    let gap = words.gap(last, last + 1);
    let next = tokens[last + 1].key.as_str();
    if gap.chars().all(|c| c == ' ')
        && matches!(next, "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "part")
    {
        return true;
    }
    if gap.trim() == ":" {
        // A subtitle: two or more capitalised words that are not a band ("Singles: Pearl Jam,
        // Soundgarden…" lists bands).
        let run: Vec<usize> = (last + 1..tokens.len())
            .take_while(|&i| tokens[i].capital || is_small_word(&tokens[i].key))
            .take_while(|&i| {
                i == last + 1
                    || !words
                        .gap(i - 1, i)
                        .contains([',', '.', '\n', '(', '!', '?'])
            })
            .collect();
        let capitals = run.iter().filter(|&&i| tokens[i].capital).count();
        if capitals >= 2 {
            let run_words: Vec<String> = run.iter().map(|&i| tokens[i].key.clone()).collect();
            let is_band =
                (1..=run_words.len()).any(|n| names.artist_named(&run_words[..n]).is_some());
            return !is_band;
        }
    }
    false
}
