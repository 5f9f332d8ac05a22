import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getQueueToken } from '@nestjs/bullmq';
import { ConnectionOptions, Job, MetricsTime, Queue, Worker } from 'bullmq';
import jwt from 'jsonwebtoken';
import { Registry, Summary } from 'prom-client';
import { FeedlineConfig, feedlineConfig } from '@app/config';
import { FANOUT_QUEUE, queueConnection } from '@app/queue';
import { TestApp, useTestEnvironment, waitFor } from '@app/testing';
import { AdminDashboardModule } from '../admin-dashboard.module';
import type { QueuesSnapshot } from './queue-figures';

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

/**
 * Two stand-in fan-out worker replicas' prom-client registries, served as
 * their /metrics serve them to the dashboard (JSON), with the lag summary.
 */
async function workerRegistries(): Promise<{ urls: string[]; lags: Summary[]; close: () => void }> {
  const registries = [new Registry(), new Registry()];
  const lags = registries.map(
    (registry) =>
      new Summary({
        name: 'feedline_fanout_lag_recent_seconds',
        help: 'lag',
        percentiles: [0.5, 0.95, 0.99, 1],
        maxAgeSeconds: 60,
        ageBuckets: 6,
        aggregator: 'max',
        registers: [registry],
      }),
  );
  const server = http.createServer((request, response) => {
    const registry = registries[Number(request.url?.slice(1))];
    if (!registry || request.headers.accept !== 'application/json') return void response.writeHead(404).end();
    void registry.getMetricsAsJSON().then((json) => response.end(JSON.stringify(json)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The third replica is gone: the figures come from the other two, and say so.
  return { urls: [`${base}/0`, `${base}/1`, `${base}/9`], lags, close: () => server.close() };
}

describe('queue figures', () => {
  let dashboard: TestApp;
  let workerMetrics: Awaited<ReturnType<typeof workerRegistries>>;
  const savedUrls = process.env.WORKER_METRICS_URLS;
  let queue: Queue;
  let worker: Worker;
  let token: string;
  /** The test worker fails 'boom' jobs while this is true. */
  let failBoom = true;
  let releaseHold: () => void = () => undefined;

  const snapshot = async () => {
    const response = await dashboard.request<QueuesSnapshot>('GET', '/api/queues', { token });
    expect(response.status).toBe(200);
    return response.body;
  };
  const api = (method: string, url: string, body?: unknown) =>
    dashboard.request(method, url, { token, body });

  beforeAll(async () => {
    workerMetrics = await workerRegistries();
    process.env.WORKER_METRICS_URLS = workerMetrics.urls.join(',');
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
    workerMetrics?.close();
    if (savedUrls === undefined) delete process.env.WORKER_METRICS_URLS;
    else process.env.WORKER_METRICS_URLS = savedUrls;
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
    expect(fanout.perMinute).toEqual({ completed: completed.data, failed: failed.data });
    expect(fanout.workers).toBe(workers);
    expect(fanout.workers).toBeGreaterThanOrEqual(1);
    expect(fanout.paused).toBe(false);
    expect(body.redis.usedBytes).toBeGreaterThan(0);
    expect(body.fanoutLag).toMatchObject({ windowSeconds: 60, samples: 0, p50Ms: null });
    expect(body.warnings).toEqual([]);
  });

  it("keeps BullMQ's running totals, which move as jobs finish", async () => {
    const before = (await snapshot()).queues[0].totals.completed;
    releaseHold();
    await waitFor(async () => (await queue.getJobCounts('prioritized', 'active')).prioritized === 0, {
      what: 'the queue to drain',
    });
    await waitFor(async () => (await snapshot()).queues[0].totals.completed >= before + 10, {
      what: 'the totals to count the drained jobs',
    });
  });

  it("takes fan-out lag percentiles from the workers' prom-client registries, the slowest replica's", async () => {
    for (let ms = 1; ms <= 100; ms += 1) workerMetrics.lags[0].observe(ms / 1000);
    for (let ms = 1; ms <= 10; ms += 1) workerMetrics.lags[1].observe((ms * 30) / 1000);
    const lag = (await snapshot()).fanoutLag;
    expect(lag).toEqual({
      windowSeconds: 60,
      samples: 100,
      p50Ms: expect.any(Number),
      p95Ms: expect.any(Number),
      p99Ms: expect.any(Number),
      maxMs: 300,
      unreachable: [workerMetrics.urls[2]],
    });
    // Replica 1's median (~150 ms, as its t-digest interpolates 10 points) beats replica 0's (~50 ms).
    expect(lag.p50Ms).toBeGreaterThanOrEqual(140);
    expect(lag.p50Ms).toBeLessThanOrEqual(170);
    expect(lag.p99Ms).toBeGreaterThanOrEqual(lag.p95Ms!);
  });

  describe('failed jobs, through bull-board', () => {
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
      const response = await api('GET', '/queues/api/queues?activeQueue=fanout&status=failed');
      expect(response.status).toBe(200);
      const fanout = response.body.queues.find((q: { name: string }) => q.name === FANOUT_QUEUE);
      expect(fanout.counts.failed).toBe(await queue.getFailedCount());
      const listed = fanout.jobs.filter((job: { id: string }) => failedIds.includes(job.id));
      expect(listed).toHaveLength(2);
      expect(listed[0]).toMatchObject({
        name: 'boom',
        failedReason: expect.stringMatching(/^boom [ab]$/),
        attempts: 1,
        data: { n: expect.stringMatching(/^[ab]$/) },
      });
      expect(listed[0].stacktrace[0]).toContain('Error: boom');
    });

    it('retries a failed job, which then runs again', async () => {
      failBoom = false;
      expect((await api('PUT', `/queues/api/queues/fanout/${failedIds[0]}/retry`)).status).toBe(204);
      await waitFor(async () => (await queue.getJobState(failedIds[0])) === 'completed', {
        what: 'the retried job to complete',
      });
    });

    it('removes a failed job', async () => {
      expect((await api('PUT', `/queues/api/queues/fanout/${failedIds[1]}/clean`)).status).toBe(204);
      expect(await queue.getJob(failedIds[1])).toBeUndefined();
      expect((await api('PUT', `/queues/api/queues/fanout/${failedIds[1]}/clean`)).status).toBe(404);
    });
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
