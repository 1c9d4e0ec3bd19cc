import { describe, expect, it } from "vitest";
import { Latest, editionLine, fillsText, lookupProblem, shouldSearch } from "./catalog";

describe("online look-ups", () => {
  it("searches once two letters or digits are typed", () => {
    expect(shouldSearch("")).toBe(false);
    expect(shouldSearch(" a !")).toBe(false);
    expect(shouldSearch("FM")).toBe(true);
    expect(shouldSearch("é!")).toBe(false);
    expect(shouldSearch("24")).toBe(true);
  });

  it("keeps only the newest answer", () => {
    const latest = new Latest();
    const first = latest.next();
    const second = latest.next();
    expect(latest.isCurrent(first)).toBe(false);
    expect(latest.isCurrent(second)).toBe(true);
  });

  it("reads an edition as a row", () => {
    expect(
      editionLine({
        id: "x", title: "T", date: "1996-07-30", country: "US", format: "CD", track_count: 14,
        media_count: 1, label: "Hollywood Records", catalog_number: "HR-62047-2", status: "Official",
        disambiguation: null,
      }),
    ).toBe("1996-07-30 · US · CD · 14 tracks · Hollywood Records HR-62047-2");
    expect(
      editionLine({
        id: "x", title: "T", date: null, country: null, format: null, track_count: 1, media_count: 1,
        label: null, catalog_number: null, status: "Promotion", disambiguation: null,
      }),
    ).toBe("no date · 1 track · promotion");
  });

  it("says what was filled in", () => {
    const none = {
      cover: false, ids: false, isrcs: 0, durations: 0, label: false, album_title: false,
      album_year: false, tracks_added: 0, source_link: false,
    };
    expect(fillsText(none)).toBe("nothing was missing");
    expect(fillsText({ ...none, cover: true, isrcs: 13, durations: 1, tracks_added: 3 })).toBe(
      "cover, 13 ISRCs, 1 length, 3 missing songs",
    );
  });

  it("makes offline one plain line", () => {
    expect(lookupProblem("offline", "could not reach MusicBrainz (x)")).toMatch(/^You're offline/);
    expect(lookupProblem("catalog", "MusicBrainz refused")).toBe("MusicBrainz refused");
  });
});
