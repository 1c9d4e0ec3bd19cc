import { describe, expect, it } from "vitest";
import css from "../app.css?raw";
import { contrast, palette } from "./contrast";

const light = palette(css.slice(css.indexOf(":root"), css.indexOf("@media (prefers-color-scheme: dark)")));
const dark = new Map([...light, ...palette(css.slice(css.indexOf("@media (prefers-color-scheme: dark)")))]);

// Foreground on background, and the ratio it needs: 4.5 for text, 3 for focus rings and stars.
const pairs: [string, string, number][] = [
  ["text", "bg", 4.5],
  ["text", "panel", 4.5],
  ["text", "sidebar", 4.5],
  ["muted", "bg", 4.5],
  ["muted", "panel", 4.5],
  ["muted", "sidebar", 4.5],
  ["accent", "bg", 4.5],
  ["accent", "panel", 4.5],
  ["on-accent", "accent", 4.5],
  ["danger", "bg", 4.5],
  ["danger", "panel", 4.5],
  ["film-only", "film-only-soft", 4.5],
  ["film-only", "panel", 4.5],
  ["text", "accent-soft", 4.5],
  ["focus", "bg", 3],
  ["focus", "panel", 3],
  ["star", "panel", 3],
  ["bg", "text", 4.5],
];

describe("the palettes meet WCAG AA contrast", () => {
  for (const [name, colours] of [["light", light], ["dark", dark]] as const) {
    it(`in ${name}`, () => {
      expect(colours.size).toBeGreaterThan(10);
      const failing = pairs
        .map(([fg, bg, needed]) => {
          const [a, b] = [colours.get(fg), colours.get(bg)];
          if (!a || !b) return `--${fg} or --${bg} is missing`;
          const ratio = contrast(a, b);
          return ratio >= needed ? null : `--${fg} ${a} on --${bg} ${b}: ${ratio.toFixed(2)}:1, needs ${needed}:1`;
        })
        .filter((problem) => problem !== null);
      expect(failing).toEqual([]);
    });
  }

  it("measures as WCAG does", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777", "#fff")).toBeCloseTo(4.48, 2);
    expect(contrast("#abc", "#abc")).toBe(1);
  });
});
