import { deleteKeys, follow, post, signup, useTestEnvironment } from '@app/testing';
import { Stack } from '../support/stack';

const env = useTestEnvironment({ CELEBRITY_THRESHOLD: '3', CELEBRITY_DEMOTE_BELOW: '2' });

/** Each home feed item says how it reached the feed: pushed at write time or merged at read time. */
describe('feed items’ via', () => {
  let stack: Stack;
  const savedMode = process.env.FANOUT_MODE;
  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(async () => {
    await stack.close();
    if (savedMode === undefined) delete process.env.FANOUT_MODE;
    else process.env.FANOUT_MODE = savedMode;
  });

  const vias = async (feed: Stack['feed'], token: string) => {
    const response = await feed.request('GET', '/feed?limit=50', { token });
    expect(response.status).toBe(200);
    return Object.fromEntries(
      response.body.items.map((item: { content: string; via: string }) => [item.content, item.via]),
    );
  };

  it('says pushed for regular authors and own posts, merged for a celebrity, from Redis and from PostgreSQL', async () => {
    const [reader, friend, star] = [
      await signup(stack.postService, 'via_reader'),
      await signup(stack.postService, 'via_friend'),
      await signup(stack.postService, 'via_star'),
    ];
    await follow(stack.postService, reader, friend);
    await follow(stack.postService, reader, star);
    for (let i = 0; i < 3; i += 1)
      await follow(stack.postService, await signup(stack.postService, 'fan'), star);
    await stack.settle();
    expect((await stack.postService.request('GET', `/users/${star.id}`)).body.isCelebrity).toBe(true);
    await post(stack.postService, friend, 'from a friend');
    await post(stack.postService, star, 'from a star');
    await post(stack.postService, reader, 'my own');
    await stack.settle();
    const expected = { 'from a friend': 'pushed', 'from a star': 'merged', 'my own': 'pushed' };
    expect(await vias(stack.feed, reader.token)).toEqual(expected);

    await deleteKeys(env.redisPrefix); // the page now comes from PostgreSQL
    expect(await vias(stack.feed, reader.token)).toEqual(expected);
    await stack.settle();

    // Author pages carry no via: it describes a home feed only.
    const authorPage = await stack.feed.request('GET', `/users/${star.id}/posts`);
    expect(authorPage.body.items[0]).not.toHaveProperty('via');
  });

  it('says merged for everything in pull mode, from Redis and from PostgreSQL', async () => {
    const [reader, friend] = [
      await signup(stack.postService, 'pull_reader'),
      await signup(stack.postService, 'pull_friend'),
    ];
    await follow(stack.postService, reader, friend);
    await post(stack.postService, friend, 'pulled friend');
    await post(stack.postService, reader, 'pulled own');
    await stack.settle();
    process.env.FANOUT_MODE = 'pull';
    const pull = await Stack.start();
    try {
      const expected = { 'pulled friend': 'merged', 'pulled own': 'merged' };
      expect(await vias(pull.feed, reader.token)).toEqual(expected);
      await deleteKeys(env.redisPrefix); // the page now comes from PostgreSQL
      expect(await vias(pull.feed, reader.token)).toEqual(expected);
      await pull.settle();
    } finally {
      await pull.close();
    }
  });
});
