/**
 * One mode's real processes for a benchmark: post-service, feed-service and
 * worker replicas on a scratch deployment, plus the queue helpers the
 * workloads need (rebuild everything, drain, sample depth, count deliveries).
 */
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { AppProcess } from '@app/testing';

export class BenchStack {
  private constructor(
    readonly postService: AppProcess,
    readonly feed: AppProcess,
    readonly workers: AppProcess[],
    readonly queue: Queue,
    private readonly databaseUrl: string,
  ) {}

  static async start(
    env: Record<string, string>,
    workers: number,
    redisPort: number,
    queuePrefix: string,
  ): Promise<BenchStack> {
    const postService = await AppProcess.start('post-service', env);
    const feed = await AppProcess.start('feed-service', env);
    const replicas: AppProcess[] = [];
    for (let i = 0; i < workers; i += 1) replicas.push(await AppProcess.start('fanout-worker', env));
    const queue = new Queue('fanout', {
      connection: { host: '127.0.0.1', port: redisPort },
      prefix: queuePrefix,
    });
    return new BenchStack(postService, feed, replicas, queue, env.DATABASE_URL);
  }

  /** Every user active: their home and author timelines rebuilt from PostgreSQL through the queue. Returns seconds. */
  async rebuildAll(): Promise<number> {
    const started = performance.now();
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    const ids = (await client.query<{ id: string }>('SELECT id::text FROM users ORDER BY id')).rows.map(
      (row) => row.id,
    );
    await client.end();
    for (let i = 0; i < ids.length; i += 1000) {
      await this.queue.addBulk(
        ids.slice(i, i + 1000).flatMap((userId) =>
          (['home', 'author'] as const).map((kind) => ({
            name: 'timeline-rebuild',
            data: { kind, userId },
            opts: { jobId: `rebuild.${kind}.${userId}`, removeOnComplete: true },
          })),
        ),
      );
    }
    await this.drain();
    return (performance.now() - started) / 1000;
  }

  /** Jobs still to do (all states but completed and failed). */
  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts(
      'waiting',
      'prioritized',
      'active',
      'delayed',
      'waiting-children',
    );
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  async drain(): Promise<void> {
    for (;;) {
      const failed = await this.queue.getJobCountByTypes('failed');
      if (failed > 0)
        throw new Error(`${failed} job(s) failed: ${(await this.queue.getFailed(0, 0))[0]?.failedReason}`);
      if ((await this.depth()) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Samples the queue depth every 50 ms until stopped: [seconds since `since`, depth]. */
  sampleDepth(since: number): { stop(): Promise<Array<[number, number]>> } {
    const series: Array<[number, number]> = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        series.push([(performance.now() - since) / 1000, await this.depth()]);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    return {
      async stop() {
        running = false;
        await loop;
        return series;
      },
    };
  }

  /** Timeline deliveries so far, summed over the worker replicas' Prometheus metrics. */
  async deliveries(): Promise<number> {
    let total = 0;
    for (const worker of this.workers) {
      const text = await (await fetch(`${worker.url}/metrics`)).text();
      total += Number(/^feedline_fanout_deliveries_total\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
    }
    return total;
  }

  async stop(): Promise<void> {
    await this.queue.close();
    for (const app of [this.postService, this.feed, ...this.workers]) await app.signal('SIGTERM');
  }
}

/** One HTTP call with a bearer token; throws on a non-2xx answer; returns the body. */
export async function request(
  base: string,
  method: string,
  route: string,
  token: string,
  body?: unknown,
): Promise<string> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return text;
}

export async function inBatches<T>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}
