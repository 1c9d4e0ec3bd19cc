import { describe, expect, it } from "vitest";
import { LAST_VIEW_KEY, loadLastView, rememberedText, restoredRoute, saveLastView, type ViewStore } from "./last-view";

function memory(): ViewStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe("the last view", () => {
  it("comes back for views that stand on their own", () => {
    for (const route of [
      { view: "settings" },
      { view: "playlists" },
      { view: "soundtrack", id: 12 },
      { view: "playlist", id: 3 },
      { view: "ranked-list", id: 1 },
    ] as const) {
      expect(restoredRoute(rememberedText(route))).toEqual(route);
    }
  });

  it("is not kept for a search or the new-soundtrack form", () => {
    expect(rememberedText({ view: "search" })).toBeNull();
    expect(rememberedText({ view: "new-soundtrack" })).toBeNull();
  });

  it("opens the library when the stored text is missing, damaged or unknown", () => {
    for (const text of [null, "", "{", "42", "null", '{"view":"search"}', '{"view":"nowhere"}',
      '{"view":"soundtrack"}', '{"view":"soundtrack","id":"7"}', '{"view":"playlist","id":-1}',
      '{"view":"playlist","id":1.5}']) {
      expect(restoredRoute(text)).toEqual({ view: "library" });
    }
  });

  it("is saved to and loaded from a store, and a failing store changes nothing", () => {
    const store = memory();
    saveLastView(store, { view: "soundtrack", id: 5 });
    expect(store.data.get(LAST_VIEW_KEY)).toBe('{"view":"soundtrack","id":5}');
    saveLastView(store, { view: "search" });
    expect(loadLastView(store)).toEqual({ view: "soundtrack", id: 5 });
    const broken: ViewStore = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("full");
      },
    };
    expect(loadLastView(broken)).toEqual({ view: "library" });
    expect(() => saveLastView(broken, { view: "settings" })).not.toThrow();
    expect(loadLastView(undefined)).toEqual({ view: "library" });
  });
});
