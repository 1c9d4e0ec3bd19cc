// Pure helpers for playlist views, tested by Vitest.
import type { Format } from "./bindings/Format";

/** 4_495_000 ms → "1 h 14 min"; 754_000 → "12 min 34 s". */
export function playlistLength(ms: number, unknown: number): string {
  const seconds = Math.round(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const text = hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min ${seconds % 60} s`;
  return unknown > 0 ? `${text} + ${unknown} of unknown length` : text;
}

/** Where an entry lands after Alt+Up/Down, or null when it cannot move that way. */
export function keyboardMove(position: number, key: string, count: number): number | null {
  if (key === "ArrowUp" && position > 1) return position - 1;
  if (key === "ArrowDown" && position < count) return position + 1;
  if (key === "Home" && position > 1) return 1;
  if (key === "End" && position < count) return count;
  return null;
}

export const EXPORT_FORMATS: { format: Format; label: string; extension: string }[] = [
  { format: "m3u8", label: "M3U8 (players)", extension: "m3u8" },
  { format: "xspf", label: "XSPF", extension: "xspf" },
  { format: "jspf", label: "JSPF", extension: "jspf" },
  { format: "pls", label: "PLS", extension: "pls" },
  { format: "csv", label: "CSV (TuneMyMusic, Soundiiz)", extension: "csv" },
  { format: "uris", label: "Spotify URIs (paste into Spotify)", extension: "txt" },
];

/** A file name for the save dialog: the playlist's name without characters file systems refuse. */
export function exportFileName(name: string, extension: string): string {
  const safe = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, " ").replace(/\s+/g, " ").trim();
  return `${safe || "playlist"}.${extension}`;
}
