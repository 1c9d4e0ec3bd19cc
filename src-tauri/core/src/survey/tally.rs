//! The counting rules: one vote per comment per title, however often the comment repeats it;
//! a reply is a comment of its own; a comment that only agrees adds nothing unless agreeing
//! replies count, and then it votes for what the comment it answers voted for (the reply's
//! parent when the paste shows it, else the comment just before). Artist and song words are
//! shown as evidence for a comment's title only when the comment names no other title.
//! Ranked by votes, then by first mention.

use std::collections::BTreeMap;

use super::evidence::{only_agrees, NameMention};
use super::split::Comment;
use super::titles::{Target, TitleIndex, TitleMention, Verdict};
use super::tokens::{char_offset, Words};
use super::{Evidence, EvidenceKind, TallyEntry};

/// What the recognisers found in one comment.
#[derive(Debug)]
pub(crate) struct Found<'a> {
    pub words: Words<'a>,
    pub titles: Vec<TitleMention>,
    pub names: Vec<NameMention>,
}

/// Longest evidence text kept for an agreeing reply.
const AGREEMENT_CHARS: usize = 300;

/// Counts the votes. Returns the tally, best first, and for each comment whether it only
/// agrees.
pub(crate) fn tally(
    comments: &[Comment],
    found: &[Found<'_>],
    titles: &TitleIndex,
    agreeing_replies: bool,
) -> (Vec<TallyEntry>, Vec<bool>) {
    let mut by_entry: BTreeMap<usize, Vec<Evidence>> = BTreeMap::new();
    let mut voted: Vec<Vec<usize>> = Vec::with_capacity(comments.len());
    for (comment, found) in comments.iter().zip(found) {
        let mut entries: Vec<usize> = Vec::new();
        for mention in found.titles.iter().filter(|m| m.verdict == Verdict::Vote) {
            if !entries.contains(&mention.entry) {
                entries.push(mention.entry);
            }
            by_entry.entry(mention.entry).or_default().push(evidence(
                comment,
                &found.words,
                mention.first,
                mention.last,
                EvidenceKind::Title,
            ));
        }
        if let [only] = entries.as_slice() {
            if let Target::Library(id) = titles.entries[*only].target {
                let voted_spans: Vec<(usize, usize)> = found
                    .titles
                    .iter()
                    .filter(|m| m.verdict == Verdict::Vote)
                    .map(|m| (m.first, m.last))
                    .collect();
                for name in &found.names {
                    let overlaps = voted_spans
                        .iter()
                        .any(|&(a, b)| a <= name.last && name.first <= b);
                    if name.soundtracks.contains(&id) && !overlaps {
                        let kind = match name.kind {
                            super::evidence::NameKind::Artist => EvidenceKind::Artist,
                            super::evidence::NameKind::Song => EvidenceKind::Song,
                        };
                        by_entry.entry(*only).or_default().push(evidence(
                            comment,
                            &found.words,
                            name.first,
                            name.last,
                            kind,
                        ));
                    }
                }
            }
        }
        voted.push(entries);
    }
    let agrees: Vec<bool> = comments
        .iter()
        .zip(&voted)
        .map(|(comment, entries)| entries.is_empty() && only_agrees(&comment.text))
        .collect();
    if agreeing_replies {
        for (at, comment) in comments.iter().enumerate() {
            if !agrees[at] {
                continue;
            }
            let Some(answered) = answered(comments, &agrees, at) else {
                continue;
            };
            let text: String = comment.text.trim().chars().take(AGREEMENT_CHARS).collect();
            for &entry in &voted[answered] {
                by_entry.entry(entry).or_default().push(Evidence {
                    comment: comment.index,
                    end: text.chars().count() as u32,
                    text: text.clone(),
                    start: 0,
                    kind: EvidenceKind::Agreement,
                });
            }
        }
    }
    let mut tally: Vec<TallyEntry> = by_entry
        .into_iter()
        .map(|(entry, mut evidence)| {
            evidence.sort_by_key(|e| (e.comment, e.start));
            let known = &titles.entries[entry];
            let (soundtrack_id, release_group_id) = match &known.target {
                Target::Library(id) => (Some(*id), None),
                Target::Online(group) => (None, Some(group.clone())),
            };
            TallyEntry {
                title: known.title.clone(),
                votes: votes(&evidence),
                soundtrack_id,
                release_group_id,
                release_id: known.release_id.clone(),
                year: known.year,
                evidence,
            }
        })
        .filter(|entry| entry.votes > 0)
        .collect();
    rank(&mut tally);
    (tally, agrees)
}

/// The comment an agreeing reply at `at` answers, following a chain of agreeing replies up to
/// the one that said something: its parent when known, else the comment before it.
fn answered(comments: &[Comment], agrees: &[bool], mut at: usize) -> Option<usize> {
    for _ in 0..comments.len() {
        let parent = match comments[at].reply_to {
            Some(index) => comments.iter().position(|c| c.index == index)?,
            None => at.checked_sub(1)?,
        };
        if !agrees[parent] {
            return Some(parent);
        }
        at = parent;
    }
    None
}

fn evidence(
    comment: &Comment,
    words: &Words<'_>,
    first: usize,
    last: usize,
    kind: EvidenceKind,
) -> Evidence {
    let start = words.tokens[first].start;
    let end = words.tokens[last].end;
    Evidence {
        comment: comment.index,
        text: words.text[start..end].to_owned(),
        start: char_offset(words.text, start),
        end: char_offset(words.text, end),
        kind,
    }
}

/// Distinct comments that vote: a title named, an agreeing reply, or a vote the curator
/// added. Artist and song words only stand beside a vote.
pub(crate) fn votes(evidence: &[Evidence]) -> u32 {
    let mut comments: Vec<u32> = evidence
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EvidenceKind::Title | EvidenceKind::Agreement | EvidenceKind::Curator
            )
        })
        .map(|e| e.comment)
        .collect();
    comments.sort_unstable();
    comments.dedup();
    comments.len() as u32
}

/// Most votes first; a tie goes to the title mentioned first in the thread.
pub(crate) fn rank(tally: &mut [TallyEntry]) {
    tally.sort_by(compare);
}

/// The tally's order: more votes first, then the earlier first mention, then the title.
pub(crate) fn compare(a: &TallyEntry, b: &TallyEntry) -> std::cmp::Ordering {
    b.votes
        .cmp(&a.votes)
        .then_with(|| first_mention(a).cmp(&first_mention(b)))
        .then_with(|| a.title.cmp(&b.title))
}

fn first_mention(entry: &TallyEntry) -> (u32, u32) {
    entry
        .evidence
        .iter()
        .map(|e| (e.comment, e.start))
        .min()
        .unwrap_or((u32::MAX, u32::MAX))
}
