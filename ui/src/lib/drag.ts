// Drag and drop of songs onto playlists and within a playlist, built on pointer events rather
// than HTML5 drag and drop: WebKitGTK's HTML5 drag events do not fire from WebDriver, so the
// end-to-end test could not drive them, and pointer events behave the same with mouse, pen and
// touch. A drag starts after the pointer moves a few pixels, so a click stays a click.

export type DragPayload =
  | { kind: "tracks"; trackIds: number[]; label: string }
  | { kind: "entry"; entryId: number; position: number; label: string }
  | { kind: "ranked"; entryId: number; rank: number; label: string };

const START_DISTANCE = 5;
const DROP_EVENT = "cuesheet-drop";

let active: { payload: DragPayload; ghost: HTMLElement; over: HTMLElement | null } | null = null;

function targetAt(x: number, y: number): HTMLElement | null {
  const element = document.elementFromPoint(x, y) as HTMLElement | null;
  return element?.closest<HTMLElement>("[data-drop-target]") ?? null;
}

function setOver(target: HTMLElement | null) {
  if (!active || active.over === target) return;
  active.over?.classList.remove("drop-over");
  target?.classList.add("drop-over");
  active.over = target;
}

/** Svelte action: pressing on `node` and moving drags `payload`. */
export function draggable(node: HTMLElement, payload: DragPayload) {
  let current = payload;
  let start: { x: number; y: number; id: number } | null = null;

  function onMove(event: PointerEvent) {
    if (!start) return;
    if (!active) {
      if (Math.hypot(event.clientX - start.x, event.clientY - start.y) < START_DISTANCE) return;
      const ghost = document.createElement("div");
      ghost.className = "drag-ghost";
      ghost.textContent = current.label;
      ghost.setAttribute("data-testid", "drag-ghost");
      document.body.appendChild(ghost);
      active = { payload: current, ghost, over: null };
      document.body.classList.add("dragging");
    }
    active.ghost.style.transform = `translate(${event.clientX + 12}px, ${event.clientY + 8}px)`;
    setOver(targetAt(event.clientX, event.clientY));
  }

  function onUp(event: PointerEvent) {
    window.removeEventListener("pointermove", onMove);
    window.removeEventListener("pointerup", onUp);
    start = null;
    if (!active) return;
    const target = targetAt(event.clientX, event.clientY);
    const dropped = active.payload;
    setOver(null);
    active.ghost.remove();
    active = null;
    document.body.classList.remove("dragging");
    target?.dispatchEvent(new CustomEvent<DragPayload>(DROP_EVENT, { detail: dropped }));
  }

  function onDown(event: PointerEvent) {
    if (event.button !== 0) return;
    event.preventDefault();
    start = { x: event.clientX, y: event.clientY, id: event.pointerId };
    window.addEventListener("pointermove", onMove);
    window.addEventListener("pointerup", onUp);
  }

  node.addEventListener("pointerdown", onDown);
  return {
    update(next: DragPayload) {
      current = next;
    },
    destroy() {
      node.removeEventListener("pointerdown", onDown);
      window.removeEventListener("pointermove", onMove);
      window.removeEventListener("pointerup", onUp);
    },
  };
}

/** Svelte action: `node` accepts drops; `accept` gets what was dropped on it. */
export function dropTarget(node: HTMLElement, accept: (payload: DragPayload) => void) {
  let current = accept;
  const onDrop = (event: Event) => current((event as CustomEvent<DragPayload>).detail);
  node.dataset.dropTarget = "";
  node.addEventListener(DROP_EVENT, onDrop);
  return {
    update(next: (payload: DragPayload) => void) {
      current = next;
    },
    destroy() {
      node.removeEventListener(DROP_EVENT, onDrop);
    },
  };
}
