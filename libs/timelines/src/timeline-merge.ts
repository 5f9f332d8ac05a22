import type { TimelineEntry } from './timeline-entry';

/** What one source (a home or an author timeline) returned for a window below the cursor. */
export interface SourceWindow {
  /** Newest first, all below the cursor. */
  entries: readonly TimelineEntry[];
  /** The source holds every eligible post above this id. */
  floor: number;
  /** How many entries were asked for: a full answer means more may follow. */
  requested: number;
}

export type MergeResult =
  | { complete: true; entries: TimelineEntry[]; hasMore: boolean }
  /** Some source ran out at its floor before the page was full: ask PostgreSQL instead. */
  | { complete: false };

/**
 * k-way merge of newest-first windows into one page of `limit`, de-duplicated
 * by post id. Only ids above every source's trusted bound are certain (a full
 * window vouches down to its last entry, a short one down to its floor); the
 * page is served from them or declared incomplete, never guessed.
 */
export function mergeWindows(sources: readonly SourceWindow[], limit: number): MergeResult {
  let bound = 0;
  for (const source of sources) {
    const full = source.entries.length >= source.requested;
    const trusted = full ? source.entries[source.entries.length - 1].postId - 1 : source.floor;
    bound = Math.max(bound, trusted);
  }
  const seen = new Set<number>();
  const merged: TimelineEntry[] = [];
  for (const source of sources) {
    for (const entry of source.entries) {
      if (entry.postId > bound && !seen.has(entry.postId)) {
        seen.add(entry.postId);
        merged.push(entry);
      }
    }
  }
  merged.sort((a, b) => b.postId - a.postId);
  if (merged.length > limit) return { complete: true, entries: merged.slice(0, limit), hasMore: true };
  if (bound === 0) return { complete: true, entries: merged, hasMore: false };
  return { complete: false };
}
