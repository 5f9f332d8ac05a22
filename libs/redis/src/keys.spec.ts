import calculateSlot from 'cluster-key-slot';
import { RedisKeys } from './keys';

describe('RedisKeys', () => {
  const keys = new RedisKeys('fl', 'hybrid');

  it('puts the keys one script touches together in one cluster slot', () => {
    const slot = calculateSlot(keys.homeTimeline(42));
    expect(calculateSlot(keys.following(42))).toBe(slot);
    expect(calculateSlot(keys.pulledAuthors(42))).toBe(slot);
    expect(calculateSlot(keys.homeTimeline(43))).not.toBe(slot); // users spread over the cluster
  });

  it('separates the timelines of each fan-out mode, not the shared caches', () => {
    const push = new RedisKeys('fl', 'push');
    expect(push.homeTimeline(1)).not.toBe(keys.homeTimeline(1));
    expect(push.authorTimeline(1)).not.toBe(keys.authorTimeline(1));
    expect(push.post(1)).toBe(keys.post(1));
  });

  it('keeps everything under the prefix', () => {
    for (const key of [keys.homeTimeline(1), keys.authorTimeline(1), keys.post(1), keys.profile(1)]) {
      expect(key.startsWith('fl:')).toBe(true);
    }
  });
});
