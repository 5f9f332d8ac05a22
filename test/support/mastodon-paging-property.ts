import fc from 'fast-check';
import { HomePaging } from '@app/feed';
import { follow, post, Session, signup, unfollow } from '@app/testing';
import { expectedFeed, Stack } from './stack';

const world = fc.record({
  users: fc.integer({ min: 3, max: 6 }),
  follows: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 18 }),
  posts: fc.array(fc.record({ author: fc.nat(), deleted: fc.boolean() }), { minLength: 5, maxLength: 35 }),
  unfollows: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
  limit: fc.integer({ min: 1, max: 6 }),
  /** Where since_id / min_id / max_id fall, as fractions of the feed. */
  cuts: fc.array(
    fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
    {
      minLength: 1,
      maxLength: 4,
    },
  ),
});

/**
 * Mastodon's paging of the home timeline against PostgreSQL's truth, for any
 * graph (celebrities crossing the threshold, deletes, unfollows, pages
 * reaching below what Redis keeps): walking down by max_id and up by min_id
 * each return the whole feed once, in order; since_id returns the newest page
 * above it; min_id with max_id the oldest page between them.
 */
export function mastodonPagingPropertySuite(mode: string): void {
  describe(`home timeline max_id/since_id/min_id property (FANOUT_MODE=${mode})`, () => {
    let stack: Stack;
    let paging: HomePaging;
    beforeAll(async () => {
      stack = await Stack.start();
      paging = stack.feed.get(HomePaging);
    });
    afterAll(() => stack.close());

    const ids = async (
      userId: number,
      q: { maxId?: number; sinceId?: number; minId?: number },
      limit: number,
    ) =>
      (
        await paging.page(userId, {
          maxId: q.maxId ?? 0,
          sinceId: q.sinceId ?? 0,
          minId: q.minId ?? 0,
          limit,
        })
      ).items.map((item) => Number(item.id));

    it('pages in both directions equal the feed from PostgreSQL', async () => {
      await fc.assert(
        fc.asyncProperty(world, async (w) => {
          const users: Session[] = [];
          for (let i = 0; i < w.users; i += 1) users.push(await signup(stack.postService, 'mp'));
          const pick = (n: number) => users[n % users.length];
          const pairs = async (list: Array<[number, number]>, apply: typeof follow) => {
            for (const [a, b] of list)
              if (pick(a) !== pick(b)) await apply(stack.postService, pick(a), pick(b));
          };
          await pairs(w.follows, follow);
          for (const p of w.posts) {
            const id = await post(stack.postService, pick(p.author));
            if (p.deleted)
              await stack.postService.request('DELETE', `/posts/${id}`, { token: pick(p.author).token });
          }
          await pairs(w.unfollows, unfollow);
          await stack.settle();

          for (const user of users) {
            const userId = Number(user.id);
            const expected = (await expectedFeed(stack.prisma, user.id)).map(Number);
            const ascending = [...expected].reverse();

            const down: number[] = [];
            for (let maxId = 0, guard = 0; guard < 1000; guard += 1) {
              const page = await ids(userId, { maxId }, w.limit);
              down.push(...page);
              if (page.length === 0) break;
              maxId = page[page.length - 1];
            }
            expect(down).toEqual(expected);

            const up: number[] = [];
            for (let minId = 1, guard = 0; guard < 1000; guard += 1) {
              const page = await ids(userId, { minId }, w.limit);
              expect(page).toEqual(
                ascending
                  .filter((id) => id > minId)
                  .slice(0, w.limit)
                  .reverse(),
              );
              if (page.length === 0) break;
              up.push(...[...page].reverse());
              minId = page[0];
            }
            expect(up).toEqual(ascending);

            for (const [a, b] of w.cuts) {
              const at = (f: number) =>
                expected.length === 0 ? 1 : expected[Math.floor(f * (expected.length - 1))];
              const [low, high] = [at(Math.max(a, b)), at(Math.min(a, b))];
              expect(await ids(userId, { sinceId: low }, w.limit)).toEqual(
                expected.filter((id) => id > low).slice(0, w.limit),
              );
              expect(await ids(userId, { minId: low, maxId: high }, w.limit)).toEqual(
                ascending
                  .filter((id) => id > low && id < high)
                  .slice(0, w.limit)
                  .reverse(),
              );
              expect(await ids(userId, { sinceId: low, maxId: high }, w.limit)).toEqual(
                expected.filter((id) => id > low && id < high).slice(0, w.limit),
              );
            }
          }
        }),
        { numRuns: 5, endOnFailure: true },
      );
      // Newer-than pages were served from Redis, not only by the PostgreSQL fallback.
      const metrics = (await stack.feed.request('GET', '/metrics')).body as string;
      expect(metrics).toMatch(/feedline_feed_windows_total\{[^}]*source="redis-newer"[^}]*\} [1-9]/);
    });
  });
}
