import { MAX_POST_ID, MAX_USER_ID, packEntries, postIdTime, unpackEntries } from './timeline-entry';

describe('timeline entry codec', () => {
  it('round-trips ids up to 2^53 - 1 and 2^40 - 1 in 12 bytes each', () => {
    const entries = [
      { postId: MAX_POST_ID, authorId: MAX_USER_ID },
      { postId: 2 ** 48 + 5, authorId: 1 },
      { postId: 1, authorId: 123_456_789 },
    ];
    const packed = packEntries(entries);
    expect(packed).toHaveLength(36);
    expect(unpackEntries(packed)).toEqual(entries);
  });

  it('packs big-endian, so byte order is numeric order', () => {
    const [a, b] = [packEntries([{ postId: 256, authorId: 1 }]), packEntries([{ postId: 255, authorId: 1 }])];
    expect(Buffer.compare(a, b)).toBe(1);
  });

  it('refuses ids that do not fit', () => {
    expect(() => packEntries([{ postId: 2 ** 53, authorId: 1 }])).toThrow(RangeError);
    expect(() => packEntries([{ postId: 1, authorId: 2 ** 40 }])).toThrow(RangeError);
    expect(() => packEntries([{ postId: 0, authorId: 1 }])).toThrow(RangeError);
  });

  it('reads the creation time out of a post id', () => {
    const ms = Date.UTC(2026, 10, 24, 12, 0, 0);
    const id = (ms - Date.UTC(2025, 0, 1)) * 4096 + 17;
    expect(postIdTime(id)).toBe(ms);
  });
});
