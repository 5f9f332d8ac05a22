import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { PrismaService } from '@app/database';
import { FANOUT_QUEUE } from '@app/queue';
import {
  addFollowers,
  AppProcess,
  createUsers,
  drained,
  failures,
  post,
  readyTimelines,
  signup,
  TestApp,
  useTestEnvironment,
  waitFor,
} from '@app/testing';
import { TimelineStore } from '@app/timelines';
import { PostServiceModule } from '../../post-service/src/post-service.module';
import { FanoutWorkerModule } from './fanout-worker.module';

// One big inline job (no chunks), short locks so a dead worker's job is picked up quickly.
useTestEnvironment({
  FANOUT_CHUNK_SIZE: '100000',
  FANOUT_LOCK_DURATION_MS: '2000',
  FANOUT_STALLED_INTERVAL_MS: '1000',
});

const FOLLOWERS = 30_000;

describe('worker lifecycle (real processes)', () => {
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
  afterAll(() => postService.close());

  async function audience(): Promise<{ author: Awaited<ReturnType<typeof signup>>; followers: number[] }> {
    const author = await signup(postService, 'life');
    const followers = await createUsers(prisma, FOLLOWERS, 'life');
    await addFollowers(prisma, Number(author.id), followers);
    await readyTimelines(store, followers, [Number(author.id)]);
    return { author, followers };
  }

  /** How many followers have the post, and whether any has it twice. */
  async function census(
    followers: number[],
    postId: number,
  ): Promise<{ delivered: number; duplicates: number }> {
    let delivered = 0;
    let duplicates = 0;
    for (let i = 0; i < followers.length; i += 2000) {
      const pages = await Promise.all(followers.slice(i, i + 2000).map((id) => store.readHome(id, 0, 100)));
      for (const page of pages) {
        const copies = page.entries.filter((e) => e.postId === postId).length;
        if (copies > 0) delivered += 1;
        if (copies > 1) duplicates += 1;
      }
    }
    return { delivered, duplicates };
  }

  it('a worker killed (SIGKILL) mid-fan-out loses nothing: another picks the job up and no entry is doubled', async () => {
    const { author, followers } = await audience();
    const doomed = await AppProcess.start('fanout-worker');
    const postId = Number(await post(postService, author));
    // Kill as soon as the first deliveries land, while the job is still running.
    await waitFor(async () => (await store.readHome(followers[0], 0, 1)).entries.length > 0, {
      intervalMs: 2,
      what: 'the fan-out to start',
    });
    await doomed.signal('SIGKILL');
    const partial = await census(followers, postId);
    expect(partial.delivered).toBeGreaterThan(0);
    expect(partial.delivered).toBeLessThan(FOLLOWERS); // really killed mid-job

    const rescuer = await TestApp.start(FanoutWorkerModule);
    try {
      await drained(queue, prisma, 60_000);
      expect(await census(followers, postId)).toEqual({ delivered: FOLLOWERS, duplicates: 0 });
      expect(await failures(queue)).toEqual([]);
    } finally {
      await rescuer.close();
    }
  });

  it('SIGTERM lets the running job finish, then exits cleanly', async () => {
    const { author, followers } = await audience();
    const worker = await AppProcess.start('fanout-worker');
    const postId = Number(await post(postService, author));
    await waitFor(async () => (await store.readHome(followers[0], 0, 1)).entries.length > 0, {
      intervalMs: 2,
      what: 'the fan-out to start',
    });
    // Nest closes the app, then re-raises the signal: the conventional clean end of a SIGTERM.
    expect(await worker.signal('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    // Finished by the worker that was stopping, not handed over: done before it exited.
    expect(await census(followers, postId)).toEqual({ delivered: FOLLOWERS, duplicates: 0 });
    expect(await prisma.outboxEvent.count()).toBe(0);
    expect(worker.logs()).toContain('shutting down: finishing running jobs');
    expect(worker.logs()).not.toMatch(/"level":50/); // no error logged on the way out
  });
});
