// The view the window comes back to at the next start: the route is kept in the page's own
// storage when it changes and read once at start. Only views that stand on their own come back;
// a search, a half-filled form or anything unreadable opens the library instead.
import type { Route } from "./ui-state.svelte";

export const LAST_VIEW_KEY = "cuesheet:last-view";

const PLAIN = new Set(["library", "favourite-songs", "playlists", "ranked-lists", "trash", "settings"]);
const WITH_ID = new Set(["soundtrack", "playlist", "ranked-list"]);

/** The route worth restoring, as stored text; `null` when it should not come back. */
export function rememberedText(route: Route): string | null {
  if (PLAIN.has(route.view)) return JSON.stringify({ view: route.view });
  if ("id" in route && WITH_ID.has(route.view)) return JSON.stringify({ view: route.view, id: route.id });
  return null;
}

/** The route stored text describes, or the library when it is missing, old or damaged. */
export function restoredRoute(text: string | null): Route {
  const library: Route = { view: "library" };
  if (!text) return library;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return library;
  }
  if (typeof value !== "object" || value === null) return library;
  const { view, id } = value as { view?: unknown; id?: unknown };
  if (typeof view !== "string") return library;
  if (PLAIN.has(view)) return { view } as Route;
  if (WITH_ID.has(view) && typeof id === "number" && Number.isSafeInteger(id) && id > 0) {
    return { view, id } as Route;
  }
  return library;
}

/** Storage that may be missing or refuse writes (private modes, a full disk): never throws. */
export interface ViewStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadLastView(store: ViewStore | undefined): Route {
  try {
    return restoredRoute(store?.getItem(LAST_VIEW_KEY) ?? null);
  } catch {
    return { view: "library" };
  }
}

export function saveLastView(store: ViewStore | undefined, route: Route): void {
  const text = rememberedText(route);
  if (text === null) return;
  try {
    store?.setItem(LAST_VIEW_KEY, text);
  } catch {
    // Not remembering the view is no reason to bother the person.
  }
}
