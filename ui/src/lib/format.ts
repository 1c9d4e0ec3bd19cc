// Pure helpers that turn library values into what the window shows. No DOM and no commands here,
// so every rule is covered by Vitest without a window.
import type { SoundtrackSummary } from "./bindings/SoundtrackSummary";

/** 207000 → "3:27"; 3_723_000 → "1:02:03"; unknown → "". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return "";
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = String(totalSeconds % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** Half stars 1..10 → "★★★½☆"-style text for screen readers and the CLI-like list. */
export function starsText(halfStars: number | null | undefined): string {
  if (halfStars == null) return "not rated";
  const stars = halfStars / 2;
  return `${stars % 1 === 0 ? stars.toFixed(0) : stars.toFixed(1)} of 5 stars`;
}

/** The half-star value a click lands on: left half of star n gives 2n-1, right half 2n. */
export function halfStarsFromPointer(starIndex: number, fractionX: number): number {
  const clampedIndex = Math.min(Math.max(Math.floor(starIndex), 0), 4);
  return clampedIndex * 2 + (fractionX < 0.5 ? 1 : 2);
}

/** What a placeholder cover shows: initials of the film and a hue that stays the same per title. */
export function placeholderCover(title: string): { initials: string; hue: number } {
  const words = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0 && !/^(the|a|an|of|and)$/i.test(word));
  const initials = words
    .slice(0, 2)
    .map((word) => word[0].toUpperCase())
    .join("");
  // FNV-1a over UTF-16 units: a cheap, stable spread of titles over the colour wheel.
  let hash = 0x811c9dc5;
  for (let i = 0; i < title.length; i++) {
    hash ^= title.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return { initials: initials || "♪", hue: hash % 360 };
}

/** "1992 · Singles (1992)" style subtitle of a library card. */
export function albumLine(item: Pick<SoundtrackSummary, "album_title" | "album_year">): string {
  if (!item.album_title) return "No album";
  return item.album_year ? `${item.album_title} (${item.album_year})` : item.album_title;
}

/** "13 songs · 4 heard in the film only". */
export function trackCountLine(item: Pick<SoundtrackSummary, "track_count" | "film_only_count">): string {
  const album = `${item.track_count} ${item.track_count === 1 ? "song" : "songs"}`;
  return item.film_only_count > 0 ? `${album} · ${item.film_only_count} film-only` : album;
}

/** A URL's host without "www.", for short link labels; the full URL stays the link target. */
export function sourceLabel(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return url;
  }
}

/** The next index in a grid of `count` items laid out `columns` wide, for arrow-key moves. */
export function moveInGrid(
  index: number,
  key: string,
  columns: number,
  count: number,
): number {
  if (count === 0) return -1;
  const cols = Math.max(1, columns);
  let next = index;
  switch (key) {
    case "ArrowRight":
      next = index + 1;
      break;
    case "ArrowLeft":
      next = index - 1;
      break;
    case "ArrowDown":
      next = index + cols;
      break;
    case "ArrowUp":
      next = index - cols;
      break;
    case "Home":
      next = 0;
      break;
    case "End":
      next = count - 1;
      break;
    default:
      return index;
  }
  return Math.min(Math.max(next, 0), count - 1);
}
