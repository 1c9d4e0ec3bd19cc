// The virtual grid's arithmetic: columns as CSS lays them out, and the rows kept in the page.
import { describe, expect, it } from "vitest";
import { gridColumns, visibleRows } from "./virtual";

describe("gridColumns", () => {
  it("matches auto-fill with a gap", () => {
    expect(gridColumns(186, 186, 14)).toBe(1);
    expect(gridColumns(385, 186, 14)).toBe(1);
    expect(gridColumns(386, 186, 14)).toBe(2);
    expect(gridColumns(946, 186, 14)).toBe(4);
    expect(gridColumns(986, 186, 14)).toBe(5);
  });
  it("never answers less than one", () => {
    expect(gridColumns(0, 186, 14)).toBe(1);
    expect(gridColumns(NaN, 186, 14)).toBe(1);
    expect(gridColumns(50, 186, 14)).toBe(1);
  });
});

describe("visibleRows", () => {
  it("keeps the rows in view and the overscan either side", () => {
    expect(visibleRows(0, 800, 300, 2000, 3)).toEqual({ first: 0, last: 6 });
    expect(visibleRows(3000, 800, 300, 2000, 3)).toEqual({ first: 7, last: 16 });
  });
  it("stops at the ends", () => {
    expect(visibleRows(600_000, 800, 300, 2000, 3)).toEqual({ first: 1997, last: 2000 });
    expect(visibleRows(10_000_000, 800, 300, 2000, 3)).toEqual({ first: 2000, last: 2000 });
    expect(visibleRows(-500, 800, 300, 2000, 3)).toEqual({ first: 0, last: 4 });
  });
  it("shows everything when it cannot tell", () => {
    expect(visibleRows(0, 800, 0, 5, 3)).toEqual({ first: 0, last: 5 });
    expect(visibleRows(0, 800, 300, 0, 3)).toEqual({ first: 0, last: 0 });
  });
});
