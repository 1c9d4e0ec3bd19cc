import { describe, expect, it } from "vitest";
import type { SoundtrackSummary } from "./bindings/SoundtrackSummary";
import { NO_FILTER, browse, decadeOf, filterChoices, titleSortKey } from "./browse";

function summary(over: Partial<SoundtrackSummary>): SoundtrackSummary {
  return {
    id: 1,
    film_title: "Untitled",
    film_year: null,
    media: "film",
    album_title: null,
    album_year: null,
    track_count: 0,
    film_only_count: 0,
    favourite: false,
    rating: null,
    cover: null,
    tags: [],
    added_at: "2026-01-01T00:00:00.000Z",
    ...over,
  };
}

const library = [
  summary({ id: 1, film_title: "Singles", film_year: 1992, tags: ["grunge"], rating: 9, favourite: true }),
  summary({ id: 2, film_title: "The Crow", film_year: 1994, tags: ["Goth", "alt-rock"], rating: 10 }),
  summary({ id: 3, film_title: "Trainspotting", film_year: 1996, rating: 7 }),
  summary({ id: 4, film_title: "My So-Called Life", film_year: 1994, media: "tv" }),
  summary({ id: 5, film_title: "Élan", film_year: null, added_at: "2025-01-01T00:00:00.000Z" }),
];

const ids = (items: SoundtrackSummary[]) => items.map((item) => item.id);

describe("browse", () => {
  it("keeps everything in order of adding without a filter", () => {
    expect(ids(browse(library, NO_FILTER))).toEqual([5, 1, 2, 3, 4]);
  });
  it("filters by favourite, tag (any case), decade, media and rating", () => {
    expect(ids(browse(library, { ...NO_FILTER, favouritesOnly: true }))).toEqual([1]);
    expect(ids(browse(library, { ...NO_FILTER, tag: "goth" }))).toEqual([2]);
    expect(ids(browse(library, { ...NO_FILTER, decade: 1990, media: "film" }))).toEqual([1, 2, 3]);
    expect(ids(browse(library, { ...NO_FILTER, media: "tv" }))).toEqual([4]);
    expect(ids(browse(library, { ...NO_FILTER, minRating: 9 }))).toEqual([1, 2]);
  });
  it("sorts by title ignoring articles and accents, by year and by rating", () => {
    expect(ids(browse(library, { ...NO_FILTER, sort: "title" }))).toEqual([2, 5, 4, 1, 3]);
    expect(ids(browse(library, { ...NO_FILTER, sort: "year" }))).toEqual([1, 2, 4, 3, 5]);
    expect(ids(browse(library, { ...NO_FILTER, sort: "rating" }))).toEqual([2, 1, 3, 5, 4]);
  });
  it("does not reorder the caller's array", () => {
    const copy = [...library];
    browse(library, { ...NO_FILTER, sort: "title" });
    expect(library).toEqual(copy);
  });
});

describe("helpers", () => {
  it("computes decades and sort keys", () => {
    expect(decadeOf(1999)).toBe(1990);
    expect(decadeOf(null)).toBeNull();
    expect(titleSortKey("The Crow")).toBe("crow");
    expect(titleSortKey("Mötley")).toBe("motley");
  });
  it("offers the tags and decades in the library", () => {
    expect(filterChoices(library)).toEqual({ tags: ["alt-rock", "Goth", "grunge"], decades: [1990] });
  });
});
