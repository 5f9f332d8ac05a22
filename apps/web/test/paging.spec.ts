import fc from 'fast-check';
import { appendOlder, byNewest, FeedState, mergeItems, prependNewer } from '../app/src/feed/paging';

const item = (id: number | string) => ({ id: String(id) });
const ids = (state: { items: Array<{ id: string }> }) => state.items.map((i) => Number(i.id));

/** A server's feed as newest-first ids, paged by cursor like feed-service (cursor = last id of the page). */
function server(all: number[], limit: number) {
  const sorted = [...all].sort((a, b) => b - a);
  return (cursor?: string) => {
    const below = sorted.filter((id) => cursor === undefined || id < Number(cursor));
    const items = below.slice(0, limit).map(item);
    return { items, nextCursor: below.length > limit ? items[items.length - 1].id : null };
  };
}

describe('feed paging', () => {
  it('orders 64-bit ids as numbers, not strings', () => {
    expect(
      ['9', '10', '18446744073709551615', '100']
        .map(item)
        .sort(byNewest)
        .map((i) => i.id),
    ).toEqual(['18446744073709551615', '100', '10', '9']);
  });

  it('merges without duplicates, newest first', () => {
    expect(mergeItems([5, 4, 3].map(item), [4, 3, 2].map(item)).map((i) => i.id)).toEqual([
      '5',
      '4',
      '3',
      '2',
    ]);
  });

  it('reads a whole feed page by page with no duplicate and no gap, while new posts arrive on top (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 0, maxLength: 120 }),
        fc.uniqueArray(fc.integer({ min: 10_001, max: 20_000 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 0, max: 6 }),
        (old, fresh, limit, olderPagesFirst) => {
          let read = server(old, limit);
          let state: FeedState<{ id: string }> = appendOlder({ items: [], cursor: null }, read());
          for (let i = 0; i < olderPagesFirst && state.cursor; i += 1)
            state = appendOlder(state, read(state.cursor));
          // New posts are published; "show new posts" reads from the top, at most 5 pages.
          read = server([...old, ...fresh], limit);
          const pages = [];
          let cursor: string | undefined;
          for (let i = 0; i < 5; i += 1) {
            const page = read(cursor);
            pages.push(page);
            if (
              !page.nextCursor ||
              page.items.some((it) => state.items[0] && byNewest(it, state.items[0]) >= 0)
            )
              break;
            cursor = page.nextCursor;
          }
          state = prependNewer(state, pages);
          while (state.cursor) state = appendOlder(state, read(state.cursor));
          expect(ids(state)).toEqual([...old, ...fresh].sort((a, b) => b - a));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('starts over below the new posts when they are too many to join to what was shown', () => {
    const shown = { items: [3, 2, 1].map(item), cursor: null };
    const pages = [{ items: [10, 9].map(item), nextCursor: '9' }];
    expect(prependNewer(shown, pages)).toEqual({ items: [10, 9].map(item), cursor: '9' });
  });
});
