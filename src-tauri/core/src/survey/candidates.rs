//! Phrases that look like titles the library does not have, for "Look up the rest online" and
//! for the curator to see: words in quotes, capitalised runs ("Empire Records", "Tank Girl"),
//! a line of its own in a list, and words next to "soundtrack", "OST", "movie" or "film".
//!
//! It leaves out what was already recognised (titles, the library's artists and songs), people
//! and bands ("Edgar Wright's", "… by Bon Jovi"), and capitalised words that only open a
//! sentence ("Dunno", "Personally"). It proposes; the look-up and the curator decide.

use super::stop_words::{is_sentence_word, ONE_WORD_PRAISE, PRAISE, SOUNDTRACK_CUES};
use super::tokens::{is_cue, is_joiner, is_quote, is_small_word, Words};

/// A phrase of one comment that may be a title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub phrase: String,
    /// Token positions, inclusive.
    pub first: usize,
    pub last: usize,
    /// Another reading to ask when this one finds nothing online: a pair's whole run
    /// ("Empire Records and Clerks") or its parts ("Dazed", "Confused").
    pub fallback: Vec<String>,
}

/// What the recognisers already claimed in a comment, as token ranges (inclusive).
#[derive(Debug, Clone, Default)]
pub(crate) struct Covered {
    /// Titles of the library (or found online).
    pub titles: Vec<(usize, usize)>,
    /// The library's artists and songs. A name inside a longer run of capitalised words is
    /// part of that run ("Killers" of The Killers in "Natural Born Killers"); a run that is
    /// only a name is the name.
    pub names: Vec<(usize, usize)>,
}

impl Covered {
    fn title_at(&self, i: usize) -> bool {
        self.titles.iter().any(|&(a, b)| a <= i && i <= b)
    }

    fn any_at(&self, i: usize) -> bool {
        self.title_at(i) || self.names.iter().any(|&(a, b)| a <= i && i <= b)
    }

    /// Whether the run holds a title, or holds a name and nothing of its own: only names and
    /// small words or numbers ("#1 Crush"), or a name and a dash ("Drown - Smashing Pumpkins").
    fn claims(&self, words: &Words<'_>, first: usize, last: usize) -> bool {
        if (first..=last).any(|i| self.title_at(i)) {
            return true;
        }
        let named = |i: usize| self.names.iter().any(|&(a, b)| a <= i && i <= b);
        if !(first..=last).any(named) {
            return false;
        }
        let dashed = (first..last).any(|i| words.gap(i, i + 1).contains(['-', '–', '—']));
        let own_word = (first..=last).any(|i| {
            let token = &words.tokens[i];
            !named(i)
                && token.capital
                && !is_small_word(&token.key)
                && !token.key.chars().all(|c| c.is_ascii_digit())
        });
        dashed || !own_word
    }

    fn all(&self) -> Vec<(usize, usize)> {
        self.titles.iter().chain(&self.names).copied().collect()
    }
}

/// Words after a lone capitalised word that make it the subject of a sentence about a title
/// ("Clerks is a great one", "Hackers was robbed") rather than a sentence's first word.
const TITLE_VERBS: &[&str] = &["is", "was", "has", "had", "gets", "got", "rules", "wins"];

/// The title-like phrases of one comment outside what is `covered`.
pub(crate) fn find(words: &Words<'_>, covered: &Covered) -> Vec<Candidate> {
    let tokens = &words.tokens;
    let is_covered = |i: usize| covered.any_at(i);
    let all_covered = covered.all();
    let covered_list = all_covered.as_slice();
    let mut found: Vec<Candidate> = Vec::new();
    let text_of = |first: usize, last: usize| {
        words.text[tokens[first].start..tokens[last].end]
            .trim()
            .to_owned()
    };
    let push = |first: usize, last: usize, fallback: Vec<String>, found: &mut Vec<Candidate>| {
        if covered.claims(words, first, last) {
            return;
        }
        let phrase = text_of(first, last);
        if phrase.is_empty() || found.iter().any(|c| c.first <= last && first <= c.last) {
            return;
        }
        found.push(Candidate {
            phrase,
            first,
            last,
            fallback,
        });
    };
    // Right beside a recognised title ("Twilight New Moon"), capitalised words are part of it.
    let touches_covered = |first: usize, last: usize| {
        let blank = |a: usize, b: usize| words.gap(a, b).chars().all(|c| c == ' ');
        first > 0 && is_covered(first - 1) && blank(first - 1, first)
            || last + 1 < tokens.len() && is_covered(last + 1) && blank(last, last + 1)
    };

    // Quoted phrases with a capital or a digit ("best" in quotes is emphasis, not a title).
    // Both only when nothing in them is claimed: a list line naming a song and its band is
    // neither's title.
    for (first, last) in quoted_runs(words) {
        if (first..=last).any(|i| tokens[i].capital)
            && last - first < 8
            && !(first..=last).any(is_covered)
        {
            push(first, last, Vec::new(), &mut found);
        }
    }
    // A short line of a list: "- empire records", "3. Tank Girl (1995)".
    for (first, last) in list_lines(words) {
        if !(first..=last).any(is_covered) {
            push(first, last, Vec::new(), &mut found);
        }
    }
    // "The Crow: City of Angels": a title's subtitle makes another film, asked whole (and the
    // subtitle alone when that finds nothing).
    for &(a, b) in &covered.titles {
        let first = b + 1;
        if first >= tokens.len()
            || !tokens[first].capital
            || words.gap(b, first).trim() != ":"
            || is_covered(first)
        {
            continue;
        }
        let mut last = first;
        while last + 1 < tokens.len()
            && !is_covered(last + 1)
            && !breaks(words, last, last + 1)
            && (tokens[last + 1].capital || is_small_word(&tokens[last + 1].key))
        {
            last += 1;
        }
        let (first, last) = trim_run(words, first, last);
        if first <= last && !found.iter().any(|c| c.first <= last && first <= c.last) {
            found.push(Candidate {
                phrase: text_of(a, last),
                first,
                last,
                fallback: vec![text_of(first, last)],
            });
        }
    }
    // Capitalised runs, and the words before "soundtrack".
    let mut i = 0;
    while i < tokens.len() {
        if covered.title_at(i) || !tokens[i].capital {
            i += 1;
            continue;
        }
        let mut last = i;
        let mut j = i + 1;
        while j < tokens.len() && !covered.title_at(j) && !breaks(words, j - 1, j) {
            if tokens[j].key == "s" && words.gap(j - 1, j).chars().all(is_quote)
                || tokens[j].key == "by"
            {
                // "Edgar Wright’s Baby Driver", "Drown by Smashing Pumpkins": the owner and the
                // maker are runs of their own.
                break;
            }
            if tokens[j].capital {
                last = j;
            } else if !(is_small_word(&tokens[j].key) || is_joiner(&tokens[j].key)) {
                break;
            }
            j += 1;
        }
        let (first, last) = trim_run(words, i, last);
        if first <= last
            && !touches_covered(first, last)
            && !beside_a_name(words, first, last, covered_list)
        {
            let parts = pair_parts(words, first, last);
            if parts.len() <= 1 {
                if worth_asking(words, first, last) {
                    push(first, last, Vec::new(), &mut found);
                }
            } else {
                // "Empire Records and Clerks" is two titles; "Dazed and Confused", one word each
                // side, reads as one. Each reading keeps the other to fall back on online.
                let whole = text_of(first, last);
                for (a, b, singles) in group_single_words(&parts) {
                    let (a, b) = if singles > 1 {
                        (a, b)
                    } else {
                        trim_run(words, a, b)
                    };
                    if a > b || singles <= 1 && !worth_asking(words, a, b) {
                        continue;
                    }
                    let fallback = if singles > 1 {
                        parts
                            .iter()
                            .filter(|&&(x, _)| a <= x && x <= b)
                            .map(|&(x, y)| text_of(x, y))
                            .collect()
                    } else {
                        vec![whole.clone()]
                    };
                    push(a, b, fallback, &mut found);
                }
            }
        }
        i = if j < tokens.len() && tokens[j].key == "s" {
            j + 1
        } else {
            j.max(i + 1)
        };
    }
    // "the natural born killers soundtrack": words written small right before a cue, two or
    // more, not praise ("a killer soundtrack") and not the cue's own phrase.
    for cue in (1..tokens.len()).filter(|&k| is_cue(&tokens[k].key)) {
        let last = cue - 1;
        let mut first = cue;
        while first > 0 {
            let k = first - 1;
            let key = tokens[k].key.as_str();
            if is_covered(k)
                || is_cue(key)
                || is_small_word(key)
                || is_sentence_word(key)
                || PRAISE.contains(&key)
                || !key.chars().any(char::is_alphabetic)
                || breaks(words, k, first)
            {
                break;
            }
            first = k;
            if last - first >= 5 {
                break;
            }
        }
        if first < cue && last > first && !(first..=last).any(|i| tokens[i].capital) {
            push(first, last, Vec::new(), &mut found);
        }
    }
    // "the clerks soundtrack", "trainspotting ost": one word written small, only right after
    // "the" or at the start of a line, before "soundtrack" or "OST" itself (not "movie" or
    // "film", which follow any genre word), and not a word of praise. One word is a weak
    // sign, so the rule is narrow; what it proposes is still kept only when MusicBrainz has a
    // soundtrack of that very title.
    for cue in (1..tokens.len()).filter(|&k| SOUNDTRACK_CUES.contains(&tokens[k].key.as_str())) {
        let word = cue - 1;
        let key = tokens[word].key.as_str();
        let opens = word == 0 || breaks(words, word - 1, word) || tokens[word - 1].key == "the";
        if opens
            && !tokens[word].capital
            && !is_covered(word)
            && key.chars().count() >= 3
            && key.chars().all(char::is_alphabetic)
            && !is_small_word(key)
            && !is_sentence_word(key)
            && !PRAISE.contains(&key)
            && !ONE_WORD_PRAISE.contains(&key)
            && !key.ends_with("est")
            && !breaks(words, word, cue)
        {
            push(word, word, Vec::new(), &mut found);
        }
    }
    found.sort_by_key(|c| c.first);
    found
}

/// Punctuation that ends a run of title words: a comma, a full stop, a bracket, a line break.
fn breaks(words: &Words<'_>, a: usize, b: usize) -> bool {
    words.gap(a, b).contains([
        ',', '.', '!', '?', ';', ':', '(', ')', '\n', '"', '“', '”', '/',
    ])
}

/// Parts as they are read: runs of one-word parts joined ("Dazed and Confused") and each
/// longer part on its own; with how many one-word parts each holds.
fn group_single_words(parts: &[(usize, usize)]) -> Vec<(usize, usize, usize)> {
    let mut groups: Vec<(usize, usize, usize)> = Vec::new();
    for &(a, b) in parts {
        match groups.last_mut() {
            Some((_, end, singles)) if a == b && *singles > 0 => {
                *end = b;
                *singles += 1;
            }
            _ => groups.push((a, b, usize::from(a == b))),
        }
    }
    groups
}

/// The parts of a run joined by "and", "&" or "+", each without small words at its ends.
fn pair_parts(words: &Words<'_>, first: usize, last: usize) -> Vec<(usize, usize)> {
    let tokens = &words.tokens;
    let mut spans = Vec::new();
    let mut start = first;
    for (k, token) in tokens.iter().enumerate().take(last + 1).skip(first) {
        if is_joiner(&token.key) {
            if k > start {
                spans.push((start, k - 1));
            }
            start = k + 1;
        } else if k > start && words.gap(k - 1, k).contains(['&', '+']) {
            spans.push((start, k - 1));
            start = k;
        }
    }
    if start <= last {
        spans.push((start, last));
    }
    spans
        .into_iter()
        .filter_map(|(mut a, mut b)| {
            while a < b && is_small_word(&tokens[a].key) {
                a += 1;
            }
            while b > a && is_small_word(&tokens[b].key) {
                b -= 1;
            }
            (!is_small_word(&tokens[a].key)).then_some((a, b))
        })
        .collect()
}

/// Drops sentence openers ("But Empire Records" → "Empire Records"), a trailing possessive or
/// soundtrack word, and small words at either end.
fn trim_run(words: &Words<'_>, mut first: usize, mut last: usize) -> (usize, usize) {
    let tokens = &words.tokens;
    while first <= last
        && (is_sentence_word(&tokens[first].key)
            && (tokens[first].sentence_start || first < last)
            && !(tokens[first].key == "the" && first < last))
    {
        first += 1;
    }
    while last > first
        && (is_cue(&tokens[last].key)
            || is_small_word(&tokens[last].key)
            || is_joiner(&tokens[last].key))
    {
        last -= 1;
    }
    (first, last)
}

/// Whether a capitalised run is worth a look-up: not a person or band by how it is used, and
/// not a lone capital that only opens a sentence.
fn worth_asking(words: &Words<'_>, first: usize, last: usize) -> bool {
    let tokens = &words.tokens;
    if first > last {
        return false;
    }
    let possessive = last + 1 < tokens.len()
        && tokens[last + 1].key == "s"
        && words.gap(last, last + 1).chars().all(is_quote)
        && !(last + 2 < tokens.len() && is_cue(&tokens[last + 2].key));
    let by_before = first > 0 && tokens[first - 1].key == "by";
    let by_after =
        last + 2 < tokens.len() && tokens[last + 1].key == "by" && tokens[last + 2].capital;
    let handle = words.text[..tokens[first].start].ends_with('@');
    if possessive || by_before || by_after || handle {
        return false;
    }
    let significant = (first..=last)
        .filter(|&i| !is_small_word(&tokens[i].key))
        .count();
    if significant == 1 && first == last {
        let key = &tokens[first].key;
        // One capitalised word opening a sentence that goes on ("Mixtape instead of…") has its
        // capital from the sentence; standing alone ("Clerks.", "Clerks, obviously") it may be
        // a title.
        let goes_on = first + 1 < tokens.len()
            && !words
                .gap(first, first + 1)
                .contains([',', '.', '!', '?', ';', ':', ')', '\n', '-', '–', '—']);
        let about_a_title = goes_on
            && first + 1 < tokens.len()
            && TITLE_VERBS.contains(&tokens[first + 1].key.as_str());
        let only_opens_a_sentence = tokens[first].sentence_start && goes_on && !about_a_title;
        let too_plain = key.chars().count() < 3
            || is_sentence_word(key)
            || key.chars().all(|c| c.is_ascii_digit());
        return !(too_plain || only_opens_a_sentence);
    }
    true
}

/// "Talk Show Host - Radiohead": words on the other side of a dash from a known artist or song
/// are its song or artist.
fn beside_a_name(words: &Words<'_>, first: usize, last: usize, covered: &[(usize, usize)]) -> bool {
    let tokens = &words.tokens;
    let dash = |gap: &str| gap.contains(['-', '–', '—']) && !gap.contains('\n');
    let after = last + 1 < tokens.len()
        && dash(words.gap(last, last + 1))
        && covered.iter().any(|&(a, _)| a == last + 1);
    let before = first > 0
        && dash(words.gap(first - 1, first))
        && covered.iter().any(|&(_, b)| b == first - 1);
    after || before
}

/// Token ranges inside quotation marks.
fn quoted_runs(words: &Words<'_>) -> Vec<(usize, usize)> {
    let tokens = &words.tokens;
    let mut runs = Vec::new();
    let mut open: Option<usize> = None;
    for (i, token) in tokens.iter().enumerate() {
        let before = &words.text[..token.start];
        let opens = before.ends_with(is_quote)
            && before[..before.len() - before.chars().last().map_or(0, char::len_utf8)]
                .chars()
                .last()
                .is_none_or(|c| c.is_whitespace() || c == '(');
        if opens {
            open = Some(i);
        }
        let after = &words.text[token.end..];
        let closes = after
            .trim_start_matches([',', '.', '!', '?'])
            .starts_with(is_quote)
            && !after.starts_with(['\'', '’'])
            || after.starts_with(['”', '"']);
        if let (true, Some(from)) = (closes, open) {
            runs.push((from, i));
            open = None;
        }
    }
    runs
}

/// Lines of a list (a marker, or two short lines in a row) that are short enough to be titles.
fn list_lines(words: &Words<'_>) -> Vec<(usize, usize)> {
    let tokens = &words.tokens;
    let mut lines: Vec<(usize, usize, bool)> = Vec::new();
    let mut offset = 0;
    for line in words.text.split('\n') {
        let start = offset;
        let end = offset + line.len();
        offset = end + 1;
        let inside: Vec<usize> = (0..tokens.len())
            .filter(|&i| tokens[i].start >= start && tokens[i].end <= end)
            .collect();
        let (Some(&first), Some(&last)) = (inside.first(), inside.last()) else {
            continue;
        };
        let marked = line.trim_start().starts_with(['-', '*', '•', '◦'])
            || line
                .trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
                && line.contains(['.', ')']);
        // Leave out a trailing year or soundtrack words: "Tank Girl (1995) OST".
        let mut last = last;
        while last > first
            && (is_cue(&tokens[last].key)
                || tokens[last].key.len() == 4
                    && tokens[last].key.chars().all(|c| c.is_ascii_digit())
                || matches!(tokens[last].key.as_str(), "o" | "s" | "t"))
        {
            last -= 1;
        }
        let mut first = first;
        if marked && tokens[first].key.chars().all(|c| c.is_ascii_digit()) && first < last {
            first += 1;
        }
        let short = (first..=last).count() <= 6 && !line.trim_end().ends_with(['.', '?', ':']);
        lines.push((first, last, marked && short));
        let _ = short;
    }
    let short_lines: Vec<bool> = lines
        .iter()
        .map(|&(f, l, _)| (f..=l).count() <= 6)
        .collect();
    // When the list has markers, its unmarked lines are headings ("Top 3") or prose.
    let any_marked = lines.iter().any(|&(_, _, marked)| marked);
    lines
        .iter()
        .enumerate()
        .filter(|(n, (_, _, marked))| {
            *marked
                || !any_marked
                    && short_lines[*n]
                    && (n.checked_sub(1).is_some_and(|p| short_lines[p])
                        || short_lines.get(n + 1) == Some(&true))
                    && lines.len() >= 3
        })
        .map(|(_, &(f, l, _))| (f, l))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases(text: &str) -> Vec<String> {
        find(&Words::new(text), &Covered::default())
            .into_iter()
            .map(|c| c.phrase)
            .collect()
    }

    fn tokens_of(words: &Words<'_>, text: &str) -> (usize, usize) {
        let keys: Vec<String> = Words::new(text)
            .tokens
            .iter()
            .map(|t| t.key.clone())
            .collect();
        let first = (0..words.tokens.len())
            .find(|&i| {
                words.tokens[i..]
                    .iter()
                    .map(|t| &t.key)
                    .take(keys.len())
                    .eq(keys.iter())
            })
            .unwrap();
        (first, first + keys.len() - 1)
    }

    #[test]
    fn names_inside_a_longer_title_and_subtitles_of_a_known_title() {
        // "Killers" is a band of the library (The Killers); here it ends a film's title.
        let words = Words::new("3. Natural Born Killers. Oliver Stone plus Trent Reznor.");
        let killers = tokens_of(&words, "Killers");
        let covered = Covered {
            titles: Vec::new(),
            names: vec![killers],
        };
        let found: Vec<String> = find(&words, &covered)
            .into_iter()
            .map(|c| c.phrase)
            .collect();
        assert!(
            found.contains(&"Natural Born Killers".to_owned()),
            "{found:?}"
        );
        // A run of only names, or a song and its band across a dash, is not a title.
        let words = Words::new("Drown - Smashing Pumpkins");
        let covered = Covered {
            titles: Vec::new(),
            names: vec![
                tokens_of(&words, "Drown"),
                tokens_of(&words, "Smashing Pumpkins"),
            ],
        };
        assert!(find(&words, &covered).is_empty());
        // "The Crow" is known; "The Crow: City of Angels" is another film, asked whole first.
        let words = Words::new("The Crow: City of Angels was underrated too.");
        let covered = Covered {
            titles: vec![tokens_of(&words, "The Crow")],
            names: Vec::new(),
        };
        let sequel = find(&words, &covered);
        assert_eq!(sequel[0].phrase, "The Crow: City of Angels");
        assert_eq!(sequel[0].fallback, ["City of Angels"]);
    }

    #[test]
    fn a_lone_title_as_a_subject_and_small_words_before_soundtrack() {
        assert_eq!(phrases("Clerks is a great one."), ["Clerks"]);
        assert!(phrases("Mixtape instead of a film, sorry.").is_empty());
        assert_eq!(
            phrases("and the natural born killers soundtrack, of course"),
            ["natural born killers"]
        );
        assert!(phrases("a killer soundtrack and a great movie").is_empty());
        // One word written small, right after "the" or at a line's start, before the cue.
        assert_eq!(phrases("gotta be the clerks soundtrack"), ["clerks"]);
        assert_eq!(phrases("trainspotting ost, no contest"), ["trainspotting"]);
        assert_eq!(phrases("Loved it.\nhackers soundtrack"), ["hackers"]);
        for praise in [
            "the best soundtrack ever",
            "the coolest soundtrack",
            "the whole soundtrack",
            "a great soundtrack",
            "the new soundtrack is out",
            "that horror soundtrack",
            "the movie soundtrack",
            "some clerks soundtrack",
            "the horror movie",
        ] {
            assert!(
                phrases(praise).is_empty(),
                "{praise}: {:?}",
                phrases(praise)
            );
        }
    }

    #[test]
    fn capitalised_quoted_listed_and_cued_phrases() {
        assert_eq!(
            phrases("Dunno about “best” but Empire Records and “Tank Girl” rule."),
            ["Empire Records", "Tank Girl"]
        );
        assert_eq!(
            phrases("Personal favs: Clerks, Reality Bites."),
            ["Clerks", "Reality Bites"]
        );
        assert_eq!(
            phrases("Top 3\n- empire records\n- tank girl (1995)\n- clerks"),
            ["empire records", "tank girl", "clerks"]
        );
        assert_eq!(
            phrases("The Scott Pilgrim soundtrack"),
            ["The Scott Pilgrim"]
        );
        assert_eq!(
            phrases("Also Reality Bites and Dazed and Confused."),
            ["Reality Bites", "Dazed and Confused"]
        );
        let pair = find(&Words::new("Empire Records & Clerks"), &Covered::default());
        let pair_phrases: Vec<&str> = pair.iter().map(|c| c.phrase.as_str()).collect();
        assert_eq!(pair_phrases, ["Empire Records", "Clerks"]);
        assert_eq!(pair[1].fallback, ["Empire Records & Clerks"]);
        let dazed = find(&Words::new("Dazed and Confused"), &Covered::default());
        assert_eq!(dazed[0].fallback, ["Dazed", "Confused"]);
    }

    #[test]
    fn people_bands_and_sentence_openers_are_left_out() {
        assert_eq!(
            phrases("Edgar Wright’s Baby Driver has a fabulous soundtrack"),
            ["Baby Driver"]
        );
        assert!(phrases("Lost Highway by Bon Jovi").is_empty());
        assert!(phrases("Honestly? Dunno. Remember when?").is_empty());
        assert!(phrases("@rob_k yes").is_empty());
    }
}
