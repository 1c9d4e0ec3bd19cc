// The one door to the Rust side: every command the window calls, typed with the bindings that
// ts-rs generates from the Rust types. Nothing else in the UI imports @tauri-apps/api, so a change
// of transport or a new command shows up here and nowhere else.
import { invoke } from "@tauri-apps/api/core";
import { Channel, convertFileSrc } from "@tauri-apps/api/core";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { BrowseChoices } from "./bindings/BrowseChoices";
import type { BrowseFilter } from "./bindings/BrowseFilter";
import type { BrowsePage } from "./bindings/BrowsePage";
import type { LibraryInfo } from "./bindings/LibraryInfo";
import type { AboutInfo } from "./bindings/AboutInfo";
import type { PastedTracklist } from "./bindings/PastedTracklist";
import type { AddedSongs } from "./bindings/AddedSongs";
import type { BackupProgress } from "./bindings/BackupProgress";
import type { BackupSummary } from "./bindings/BackupSummary";
import type { MergeSummary } from "./bindings/MergeSummary";
import type { Format } from "./bindings/Format";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { ImportSummary } from "./bindings/ImportSummary";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { PlaylistDetail } from "./bindings/PlaylistDetail";
import type { PlaylistSummary } from "./bindings/PlaylistSummary";
import type { RankedListDetail } from "./bindings/RankedListDetail";
import type { RankedListSummary } from "./bindings/RankedListSummary";
import type { SaveSurvey } from "./bindings/SaveSurvey";
import type { SavedSurvey } from "./bindings/SavedSurvey";
import type { SurveyCount } from "./bindings/SurveyCount";
import type { SurveyThread } from "./bindings/SurveyThread";
import type { SearchResults } from "./bindings/SearchResults";
import type { SongHit } from "./bindings/SongHit";
import type { SoundtrackDetail } from "./bindings/SoundtrackDetail";
import type { SoundtrackFields } from "./bindings/SoundtrackFields";
import type { ExportSummary } from "./bindings/ExportSummary";
import type { MatchReport } from "./bindings/MatchReport";
import type { SongMatch } from "./bindings/SongMatch";
import type { SpotifyEvent } from "./bindings/SpotifyEvent";
import type { SpotifyStatus } from "./bindings/SpotifyStatus";
import type { Target } from "./bindings/Target";
import type { TrackFields } from "./bindings/TrackFields";
import type { TrashItem } from "./bindings/TrashItem";
import type { AddOptions } from "./bindings/AddOptions";
import type { Added } from "./bindings/Added";
import type { CatalogEvent } from "./bindings/CatalogEvent";
import type { EnrichReport } from "./bindings/EnrichReport";
import type { Proposal } from "./bindings/Proposal";
import type { SoundtrackCandidate } from "./bindings/SoundtrackCandidate";

/** A failed command, with the code the UI may switch on and a message a person can read. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "ApiError";
    this.code = code;
  }
}

function isErrorPayload(value: unknown): value is ErrorPayload {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ErrorPayload).code === "string" &&
    typeof (value as ErrorPayload).message === "string"
  );
}

/** Turns whatever a rejected command gave into an ApiError, so callers handle one shape. */
export function toApiError(reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason;
  if (isErrorPayload(reason)) return new ApiError(reason.code, reason.message);
  if (reason instanceof Error) return new ApiError("internal", reason.message);
  return new ApiError("internal", String(reason));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toApiError(reason);
  }
}

declare global {
  interface Window {
    /** The library view's first page, handed over by the shell before any script ran. */
    __CUESHEET_FIRST_PAGE__?: BrowsePage;
  }
}

/**
 * The library view's first page (date added, no filter) if the shell handed it over at start
 * (src-tauri/src/lib.rs, `first_page_script`); given once, so a later view asks the core.
 */
export function takeFirstPage(): BrowsePage | undefined {
  const page = window.__CUESHEET_FIRST_PAGE__;
  delete window.__CUESHEET_FIRST_PAGE__;
  return page;
}

export const api = {
  /** `limit` soundtracks from `offset` of the library as filtered and sorted, with its counts. */
  browseSoundtracks: (filter: BrowseFilter, offset: number, limit: number) =>
    call<BrowsePage>("browse_soundtracks", { filter, offset, limit }),
  /** The tags and decades the library's filter bar offers. */
  browseChoices: () => call<BrowseChoices>("browse_choices"),
  /** Tells the shell the library's first data is on screen (read only by the start-up bench). */
  reportFirstRender: (pageMs: number, marks: string) => call<void>("report_first_render", { pageMs, marks }),
  getSoundtrack: (id: number) => call<SoundtrackDetail>("get_soundtrack", { id }),
  libraryInfo: () => call<LibraryInfo>("library_info"),
  /** The version and the third-party notices (empty in a build made without them). */
  about: () => call<AboutInfo>("about"),
  /** Playlist files handed to the window (`cuesheet FILE`, a second launch), each once. */
  takeOpenedFiles: () => call<string[]>("take_opened_files"),
  search: (query: string) => call<SearchResults>("search", { query }),
  favouriteSongs: () => call<SongHit[]>("favourite_songs"),
  createSoundtrack: (fields: SoundtrackFields, tracks: TrackFields[]) =>
    call<number>("create_soundtrack", { fields, tracks }),
  updateSoundtrack: (id: number, fields: SoundtrackFields) =>
    call<void>("update_soundtrack", { id, fields }),
  addTracks: (soundtrackId: number, tracks: TrackFields[]) =>
    call<number[]>("add_tracks", { soundtrackId, tracks }),
  updateTrack: (id: number, fields: TrackFields) => call<void>("update_track", { id, fields }),
  setFavourite: (target: Target, favourite: boolean) =>
    call<void>("set_favourite", { target, favourite }),
  setRating: (target: Target, halfStars: number | null) =>
    call<void>("set_rating", { target, halfStars }),
  setNotes: (target: Target, notes: string) => call<void>("set_notes", { target, notes }),
  setTags: (target: Target, tags: string[]) => call<string[]>("set_tags", { target, tags }),
  parseTracklist: (text: string, onAlbum: boolean) =>
    call<PastedTracklist>("parse_tracklist", { text, onAlbum }),
  tagSuggestions: (prefix: string) => call<string[]>("tag_suggestions", { prefix }),
  deleteItem: (target: Target) => call<void>("delete_item", { target }),
  restoreItem: (target: Target) => call<void>("restore_item", { target }),
  listTrash: () => call<TrashItem[]>("list_trash"),
  emptyTrash: () => call<number>("empty_trash"),
  setCover: (soundtrackId: number, path: string) =>
    call<string>("set_cover", { soundtrackId, path }),
  clearCover: (soundtrackId: number) => call<void>("clear_cover", { soundtrackId }),

  listPlaylists: () => call<PlaylistSummary[]>("list_playlists"),
  getPlaylist: (id: number) => call<PlaylistDetail>("get_playlist", { id }),
  createPlaylist: (name: string, description = "") => call<number>("create_playlist", { name, description }),
  updatePlaylist: (id: number, name: string, description: string) =>
    call<void>("update_playlist", { id, name, description }),
  deletePlaylist: (id: number) => call<void>("delete_playlist", { id }),
  addToPlaylist: (playlistId: number, trackIds: number[]) =>
    call<AddedSongs>("add_to_playlist", { playlistId, trackIds }),
  removePlaylistEntry: (entryId: number) => call<void>("remove_playlist_entry", { entryId }),
  movePlaylistEntry: (entryId: number, toPosition: number) =>
    call<void>("move_playlist_entry", { entryId, toPosition }),
  playlistFromSoundtrack: (soundtrackId: number, withFilmOnly: boolean) =>
    call<number>("playlist_from_soundtrack", { soundtrackId, withFilmOnly }),
  playlistFromFavourites: () => call<number>("playlist_from_favourites"),
  previewImport: (source: { path?: string; text?: string }) =>
    call<ImportPreview>("preview_import", { path: source.path ?? null, text: source.text ?? null }),
  importPlaylists: (
    source: { path?: string; text?: string },
    name: string | undefined,
    onProgress: (progress: ImportProgress) => void,
  ) => {
    const progress = new Channel<ImportProgress>();
    progress.onmessage = onProgress;
    return call<ImportSummary>("import_playlists", {
      path: source.path ?? null,
      text: source.text ?? null,
      name: name ?? null,
      progress,
    });
  },
  exportPlaylist: (id: number, format: Format, path: string) =>
    call<number>("export_playlist", { id, format, path }),

  backupLibrary: (path: string) => call<BackupSummary>("backup_library", { path }),
  /** Checks the backup, then adds what the library lacks; `onProgress` hears each step. */
  mergeBackup: (path: string, onProgress: (progress: BackupProgress) => void) => {
    const progress = new Channel<BackupProgress>();
    progress.onmessage = onProgress;
    return call<MergeSummary>("merge_backup", { path, progress });
  },
  /** Stops the merge in progress; nothing of it is kept. */
  cancelBackup: () => call<void>("cancel_backup"),

  listRankedLists: () => call<RankedListSummary[]>("list_ranked_lists"),
  getRankedList: (id: number) => call<RankedListDetail>("get_ranked_list", { id }),
  createRankedList: (name: string) => call<number>("create_ranked_list", { name }),
  deleteRankedList: (id: number) => call<void>("delete_ranked_list", { id }),
  addToRankedList: (listId: number, soundtrackId: number) =>
    call<void>("add_to_ranked_list", { listId, soundtrackId }),
  moveRankedEntry: (entryId: number, toRank: number) => call<void>("move_ranked_entry", { entryId, toRank }),
  removeRankedEntry: (entryId: number) => call<void>("remove_ranked_entry", { entryId }),
  setRankedNote: (entryId: number, note: string) => call<void>("set_ranked_note", { entryId, note }),
  playlistFromRankedList: (listId: number, top: number, songsEach: number) =>
    call<number>("playlist_from_ranked_list", { listId, top, songsEach }),

  /**
   * Counts a pasted thread's votes; `online` also looks up titles the library lacks (one a
   * second, progress to `onProgress`; `catalogCancel` stops it).
   */
  countSurvey: (
    text: string,
    agreeingReplies: boolean,
    online: boolean,
    onProgress: (event: CatalogEvent) => void = () => {},
  ) => {
    const progress = new Channel<CatalogEvent>();
    progress.onmessage = onProgress;
    return call<SurveyCount>("count_survey", { text, agreeingReplies, online, progress });
  },
  /**
   * "Make ranked list" from a reviewed tally; with `addFound`, the titles found online are
   * added to the library first (progress to `onProgress`).
   */
  saveSurvey: (request: SaveSurvey, addFound: boolean, onProgress: (event: CatalogEvent) => void = () => {}) => {
    const progress = new Channel<CatalogEvent>();
    progress.onmessage = onProgress;
    return call<SavedSurvey>("save_survey", { request, addFound, progress });
  },
  /** The thread a ranked list was counted from, or null. */
  rankedListSurvey: (id: number) => call<SurveyThread | null>("ranked_list_survey", { id }),
  /** The text of a thread saved as a .txt file. */
  readSurveyFile: (path: string) => call<string>("read_survey_file", { path }),

  spotifyStatus: () => call<SpotifyStatus>("spotify_status"),
  spotifySetClientId: (clientId: string | null) => call<SpotifyStatus>("spotify_set_client_id", { clientId }),
  /** Opens the system browser and resolves when the login finishes (or fails, or is cancelled). */
  spotifyLogin: () => call<SpotifyStatus>("spotify_login"),
  spotifyLogout: () => call<SpotifyStatus>("spotify_logout"),
  /** Stops the login, matching or export in progress; what was done so far is kept. */
  spotifyCancel: () => call<void>("spotify_cancel"),
  spotifyReview: (playlistId: number) => call<MatchReport>("spotify_review", { playlistId }),
  spotifyMatch: (playlistId: number, again: boolean, onProgress: (event: SpotifyEvent) => void) => {
    const progress = new Channel<SpotifyEvent>();
    progress.onmessage = onProgress;
    return call<MatchReport>("spotify_match", { playlistId, again, progress });
  },
  /** `uri` null means "not on Spotify". */
  spotifyChoose: (songId: string, uri: string | null) => call<SongMatch>("spotify_choose", { songId, uri }),
  spotifyForgetChoice: (songId: string) => call<void>("spotify_forget_choice", { songId }),
  spotifySearch: (songId: string, words: string) => call<SongMatch>("spotify_search", { songId, words }),
  spotifyExport: (
    playlistId: number,
    options: { public: boolean; recreate: boolean; followAgain: boolean },
    onProgress: (event: SpotifyEvent) => void,
  ) => {
    const progress = new Channel<SpotifyEvent>();
    progress.onmessage = onProgress;
    return call<ExportSummary>("spotify_export", {
      playlistId,
      public: options.public,
      recreate: options.recreate,
      followAgain: options.followAgain,
      progress,
    });
  },
  /** Opens an open.spotify.com or developer.spotify.com page in the browser. */
  openSpotifyLink: (url: string) => call<void>("open_spotify_link", { url }),
  /** Opens an http(s) page (a source link) in the system browser; the core refuses others. */
  openLink: (url: string) => call<void>("open_link", { url }),

  /** Soundtrack albums on MusicBrainz for a film or album title, best first. */
  catalogSearch: (query: string, year: number | null) =>
    call<SoundtrackCandidate[]>("catalog_search", { query, year }),
  /** A release's front cover as a data: URL (the page loads nothing remote), or null. */
  catalogThumbnail: (releaseId: string) => call<string | null>("catalog_thumbnail", { releaseId }),
  catalogAdd: (releaseId: string, options: AddOptions) => call<Added>("catalog_add", { releaseId, options }),
  /** Fills in soundtracks (all when `ids` is empty); `release` settles one doubtful match. */
  catalogEnrich: (
    ids: number[],
    apply: boolean,
    release: string | null,
    onProgress: (event: CatalogEvent) => void,
  ) => {
    const progress = new Channel<CatalogEvent>();
    progress.onmessage = onProgress;
    return call<EnrichReport>("catalog_enrich", { ids, apply, release, progress });
  },
  /** The review list kept from earlier look-ups: one soundtrack's, or every one's (no request). */
  catalogReviews: (soundtrackId: number | null) => call<Proposal[]>("catalog_reviews", { soundtrackId }),
  catalogDismissReview: (soundtrackId: number) => call<void>("catalog_dismiss_review", { soundtrackId }),
  catalogCancel: () => call<void>("catalog_cancel"),
  catalogContact: () => call<string | null>("catalog_contact"),
  catalogSetContact: (email: string | null) => call<string | null>("catalog_set_contact", { email }),
};

/** Calls `handler` with the paths of files dropped on the window; resolves to an unlisten. */
export async function onFilesDropped(handler: (paths: string[]) => void): Promise<() => void> {
  const { getCurrentWebview } = await import("@tauri-apps/api/webview");
  return getCurrentWebview().onDragDropEvent((event) => {
    if (event.payload.type === "drop") handler(event.payload.paths);
  });
}

/**
 * Calls `handler` whenever the shell has playlist files waiting (a second launch named one);
 * the handler then takes them with `api.takeOpenedFiles`. Resolves to an unlisten.
 */
export async function onFilesOpened(handler: () => void): Promise<() => void> {
  const { listen } = await import("@tauri-apps/api/event");
  return listen("files-opened", () => handler());
}

/** The address the window loads a stored cover from (served by the shell's cover:// scheme). */
export function coverUrl(fileName: string): string {
  return convertFileSrc(fileName, "cover");
}
