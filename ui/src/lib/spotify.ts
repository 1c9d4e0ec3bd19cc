// Pure helpers for the Spotify export panel and Settings → Spotify: how the review groups songs,
// what the progress bar and summary say, and which step Undo takes. No DOM and no commands here,
// so each rule is covered by Vitest; the decisions themselves are made by the Rust core.
import type { ApiError } from "./api";
import type { AddedInSpotify } from "./bindings/AddedInSpotify";
import type { ExportSummary } from "./bindings/ExportSummary";
import type { MatchCounts } from "./bindings/MatchCounts";
import type { MatchReport } from "./bindings/MatchReport";
import type { OutsideChanges } from "./bindings/OutsideChanges";
import type { SongMatch } from "./bindings/SongMatch";
import type { SpotifyEvent } from "./bindings/SpotifyEvent";
import type { SpotifyStatus } from "./bindings/SpotifyStatus";

/** The review's four groups, each in playlist order. */
export interface ReviewGroups {
  /** Found with confidence, or picked by the curator: these are exported. */
  matched: SongMatch[];
  /** Found, but not surely the right recording: the curator picks one. */
  toReview: SongMatch[];
  /** Nothing plausible came back (or never searched yet). */
  notFound: SongMatch[];
  /** The curator said so: left out of every export. */
  notOnSpotify: SongMatch[];
}

export function groupReview(songs: readonly SongMatch[]): ReviewGroups {
  const groups: ReviewGroups = { matched: [], toReview: [], notFound: [], notOnSpotify: [] };
  const ordered = [...songs].sort((a, b) => a.position - b.position);
  for (const song of ordered) {
    switch (song.state) {
      case "matched":
      case "chosen":
        groups.matched.push(song);
        break;
      case "doubtful":
        groups.toReview.push(song);
        break;
      case "not_found":
        groups.notFound.push(song);
        break;
      case "not_on_spotify":
        groups.notOnSpotify.push(song);
        break;
    }
  }
  return groups;
}

/**
 * How much longer (+) or shorter (−) a Spotify candidate is than the song: "+0:04", "−1:30".
 * A live take or a radio edit shows up here first, which is why the review lists it.
 * Empty when either length is unknown.
 */
export function durationDifference(songMs: number | null | undefined, candidateMs: number | null | undefined): string {
  if (songMs == null || candidateMs == null || !Number.isFinite(songMs) || !Number.isFinite(candidateMs)) return "";
  const seconds = Math.round((candidateMs - songMs) / 1000);
  if (seconds === 0) return "±0:00";
  const size = Math.abs(seconds);
  const text = `${Math.floor(size / 60)}:${String(size % 60).padStart(2, "0")}`;
  // U+2212 MINUS SIGN: the same width as "+", so a column of differences lines up.
  return `${seconds > 0 ? "+" : "\u2212"}${text}`;
}

/** A matcher score (0..1) as "87%"; empty when there is none. */
export function scorePercent(score: number | null | undefined): string {
  if (score == null || !Number.isFinite(score)) return "";
  return `${Math.round(Math.min(Math.max(score, 0), 1) * 100)}%`;
}

/** What the progress bar says for one event of matching or export. */
export function progressLabel(event: SpotifyEvent): string {
  switch (event.kind) {
    case "matching":
      return `Finding songs on Spotify: ${event.done} of ${event.total}`;
    case "reading":
      return "Reading the playlist on Spotify…";
    case "writing":
      return `Updating the Spotify playlist: ${event.done} of ${event.total} changes`;
    case "waiting":
      return `Waiting for Spotify (rate limit): ${event.seconds} s`;
    case "finished":
      return "Done";
  }
}

/** How full the bar is (0..1), or null when the step has no measurable length. */
export function progressFraction(event: SpotifyEvent): number | null {
  switch (event.kind) {
    case "matching":
    case "writing":
      return event.total > 0 ? Math.min(event.done / event.total, 1) : null;
    case "finished":
      return 1;
    default:
      return null;
  }
}

/** Songs that would be left out of an export because nobody decided them yet. */
export function unresolvedCount(counts: MatchCounts): number {
  return counts.doubtful + counts.not_found;
}

/** Songs an export puts on Spotify. */
export function exportableCount(counts: MatchCounts): number {
  return counts.matched + counts.chosen;
}

/** The note beside Export when some songs have no Spotify track yet. */
export function leftOutNote(counts: MatchCounts): string {
  const left = unresolvedCount(counts);
  if (left === 0) return "";
  return `${left} ${left === 1 ? "song has" : "songs have"} no Spotify track yet and will be left out.`;
}

/**
 * Whether matching has decided anything for this playlist. The review lists never-searched songs
 * as "not found" with no candidates, so only a playlist where every song looks like that has
 * never been matched.
 */
export function hasBeenMatched(report: MatchReport): boolean {
  return report.songs.some((song) => song.state !== "not_found" || song.candidates.length > 0 || song.score != null);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "7 matched, 1 chosen by you, 2 to review, 1 not found, 1 not on Spotify" (zeros left out). */
export function countsLine(counts: MatchCounts): string {
  const parts = [
    [counts.matched, "matched"],
    [counts.chosen, "chosen by you"],
    [counts.doubtful, "to review"],
    [counts.not_found, "not found"],
    [counts.not_on_spotify, "not on Spotify"],
  ] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, label]) => `${n} ${label}`);
  return shown.length ? shown.join(", ") : "no songs";
}

/** The sentence at the top of the export summary. */
export function summarySentence(summary: ExportSummary): string {
  const songs = plural(summary.exported, "song", "songs");
  if (summary.unchanged) return `Nothing changed since the last export: the Spotify playlist already has these ${songs}.`;
  if (summary.created) return `Created a Spotify playlist with ${songs}.`;
  if (summary.followed_again) return `Followed the Spotify playlist again: it is back among your playlists, with ${songs}.`;
  return `Updated the Spotify playlist: it now has ${songs}.`;
}

/**
 * Whether an export failed because the playlist it synced with was deleted in Spotify (which
 * only unfollows it there: it can be followed again, or a new one made).
 */
export function isDeletedRemote(error: Pick<ApiError, "code" | "message">): boolean {
  return error.code === "not_found" && error.message.includes("deleted in Spotify");
}

/** One item someone added in Spotify, in words: "the local file "Demo Tape" by My Band". */
export function addedItemText(item: AddedInSpotify): string {
  const named = item.title == null ? "" : item.artists.length > 0 ? `"${item.title}" by ${item.artists.join(", ")}` : `"${item.title}"`;
  switch (item.kind) {
    case "unavailable":
      return "a song Spotify no longer has";
    case "local_file":
      return named ? `the local file ${named}` : "a local file";
    case "song":
      return named || "a song";
  }
}

/**
 * What the export undid of edits made in Spotify's own apps, one line each; empty when nothing
 * had been changed there.
 */
export function changedInSpotifyLines(changes: OutsideChanges | null | undefined): string[] {
  if (!changes) return [];
  const lines: string[] = [];
  if (changes.removed.length > 0) {
    lines.push(`Removed ${plural(changes.removed.length, "item", "items")} added in Spotify: ${changes.removed.map(addedItemText).join("; ")}.`);
  }
  if (changes.restored > 0) lines.push(`Put back ${plural(changes.restored, "song", "songs")} removed in Spotify.`);
  if (changes.moved_back > 0) lines.push(`Moved ${plural(changes.moved_back, "song", "songs")} back into your order.`);
  return lines;
}

/** What stands between the curator and an export, before any network call. */
export type Readiness = "no_client_id" | "logged_out" | "ready";

export function readiness(status: SpotifyStatus): Readiness {
  if (!status.client_id) return "no_client_id";
  if (!status.logged_in) return "logged_out";
  return "ready";
}

/** Where Settings says the tokens are kept. */
export function tokenStoreText(status: SpotifyStatus): string {
  if (status.token_store === "keychain") return "system keychain";
  return status.token_file ? `a file only you can read: ${status.token_file}` : "a file only you can read";
}

/**
 * How Undo restores a song's previous standing. A curator's own decision is simply made again;
 * a search result cannot be written back, so it is forgotten and the next matching run searches
 * just that song again.
 */
export type UndoStep = { kind: "choose"; uri: string | null } | { kind: "forget" };

export function undoStep(before: Pick<SongMatch, "state" | "uri">): UndoStep {
  if (before.state === "chosen" && before.uri) return { kind: "choose", uri: before.uri };
  if (before.state === "not_on_spotify") return { kind: "choose", uri: null };
  return { kind: "forget" };
}

/** The words the search box starts with: what a person would type into Spotify. */
export function defaultSearchWords(song: Pick<SongMatch, "title" | "artists">): string {
  return [song.artists[0] ?? "", song.title].filter((part) => part.trim() !== "").join(" ");
}

/**
 * Whether what the curator typed in a song's search box is a Spotify track (URI or link) to use
 * as is, rather than words to search for. The core checks it properly when it is chosen.
 */
export function looksLikeTrackLink(text: string): boolean {
  const trimmed = text.trim();
  return /^spotify:track:\S+$/.test(trimmed) || /^https?:\/\/open\.spotify\.com\/\S*track\/\S+$/.test(trimmed);
}

/** Seconds left of a rate-limit wait that started at `since` (ms) and lasts `seconds`. */
export function secondsLeft(seconds: number, since: number, now: number): number {
  return Math.max(0, Math.ceil(seconds - (now - since) / 1000));
}
