import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { PrismaService } from '@app/database';
import { FANOUT_QUEUE } from '@app/queue';
import { REDIS_CLIENT, RedisClient, RedisKeys } from '@app/redis';
import {
  addFollowers,
  createUsers,
  drained,
  failures,
  follow,
  post,
  readyTimelines,
  signup,
  TestApp,
  unfollow,
  useTestEnvironment,
} from '@app/testing';
import { TimelineStore } from '@app/timelines';
import { PostServiceModule } from '../../post-service/src/post-service.module';
import { FanoutBatches } from './fanout-batches';
import { FanoutWorkerModule } from './fanout-worker.module';
import { FanoutMetrics } from './fanout.metrics';

const CAP = 50;
useTestEnvironment({
  TIMELINE_MAX: String(CAP),
  CELEBRITY_THRESHOLD: '6',
  CELEBRITY_DEMOTE_BELOW: '4',
  FANOUT_CHUNK_SIZE: '1000',
});

describe('fan-out worker (hybrid)', () => {
  let postService: TestApp;
  let worker: TestApp;
  let queue: Queue;
  let prisma: PrismaService;
  let store: TimelineStore;
  let redis: RedisClient;
  let keys: RedisKeys;

  beforeAll(async () => {
    postService = await TestApp.start(PostServiceModule);
    worker = await TestApp.start(FanoutWorkerModule);
    queue = worker.get(getQueueToken(FANOUT_QUEUE));
    prisma = worker.get(PrismaService);
    store = worker.get(TimelineStore);
    redis = worker.get(REDIS_CLIENT);
    keys = worker.get(RedisKeys);
  });
  afterAll(async () => {
    await worker.close();
    await postService.close();
  });
  afterEach(async () => {
    expect(await failures(queue)).toEqual([]);
  });

  const homeIds = async (userId: number | string) =>
    (await store.readHome(Number(userId), 0, 10_000)).entries.map((e) => e.postId);
  const authorIds = async (userId: number | string) =>
    (await store.readAuthors([Number(userId)], 0, 10_000))[0].entries.map((e) => e.postId);
  const settle = () => drained(queue, prisma, 120_000);
  const deliveries = async () => (await worker.get(FanoutMetrics).deliveries.get()).values[0]?.value ?? 0;

  it('delivers a regular post to exactly every follower, in chunk jobs', async () => {
    const author = await signup(postService, 'wide');
    const followers = await createUsers(prisma, 20_000, 'wide');
    await addFollowers(prisma, Number(author.id), followers);
    await readyTimelines(store, followers, [Number(author.id)]);
    const before = await deliveries();
    const postId = Number(await post(postService, author));
    await settle();
    expect((await deliveries()) - before).toBe(20_000);

    const chunks = (await queue.getJobs(['completed'], 0, -1)).filter((job) =>
      job.id?.startsWith(`fanout.post-${postId}.`),
    );
    expect(chunks).toHaveLength(20);
    const timelines = await Promise.all(followers.map((id) => store.readHome(id, 0, 10)));
    expect(timelines.filter((t) => t.entries.length === 1 && t.entries[0].postId === postId)).toHaveLength(
      20_000,
    );
    expect(await homeIds(author.id)).toEqual([postId]);
    expect(await authorIds(author.id)).toEqual([postId]);

    // Each chunk again (a retry, a duplicate job, a replay): nothing changes.
    for (const chunk of chunks) await worker.get(FanoutBatches).apply(chunk.data);
    const again = await Promise.all(followers.map((id) => store.readHome(id, 0, 10)));
    expect(again.every((t) => t.entries.length === 1 && t.entries[0].postId === postId)).toBe(true);
  });

  it('writes a celebrity’s post only to the author’s own timelines (O(1))', async () => {
    const star = await signup(postService, 'star');
    const fans = await createUsers(prisma, 3000, 'fan');
    await addFollowers(prisma, Number(star.id), fans);
    await prisma.user.update({
      where: { id: BigInt(star.id) },
      data: { isCelebrity: true, delivery: 'PULL' },
    });
    await readyTimelines(store, fans, [Number(star.id)], [Number(star.id)]);
    const before = await deliveries();

    const postId = Number(await post(postService, star));
    await settle();

    expect(await authorIds(star.id)).toEqual([postId]);
    expect(await homeIds(star.id)).toEqual([postId]);
    const timelines = await Promise.all(fans.map((id) => store.readHome(id, 0, 10)));
    expect(timelines.every((t) => t.entries.length === 0 && t.pulledAuthors.includes(Number(star.id)))).toBe(
      true,
    );
    expect(await deliveries()).toBe(before); // no follower timeline written
  });

  it('caps home timelines at TIMELINE_MAX, newest first', async () => {
    const [author, reader] = [await signup(postService, 'cap'), await signup(postService, 'capr')];
    await follow(postService, reader, author);
    await settle();
    const ids: number[] = [];
    for (let i = 0; i < CAP + 10; i += 1) ids.push(Number(await post(postService, author, `post ${i}`)));
    await settle();
    const home = await store.readHome(Number(reader.id), 0, 10_000);
    expect(home.entries.map((e) => e.postId)).toEqual(ids.slice(-CAP).reverse());
    expect(home.floor).toBe(ids[9]);
  });

  it('propagates deletes to every timeline and to the cache', async () => {
    const author = await signup(postService, 'del');
    const readers = await Promise.all([signup(postService, 'dr1'), signup(postService, 'dr2')]);
    for (const reader of readers) await follow(postService, reader, author);
    await settle();
    const keep = Number(await post(postService, author, 'keep'));
    const gone = Number(await post(postService, author, 'gone'));
    await settle();
    expect(await homeIds(readers[0].id)).toEqual([gone, keep]);

    expect((await postService.request('DELETE', `/posts/${gone}`, { token: author.token })).status).toBe(204);
    expect(await redis.get(keys.post(gone))).toBe(''); // tombstone written before the 204
    await settle();
    for (const reader of readers) expect(await homeIds(reader.id)).toEqual([keep]);
    expect(await authorIds(author.id)).toEqual([keep]);
    expect(await homeIds(author.id)).toEqual([keep]);
  });

  it('follow backfills the author’s posts; unfollow removes them at once and keeps later ones out', async () => {
    const [author, reader] = [await signup(postService, 'fol'), await signup(postService, 'folr')];
    const older = [
      Number(await post(postService, author, 'a')),
      Number(await post(postService, author, 'b')),
    ];
    await settle();
    await follow(postService, reader, author);
    await settle();
    expect(await homeIds(reader.id)).toEqual([...older].reverse());

    await unfollow(postService, reader, author);
    expect(await homeIds(reader.id)).toEqual([]); // before any job ran
    await post(postService, author, 'after the unfollow');
    await settle();
    expect(await homeIds(reader.id)).toEqual([]);
  });

  it('a follow job replayed after an unfollow does not bring the author back', async () => {
    const [author, reader] = [await signup(postService, 'rep'), await signup(postService, 'repr')];
    await post(postService, author, 'x');
    await follow(postService, reader, author);
    await settle();
    await unfollow(postService, reader, author);
    await settle();
    await queue.add(
      'follow-changed',
      { followerId: reader.id, followeeId: author.id },
      { jobId: `replay-${reader.id}` },
    );
    await settle();
    expect(await homeIds(reader.id)).toEqual([]);
  });

  it('moves an author to read-time merge at the threshold and back below it, losing and doubling nothing', async () => {
    const author = await signup(postService, 'rise');
    const fans = await Promise.all(Array.from({ length: 6 }, () => signup(postService, 'rf')));
    for (const fan of fans.slice(0, 5)) await follow(postService, fan, author);
    const regular = Number(await post(postService, author, 'while regular'));
    await settle();
    for (const fan of fans.slice(0, 5)) expect(await homeIds(fan.id)).toEqual([regular]);

    await follow(postService, fans[5], author); // 6: a celebrity
    await settle();
    const status = () => prisma.user.findUniqueOrThrow({ where: { id: BigInt(author.id) } });
    expect(await status()).toMatchObject({ isCelebrity: true, delivery: 'PULL' });
    const famous = Number(await post(postService, author, 'while famous'));
    await settle();
    for (const fan of fans) {
      const home = await store.readHome(Number(fan.id), 0, 100);
      expect(home.pulledAuthors).toEqual([Number(author.id)]);
      expect(home.entries.map((e) => e.postId)).not.toContain(famous); // not pushed
    }
    expect(await authorIds(author.id)).toEqual([famous, regular]);

    await unfollow(postService, fans[0], author); // 5
    await unfollow(postService, fans[1], author); // 4: still famous (hysteresis)
    await settle();
    expect(await status()).toMatchObject({ isCelebrity: true, delivery: 'PULL' });
    await unfollow(postService, fans[2], author); // 3 < 4: regular again
    await settle();
    expect(await status()).toMatchObject({ isCelebrity: false, delivery: 'PUSH' });
    for (const fan of fans.slice(3)) {
      const home = await store.readHome(Number(fan.id), 0, 100);
      expect(home.pulledAuthors).toEqual([]);
      expect(home.entries.map((e) => e.postId)).toEqual([famous, regular]); // the famous-era post arrived, once
    }
    for (const fan of fans.slice(0, 3)) expect(await homeIds(fan.id)).toEqual([]);
  });
});
