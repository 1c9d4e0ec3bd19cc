// Timing against the window's frames, for work that must wait until something is on screen.

/** Runs `then` once the frame now being prepared has been painted. */
export function afterPaint(then: () => void) {
  requestAnimationFrame(() => setTimeout(then, 0));
}
