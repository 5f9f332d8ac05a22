import fs from 'node:fs';
import { getQueueToken } from '@nestjs/bullmq';
import { ConnectionOptions, Job, MetricsTime, Queue, Worker } from 'bullmq';
import jwt from 'jsonwebtoken';
import { FeedlineConfig, feedlineConfig } from '@app/config';
import { FANOUT_QUEUE, queueConnection } from '@app/queue';
import { REDIS_CLIENT, RedisClient, RedisKeys } from '@app/redis';
import { TestApp, useTestEnvironment, waitFor } from '@app/testing';
import { AdminDashboardModule } from '../admin-dashboard.module';
import type { QueuesSnapshot } from './queue-figures';
import { QueueSampler } from './queue-sampler.service';

useTestEnvironment();

/** An admin token as post-service issues it (this file needs no accounts). */
function adminToken(): string {
  const key = fs.readFileSync(process.env.JWT_PRIVATE_KEY_FILE!, 'utf8');
  return jwt.sign({ sub: '1', name: 'ops_admin', role: 'ADMIN' }, key, {
    algorithm: 'RS256',
    issuer: 'feedline',
    audience: 'feedline',
    expiresIn: 600,
  });
}

describe('queue figures', () => {
  let dashboard: TestApp;
  let queue: Queue;
  let worker: Worker;
  let token: string;
  /** The test worker fails 'boom' jobs while this is true. */
  let failBoom = true;
  let releaseHold: () => void = () => undefined;
  /** When the first test finished freezing the queue (held job, jobs behind it). */
  let frozenAt = Number.POSITIVE_INFINITY;

  const snapshot = async () => {
    const response = await dashboard.request<QueuesSnapshot>('GET', '/api/queues', { token });
    expect(response.status).toBe(200);
    return response.body;
  };
  const api = (method: string, url: string, body?: unknown) =>
    dashboard.request(method, url, { token, body });

  beforeAll(async () => {
    dashboard = await TestApp.start(AdminDashboardModule);
    queue = dashboard.get<Queue>(getQueueToken(FANOUT_QUEUE));
    token = adminToken();
    const config = dashboard.get<FeedlineConfig>(feedlineConfig.KEY);
    // A stand-in worker with BullMQ metrics on, like fanout-worker, whose jobs the test controls.
    worker = new Worker(
      FANOUT_QUEUE,
      async (job: Job) => {
        if (job.name === 'boom' && failBoom) throw new Error(`boom ${job.data.n}`);
        if (job.name === 'hold') await new Promise<void>((resolve) => (releaseHold = resolve));
        return 'ok';
      },
      {
        connection: queueConnection(config, 'worker') as ConnectionOptions,
        prefix: config.redis.queuePrefix,
        concurrency: 1,
        metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
      },
    );
    await worker.waitUntilReady();
  });
  afterAll(async () => {
    releaseHold();
    await worker?.close();
    await dashboard?.close();
  });

  it('reports what BullMQ counts, state by state, at the same moment', async () => {
    await queue.addBulk([1, 2, 3].map((n) => ({ name: 'ok', data: { n } })));
    await queue.addBulk([1, 2].map((n) => ({ name: 'boom', data: { n }, opts: { attempts: 1 } })));
    await waitFor(async () => (await queue.getJobCounts('completed', 'failed')).failed === 2, {
      what: 'two failures',
    });

    // Freeze every state: one job held active (concurrency 1), then waiting, prioritized and delayed ones behind it.
    await queue.add('hold', {});
    await waitFor(async () => (await queue.getActiveCount()) === 1, { what: 'the held job to be active' });
    await queue.addBulk([1, 2, 3, 4].map((n) => ({ name: 'ok', data: { n } })));
    await queue.addBulk([1, 2, 3, 4, 5].map((n) => ({ name: 'ok', data: { n }, opts: { priority: n } })));
    await queue.addBulk([1, 2].map((n) => ({ name: 'ok', data: { n }, opts: { delay: 3_600_000 } })));
    frozenAt = Date.now();

    const body = await snapshot();
    const [counts, completed, failed, workers] = await Promise.all([
      queue.getJobCounts(
        'waiting',
        'prioritized',
        'active',
        'delayed',
        'failed',
        'completed',
        'waiting-children',
      ),
      queue.getMetrics('completed'),
      queue.getMetrics('failed'),
      queue.getWorkersCount(),
    ]);
    const fanout = body.queues.find((q) => q.name === FANOUT_QUEUE)!;
    expect(fanout.counts).toEqual({
      waiting: counts.waiting,
      prioritized: counts.prioritized,
      active: counts.active,
      delayed: counts.delayed,
      failed: counts.failed,
      completed: counts.completed,
      waitingChildren: counts['waiting-children'],
    });
    expect(fanout.counts).toEqual({
      waiting: 4,
      prioritized: 5,
      active: 1,
      delayed: 2,
      failed: 2,
      completed: 3,
      waitingChildren: 0,
    });
    expect(fanout.totals).toEqual({ completed: completed.meta.count, failed: failed.meta.count });
    expect(fanout.totals).toEqual({ completed: 3, failed: 2 });
    expect(fanout.workers).toBe(workers);
    expect(fanout.workers).toBeGreaterThanOrEqual(1);
    expect(fanout.paused).toBe(false);
    expect(body.redis.usedBytes).toBeGreaterThan(0);
    expect(body.fanoutLag).toMatchObject({ windowSeconds: 60 });
    expect(body.warnings).toEqual([]);
  });

  it("records history once a second, with throughput from BullMQ's totals", async () => {
    // Samples from while the first jobs ran can also show one active job; only one taken
    // a whole interval after the queue froze is sure to have read the frozen state.
    const frozen = await waitFor(
      async () => {
        const points = (await api('GET', '/api/queues/fanout/history')).body.points;
        const latest = points.at(-1) as { t: number } | undefined;
        return latest && latest.t > frozenAt + 1000 && latest;
      },
      { what: 'a sample of the frozen queue' },
    );
    expect(frozen).toMatchObject({ waiting: 4, prioritized: 5, active: 1, delayed: 2, failed: 2 });
    releaseHold();
    await waitFor(
      async () =>
        (await queue.getJobCounts('waiting', 'prioritized', 'active')).prioritized === 0 &&
        (await queue.getActiveCount()) === 0,
      {
        what: 'the queue to drain',
      },
    );
    const history = await waitFor(
      async () => {
        const response = await api('GET', '/api/queues/fanout/history');
        const points = response.body.points as Array<Record<string, number | null>>;
        const drained = points.at(-1);
        return (
          drained?.prioritized === 0 &&
          drained.active === 0 &&
          points.some((p) => (p.completedPerSecond ?? 0) > 0) &&
          response.body
        );
      },
      { what: 'a sample showing the drained queue and its throughput' },
    );
    expect(history).toMatchObject({ queue: FANOUT_QUEUE, intervalMs: 1000 });
    const times = history.points.map((p: { t: number }) => p.t);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(history.points[0]).toEqual({
      t: expect.any(Number),
      waiting: expect.any(Number),
      prioritized: expect.any(Number),
      active: expect.any(Number),
      delayed: expect.any(Number),
      failed: expect.any(Number),
      completedPerSecond: null, // nothing before the first sample
      failedPerSecond: null,
      workers: expect.any(Number),
      lagP50Ms: null,
      lagP95Ms: null,
      lagP99Ms: null,
      redisUsedBytes: expect.any(Number),
    });

    const last = times[times.length - 1];
    const newer = await waitFor(async () => {
      const response = await api('GET', `/api/queues/fanout/history?since=${last}`);
      return response.body.points.length > 0 && response.body.points;
    });
    expect(newer.every((p: { t: number }) => p.t > last)).toBe(true);
    expect(newer[0].completedPerSecond).not.toBeNull(); // its rate comes from the sample before `since`
    expect((await snapshot()).queues[0].throughput.windowSeconds).toBeGreaterThan(0);
  });

  it("computes fan-out lag percentiles from the workers' samples of the last minute", async () => {
    const redis = dashboard.get<RedisClient>(REDIS_CLIENT);
    const now = Date.now();
    // Oldest first, so the newest ends up at the head, as the workers push them; the first is outside the window.
    const entries = [
      `${now - 120_000}:99999`,
      ...Array.from({ length: 100 }, (_, i) => `${now - 1000 + i}:${i + 1}`),
    ];
    await redis.lpush(dashboard.get(RedisKeys).fanoutLagSamples(), ...entries);
    expect((await snapshot()).fanoutLag).toEqual({
      windowSeconds: 60,
      samples: 100,
      p50Ms: 50,
      p95Ms: 95,
      p99Ms: 99,
      maxMs: 100,
    });
  });

  describe('failed jobs', () => {
    let failedIds: string[];
    beforeAll(async () => {
      failBoom = true;
      const jobs = await queue.addBulk(
        ['a', 'b'].map((n) => ({ name: 'boom', data: { n }, opts: { attempts: 1 } })),
      );
      failedIds = jobs.map((job) => job.id!);
      await waitFor(async () =>
        (await Promise.all(failedIds.map((id) => queue.getJobState(id)))).every((s) => s === 'failed'),
      );
    });

    it('lists the newest failures with their reason', async () => {
      const response = await api('GET', '/api/queues/fanout/failed?limit=2');
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(await queue.getFailedCount());
      expect(response.body.jobs).toHaveLength(2);
      expect(response.body.jobs.map((job: { id: string }) => job.id).sort()).toEqual([...failedIds].sort());
      expect(response.body.jobs[0]).toEqual({
        id: expect.any(String),
        name: 'boom',
        failedReason: expect.stringMatching(/^boom [ab]$/),
        attemptsMade: 1,
        maxAttempts: 1,
        createdAt: expect.any(String),
        failedAt: expect.any(String),
        data: expect.stringMatching(/^\{"n":"[ab]"\}$/),
        stacktrace: expect.stringContaining('Error: boom'),
      });
    });

    it('retries a failed job, which then runs again', async () => {
      failBoom = false;
      expect((await api('POST', '/api/queues/fanout/failed/retry', { jobId: failedIds[0] })).status).toBe(
        204,
      );
      await waitFor(async () => (await queue.getJobState(failedIds[0])) === 'completed', {
        what: 'the retried job to complete',
      });
      expect(
        (await api('POST', '/api/queues/fanout/failed/retry', { jobId: failedIds[0] })).body,
      ).toMatchObject({
        statusCode: 409,
        message: `Job ${failedIds[0]} is completed, not failed`,
      });
    });

    it('removes a failed job', async () => {
      expect((await api('POST', '/api/queues/fanout/failed/remove', { jobId: failedIds[1] })).status).toBe(
        204,
      );
      expect(await queue.getJob(failedIds[1])).toBeUndefined();
      expect((await api('POST', '/api/queues/fanout/failed/remove', { jobId: failedIds[1] })).status).toBe(
        404,
      );
    });

    it.each([
      ['an unknown queue', '/api/queues/nope/failed/retry', { jobId: '1' }, 404],
      ['a job id with ":"', '/api/queues/fanout/failed/retry', { jobId: 'fanout:meta' }, 400],
      ['a job id that is not a string', '/api/queues/fanout/failed/remove', { jobId: 7 }, 400],
      ['no job id', '/api/queues/fanout/failed/remove', {}, 400],
      ['an unknown field', '/api/queues/fanout/failed/remove', { jobId: '1', force: true }, 400],
      ['the name of a queue key', '/api/queues/fanout/failed/remove', { jobId: 'meta' }, 404],
    ])('refuses %s', async (_case, url, body, status) => {
      expect((await api('POST', url, body)).status).toBe(status);
      expect(await queue.getJobCounts('waiting')).toBeDefined(); // the queue is intact
    });

    it.each([
      ['/api/queues/fanout/failed?limit=0'],
      ['/api/queues/fanout/failed?limit=101'],
      ['/api/queues/fanout/history?since=yesterday'],
      ['/api/queues/fanout/history?since=-1'],
    ])('validates the query of %s', async (url) => {
      expect((await api('GET', url)).status).toBe(400);
    });
  });

  it('lets one dashboard replica sample at a time, and another take over when it stops', async () => {
    const second = await TestApp.start(AdminDashboardModule);
    const samplers = [dashboard.get(QueueSampler), second.get(QueueSampler)];
    try {
      const leader = await waitFor(() => samplers.find((s) => s.isLeader), { what: 'a sampling replica' });
      const other = samplers.find((s) => s !== leader)!;
      // Give the other replica's sampler a few ticks: it must keep out.
      const countAfter = async (n: number) =>
        (await api('GET', '/api/queues/fanout/history')).body.points.length >= n;
      const before = (await api('GET', '/api/queues/fanout/history')).body.points.length;
      await waitFor(() => countAfter(before + 3), { what: 'three more samples' });
      expect(samplers.filter((s) => s.isLeader)).toEqual([leader]);

      await (leader === samplers[0] ? dashboard : second).close();
      if (leader === samplers[0]) {
        dashboard = second;
        queue = dashboard.get<Queue>(getQueueToken(FANOUT_QUEUE));
      }
      await waitFor(() => other.isLeader, { what: 'the other replica to take over' });
      const handedOver = (await api('GET', '/api/queues/fanout/history')).body.points.length;
      await waitFor(() => countAfter(handedOver + 1), { what: 'a sample from the new leader' });
    } finally {
      if (dashboard !== second) await second.close();
    }
  });

  it('warns when jobs wait and no worker is connected', async () => {
    await worker.close();
    await queue.add('ok', { n: 'late' }, { priority: 1 });
    const body = await waitFor(async () => {
      const current = await snapshot();
      return current.queues[0].workers === 0 && current;
    });
    expect(body.warnings).toEqual([
      { code: 'no-workers', queue: FANOUT_QUEUE, message: '1 job is waiting but no worker is connected' },
    ]);
  });
});
