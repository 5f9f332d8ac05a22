import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { PrismaService } from '@app/database';
import { FANOUT_QUEUE } from '@app/queue';
import {
  addFollowers,
  AppProcess,
  createUsers,
  drained,
  post,
  readyTimelines,
  Session,
  signup,
  TcpProxy,
  TestApp,
  useTestEnvironment,
  waitFor,
} from '@app/testing';
import { TimelineStore } from '@app/timelines';
import { PostServiceModule } from '../../post-service/src/post-service.module';

/**
 * Defect 5 of issue 15: jobs that fail for good (a second stall, retries used
 * up during a PostgreSQL outage) used to lose posts. The outbox relay now
 * re-drives every event whose jobs are gone or failed, until it is settled.
 * BullMQ's defaults for stalls (one allowed) and a tiny retry budget make
 * jobs fail for good quickly here.
 */
const env = useTestEnvironment({
  FANOUT_CHUNK_SIZE: '250',
  FANOUT_CONCURRENCY: '4',
  FANOUT_LOCK_DURATION_MS: '1500',
  FANOUT_STALLED_INTERVAL_MS: '700',
  FANOUT_MAX_STALLED_COUNT: '1',
  FANOUT_JOB_ATTEMPTS: '2',
  FANOUT_JOB_BACKOFF_MS: '100',
  OUTBOX_RECHECK_SECONDS: '2',
});

const FOLLOWERS = 5000; // 20 chunks per post

describe('nothing lost when jobs fail for good (real processes)', () => {
  let postService: TestApp;
  let queue: Queue;
  let prisma: PrismaService;
  let store: TimelineStore;

  beforeAll(async () => {
    postService = await TestApp.start(PostServiceModule);
    queue = postService.get(getQueueToken(FANOUT_QUEUE));
    prisma = postService.get(PrismaService);
    store = postService.get(TimelineStore);
  });
  afterAll(async () => {
    await AppProcess.killAll();
    await postService.close();
  });

  async function audience(authors: number): Promise<{ writers: Session[]; followers: number[] }> {
    const writers = await Promise.all(Array.from({ length: authors }, () => signup(postService, 'rd')));
    const followers = await createUsers(prisma, FOLLOWERS, 'rd');
    for (const writer of writers) await addFollowers(prisma, Number(writer.id), followers);
    await readyTimelines(
      store,
      followers,
      writers.map((w) => Number(w.id)),
    );
    return { writers, followers };
  }

  /** Followers missing each post, and entries held twice. */
  async function census(
    followers: number[],
    postIds: number[],
  ): Promise<{ missing: number; doubled: number }> {
    let missing = 0;
    let doubled = 0;
    for (let i = 0; i < followers.length; i += 500) {
      const pages = await Promise.all(followers.slice(i, i + 500).map((id) => store.readHome(id, 0, 100)));
      for (const page of pages) {
        const ids = page.entries.map((e) => e.postId);
        missing += postIds.filter((id) => !ids.includes(id)).length;
        doubled += ids.length - new Set(ids).size;
      }
    }
    return { missing, doubled };
  }

  async function failedForGood(): Promise<string[]> {
    return (await queue.getFailed(0, -1)).map((job) => `${job.id}: ${job.failedReason}`);
  }

  it('a worker killed again and again mid-fan-out: every follower gets every post once', async () => {
    const { writers, followers } = await audience(3);
    const postIds: number[] = [];
    let worker = await AppProcess.start('fanout-worker', {}, 90_000);
    let kills = 0;
    for (let round = 0; round < 3; round += 1) {
      for (const writer of writers) postIds.push(Number(await post(postService, writer)));
      // Killed while chunks run, restarted, killed again soon after: jobs stall twice in a row.
      await new Promise((resolve) => setTimeout(resolve, 400 + Math.random() * 600));
      await worker.signal('SIGKILL');
      kills += 1;
      worker = await AppProcess.start('fanout-worker', {}, 90_000);
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 400));
      await worker.signal('SIGKILL');
      kills += 1;
      worker = await AppProcess.start('fanout-worker', {}, 90_000);
    }
    try {
      await drained(queue, prisma, 180_000);
      const failed = await failedForGood();
      console.log(
        `SIGKILL x${kills}: ${postIds.length} posts x ${FOLLOWERS} followers; ` +
          `${failed.length} jobs failed for good and were re-driven`,
      );
      expect(await census(followers, postIds)).toEqual({ missing: 0, doubled: 0 });
    } finally {
      await worker.signal('SIGTERM');
    }
  }, 400_000);

  it('retries used up while PostgreSQL is unreachable: re-driven once it is back', async () => {
    const { writers, followers } = await audience(2);
    const proxy = new TcpProxy(Number(new URL(env.databaseUrl).port || 5432));
    await proxy.start();
    const worker = await AppProcess.start(
      'fanout-worker',
      { DATABASE_URL: proxy.rewrite(env.databaseUrl) },
      90_000,
    );
    try {
      const postIds: number[] = [];
      for (const writer of writers) postIds.push(Number(await post(postService, writer)));
      // Cut mid-fan-out, longer than the retry budget (2 attempts, 100 ms apart).
      await waitFor(async () => (await store.readHome(followers[0], 0, 5)).entries.length > 0, {
        intervalMs: 5,
        what: 'the fan-out to start',
      });
      const before = (await failedForGood()).length;
      proxy.setMode('refuse');
      for (const writer of writers) postIds.push(Number(await post(postService, writer)));
      await waitFor(async () => (await failedForGood()).length >= before + 2, {
        timeoutMs: 60_000,
        what: 'jobs to use up their retries',
      });
      const failed = (await failedForGood()).length - before;
      proxy.setMode('forward');
      await drained(queue, prisma, 180_000);
      console.log(`PostgreSQL cut: ${failed} jobs failed for good and were re-driven`);
      expect(await census(followers, postIds)).toEqual({ missing: 0, doubled: 0 });
    } finally {
      await worker.signal('SIGTERM');
      await proxy.stop();
    }
  }, 300_000);
});
