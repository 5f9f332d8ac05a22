import { Test } from '@nestjs/testing';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { REDIS_CLIENT, RedisClient, RedisKeys, RedisModule } from '@app/redis';
import { useTestEnvironment } from '@app/testing';
import { TimelineStore } from './timeline.store';
import { TimelinesModule } from './timelines.module';

const CAP = 20;
useTestEnvironment({ TIMELINE_MAX: String(CAP) });

describe('TimelineStore (real Redis)', () => {
  let store: TimelineStore;
  let redis: RedisClient;
  let keys: RedisKeys;
  let close: () => Promise<void>;
  let nextUser = 1;

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, RedisModule, TimelinesModule],
    }).compile();
    const app = await module.init();
    store = app.get(TimelineStore);
    redis = app.get(REDIS_CLIENT);
    keys = app.get(RedisKeys);
    close = () => app.close();
  });
  afterAll(() => close());

  /** A user with a ready, empty home timeline who follows `following`. */
  async function readyUser(following: number[] = [], pulled: number[] = []): Promise<number> {
    const user = nextUser++;
    await store.claimHome(user, following, pulled);
    await store.finishHome(user, [], 0);
    return user;
  }

  const ids = async (user: number, cursor = 0, limit = 100) =>
    (await store.readHome(user, cursor, limit)).entries.map((e) => e.postId);

  it('reports a missing timeline and refuses deliveries into it', async () => {
    const user = nextUser++;
    expect(await store.deliver([user], { postId: 5, authorId: 900 })).toBe(0);
    expect((await store.readHome(user, 0, 10)).state).toBe('missing');
    expect(await redis.exists(keys.homeTimeline(user))).toBe(0);
  });

  it('keeps entries newest first whatever order they arrive in, each once', async () => {
    const user = await readyUser([900]);
    for (const postId of [30, 10, 50, 20, 40, 30, 50]) {
      await store.deliver([user], { postId, authorId: 900 });
    }
    expect(await ids(user)).toEqual([50, 40, 30, 20, 10]);
    expect(await store.deliver([user], { postId: 40, authorId: 900 })).toBe(0);
  });

  it('accepts posts only from followed authors and from the owner', async () => {
    const user = await readyUser([900]);
    expect(await store.deliver([user], { postId: 1, authorId: 901 })).toBe(0);
    expect(await store.deliver([user], { postId: 2, authorId: user })).toBe(1);
    expect(await store.deliver([user], { postId: 3, authorId: 900 })).toBe(1);
    expect(await ids(user)).toEqual([3, 2]);
  });

  it('delivers to many followers in one call, skipping those without a timeline', async () => {
    const followers = [await readyUser([700]), await readyUser([700]), nextUser++, await readyUser([])];
    expect(await store.deliver(followers, { postId: 77, authorId: 700 })).toBe(2);
    expect(await ids(followers[0])).toEqual([77]);
    expect(await ids(followers[3])).toEqual([]);
  });

  it('caps the timeline and raises the floor to what fell off', async () => {
    const user = await readyUser([900]);
    for (let postId = 1; postId <= CAP + 5; postId += 1)
      await store.deliver([user], { postId, authorId: 900 });
    const page = await store.readHome(user, 0, 100);
    expect(page.entries).toHaveLength(CAP);
    expect(page.entries[0].postId).toBe(CAP + 5);
    expect(page.entries[CAP - 1].postId).toBe(6);
    expect(page.floor).toBe(5);
    // Older than everything kept: not stored, since the floor no longer vouches for it.
    expect(await store.deliver([user], { postId: 3, authorId: 900 })).toBe(0);
    expect((await store.readHome(user, 0, 100)).entries).toHaveLength(CAP);
  });

  it('pages strictly below the cursor', async () => {
    const user = await readyUser([900]);
    for (const postId of [1, 2, 3, 4, 5, 6, 7]) await store.deliver([user], { postId, authorId: 900 });
    expect(await ids(user, 0, 3)).toEqual([7, 6, 5]);
    expect(await ids(user, 5, 3)).toEqual([4, 3, 2]);
    expect(await ids(user, 2, 3)).toEqual([1]);
    expect(await ids(user, 1, 3)).toEqual([]);
  });

  it('unfollow removes the author’s posts and refuses later deliveries from them', async () => {
    const user = await readyUser([900, 901], [901]);
    await store.deliver([user], { postId: 1, authorId: 900 });
    await store.deliver([user], { postId: 2, authorId: 901 });
    await store.deliver([user], { postId: 3, authorId: 900 });
    await store.unfollow(user, 900);
    expect(await ids(user)).toEqual([2]);
    expect(await store.deliver([user], { postId: 4, authorId: 900 })).toBe(0);
    expect((await store.readHome(user, 0, 10)).pulledAuthors).toEqual([901]);
    await store.unfollow(user, 901);
    expect((await store.readHome(user, 0, 10)).pulledAuthors).toEqual([]);
    expect(await store.follow(user, 900, false)).toBe(true);
    expect(await store.deliver([user], { postId: 4, authorId: 900 })).toBe(1);
  });

  it('merges backfilled posts, dropping unfollowed authors and anything at or below the floor', async () => {
    const user = await readyUser([900, 901]);
    await store.deliver([user], { postId: 10, authorId: 900 });
    const backfill = [
      { postId: 12, authorId: 901 },
      { postId: 10, authorId: 900 },
      { postId: 8, authorId: 902 },
      { postId: 6, authorId: 901 },
      { postId: 4, authorId: 901 },
    ];
    expect(await store.merge(user, backfill, 5)).toBe(true);
    const page = await store.readHome(user, 0, 100);
    expect(page.entries.map((e) => [e.postId, e.authorId])).toEqual([
      [12, 901],
      [10, 900],
      [6, 901],
    ]);
    expect(page.floor).toBe(5);
  });

  it('a rebuild keeps what was delivered while it ran and ends ready', async () => {
    const user = nextUser++;
    expect(await store.claimHome(user, [900], [950])).toBe(true);
    expect((await store.readHome(user, 0, 10)).state).toBe('building');
    await store.deliver([user], { postId: 99, authorId: 900 });
    await store.finishHome(user, [{ postId: 50, authorId: 900 }], 0);
    const page = await store.readHome(user, 0, 10);
    expect(page.state).toBe('ready');
    expect(page.entries.map((e) => e.postId)).toEqual([99, 50]);
    expect(page.pulledAuthors).toEqual([950]);
    expect(await store.claimHome(user, [], [])).toBe(false);
  });

  it('removes one post from timelines', async () => {
    const user = await readyUser([900]);
    await store.deliver([user], { postId: 1, authorId: 900 });
    await store.deliver([user], { postId: 2, authorId: 900 });
    expect(await store.removePost([user], 1)).toBe(1);
    expect(await store.removePost([user], 1)).toBe(0);
    expect(await ids(user)).toEqual([2]);
  });

  it('author timelines: missing until loaded, then appended to and read in one trip', async () => {
    const author = nextUser++;
    const other = nextUser++;
    expect(await store.appendOwn({ postId: 3, authorId: author })).toBe('missing');
    await store.loadAuthor(author, [{ postId: 2, authorId: author }], 1);
    expect(await store.appendOwn({ postId: 3, authorId: author })).toBe('inserted');
    expect(await store.appendOwn({ postId: 3, authorId: author })).toBe('present');
    const [mine, missing] = await store.readAuthors([author, other], 0, 10);
    expect(mine).toEqual({
      state: 'ready',
      floor: 1,
      entries: [
        { postId: 3, authorId: author },
        { postId: 2, authorId: author },
      ],
    });
    expect(missing.state).toBe('missing');
  });

  it('stores each entry in 12 bytes (plus a 16-byte header)', async () => {
    const user = await readyUser([900]);
    for (let postId = 1; postId <= 10; postId += 1)
      await store.deliver([user], { postId: 2 ** 52 + postId, authorId: 900 });
    expect(await redis.strlen(keys.homeTimeline(user))).toBe(16 + 10 * 12);
    expect((await ids(user))[0]).toBe(2 ** 52 + 10);
  });
});
