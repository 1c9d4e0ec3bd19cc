import { describe, expect, it } from "vitest";
import type { ExportSummary } from "./bindings/ExportSummary";
import type { MatchReport } from "./bindings/MatchReport";
import type { SongMatch } from "./bindings/SongMatch";
import type { SpotifyStatus } from "./bindings/SpotifyStatus";
import {
  countsLine,
  defaultSearchWords,
  durationDifference,
  groupReview,
  hasBeenMatched,
  isDeletedRemote,
  looksLikeTrackLink,
  secondsLeft,
  leftOutNote,
  progressFraction,
  progressLabel,
  readiness,
  scorePercent,
  summarySentence,
  addedItemText,
  changedInSpotifyLines,
  tokenStoreText,
  undoStep,
  unresolvedCount,
} from "./spotify";

function song(position: number, state: SongMatch["state"], extra: Partial<SongMatch> = {}): SongMatch {
  return {
    song_id: String(position),
    position,
    title: `Song ${position}`,
    artists: ["The Cure"],
    album: null,
    film: "The Crow",
    duration_ms: 200_000,
    state,
    uri: state === "matched" || state === "chosen" ? `spotify:track:${"a".repeat(21)}${position}` : null,
    score: null,
    candidates: [],
    ...extra,
  };
}

const zero = { matched: 0, chosen: 0, doubtful: 0, not_found: 0, not_on_spotify: 0 };

function summary(extra: Partial<ExportSummary>): ExportSummary {
  return {
    playlist_id: 1,
    remote_id: "r1",
    url: "https://open.spotify.com/playlist/r1",
    created: false,
    followed_again: false,
    unchanged: false,
    exported: 10,
    counts: { ...zero, matched: 10 },
    calls: { searches: 0, reads: 1, writes: 1, retries: 0 },
    minimum_writes: 1,
    changed_in_spotify: null,
    description_skipped: false,
    ...extra,
  };
}

function status(extra: Partial<SpotifyStatus>): SpotifyStatus {
  return {
    client_id: "0123456789abcdef0123456789abcdef",
    client_id_source: "settings",
    logged_in: true,
    user_id: "fan",
    user_name: "Film Fan",
    token_store: "file",
    token_file: "/home/fan/.local/share/cuesheet/spotify-tokens.json",
    expires_at: null,
    api_url: "https://api.spotify.com/v1",
    accounts_url: "https://accounts.spotify.com",
    ...extra,
  };
}

describe("the review", () => {
  it("groups songs by where they stand, in playlist order, chosen ones with the matched", () => {
    const groups = groupReview([
      song(4, "not_on_spotify"),
      song(3, "chosen"),
      song(1, "matched"),
      song(2, "doubtful"),
      song(5, "not_found"),
      song(6, "doubtful"),
    ]);
    expect(groups.matched.map((s) => s.position)).toEqual([1, 3]);
    expect(groups.toReview.map((s) => s.position)).toEqual([2, 6]);
    expect(groups.notFound.map((s) => s.position)).toEqual([5]);
    expect(groups.notOnSpotify.map((s) => s.position)).toEqual([4]);
  });

  it("knows whether matching ever ran", () => {
    const report = (songs: SongMatch[]): MatchReport => ({
      playlist_id: 1,
      playlist_name: "The Crow",
      songs,
      counts: zero,
      calls: { searches: 0, reads: 0, writes: 0, retries: 0 },
    });
    expect(hasBeenMatched(report([song(1, "not_found"), song(2, "not_found")]))).toBe(false);
    expect(hasBeenMatched(report([]))).toBe(false);
    expect(hasBeenMatched(report([song(1, "not_found"), song(2, "matched")]))).toBe(true);
    expect(hasBeenMatched(report([song(1, "not_found", { score: 0.2 })]))).toBe(true);
  });

  it("shows how much longer or shorter a candidate is", () => {
    expect(durationDifference(200_000, 204_000)).toBe("+0:04");
    expect(durationDifference(200_000, 110_000)).toBe("\u22121:30");
    expect(durationDifference(200_000, 200_400)).toBe("±0:00");
    expect(durationDifference(60_000, 725_000)).toBe("+11:05");
    expect(durationDifference(null, 200_000)).toBe("");
    expect(durationDifference(200_000, undefined)).toBe("");
  });

  it("shows scores as percentages", () => {
    expect(scorePercent(0.874)).toBe("87%");
    expect(scorePercent(1)).toBe("100%");
    expect(scorePercent(0)).toBe("0%");
    expect(scorePercent(1.3)).toBe("100%");
    expect(scorePercent(null)).toBe("");
  });

  it("undoes a curator's decision by making the earlier one again", () => {
    expect(undoStep({ state: "chosen", uri: "spotify:track:x" })).toEqual({ kind: "choose", uri: "spotify:track:x" });
    expect(undoStep({ state: "not_on_spotify", uri: null })).toEqual({ kind: "choose", uri: null });
    expect(undoStep({ state: "matched", uri: "spotify:track:y" })).toEqual({ kind: "forget" });
    expect(undoStep({ state: "doubtful", uri: null })).toEqual({ kind: "forget" });
    expect(undoStep({ state: "not_found", uri: null })).toEqual({ kind: "forget" });
  });

  it("starts the search box with the artist and title", () => {
    expect(defaultSearchWords({ title: "Burn", artists: ["The Cure", "Other"] })).toBe("The Cure Burn");
    expect(defaultSearchWords({ title: "Burn", artists: [] })).toBe("Burn");
  });
});

describe("progress", () => {
  it("labels each event", () => {
    expect(progressLabel({ kind: "matching", done: 3, total: 12 })).toBe("Finding songs on Spotify: 3 of 12");
    expect(progressLabel({ kind: "waiting", seconds: 5 })).toBe("Waiting for Spotify (rate limit): 5 s");
    expect(progressLabel({ kind: "writing", done: 1, total: 2 })).toBe("Updating the Spotify playlist: 1 of 2 changes");
    expect(progressLabel({ kind: "reading" })).toBe("Reading the playlist on Spotify…");
    expect(progressLabel({ kind: "finished" })).toBe("Done");
  });

  it("fills the bar only where the length is known", () => {
    expect(progressFraction({ kind: "matching", done: 3, total: 12 })).toBe(0.25);
    expect(progressFraction({ kind: "writing", done: 2, total: 2 })).toBe(1);
    expect(progressFraction({ kind: "matching", done: 0, total: 0 })).toBeNull();
    expect(progressFraction({ kind: "waiting", seconds: 5 })).toBeNull();
    expect(progressFraction({ kind: "reading" })).toBeNull();
    expect(progressFraction({ kind: "finished" })).toBe(1);
  });
});

describe("export", () => {
  it("says which songs will be left out", () => {
    expect(unresolvedCount({ ...zero, doubtful: 2, not_found: 1, not_on_spotify: 4 })).toBe(3);
    expect(leftOutNote({ ...zero, matched: 5 })).toBe("");
    expect(leftOutNote({ ...zero, doubtful: 1 })).toBe("1 song has no Spotify track yet and will be left out.");
    expect(leftOutNote({ ...zero, doubtful: 1, not_found: 2 })).toBe(
      "3 songs have no Spotify track yet and will be left out.",
    );
  });

  it("sums up what happened", () => {
    expect(summarySentence(summary({ created: true, exported: 1 }))).toBe("Created a Spotify playlist with 1 song.");
    expect(summarySentence(summary({}))).toBe("Updated the Spotify playlist: it now has 10 songs.");
    expect(summarySentence(summary({ unchanged: true }))).toMatch(/^Nothing changed/);
    expect(countsLine({ matched: 7, chosen: 1, doubtful: 0, not_found: 2, not_on_spotify: 1 })).toBe(
      "7 matched, 1 chosen by you, 2 not found, 1 not on Spotify",
    );
    expect(countsLine(zero)).toBe("no songs");
  });

  it("recognises a playlist deleted in Spotify", () => {
    expect(
      isDeletedRemote({
        code: "not_found",
        message: 'the Spotify playlist made from "x" was deleted in Spotify: it is no longer among your playlists there.',
      }),
    ).toBe(true);
    expect(isDeletedRemote({ code: "not_found", message: "there is no playlist 7" })).toBe(false);
    expect(isDeletedRemote({ code: "spotify", message: "deleted in Spotify" })).toBe(false);
  });

  it("says what it undid of edits made in Spotify", () => {
    expect(changedInSpotifyLines(null)).toEqual([]);
    expect(changedInSpotifyLines({ removed: [], restored: 0, moved_back: 0 })).toEqual([]);
    expect(
      changedInSpotifyLines({
        removed: [
          { kind: "local_file", title: "Demo Tape", artists: ["My Band"] },
          { kind: "unavailable", title: null, artists: [] },
          { kind: "song", title: "Creep", artists: ["Radiohead"] },
        ],
        restored: 1,
        moved_back: 2,
      }),
    ).toEqual([
      'Removed 3 items added in Spotify: the local file "Demo Tape" by My Band; a song Spotify no longer has; "Creep" by Radiohead.',
      "Put back 1 song removed in Spotify.",
      "Moved 2 songs back into your order.",
    ]);
    expect(addedItemText({ kind: "local_file", title: null, artists: [] })).toBe("a local file");
    expect(addedItemText({ kind: "song", title: "Creep", artists: [] })).toBe('"Creep"');
  });

  it("says when a deleted playlist was followed again", () => {
    expect(summarySentence(summary({ followed_again: true, exported: 2 }))).toBe(
      "Followed the Spotify playlist again: it is back among your playlists, with 2 songs.",
    );
  });
});

describe("settings", () => {
  it("says what is missing before an export", () => {
    expect(readiness(status({}))).toBe("ready");
    expect(readiness(status({ logged_in: false }))).toBe("logged_out");
    expect(readiness(status({ client_id: null, client_id_source: null, logged_in: false }))).toBe("no_client_id");
  });

  it("says where tokens are kept", () => {
    expect(tokenStoreText(status({ token_store: "keychain", token_file: null }))).toBe("system keychain");
    expect(tokenStoreText(status({}))).toBe(
      "a file only you can read: /home/fan/.local/share/cuesheet/spotify-tokens.json",
    );
  });
});

describe("the search box", () => {
  it("tells a Spotify track link from words", () => {
    expect(looksLikeTrackLink("spotify:track:4uLU6hMCjMI75M1A2tKUQC")).toBe(true);
    expect(looksLikeTrackLink(" https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC?si=abc ")).toBe(true);
    expect(looksLikeTrackLink("https://open.spotify.com/intl-de/track/4uLU6hMCjMI75M1A2tKUQC")).toBe(true);
    expect(looksLikeTrackLink("https://open.spotify.com/album/4uLU6hMCjMI75M1A2tKUQC")).toBe(false);
    expect(looksLikeTrackLink("the cure burn")).toBe(false);
    expect(looksLikeTrackLink("spotify track")).toBe(false);
  });

  it("counts down a rate-limit wait", () => {
    expect(secondsLeft(5, 1000, 1000)).toBe(5);
    expect(secondsLeft(5, 1000, 2500)).toBe(4);
    expect(secondsLeft(5, 1000, 9000)).toBe(0);
  });
});
