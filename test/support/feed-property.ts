import fc from 'fast-check';
import { follow, post, Session, signup, unfollow } from '@app/testing';
import { expectedFeed, Stack } from './stack';

/** One random world: who follows whom, who posts (and deletes) what, who unfollows later. */
const world = fc.record({
  users: fc.integer({ min: 4, max: 8 }),
  follows: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 24 }),
  posts: fc.array(fc.record({ author: fc.nat(), deleted: fc.boolean() }), { minLength: 5, maxLength: 45 }),
  unfollows: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
  lateFollows: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
  limit: fc.integer({ min: 1, max: 7 }),
});

/**
 * Walking every user's feed page by page returns exactly the live posts of
 * the user and the accounts they follow, newest first, each once: for any
 * graph, with celebrities crossing the threshold, deletes and unfollows,
 * pages reaching below what Redis keeps, and posts arriving between pages.
 */
export function feedPropertySuite(mode: string): void {
  describe(`feed pagination property (FANOUT_MODE=${mode})`, () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await Stack.start();
    });
    afterAll(() => stack.close());

    it('every walk equals the expected feed from PostgreSQL', async () => {
      await fc.assert(
        fc.asyncProperty(world, async (w) => {
          const users: Session[] = [];
          for (let i = 0; i < w.users; i += 1) users.push(await signup(stack.postService, 'pp'));
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
          await pairs(w.lateFollows, follow);
          await stack.settle();

          for (const [i, user] of users.entries()) {
            const expected = await expectedFeed(stack.prisma, user.id);
            // New posts while the first user pages: they are newer than the walk, so they must not appear in it.
            const between =
              i === 0
                ? async () => void (await post(stack.postService, pick(i + 1), 'arriving mid-walk'))
                : undefined;
            const walked = await stack.walk(user.token, w.limit, between);
            expect(walked).toEqual(expected);
            // The later walks expect those posts too: let their fan-out finish first.
            if (between) await stack.settle();
          }
        }),
        { numRuns: 8, endOnFailure: true },
      );
    });
  });
}
