// What the Settings view says while a backup is being merged: one line per stage and how far
// the bar is. Pure, so the wording and the sums are tested without a window.
import type { BackupProgress } from "./bindings/BackupProgress";

const doing: Record<BackupProgress["stage"], string> = {
  copying: "Copying the backup",
  checking: "Checking the backup",
  reading: "Checking its soundtracks, songs and playlists",
  covers: "Checking its covers",
  writing: "Adding to your library",
};

/** The stages in order; the bar runs across all of them, so it never jumps back. */
const order: BackupProgress["stage"][] = ["copying", "checking", "reading", "covers", "writing"];

export interface BackupBar {
  /** What is being done, for the label. */
  label: string;
  /** How far the whole merge is, from 0 to 1. */
  fraction: number;
}

export function backupBar(progress: BackupProgress): BackupBar {
  const stage = order.indexOf(progress.stage);
  const within = progress.total > 0 ? Math.min(1, Math.max(0, progress.done / progress.total)) : 0;
  return { label: `${doing[progress.stage]}…`, fraction: (stage + within) / order.length };
}
