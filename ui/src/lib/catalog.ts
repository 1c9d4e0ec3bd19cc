// Pure rules of the online look-ups in the window: when typing is worth a search, which answer
// is still wanted, how an edition and a fill-in read, and the one-line offline message.
import type { Edition } from "./bindings/Edition";
import type { Fills } from "./bindings/Fills";
import type { ErrorCode } from "./bindings/ErrorCode";

/** How long typing must pause before a search goes out (MusicBrainz allows one a second). */
export const PAUSE_MS = 600;

/** A search is worth a request once the text holds two letters or digits. */
export function shouldSearch(text: string): boolean {
  return (text.match(/[\p{L}\p{N}]/gu) ?? []).length >= 2;
}

/** Numbers each search so an answer to older typing is dropped when a newer one is out. */
export class Latest {
  private last = 0;
  next(): number {
    this.last += 1;
    return this.last;
  }
  isCurrent(ticket: number): boolean {
    return ticket === this.last;
  }
}

/** "1996-07-30 · US · CD · 14 tracks · Hollywood Records HR-62047-2" */
export function editionLine(edition: Edition): string {
  const parts = [edition.date ?? "no date"];
  if (edition.country) parts.push(edition.country);
  if (edition.format) parts.push(edition.format);
  parts.push(`${edition.track_count} ${edition.track_count === 1 ? "track" : "tracks"}`);
  const label = [edition.label, edition.catalog_number].filter(Boolean).join(" ");
  if (label) parts.push(label);
  if (edition.status && edition.status !== "Official") parts.push(edition.status.toLowerCase());
  return parts.join(" · ");
}

/** "cover, 13 ISRCs, 4 lengths" — or "nothing was missing". */
export function fillsText(fills: Fills): string {
  const parts: string[] = [];
  if (fills.cover) parts.push("cover");
  if (fills.ids) parts.push("MusicBrainz ids");
  if (fills.isrcs > 0) parts.push(`${fills.isrcs} ISRC${fills.isrcs === 1 ? "" : "s"}`);
  if (fills.durations > 0) parts.push(`${fills.durations} length${fills.durations === 1 ? "" : "s"}`);
  if (fills.tracks_added > 0) parts.push(`${fills.tracks_added} missing song${fills.tracks_added === 1 ? "" : "s"}`);
  if (fills.label) parts.push("label");
  if (fills.album_title) parts.push("album title");
  if (fills.album_year) parts.push("album year");
  return parts.length ? parts.join(", ") : "nothing was missing";
}

/** The one line the window shows when a look-up fails: offline says so plainly. */
export function lookupProblem(code: ErrorCode, message: string): string {
  if (code === "offline") return "You're offline: finding soundtracks online needs the internet. Nothing changed.";
  return message;
}
