// Pure rules of "Count a survey" in the window, tested by Vitest: the curator's corrections to a
// tally (drop a vote, merge two titles, split one, add a missed vote from words picked in a
// comment), kept as a list of edits so they can be replayed over a fresh count when the
// agreeing-replies switch changes, and the highlighting of a comment's words. The counting
// itself and the final order of a saved list are the core's; `rank` mirrors its rule so the
// review shows what will be saved.
import type { Evidence } from "./bindings/Evidence";
import type { EvidenceKind } from "./bindings/EvidenceKind";
import type { TallyEntry } from "./bindings/TallyEntry";

/** A correction the curator made, replayable over any count of the same thread. */
export type Edit =
  | { kind: "drop"; entry: string; comment: number }
  | { kind: "merge"; into: string; from: string }
  | { kind: "split"; entry: string; comments: number[]; title: string }
  | { kind: "add"; comment: number; start: number; end: number; text: string; entry: string | null; title: string };

const VOTE_KINDS: EvidenceKind[] = ["title", "agreement", "curator"];

/** Lower case, accents and punctuation gone, "&" as "and", a leading "The" dropped. */
export function foldTitle(title: string): string {
  const words = title
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== "" && w !== "and");
  if (words.length > 1 && ["the", "a", "an"].includes(words[0])) words.shift();
  return words.join(" ");
}

/** What identifies a title across counts: its soundtrack, its release group, or its words. */
export function entryKey(entry: Pick<TallyEntry, "soundtrack_id" | "release_group_id" | "title">): string {
  if (entry.soundtrack_id != null) return `s:${entry.soundtrack_id}`;
  if (entry.release_group_id != null) return `g:${entry.release_group_id}`;
  return `t:${foldTitle(entry.title)}`;
}

/** Comments that vote: a title named, an agreeing reply counted, or a vote the curator added. */
export function votesOf(evidence: Evidence[]): number {
  return new Set(evidence.filter((e) => VOTE_KINDS.includes(e.kind)).map((e) => e.comment)).size;
}

/** The comments that vote for an entry, in thread order. */
export function votingComments(entry: TallyEntry): number[] {
  return [...new Set(entry.evidence.filter((e) => VOTE_KINDS.includes(e.kind)).map((e) => e.comment))].sort(
    (a, b) => a - b,
  );
}

function firstMention(entry: TallyEntry): [number, number] {
  let best: [number, number] = [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
  for (const e of entry.evidence) {
    if (e.comment < best[0] || (e.comment === best[0] && e.start < best[1])) best = [e.comment, e.start];
  }
  return best;
}

/** Most votes first; a tie goes to the title mentioned first (the core's rule). */
export function rank(tally: TallyEntry[]): TallyEntry[] {
  return [...tally].sort((a, b) => {
    if (a.votes !== b.votes) return b.votes - a.votes;
    const [ac, as] = firstMention(a);
    const [bc, bs] = firstMention(b);
    if (ac !== bc) return ac - bc;
    if (as !== bs) return as - bs;
    return a.title < b.title ? -1 : a.title > b.title ? 1 : 0;
  });
}

function sortEvidence(evidence: Evidence[]): Evidence[] {
  return [...evidence].sort((a, b) => a.comment - b.comment || a.start - b.start);
}

function withEvidence(entry: TallyEntry, evidence: Evidence[]): TallyEntry {
  const sorted = sortEvidence(evidence);
  return { ...entry, evidence: sorted, votes: votesOf(sorted) };
}

/** Applies one edit; entries left without votes leave the tally. */
export function applyEdit(tally: TallyEntry[], edit: Edit): TallyEntry[] {
  const find = (key: string) => tally.find((e) => entryKey(e) === key);
  let next: TallyEntry[] = tally;
  switch (edit.kind) {
    case "drop": {
      next = tally.map((e) =>
        entryKey(e) === edit.entry ? withEvidence(e, e.evidence.filter((v) => v.comment !== edit.comment)) : e,
      );
      break;
    }
    case "merge": {
      const into = find(edit.into);
      const from = find(edit.from);
      if (!into || !from || edit.into === edit.from) return tally;
      next = tally
        .filter((e) => entryKey(e) !== edit.from)
        .map((e) => (entryKey(e) === edit.into ? withEvidence(e, [...e.evidence, ...from.evidence]) : e));
      break;
    }
    case "split": {
      const source = find(edit.entry);
      const title = edit.title.trim();
      if (!source || title === "") return tally;
      const moving = source.evidence.filter((v) => edit.comments.includes(v.comment));
      if (moving.length === 0) return tally;
      const created: TallyEntry = withEvidence(
        { title, votes: 0, soundtrack_id: null, release_group_id: null, release_id: null, year: null, evidence: [] },
        moving,
      );
      const existing = find(entryKey(created));
      next = tally.map((e) =>
        entryKey(e) === edit.entry ? withEvidence(e, e.evidence.filter((v) => !edit.comments.includes(v.comment))) : e,
      );
      next = existing
        ? next.map((e) => (entryKey(e) === entryKey(created) ? withEvidence(e, [...e.evidence, ...moving]) : e))
        : [...next, created];
      break;
    }
    case "add": {
      const vote: Evidence = {
        comment: edit.comment,
        text: edit.text,
        start: edit.start,
        end: edit.end,
        kind: "curator",
      };
      const target = edit.entry ?? `t:${foldTitle(edit.title)}`;
      if (find(target)) {
        next = tally.map((e) => (entryKey(e) === target ? withEvidence(e, [...e.evidence, vote]) : e));
      } else {
        const title = edit.title.trim();
        if (title === "") return tally;
        next = [
          ...tally,
          withEvidence({ title, votes: 0, soundtrack_id: null, release_group_id: null, release_id: null, year: null, evidence: [] }, [
            vote,
          ]),
        ];
      }
      break;
    }
  }
  return rank(next.filter((e) => e.votes > 0));
}

/** Replays the curator's edits over a count, skipping any that no longer apply. */
export function applyEdits(tally: TallyEntry[], edits: Edit[]): TallyEntry[] {
  return edits.reduce(applyEdit, rank(tally));
}

/** A piece of a comment's text, marked when it is words that named a vote. */
export interface Segment {
  text: string;
  kind: EvidenceKind | null;
  /** The title the marked words count for. */
  title: string | null;
}

/**
 * A comment's text cut into plain and marked pieces for the evidence of the given entries
 * (offsets are code points, as the core gives them). Overlapping marks keep the first.
 */
export function highlight(text: string, comment: number, tally: TallyEntry[]): Segment[] {
  const chars = Array.from(text);
  const marks = tally
    .flatMap((entry) =>
      entry.evidence
        .filter((e) => e.comment === comment && e.kind !== "agreement")
        .map((e) => ({ start: e.start, end: Math.min(e.end, chars.length), kind: e.kind, title: entry.title })),
    )
    .filter((m) => m.start < m.end)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const segments: Segment[] = [];
  let at = 0;
  for (const mark of marks) {
    if (mark.start < at) continue;
    if (mark.start > at) segments.push({ text: chars.slice(at, mark.start).join(""), kind: null, title: null });
    segments.push({ text: chars.slice(mark.start, mark.end).join(""), kind: mark.kind, title: mark.title });
    at = mark.end;
  }
  if (at < chars.length) segments.push({ text: chars.slice(at).join(""), kind: null, title: null });
  return segments;
}

/** A UTF-16 offset (what the DOM counts) as a code-point offset (what the core counts). */
export function codePointOffset(text: string, utf16: number): number {
  return Array.from(text.slice(0, utf16)).length;
}

/**
 * Words picked in a comment, trimmed of spaces and punctuation at the ends, as code-point
 * offsets; null when nothing but spaces or punctuation was picked.
 */
export function pickedWords(text: string, start: number, end: number): { start: number; end: number; text: string } | null {
  const chars = Array.from(text);
  let from = Math.max(0, Math.min(start, end));
  let to = Math.min(chars.length, Math.max(start, end));
  const edge = /[\s.,;:!?"“”‘’()[\]-]/u;
  while (from < to && edge.test(chars[from])) from += 1;
  while (to > from && edge.test(chars[to - 1])) to -= 1;
  if (from >= to) return null;
  return { start: from, end: to, text: chars.slice(from, to).join("") };
}

/** "1 vote", "3 votes". */
export function votesLabel(votes: number): string {
  return votes === 1 ? "1 vote" : `${votes} votes`;
}

/** How the count read the paste, for the line above the tally. */
export function shapeLabel(shape: string): string {
  switch (shape) {
    case "wordpress":
      return "a blog's comments (WordPress)";
    case "reddit":
      return "a Reddit thread";
    case "disqus":
      return "a Disqus thread";
    case "youtube":
      return "YouTube comments";
    default:
      return "one comment per paragraph";
  }
}
