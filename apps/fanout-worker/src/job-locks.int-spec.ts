import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { PrismaService } from '@app/database';
import { FANOUT_QUEUE } from '@app/queue';
import { drained, failures, follow, post, signup, TestApp, useTestEnvironment, waitFor } from '@app/testing';
import { PostServiceModule } from '../../post-service/src/post-service.module';
import { FanoutWorkerModule } from './fanout-worker.module';

const LOCK_MS = 1000;
useTestEnvironment({ FANOUT_LOCK_DURATION_MS: String(LOCK_MS), FANOUT_STALLED_INTERVAL_MS: '500' });

describe('job locks', () => {
  let postService: TestApp;
  let worker: TestApp;
  let queue: Queue;
  let prisma: PrismaService;

  beforeAll(async () => {
    postService = await TestApp.start(PostServiceModule);
    worker = await TestApp.start(FanoutWorkerModule);
    queue = worker.get(getQueueToken(FANOUT_QUEUE));
    prisma = postService.get(PrismaService);
  });
  afterAll(async () => {
    await worker.close();
    await postService.close();
  });

  it('a job that outlasts FANOUT_LOCK_DURATION_MS keeps its lock: it runs once and is never taken as stalled', async () => {
    const author = await signup(postService, 'slow');
    const reader = await signup(postService, 'slow');
    await follow(postService, reader, author);
    await drained(queue, prisma);

    // The fan-out reads the follows table first; holding it locked keeps the
    // job running for several lock periods without touching the worker.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = prisma.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe('LOCK TABLE follows IN ACCESS EXCLUSIVE MODE');
        locked();
        await released;
      },
      { timeout: 60_000 },
    );
    await isLocked;
    const postId = await post(postService, author);
    await waitFor(async () => (await queue.getActiveCount()) > 0, { what: 'the fan-out job to start' });
    await sleep(LOCK_MS * 5);
    release();
    await holder;

    await drained(queue, prisma);
    expect(await failures(queue)).toEqual([]);
    const job = await queue.getJob(`post-created.${postId}`);
    expect(await job?.getState()).toBe('completed');
    expect(job?.stalledCounter).toBe(0);
    expect(job?.attemptsStarted).toBe(1);
  });
});
