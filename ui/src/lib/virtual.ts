// The arithmetic of the virtual library grid: how many columns fit, and which rows to keep in the
// page. Pure, so Vitest checks it; LibraryView reads the sizes from the page and calls these.

/** Columns that CSS `repeat(auto-fill, minmax(min, 1fr))` with `gap` would lay out in `width`. */
export function gridColumns(width: number, min: number, gap: number): number {
  if (!(width > 0)) return 1;
  return Math.max(1, Math.floor((width + gap) / (min + gap)));
}

/**
 * Rows `[first, last)` to render when the viewport's top is `top` pixels below the grid's top
 * and it is `height` tall, with rows `stride` apart (height plus gap), `overscan` rows either side.
 */
export function visibleRows(
  top: number,
  height: number,
  stride: number,
  rows: number,
  overscan: number,
): { first: number; last: number } {
  if (rows <= 0 || !(stride > 0)) return { first: 0, last: Math.max(rows, 0) };
  const first = Math.min(rows, Math.max(0, Math.floor(top / stride) - overscan));
  const last = Math.min(rows, Math.max(first, Math.ceil((top + Math.max(height, 0)) / stride) + overscan));
  return { first, last };
}
