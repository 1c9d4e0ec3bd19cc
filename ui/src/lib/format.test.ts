import { describe, expect, it } from "vitest";
import {
  albumLine,
  formatDuration,
  halfStarsFromPointer,
  moveInGrid,
  placeholderCover,
  sourceLabel,
  starsText,
  trackCountLine,
} from "./format";

describe("formatDuration", () => {
  it("formats minutes and hours", () => {
    expect(formatDuration(207_000)).toBe("3:27");
    expect(formatDuration(59_600)).toBe("1:00");
    expect(formatDuration(3_723_000)).toBe("1:02:03");
  });
  it("shows nothing for an unknown duration", () => {
    expect(formatDuration(null)).toBe("");
    expect(formatDuration(-5)).toBe("");
    expect(formatDuration(Number.NaN)).toBe("");
  });
});

describe("stars", () => {
  it("reads half stars", () => {
    expect(starsText(7)).toBe("3.5 of 5 stars");
    expect(starsText(10)).toBe("5 of 5 stars");
    expect(starsText(null)).toBe("not rated");
  });
  it("maps a click on a star half to half stars", () => {
    expect(halfStarsFromPointer(0, 0.2)).toBe(1);
    expect(halfStarsFromPointer(0, 0.8)).toBe(2);
    expect(halfStarsFromPointer(4, 0.9)).toBe(10);
    expect(halfStarsFromPointer(9, 0.9)).toBe(10);
  });
});

describe("placeholderCover", () => {
  it("takes initials of the meaningful words, accents removed", () => {
    expect(placeholderCover("The Crow").initials).toBe("C");
    expect(placeholderCover("Empire Records").initials).toBe("ER");
    expect(placeholderCover("Élan Vital").initials).toBe("EV");
    expect(placeholderCover("!!!").initials).toBe("♪");
  });
  it("gives a stable hue per title and different hues to different titles", () => {
    expect(placeholderCover("Singles").hue).toBe(placeholderCover("Singles").hue);
    expect(placeholderCover("Singles").hue).not.toBe(placeholderCover("The Crow").hue);
    const hue = placeholderCover("Trainspotting").hue;
    expect(hue).toBeGreaterThanOrEqual(0);
    expect(hue).toBeLessThan(360);
  });
});

describe("card lines", () => {
  it("describes the album and the songs", () => {
    expect(albumLine({ album_title: "Singles", album_year: 1992 })).toBe("Singles (1992)");
    expect(albumLine({ album_title: null, album_year: null })).toBe("No album");
    expect(trackCountLine({ track_count: 13, film_only_count: 4 })).toBe("13 songs · 4 film-only");
    expect(trackCountLine({ track_count: 1, film_only_count: 0 })).toBe("1 song");
  });
  it("labels a source by its host", () => {
    expect(sourceLabel("https://www.discogs.com/release/1")).toBe("discogs.com");
    expect(sourceLabel("not a url")).toBe("not a url");
  });
});

describe("moveInGrid", () => {
  it("moves by one across and by a row down", () => {
    expect(moveInGrid(0, "ArrowRight", 4, 10)).toBe(1);
    expect(moveInGrid(1, "ArrowDown", 4, 10)).toBe(5);
    expect(moveInGrid(5, "ArrowUp", 4, 10)).toBe(1);
  });
  it("stays inside the grid", () => {
    expect(moveInGrid(0, "ArrowLeft", 4, 10)).toBe(0);
    expect(moveInGrid(8, "ArrowDown", 4, 10)).toBe(9);
    expect(moveInGrid(3, "End", 4, 10)).toBe(9);
    expect(moveInGrid(3, "x", 4, 10)).toBe(3);
    expect(moveInGrid(0, "ArrowDown", 4, 0)).toBe(-1);
  });
});

import { parseDuration } from "./tracklist";

describe("parseDuration", () => {
  it("reads m:ss and h:mm:ss", () => {
    expect(parseDuration("3:27")).toBe(207_000);
    expect(parseDuration(" 1:02:03 ")).toBe(3_723_000);
  });
  it("refuses what is not a duration", () => {
    expect(parseDuration("3:7")).toBeUndefined();
    expect(parseDuration("3:60")).toBeUndefined();
    expect(parseDuration("soon")).toBeUndefined();
  });
});
