import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { PrismaService } from '@app/database';
import { FANOUT_QUEUE, OutboxRelay } from '@app/queue';
import { RedisServer, signup, TestApp, useTestEnvironment, waitFor } from '@app/testing';
import { PostServiceModule } from '../post-service.module';

// This file runs against its own redis-server, which it stops and restarts.
const port = 20_000 + Math.floor(Math.random() * 20_000);
const redis = new RedisServer(port);
useTestEnvironment({ REDIS_URL: redis.url });

describe('transactional outbox', () => {
  let app: TestApp;
  let queue: Queue;
  let prisma: PrismaService;

  beforeAll(async () => {
    await redis.start();
    app = await TestApp.start(PostServiceModule);
    queue = app.get(getQueueToken(FANOUT_QUEUE));
    prisma = app.get(PrismaService);
  });
  afterAll(async () => {
    await app.close();
    await redis.stop();
  });

  it('accepts posts while Redis is down and delivers each job exactly once when it is back', async () => {
    const author = await signup(app, 'out');
    await redis.stop();

    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await app.request('POST', '/posts', {
        token: author.token,
        body: { content: `while redis is down ${i}` },
      });
      expect(response.status).toBe(201);
      ids.push(response.body.id);
    }
    expect(await prisma.outboxEvent.count({ where: { jobName: 'post-created' } })).toBe(3);

    await redis.start(); // empty: it keeps nothing on disk
    // The failed dispatch was round 0; the relay finds no job for it and sends round 1.
    const jobIds = ids.map((id) => `post-created.${id}.r1`);
    await waitFor(async () => (await Promise.all(jobIds.map((id) => queue.getJob(id)))).every(Boolean), {
      timeoutMs: 30_000,
      what: 'the relay to re-send the posts',
    });

    // Checked again while their jobs wait for a worker: nothing is re-sent.
    await prisma.$executeRaw`UPDATE outbox SET available_at = now()`;
    expect(await app.get(OutboxRelay).drain()).toBe(3);
    const queued = await queue.getJobs(['waiting', 'prioritized', 'active', 'delayed', 'completed']);
    expect(queued.map((job) => job.id).sort()).toEqual([...jobIds].sort());
    expect(await prisma.outboxEvent.count()).toBe(3); // kept until a worker has handled them
  });
});
