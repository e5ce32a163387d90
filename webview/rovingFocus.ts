// Roving tabindex: a list of items (the diagram's boxes, the shape table's rows) is one Tab stop;
// the arrow keys, Home and End move focus within it, and Tab leaves it for the next control.

const STEPS: Record<string, number> = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };

/** The index focus moves to for this key, or null if the key is not a move. */
export function rovingIndex(key: string, index: number, count: number): number | null {
  if (count === 0) return null;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  const step = STEPS[key];
  return step === undefined ? null : Math.max(0, Math.min(count - 1, index + step));
}

/** Makes `current` the list's only Tab stop (the first item when none is given). */
export function setTabStop(items: Iterable<HTMLElement>, current: HTMLElement | undefined): void {
  let first: HTMLElement | undefined;
  for (const item of items) {
    first ??= item;
    item.tabIndex = -1;
  }
  const stop = current ?? first;
  if (stop) stop.tabIndex = 0;
}

/** Handles a keydown inside a roving list: moves the Tab stop and focus, and eats the key. */
export function moveRovingFocus(event: KeyboardEvent, items: readonly HTMLElement[]): void {
  const index = items.findIndex((item) => item === event.target || item.contains(event.target as Node));
  if (index < 0) return;
  const next = rovingIndex(event.key, index, items.length);
  if (next === null) return;
  event.preventDefault();
  setTabStop(items, items[next]);
  items[next]!.focus();
}
