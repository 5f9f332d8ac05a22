import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { PrismaService } from '@app/database';
import { FANOUT_QUEUE } from '@app/queue';
import { REDIS_CLIENT, RedisClient, RedisKeys } from '@app/redis';
import {
  drained,
  follow,
  post,
  Session,
  signup,
  SseStreamClient,
  StreamClient,
  TestApp,
  unfollow,
  useTestEnvironment,
  waitFor,
  WsStreamClient,
} from '@app/testing';
import { FanoutWorkerModule } from '../../../fanout-worker/src/fanout-worker.module';
import { PostServiceModule } from '../../../post-service/src/post-service.module';
import { MastodonApiModule } from '../mastodon-api.module';
import { MASTODON_HTTP_OPTIONS } from '../mastodon-http';

useTestEnvironment({ CELEBRITY_THRESHOLD: '3', CELEBRITY_DEMOTE_BELOW: '2' });

/**
 * The user stream over SSE and WebSocket against the real write path
 * (post-service, outbox, queue, worker): each post arrives exactly once; a
 * celebrity's post is published once on the celebrity's channel and reaches
 * every connected follower; deletes arrive; an unfollowed celebrity goes quiet.
 */
describe('user stream (SSE and WebSocket)', () => {
  let postService: TestApp;
  let worker: TestApp;
  let streaming: TestApp;
  let base: string;
  let queue: Queue;
  let prisma: PrismaService;
  let reader: Session;
  let other: Session;
  let regular: Session;
  let star: Session;
  const clients: StreamClient[] = [];

  const settle = () => drained(queue, prisma);

  beforeAll(async () => {
    postService = await TestApp.start(PostServiceModule);
    worker = await TestApp.start(FanoutWorkerModule);
    streaming = await TestApp.start(MastodonApiModule, MASTODON_HTTP_OPTIONS);
    base = await streaming.listen();
    queue = postService.get(getQueueToken(FANOUT_QUEUE));
    prisma = postService.get(PrismaService);
    [reader, other, regular, star] = await Promise.all(
      ['reader', 'other', 'regular', 'star'].map((name) => signup(postService, name)),
    );
    const fan = await signup(postService, 'fan');
    await follow(postService, reader, regular);
    for (const follower of [reader, other, fan]) await follow(postService, follower, star);
    await settle();
    // The star crossed the threshold: its posts are merged at read time, not pushed.
    await waitFor(
      async () =>
        (await prisma.user.findUniqueOrThrow({ where: { id: BigInt(star.id) } })).delivery === 'PULL',
      { what: 'the star to become a celebrity' },
    );
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await streaming?.close();
    await worker?.close();
    await postService?.close();
  });

  async function connectBoth(session: Session): Promise<[SseStreamClient, WsStreamClient]> {
    const both = await Promise.all([
      SseStreamClient.connect(base, session.token),
      WsStreamClient.connect(base, session.token),
    ]);
    clients.push(...both);
    return both;
  }

  const count = (client: StreamClient, id: string) => client.updates().filter((u) => u === id).length;

  it('answers health and refuses a missing or bad token', async () => {
    expect((await streaming.request('GET', '/api/v1/streaming/health')).body).toBe('OK');
    expect((await streaming.request('GET', '/api/v1/streaming/user')).status).toBe(401);
    await expect(SseStreamClient.connect(base, 'not.a.token')).rejects.toThrow('401');
    await expect(WsStreamClient.connect(base, 'not.a.token')).rejects.toThrow('401');
  });

  it('delivers a regular and a celebrity post exactly once, and deletes', async () => {
    const [sse, ws] = await connectBoth(reader);
    const [otherSse] = await connectBoth(other);
    const redis = streaming.get<RedisClient>(REDIS_CLIENT);
    const keys = streaming.get(RedisKeys);

    const pushed = await post(postService, regular, 'pushed to each follower');
    const merged = await post(postService, star, 'published once for all');
    for (const client of [sse, ws]) {
      await client.waitForUpdate(pushed);
      await client.waitForUpdate(merged);
    }
    await otherSse.waitForUpdate(merged);
    const status = JSON.parse(sse.events.find((e) => e.event === 'update')!.payload) as {
      id: string;
      content: string;
      account: { id: string };
    };
    expect(status).toMatchObject({ id: pushed, content: '<p>pushed to each follower</p>' });
    expect(status.account.id).toBe(regular.id);
    // One subscription to the star's channel serves all four connections of this process.
    const [, subscribers] = (await redis.call('PUBSUB', 'NUMSUB', keys.authorStream(star.id))) as [
      string,
      number,
    ];
    expect(subscribers).toBe(1);

    await settle();
    for (const client of [sse, ws]) {
      expect(count(client, pushed)).toBe(1);
      expect(count(client, merged)).toBe(1);
    }
    expect(count(otherSse, pushed)).toBe(0);

    for (const id of [pushed, merged]) {
      const response = await postService.request('DELETE', `/posts/${id}`, {
        token: id === pushed ? regular.token : star.token,
      });
      expect(response.status).toBe(204);
    }
    for (const client of [sse, ws]) {
      await client.waitForDelete(pushed);
      await client.waitForDelete(merged);
    }
  });

  it('stops a celebrity’s posts after an unfollow', async () => {
    const [sse, ws] = await connectBoth(reader);
    const [otherSse] = await connectBoth(other);
    await unfollow(postService, reader, star);
    await settle();
    const quiet = await post(postService, star, 'not for the reader any more');
    await otherSse.waitForUpdate(quiet);
    const sentinel = await post(postService, regular, 'still followed');
    for (const client of [sse, ws]) await client.waitForUpdate(sentinel);
    for (const client of [sse, ws]) expect(count(client, quiet)).toBe(0);
  });
});
