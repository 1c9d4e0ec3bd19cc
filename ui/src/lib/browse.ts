// Filtering and sorting of the library view. Pure functions over the summaries the core sends,
// so the rules are tested by Vitest and the window never waits on a command while browsing.
import type { Media } from "./bindings/Media";
import type { SoundtrackSummary } from "./bindings/SoundtrackSummary";

export type SortKey = "added" | "title" | "year" | "rating";

export interface BrowseFilter {
  favouritesOnly: boolean;
  tag: string | null;
  /** First year of the decade (1990 for the 1990s). */
  decade: number | null;
  media: Media | null;
  /** Minimum rating in half stars. */
  minRating: number | null;
  sort: SortKey;
}

export const NO_FILTER: BrowseFilter = {
  favouritesOnly: false,
  tag: null,
  decade: null,
  media: null,
  minRating: null,
  sort: "added",
};

export function decadeOf(year: number | null): number | null {
  return year == null ? null : Math.floor(year / 10) * 10;
}

/** Titles sort the way a person reads them: "The Crow" under C, accents ignored. */
export function titleSortKey(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/^(the|a|an)\s+/i, "")
    .toLowerCase();
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

export function browse(items: SoundtrackSummary[], filter: BrowseFilter): SoundtrackSummary[] {
  // The filter is read once, not once per item: in the window it is a reactive proxy, and
  // 50,000 tracked reads cost more than the filtering itself.
  const { favouritesOnly, decade, media, minRating, sort } = filter;
  const tag = filter.tag?.toLowerCase() ?? null;
  const kept = items.filter(
    (item) =>
      (!favouritesOnly || item.favourite) &&
      (tag == null || item.tags.some((t) => t.toLowerCase() === tag)) &&
      (decade == null || decadeOf(item.film_year) === decade) &&
      (media == null || item.media === media) &&
      (minRating == null || (item.rating ?? 0) >= minRating),
  );
  // Each title's key is worked out once, not once per comparison (a sort of 10,000 compares
  // about 140,000 pairs).
  const keys = new Map<number, string>();
  const key = (item: SoundtrackSummary) => {
    let found = keys.get(item.id);
    if (found === undefined) {
      found = titleSortKey(item.film_title);
      keys.set(item.id, found);
    }
    return found;
  };
  const byTitle = (a: SoundtrackSummary, b: SoundtrackSummary) => collator.compare(key(a), key(b));
  const compare: Record<SortKey, (a: SoundtrackSummary, b: SoundtrackSummary) => number> = {
    // RFC 3339 timestamps in UTC order as plain strings; a locale-aware compare of 10,000 of
    // them is what made a big library slow to open.
    added: (a, b) => (a.added_at < b.added_at ? -1 : a.added_at > b.added_at ? 1 : a.id - b.id),
    title: byTitle,
    // Unknown years and ratings go last whichever way the rest is ordered.
    year: (a, b) => (a.film_year ?? 9999) - (b.film_year ?? 9999) || byTitle(a, b),
    rating: (a, b) => (b.rating ?? -1) - (a.rating ?? -1) || byTitle(a, b),
  };
  return kept.sort(compare[sort]);
}

/** The choices the filter bar offers, drawn from what the library holds. */
export function filterChoices(items: SoundtrackSummary[]): { tags: string[]; decades: number[] } {
  const tags = new Map<string, string>();
  const decades = new Set<number>();
  for (const item of items) {
    for (const tag of item.tags) if (!tags.has(tag.toLowerCase())) tags.set(tag.toLowerCase(), tag);
    const decade = decadeOf(item.film_year);
    if (decade != null) decades.add(decade);
  }
  return {
    tags: [...tags.values()].sort(collator.compare),
    decades: [...decades].sort((a, b) => a - b),
  };
}
