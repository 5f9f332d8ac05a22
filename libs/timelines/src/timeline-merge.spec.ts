import { mergeWindows, SourceWindow } from './timeline-merge';

const window = (ids: number[], floor = 0, requested = 4): SourceWindow => ({
  entries: ids.map((postId) => ({ postId, authorId: 1 })),
  floor,
  requested,
});
const ids = (result: ReturnType<typeof mergeWindows>) =>
  result.complete ? result.entries.map((e) => e.postId) : 'incomplete';

describe('mergeWindows', () => {
  it('merges newest first and removes duplicates', () => {
    const result = mergeWindows([window([9, 7, 5]), window([8, 7, 2])], 3);
    expect(ids(result)).toEqual([9, 8, 7]);
    expect(result).toMatchObject({ hasMore: true });
  });

  it('ends when every source is exhausted and complete', () => {
    const result = mergeWindows([window([9, 5]), window([7])], 3);
    expect(ids(result)).toEqual([9, 7, 5]);
    expect(result).toMatchObject({ hasMore: false });
  });

  it('does not trust ids below a full window’s last entry', () => {
    // Source A returned all it was asked (4): anything below 6 is unknown to it, so 3 must not be served yet.
    const result = mergeWindows([window([9, 8, 7, 6]), window([3])], 3);
    expect(ids(result)).toEqual([9, 8, 7]);
  });

  it('is incomplete when a source runs out at its floor before the page is full', () => {
    expect(mergeWindows([window([9], 5), window([8, 2])], 3)).toEqual({ complete: false });
  });

  it('serves what is above every floor when that fills the page', () => {
    expect(ids(mergeWindows([window([20, 19, 18, 17], 10), window([16], 0)], 3))).toEqual([20, 19, 18]);
  });
});
