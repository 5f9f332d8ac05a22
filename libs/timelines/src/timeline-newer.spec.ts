import { mergeAbove } from './timeline-newer.store';

const entries = (...ids: number[]) => ids.map((postId) => ({ postId, authorId: postId % 7 }));

describe('mergeAbove', () => {
  it('returns the limit entries just above the id, newest first, de-duplicated', () => {
    const result = mergeAbove(
      [
        { entries: entries(20, 14, 12), floor: 0 },
        { entries: entries(15, 14, 11), floor: 5 },
      ],
      10,
      3,
    );
    expect(result).toEqual({ complete: true, entries: entries(14, 12, 11), full: true });
  });

  it('is incomplete when a source does not vouch for everything above the id', () => {
    expect(mergeAbove([{ entries: entries(30), floor: 25 }], 10, 3)).toEqual({ complete: false });
  });

  it('says when nothing more is above', () => {
    expect(mergeAbove([{ entries: entries(12), floor: 0 }], 10, 3)).toEqual({
      complete: true,
      entries: entries(12),
      full: false,
    });
  });
});
