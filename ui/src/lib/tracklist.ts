// Small text helpers for the song editor. The full paste reader ("Artist – Title" lines) lives
// in the Rust core so the window and `cuesheet add` read pasted text the same way.

/** "3:27" → 207000, "1:02:03" → 3723000, "" or nonsense → undefined. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(?:(\d{1,2}):)?(\d{1,3}):([0-5]\d)\s*$/.exec(text);
  if (!match) return undefined;
  const [, hours, minutes, seconds] = match;
  return ((Number(hours ?? 0) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
}
