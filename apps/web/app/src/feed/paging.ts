/** Feed items are keyed by post id: a decimal string (64-bit safe), larger = newer. */
export interface Keyed {
  id: string;
}

/** Newer first: a positive result means `a` is older than `b`. */
export function byNewest(a: Keyed, b: Keyed): number {
  if (a.id.length !== b.id.length) return b.id.length - a.id.length;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Union of two newest-first lists, newest first, each id once (the later copy of an item wins). */
export function mergeItems<T extends Keyed>(current: readonly T[], incoming: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const item of current) byId.set(item.id, item);
  for (const item of incoming) byId.set(item.id, item);
  return [...byId.values()].sort(byNewest);
}

export interface FeedState<T extends Keyed> {
  items: T[];
  /** Cursor of the next older page; null once the end was reached. */
  cursor: string | null;
}

/** An older page, asked for with `state.cursor`: appended, and its cursor taken. */
export function appendOlder<T extends Keyed>(
  state: FeedState<T>,
  page: { items: T[]; nextCursor: string | null },
): FeedState<T> {
  return { items: mergeItems(state.items, page.items), cursor: page.nextCursor };
}

/**
 * Newer posts, read page by page from the top until a page reached what is
 * already shown, or the end. If the pages never reached it (too many new
 * posts), the shown list cannot be joined without a hole, so the new pages
 * replace it and older paging goes on below them.
 */
export function prependNewer<T extends Keyed>(
  state: FeedState<T>,
  pages: ReadonlyArray<{ items: T[]; nextCursor: string | null }>,
): FeedState<T> {
  if (pages.length === 0) return state;
  const fresh = pages.flatMap((page) => page.items);
  const last = pages[pages.length - 1];
  if (state.items.length === 0) return { items: mergeItems([], fresh), cursor: last.nextCursor };
  if (reachesShown(state.items, fresh) || last.nextCursor === null)
    return { items: mergeItems(state.items, fresh), cursor: state.cursor };
  return { items: mergeItems([], fresh), cursor: last.nextCursor };
}

/** Whether items read from the top reach the newest shown item (so reading further down is not needed). */
export function reachesShown(shown: readonly Keyed[], read: readonly Keyed[]): boolean {
  const top = shown[0];
  return !top || read.some((item) => byNewest(item, top) >= 0);
}
