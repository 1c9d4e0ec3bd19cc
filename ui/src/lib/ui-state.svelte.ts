// Window-wide state that several views share: where the person is, the error banner and the
// undo toast. Views read it and call these functions; none of them talks to Rust (api.ts does).
import { api, toApiError, type ApiError } from "./api";
import type { PlaylistSummary } from "./bindings/PlaylistSummary";
import { loadLastView, saveLastView } from "./last-view";

export type Route =
  | { view: "library" }
  | { view: "search" }
  | { view: "favourite-songs" }
  | { view: "soundtrack"; id: number }
  | { view: "new-soundtrack" }
  | { view: "playlists" }
  | { view: "ranked-lists" }
  | { view: "ranked-list"; id: number }
  | { view: "survey" }
  | { view: "playlist"; id: number }
  | { view: "trash" }
  | { view: "settings" };

export interface Toast {
  message: string;
  undo?: () => Promise<void>;
}

/** The page's own storage, kept by WebKit between starts; absent in unit tests. */
const viewStore = typeof localStorage === "undefined" ? undefined : localStorage;

class UiState {
  /** Where the person was when the window last closed (`lib/last-view.ts`), else the library. */
  route = $state<Route>(loadLastView(viewStore));
  /** True until the person moves: a restored view whose item is gone opens the library. */
  #restored = this.route.view !== "library";
  /** The search box's text; kept while a result is open so Back returns to the results. */
  query = $state("");
  history = $state<Route[]>([]);
  error = $state<ApiError | null>(null);
  toast = $state<Toast | null>(null);
  /** Bumped after any change to the library so views reload what they show. */
  revision = $state(0);
  /** Every playlist, for the sidebar (a drop target each) and the add-to menus. */
  playlists = $state<PlaylistSummary[]>([]);
  /** A thread to count again, handed from a ranked list to the survey view. */
  surveyDraft = $state<{ text: string; agreeingReplies: boolean; name: string } | null>(null);
  /** A file dropped on the window or picked, waiting in the import preview. */
  importing = $state<{ path?: string; text?: string } | null>(null);
  #toastTimer: ReturnType<typeof setTimeout> | undefined;

  go(route: Route) {
    this.history = [...this.history.slice(-49), this.route];
    this.route = route;
    this.#restored = false;
    saveLastView(viewStore, route);
    this.error = null;
    if (route.view !== "search" && route.view !== "soundtrack") this.query = "";
  }

  back() {
    const previous = this.history.at(-1);
    this.history = this.history.slice(0, -1);
    this.route = previous ?? { view: "library" };
    this.#restored = false;
    saveLastView(viewStore, this.route);
    if (this.route.view !== "search") this.query = "";
  }

  /** Typing in the search box: the first keystroke opens the results, clearing leaves them. */
  search(text: string) {
    this.query = text;
    if (text.trim() === "") {
      if (this.route.view === "search") this.back();
    } else if (this.route.view !== "search") {
      this.go({ view: "search" });
    }
  }

  fail(reason: unknown) {
    const error = toApiError(reason);
    if (this.#restored && error.code === "not_found") {
      // The soundtrack or playlist the window was closed on has gone since: start at the library.
      this.#restored = false;
      this.route = { view: "library" };
      saveLastView(viewStore, this.route);
      return;
    }
    this.error = error;
  }

  changed() {
    this.revision += 1;
    void this.refreshPlaylists();
  }

  async refreshPlaylists() {
    try {
      this.playlists = await api.listPlaylists();
    } catch (reason) {
      this.fail(reason);
    }
  }

  /** Adds songs to a playlist and says what happened, including songs now there twice. */
  async addToPlaylist(playlistId: number, trackIds: number[]) {
    const name = this.playlists.find((p) => p.id === playlistId)?.name ?? "the playlist";
    const added = await this.run(() => api.addToPlaylist(playlistId, trackIds));
    if (!added) return;
    const twice = added.already_there.length
      ? ` ${added.already_there.map((t) => `“${t}”`).join(", ")} ${added.already_there.length === 1 ? "was" : "were"} already there and now ${added.already_there.length === 1 ? "appears" : "appear"} twice.`
      : "";
    this.notify({ message: `Added ${added.added} ${added.added === 1 ? "song" : "songs"} to ${name}.${twice}` });
  }

  notify(toast: Toast) {
    clearTimeout(this.#toastTimer);
    this.toast = toast;
    this.#toastTimer = setTimeout(() => (this.toast = null), 8000);
  }

  async undo() {
    const toast = this.toast;
    this.toast = null;
    if (!toast?.undo) return;
    try {
      await toast.undo();
      this.changed();
    } catch (reason) {
      this.fail(reason);
    }
  }

  /** Runs an edit, shows its failure in the banner, and tells views to reload on success. */
  async run<T>(edit: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await edit();
      this.changed();
      return result;
    } catch (reason) {
      this.fail(reason);
      return undefined;
    }
  }
}

export const ui = new UiState();
