import { describe, expect, it } from "vitest";
import { exportFileName, keyboardMove, playlistLength } from "./playlist";

describe("playlist helpers", () => {
  it("says how long a playlist is", () => {
    expect(playlistLength(4_495_000, 0)).toBe("1 h 14 min");
    expect(playlistLength(754_000, 0)).toBe("12 min 34 s");
    expect(playlistLength(60_000, 2)).toBe("1 min 0 s + 2 of unknown length");
  });
  it("moves with the keyboard inside the list", () => {
    expect(keyboardMove(2, "ArrowUp", 5)).toBe(1);
    expect(keyboardMove(1, "ArrowUp", 5)).toBeNull();
    expect(keyboardMove(5, "ArrowDown", 5)).toBeNull();
    expect(keyboardMove(3, "End", 5)).toBe(5);
    expect(keyboardMove(3, "x", 5)).toBeNull();
  });
  it("makes a safe file name", () => {
    expect(exportFileName("Singles: album/film?", "m3u8")).toBe("Singles album film.m3u8");
    expect(exportFileName("///", "csv")).toBe("playlist.csv");
  });
});
