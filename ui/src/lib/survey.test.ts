import { describe, expect, it } from "vitest";
import type { Evidence } from "./bindings/Evidence";
import type { TallyEntry } from "./bindings/TallyEntry";
import {
  applyEdit,
  applyEdits,
  codePointOffset,
  entryKey,
  foldTitle,
  highlight,
  pickedWords,
  rank,
  votesLabel,
  votesOf,
  votingComments,
  type Edit,
} from "./survey";

function vote(comment: number, text: string, start = 0, kind: Evidence["kind"] = "title"): Evidence {
  return { comment, text, start, end: start + Array.from(text).length, kind };
}

function entry(title: string, soundtrack: number | null, evidence: Evidence[]): TallyEntry {
  return { title, votes: votesOf(evidence), soundtrack_id: soundtrack, release_group_id: null, release_id: null, year: null, evidence };
}

/** Singles 2 (comments 1, 4), The Crow 2 (comments 2, 3), Crow II 1 (comment 5). */
function tally(): TallyEntry[] {
  return [
    entry("Singles", 1, [vote(1, "Singles"), vote(1, "Alice in Chains", 20, "artist"), vote(4, "Singles", 5)]),
    entry("The Crow", 2, [vote(2, "The Crow"), vote(3, "the crow", 7)]),
    entry("Crow II", null, [vote(5, "Crow II")]),
  ];
}

const titles = (t: TallyEntry[]) => t.map((e) => [e.title, e.votes]);

describe("survey review rules", () => {
  it("folds titles like the core and keys entries by what they name", () => {
    expect(foldTitle("The Crow")).toBe("crow");
    expect(foldTitle("Love & a .45")).toBe(foldTitle("love and a 45"));
    expect(foldTitle("Mötley Crüe")).toBe("motley crue");
    expect(entryKey(tally()[0])).toBe("s:1");
    expect(entryKey({ title: "x", soundtrack_id: null, release_group_id: "rg-1" })).toBe("g:rg-1");
    expect(entryKey(tally()[2])).toBe("t:crow ii");
  });

  it("counts one vote per comment, and artists only beside a vote", () => {
    expect(votesOf([vote(1, "a"), vote(1, "b"), vote(2, "c", 0, "artist")])).toBe(1);
    expect(votesOf([vote(3, "+1", 0, "agreement"), vote(4, "x", 0, "curator")])).toBe(2);
    expect(votingComments(tally()[0])).toEqual([1, 4]);
  });

  it("ranks by votes, then first mention", () => {
    expect(titles(rank(tally()))).toEqual([
      ["Singles", 2],
      ["The Crow", 2],
      ["Crow II", 1],
    ]);
    const crowFirst = tally();
    crowFirst[1].evidence.unshift(vote(1, "Crow", 0));
    crowFirst[1].evidence[0].start = 0;
    crowFirst[0].evidence[0].start = 9;
    expect(rank(crowFirst)[0].title).toBe("The Crow");
  });

  it("drops a vote: the whole comment's words for that title", () => {
    const next = applyEdit(tally(), { kind: "drop", entry: "s:1", comment: 1 });
    expect(titles(next)).toEqual([
      ["The Crow", 2],
      ["Singles", 1],
      ["Crow II", 1],
    ]);
    expect(next.find((e) => e.title === "Singles")!.evidence.map((e) => e.comment)).toEqual([4]);
    const gone = applyEdit(tally(), { kind: "drop", entry: "t:crow ii", comment: 5 });
    expect(gone.map((e) => e.title)).not.toContain("Crow II");
  });

  it("merges two titles into the first, a comment voting for both counting once", () => {
    const withBoth = tally();
    withBoth[2].evidence.push(vote(2, "Crow 2", 10));
    const next = applyEdit(withBoth, { kind: "merge", into: "s:2", from: "t:crow ii" });
    expect(titles(next)).toEqual([
      ["The Crow", 3],
      ["Singles", 2],
    ]);
    expect(applyEdit(tally(), { kind: "merge", into: "s:2", from: "s:2" })).toEqual(tally());
  });

  it("splits votes off into a title of their own, or into one already there", () => {
    const next = applyEdit(tally(), { kind: "split", entry: "s:2", comments: [3], title: "The Crow: City of Angels" });
    expect(titles(next)).toEqual([
      ["Singles", 2],
      ["The Crow", 1],
      ["The Crow: City of Angels", 1],
      ["Crow II", 1],
    ]);
    const joined = applyEdit(tally(), { kind: "split", entry: "s:2", comments: [3], title: "crow ii" });
    expect(titles(joined)).toEqual([
      ["Singles", 2],
      ["Crow II", 2],
      ["The Crow", 1],
    ]);
    expect(applyEdit(tally(), { kind: "split", entry: "s:2", comments: [3], title: "  " })).toEqual(tally());
  });

  it("adds a missed vote from words picked in a comment", () => {
    const toExisting = applyEdit(tally(), {
      kind: "add",
      comment: 5,
      start: 0,
      end: 5,
      text: "Crow!",
      entry: "s:2",
      title: "The Crow",
    });
    expect(titles(toExisting)[0]).toEqual(["The Crow", 3]);
    expect(toExisting[0].evidence.at(-1)!.kind).toBe("curator");
    const added = applyEdit(tally(), {
      kind: "add",
      comment: 6,
      start: 4,
      end: 18,
      text: "Empire Records",
      entry: null,
      title: "Empire Records",
    });
    expect(titles(added).at(-1)).toEqual(["Empire Records", 1]);
    expect(added.at(-1)!.soundtrack_id).toBeNull();
  });

  it("replays edits over a fresh count, skipping those that no longer apply", () => {
    const edits: Edit[] = [
      { kind: "drop", entry: "s:1", comment: 4 },
      { kind: "merge", into: "s:2", from: "t:gone" },
      { kind: "add", comment: 6, start: 0, end: 6, text: "Clerks", entry: null, title: "Clerks" },
    ];
    const recounted = tally();
    recounted[0].evidence.push(vote(7, "+1", 0, "agreement"));
    recounted[0].votes = votesOf(recounted[0].evidence);
    expect(titles(applyEdits(recounted, edits))).toEqual([
      ["Singles", 2],
      ["The Crow", 2],
      ["Crow II", 1],
      ["Clerks", 1],
    ]);
  });

  it("highlights the words that named votes, counting code points", () => {
    const text = "Mötley? No: Singles and The Crow";
    const singles = entry("Singles", 1, [vote(1, "Singles", 12)]);
    const crow = entry("The Crow", 2, [vote(1, "The Crow", 24), vote(2, "Crow", 0)]);
    expect(highlight(text, 1, [singles, crow])).toEqual([
      { text: "Mötley? No: ", kind: null, title: null },
      { text: "Singles", kind: "title", title: "Singles" },
      { text: " and ", kind: null, title: null },
      { text: "The Crow", kind: "title", title: "The Crow" },
    ]);
    expect(highlight("", 1, [singles])).toEqual([]);
    const emoji = "🎸 Singles";
    expect(highlight(emoji, 1, [entry("Singles", 1, [vote(1, "Singles", 2)])])[1].text).toBe("Singles");
  });

  it("turns a selection into words", () => {
    const text = "🎸 I'd say “Empire Records”, honestly";
    const utf16Start = text.indexOf("“");
    const start = codePointOffset(text, utf16Start);
    expect(start).toBe(10);
    const end = codePointOffset(text, text.indexOf(","));
    expect(pickedWords(text, start, end)).toEqual({ start: 11, end: 25, text: "Empire Records" });
    expect(pickedWords(text, 1, 2)).toBeNull();
    expect(votesLabel(1)).toBe("1 vote");
    expect(votesLabel(3)).toBe("3 votes");
  });
});
