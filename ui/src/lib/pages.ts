// The library view's window onto the library: pages of the filtered, sorted list, fetched from
// the core as the grid scrolls near them and dropped when it scrolls far away, so the page holds
// a few hundred summaries however large the library is (issue 6: holding all 10,000 cost the
// web process about 12 MiB). Filtering and sorting happen in SQL (src-tauri/core/src/browse.rs);
// this module only decides which pages to ask for and which to keep. It knows nothing of Svelte
// or the DOM, so Vitest checks it with a fetch function of its own.
import type { BrowseFilter } from "./bindings/BrowseFilter";
import type { BrowsePage } from "./bindings/BrowsePage";
import type { SoundtrackSummary } from "./bindings/SoundtrackSummary";

export type FetchPage = (filter: BrowseFilter, offset: number, limit: number) => Promise<BrowsePage>;

export const NO_FILTER: BrowseFilter = {
  favourites_only: false,
  tag: null,
  decade: null,
  media: null,
  min_rating: null,
  sort: "added",
};

/** Whether anything but the order narrows the list. */
export function isFiltered(filter: BrowseFilter): boolean {
  return (
    filter.favourites_only ||
    filter.tag != null ||
    filter.decade != null ||
    filter.media != null ||
    filter.min_rating != null
  );
}

/** One answer to one filter: the pages in so far and the counts they came with. */
interface Answer {
  pages: Map<number, SoundtrackSummary[]>;
  matched: number;
  total: number;
  /** False until the first page has arrived, so the counts mean nothing yet. */
  loaded: boolean;
}

const noAnswer = (): Answer => ({ pages: new Map(), matched: 0, total: 0, loaded: false });

export class LibraryPages {
  private filter: BrowseFilter = NO_FILTER;
  /** What `item` and the counts answer from. */
  private shown: Answer = noAnswer();
  /**
   * After a `restart`, the new answer gathers here while the old one stays on screen, and
   * replaces it whole once the cards asked for are in: an edit never flashes a half-empty grid.
   */
  private next: Answer | null = null;
  private inFlight = new Map<number, Promise<void>>();
  /** Counts restarts, so an answer for an older filter or an older library is dropped. */
  private generation = 0;
  /** The middle of the cards last asked for: eviction keeps the pages nearest to it. */
  private focus = 0;

  constructor(
    private readonly fetchPage: FetchPage,
    /** Called whenever what `item` or the counts answer has changed. */
    private readonly changed: () => void,
    readonly pageSize = 100,
    /** Pages kept at most: enough for a tall window's overscan on both sides. */
    private readonly keep = 8,
  ) {}

  /** How many soundtracks pass the filter. */
  get matched(): number {
    return this.shown.matched;
  }

  /** How many soundtracks there are in all. */
  get total(): number {
    return this.shown.total;
  }

  /** False until the first answer has arrived. */
  get loaded(): boolean {
    return this.shown.loaded;
  }

  /** How many pages are held (for tests). */
  get held(): number {
    return this.shown.pages.size;
  }

  /**
   * Shows `first`, page 0 of `filter` read before the view asked (the shell hands it over at
   * start), at once and without a request. Refused (false) unless it is a whole first page of
   * this size, so a shell and UI that disagree on the size fall back to asking.
   */
  seed(filter: BrowseFilter, first: BrowsePage | undefined): boolean {
    if (!first || first.offset !== 0 || first.items.length !== Math.min(this.pageSize, first.matched)) return false;
    this.begin(filter);
    this.next = null;
    this.shown = { pages: new Map([[0, first.items]]), matched: first.matched, total: first.total, loaded: true };
    return true;
  }

  /**
   * Starts over with `filter` (a new filter, or the library changed): what is shown stays until
   * the new answer's pages for cards `[first, last)` are all in, then the new answer replaces it
   * at once. Resolves then.
   */
  async restart(filter: BrowseFilter, first: number, last: number): Promise<void> {
    const generation = this.begin(filter);
    const next = (this.next = noAnswer());
    try {
      await this.want(first, last);
    } finally {
      // Even after a failed page: a gap, which the next `want` asks for again, is better than
      // old cards that no longer belong to the list.
      if (generation === this.generation) {
        this.shown = next;
        this.next = null;
        this.changed();
      }
    }
  }

  /** Asks for the pages holding cards `[first, last)` not yet held; resolves once all are in. */
  want(first: number, last: number): Promise<void> {
    const from = Math.max(0, first);
    const to = Math.max(from + 1, last);
    this.focus = (from + to) / 2;
    const answer = this.next ?? this.shown;
    const waits: Promise<void>[] = [];
    for (let page = Math.floor(from / this.pageSize); page <= Math.floor((to - 1) / this.pageSize); page++) {
      if (answer.loaded && page * this.pageSize >= answer.matched) break;
      if (answer.pages.has(page)) continue;
      waits.push(this.inFlight.get(page) ?? this.load(page, answer));
    }
    return Promise.all(waits).then(() => undefined);
  }

  /** The card at `index`, or undefined while its page is on its way. */
  item(index: number): SoundtrackSummary | undefined {
    return this.shown.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Takes up `filter`, leaving every answer on its way to an older one unheard; the new generation. */
  private begin(filter: BrowseFilter): number {
    this.filter = { ...filter };
    this.inFlight.clear();
    return ++this.generation;
  }

  private load(page: number, answer: Answer): Promise<void> {
    const generation = this.generation;
    const loading = this.fetchPage(this.filter, page * this.pageSize, this.pageSize).then(
      (got) => {
        if (generation !== this.generation) return;
        this.inFlight.delete(page);
        answer.pages.set(page, got.items);
        answer.matched = got.matched;
        answer.total = got.total;
        answer.loaded = true;
        this.evict(answer.pages);
        if (answer === this.shown) this.changed();
      },
      (reason: unknown) => {
        if (generation === this.generation) this.inFlight.delete(page);
        throw reason;
      },
    );
    this.inFlight.set(page, loading);
    return loading;
  }

  /** Drops the pages farthest from the cards last asked for, down to `keep`. */
  private evict(pages: Map<number, SoundtrackSummary[]>) {
    if (pages.size <= this.keep) return;
    const middle = (page: number) => Math.abs((page + 0.5) * this.pageSize - this.focus);
    const farthest = [...pages.keys()].sort((a, b) => middle(b) - middle(a));
    for (const page of farthest.slice(0, pages.size - this.keep)) pages.delete(page);
  }
}
