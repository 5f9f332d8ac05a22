import { PrismaService } from '@app/database';
import { RedisKeys } from '@app/redis';
import { TimelineStore } from '@app/timelines';
import { deleteKeys, follow, post, signup, unfollow, useTestEnvironment } from '@app/testing';
import { FanoutMetrics } from '../../apps/fanout-worker/src/fanout.metrics';
import { expectedFeed, Stack } from '../support/stack';

const env = useTestEnvironment({ CELEBRITY_THRESHOLD: '3', CELEBRITY_DEMOTE_BELOW: '2' });

describe('home feed end to end (hybrid): post-service → queue → worker → Redis → feed-service', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(() => stack.close());

  const feedIds = async (token: string, query = '') => {
    const response = await stack.feed.request('GET', `/feed${query}`, { token });
    expect(response.status).toBe(200);
    return response.body.items.map((item: { id: string }) => item.id) as string[];
  };

  it('shows a regular post in every follower’s feed, with its author', async () => {
    const author = await signup(stack.postService, 'reg');
    const readers = [await signup(stack.postService, 'r1'), await signup(stack.postService, 'r2')];
    for (const reader of readers) await follow(stack.postService, reader, author);
    await stack.settle();
    const postId = await post(stack.postService, author, 'hello followers');
    expect(await feedIds(author.token)).toEqual([postId]); // the author at once
    await stack.settle();
    for (const reader of readers) {
      const response = await stack.feed.request('GET', '/feed', { token: reader.token });
      expect(response.body).toEqual({
        items: [
          {
            id: postId,
            content: 'hello followers',
            createdAt: expect.any(String),
            author: { id: author.id, username: author.username, displayName: author.username },
            via: 'pushed',
          },
        ],
        nextCursor: null,
      });
    }
  });

  it('shows a celebrity’s post to all followers on their next read, with no fan-out writes', async () => {
    const star = await signup(stack.postService, 'star');
    const fans = await Promise.all(Array.from({ length: 4 }, () => signup(stack.postService, 'fan')));
    for (const fan of fans) await follow(stack.postService, fan, star);
    await stack.settle();
    expect((await stack.postService.request('GET', `/users/${star.id}`)).body.isCelebrity).toBe(true);
    const metric = stack.worker.get(FanoutMetrics).deliveries;
    const before = (await metric.get()).values[0]?.value ?? 0;

    const postId = await post(stack.postService, star, 'famous words');
    for (const fan of fans) expect(await feedIds(fan.token)).toEqual([postId]); // before the worker ran
    await stack.settle();
    for (const fan of fans) {
      expect(await feedIds(fan.token)).toEqual([postId]);
      expect((await stack.store.readHome(Number(fan.id), 0, 10)).entries).toEqual([]); // merged, not pushed
    }
    expect((await metric.get()).values[0]?.value ?? 0).toBe(before);
  });

  it('hides a deleted post and an unfollowed author at once', async () => {
    const [author, reader] = [
      await signup(stack.postService, 'hide'),
      await signup(stack.postService, 'hider'),
    ];
    await follow(stack.postService, reader, author);
    const [keep, gone] = [
      await post(stack.postService, author, 'keep'),
      await post(stack.postService, author, 'gone'),
    ];
    await stack.settle();
    expect(await feedIds(reader.token)).toEqual([gone, keep]);
    expect(
      (await stack.postService.request('DELETE', `/posts/${gone}`, { token: author.token })).status,
    ).toBe(204);
    expect(await feedIds(reader.token)).toEqual([keep]);
    expect(await feedIds(author.token)).toEqual([keep]);
    await unfollow(stack.postService, reader, author);
    expect(await feedIds(reader.token)).toEqual([]);
    await stack.settle();
    expect(await feedIds(reader.token)).toEqual([]);
  });

  it('rebuilds feeds completely after Redis lost everything', async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => signup(stack.postService, 'flush')));
    for (const [i, user] of users.entries()) {
      await follow(stack.postService, user, users[(i + 1) % users.length]);
      await follow(stack.postService, user, users[(i + 2) % users.length]);
      for (let n = 0; n < 4; n += 1) await post(stack.postService, user, `${user.username} #${n}`);
    }
    await stack.settle();
    await deleteKeys(env.redisPrefix); // timelines, caches and the queue: all derived state
    for (const user of users) {
      expect(await stack.walk(user.token, 3)).toEqual(await expectedFeed(stack.prisma, user.id)); // from PostgreSQL
    }
    await stack.settle(); // the rebuild jobs the reads queued
    for (const user of users) {
      expect((await stack.store.readHome(Number(user.id), 0, 1)).state).toBe('ready');
      expect(await stack.walk(user.token, 3)).toEqual(await expectedFeed(stack.prisma, user.id)); // from Redis
    }
  });

  it('answers concurrent reads of a lost timeline correctly and rebuilds it once', async () => {
    const [reader, author] = [
      await signup(stack.postService, 'once'),
      await signup(stack.postService, 'oncea'),
    ];
    await follow(stack.postService, reader, author);
    for (let n = 0; n < 3; n += 1) await post(stack.postService, author);
    await stack.settle();
    const keys = stack.feed.get(RedisKeys);
    await deleteKeys(keys.homeTimeline(reader.id)); // lost: evicted, expired, Redis restarted
    const finish = jest.spyOn(stack.worker.get(TimelineStore), 'finishHome');
    const expected = await expectedFeed(stack.prisma, reader.id);

    const pages = await Promise.all(Array.from({ length: 20 }, () => feedIds(reader.token)));
    for (const page of pages) expect(page).toEqual(expected);
    await stack.settle();
    expect(finish.mock.calls.filter(([userId]) => userId === Number(reader.id))).toHaveLength(1);
    expect(await feedIds(reader.token)).toEqual(expected);
    finish.mockRestore();
  });

  it('hydrates a page with at most one database query (none when the cache is warm)', async () => {
    const reader = await signup(stack.postService, 'hyd');
    const authors = await Promise.all(Array.from({ length: 5 }, () => signup(stack.postService, 'ha')));
    for (const author of authors) {
      await follow(stack.postService, reader, author);
      for (let n = 0; n < 5; n += 1) await post(stack.postService, author);
    }
    await stack.settle();
    await stack.feed.request('GET', '/feed?limit=25', { token: reader.token }); // timeline ready
    const keys = stack.feed.get(RedisKeys);
    const expected = await expectedFeed(stack.prisma, reader.id);
    await Promise.all(expected.map((id) => deleteKeys(keys.post(id))));
    const prisma = stack.feed.get(PrismaService);

    let before = prisma.queriesSent;
    expect(await feedIds(reader.token, '?limit=25')).toEqual(expected);
    expect(prisma.queriesSent - before).toBe(1);
    before = prisma.queriesSent;
    expect(await feedIds(reader.token, '?limit=25')).toEqual(expected);
    expect(prisma.queriesSent - before).toBe(0);
  });

  it('reads only the caller’s own feed and validates the query', async () => {
    const [a, b] = [await signup(stack.postService, 'own'), await signup(stack.postService, 'other')];
    const theirs = await post(stack.postService, b, 'not for a');
    await stack.settle();
    expect(await feedIds(a.token)).toEqual([]);
    expect((await stack.feed.request('GET', `/feed?userId=${b.id}`, { token: a.token })).status).toBe(400);
    expect(await feedIds(b.token)).toEqual([theirs]);
    expect((await stack.feed.request('GET', '/feed')).status).toBe(401);
    for (const query of [
      '?limit=0',
      '?limit=101',
      '?limit=abc',
      '?limit=2.5',
      '?cursor=abc',
      '?cursor=-5',
      `?cursor=${'9'.repeat(20)}`,
    ]) {
      const response = await stack.feed.request('GET', `/feed${query}`, { token: a.token });
      expect([query, response.status]).toEqual([query, 400]);
    }
    // A value breaking several rules that share a message is reported once.
    const bad = await stack.feed.request('GET', '/feed?limit=abc', { token: a.token });
    expect(bad.body.message).toBe('limit must be an integer between 1 and 100');
  });

  it('serves one author’s posts, paged, and 404 for an unknown user', async () => {
    const author = await signup(stack.postService, 'solo');
    const ids: string[] = [];
    for (let n = 0; n < 7; n += 1) ids.push(await post(stack.postService, author));
    const first = await stack.feed.request('GET', `/users/${author.id}/posts?limit=4`);
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual(ids.slice(3).reverse());
    const second = await stack.feed.request(
      'GET',
      `/users/${author.id}/posts?limit=4&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((i: { id: string }) => i.id)).toEqual(ids.slice(0, 3).reverse());
    expect(second.body.nextCursor).toBeNull();
    expect((await stack.feed.request('GET', '/users/99999999/posts')).status).toBe(404);
  });
});
