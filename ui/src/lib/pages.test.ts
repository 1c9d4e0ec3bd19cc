import { describe, expect, it } from "vitest";
import type { BrowseFilter } from "./bindings/BrowseFilter";
import type { BrowsePage } from "./bindings/BrowsePage";
import type { SoundtrackSummary } from "./bindings/SoundtrackSummary";
import { LibraryPages, NO_FILTER, isFiltered } from "./pages";

function summary(id: number, favourite = false): SoundtrackSummary {
  return {
    id,
    film_title: `Film ${id}`,
    film_year: null,
    media: "film",
    album_title: null,
    album_year: null,
    track_count: 0,
    film_only_count: 0,
    favourite,
    rating: null,
    cover: null,
    tags: [],
    added_at: "2026-01-01T00:00:00.000Z",
  };
}

/**
 * A library of `size` soundtracks answered page by page, as the core would, except that each
 * answer waits until the test releases it, so the order of arrivals is the test's to choose.
 */
class Library {
  items: SoundtrackSummary[];
  asked: { filter: BrowseFilter; offset: number; limit: number }[] = [];
  private waiting: { release: () => void; fail: (reason: unknown) => void }[] = [];

  constructor(size: number) {
    this.items = Array.from({ length: size }, (_, at) => summary(at + 1, at % 3 === 0));
  }

  fetch = (filter: BrowseFilter, offset: number, limit: number): Promise<BrowsePage> => {
    this.asked.push({ filter, offset, limit });
    return new Promise((resolve, reject) => {
      this.waiting.push({
        release: () => {
          const kept = this.items.filter((item) => !filter.favourites_only || item.favourite);
          resolve({ offset, items: kept.slice(offset, offset + limit), matched: kept.length, total: this.items.length });
        },
        fail: reject,
      });
    });
  };

  /** Answers every request made so far, in the order they were made. */
  async answerAll() {
    const now = this.waiting.splice(0);
    for (const request of now) request.release();
    await Promise.resolve();
    await new Promise((done) => setTimeout(done, 0));
  }

  async failAll() {
    const now = this.waiting.splice(0);
    for (const request of now) request.fail(new Error("the library is locked"));
    await new Promise((done) => setTimeout(done, 0));
  }
}

function setUp(size: number, keep = 4) {
  const library = new Library(size);
  let changes = 0;
  const pages = new LibraryPages(library.fetch, () => changes++, 10, keep);
  return { library, pages, changes: () => changes };
}

describe("LibraryPages", () => {
  it("asks only for the pages holding the cards wanted, once each", async () => {
    const { library, pages, changes } = setUp(95);
    const first = pages.restart(NO_FILTER, 0, 25);
    expect(library.asked.map((a) => a.offset)).toEqual([0, 10, 20]);
    expect(pages.item(0)).toBeUndefined();
    await library.answerAll();
    await first;
    expect(pages.item(0)?.id).toBe(1);
    expect(pages.item(24)?.id).toBe(25);
    expect(pages.item(30)).toBeUndefined();
    expect([pages.matched, pages.total, pages.loaded]).toEqual([95, 95, true]);
    expect(changes()).toBeGreaterThan(0);

    // Held pages and pages on their way are not asked for again; pages past the end never are.
    const more = pages.want(15, 35);
    const again = pages.want(30, 35);
    pages.want(90, 200);
    expect(library.asked.map((a) => a.offset)).toEqual([0, 10, 20, 30, 90]);
    await library.answerAll();
    await Promise.all([more, again]);
    expect(pages.item(34)?.id).toBe(35);
    expect(pages.item(94)?.id).toBe(95);
    expect(pages.item(95)).toBeUndefined();
  });

  it("keeps at most `keep` pages, the ones nearest the cards last wanted", async () => {
    const { library, pages } = setUp(200, 3);
    const opening = pages.restart(NO_FILTER, 0, 10);
    await library.answerAll();
    await opening;
    for (const start of [10, 20, 30, 40, 50]) {
      const loading = pages.want(start, start + 10);
      await library.answerAll();
      await loading;
    }
    expect(pages.held).toBe(3);
    expect(pages.item(55)?.id).toBe(56);
    expect(pages.item(35)?.id).toBe(36);
    expect(pages.item(5)).toBeUndefined();
    // Scrolling back asks for the dropped page again.
    pages.want(0, 10);
    expect(library.asked.at(-1)?.offset).toBe(0);
  });

  it("shows the old answer until the new filter's pages are all in, and drops late old answers", async () => {
    const { library, pages } = setUp(60);
    const opening = pages.restart(NO_FILTER, 0, 20);
    await library.answerAll();
    await opening;
    pages.want(20, 30); // still on its way when the filter changes

    const favourites = { ...NO_FILTER, favourites_only: true };
    const filtering = pages.restart(favourites, 0, 20);
    expect(library.asked.slice(-2).map((a) => [a.offset, a.filter.favourites_only])).toEqual([
      [0, true],
      [10, true],
    ]);
    // Until the answer is in, the old cards and counts stay.
    expect(pages.item(1)?.id).toBe(2);
    expect(pages.matched).toBe(60);
    await library.answerAll();
    await filtering;
    expect(pages.matched).toBe(20);
    expect(pages.item(1)?.id).toBe(4);
    expect(pages.item(1)?.favourite).toBe(true);
    // The unfiltered page that arrived late was not mixed in.
    expect(pages.item(20)).toBeUndefined();
    expect(isFiltered(favourites)).toBe(true);
    expect(isFiltered(NO_FILTER)).toBe(false);
  });

  it("passes a failure on and asks again next time", async () => {
    const { library, pages } = setUp(30);
    const opening = expect(pages.restart(NO_FILTER, 0, 10)).rejects.toThrow("locked");
    await library.failAll();
    await opening;
    expect(pages.item(0)).toBeUndefined();
    const retry = pages.want(0, 10);
    expect(library.asked.length).toBe(2);
    await library.answerAll();
    await retry;
    expect(pages.item(0)?.id).toBe(1);
  });

  it("shows a first page handed over at start without asking, and only a whole one", async () => {
    const { library, pages } = setUp(25);
    const handed = { offset: 0, items: library.items.slice(0, 10), matched: 25, total: 25 };
    expect(pages.seed(NO_FILTER, { ...handed, items: handed.items.slice(0, 7) })).toBe(false);
    expect(pages.seed(NO_FILTER, { ...handed, offset: 10 })).toBe(false);
    expect(pages.seed(NO_FILTER, undefined)).toBe(false);
    expect(pages.loaded).toBe(false);

    expect(pages.seed(NO_FILTER, handed)).toBe(true);
    expect(library.asked).toEqual([]);
    expect([pages.item(9)?.id, pages.matched, pages.loaded]).toEqual([10, 25, true]);
    // The rest of the list comes by asking, and asking again in place replaces the first page.
    const rest = pages.want(0, 25);
    expect(library.asked.map((a) => a.offset)).toEqual([10, 20]);
    await library.answerAll();
    await rest;
    library.items[0] = summary(100);
    const again = pages.restart(NO_FILTER, 0, 10);
    await library.answerAll();
    await again;
    expect(pages.item(0)?.id).toBe(100);
  });

  it("forgets a page on its way when the list starts over, and asks for it again", async () => {
    const { library, pages } = setUp(60);
    const opening = pages.restart(NO_FILTER, 0, 10);
    await library.answerAll();
    await opening;
    pages.want(50, 60); // scrolled down just before an edit
    const edited = pages.restart(NO_FILTER, 0, 10);
    await library.answerAll();
    await edited;
    expect(pages.item(55)).toBeUndefined();
    const again = pages.want(50, 60);
    expect(library.asked.at(-1)?.offset).toBe(50);
    await library.answerAll();
    await again;
    expect(pages.item(55)?.id).toBe(56);
  });
});
