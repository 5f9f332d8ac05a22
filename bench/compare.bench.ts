/**
 * npm run bench [-- --quick] [-- --users 20000 --duration 10 --out reports]
 *
 * The demonstration: one seeded graph, one workload, run under push, pull and
 * hybrid in turn on the same machine (real processes: post-service, worker
 * replicas, feed-service; a private redis-server), compared side by side in
 * reports/ (Markdown, HTML with charts, PNG charts for the README).
 *
 * Per mode: every user's timeline is rebuilt (all users active); a burst of
 * posts by regular users (queue depth sampled until it drains); one post by
 * the biggest celebrity (time until every sampled follower sees it); then
 * GET /feed under load; Redis memory at the end. Prints figures, asserts nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { AppProcess, RedisServer } from '@app/testing';
import { seedDatabase, SeedDataFile, SeededAccount } from '../scripts/seed/seed';
import { load } from './lib/load';
import { Mode, ModeResult, MODES, Report, writeReport } from './lib/report';
import { createScratch, usedMemory } from './lib/scratch';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    users: { type: 'string' },
    duration: { type: 'string' },
    workers: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    out: { type: 'string', default: 'reports' },
  },
});
const QUICK = args.quick === true;
const USERS = Number(args.users ?? (QUICK ? 1500 : 20_000));
const READ_SECONDS = Number(args.duration ?? (QUICK ? 2 : 10));
const WORKERS = Number(args.workers);
const CONNECTIONS = Number(args.connections);
const BURST = QUICK ? 100 : 1000;
const WATCHED_FOLLOWERS = QUICK ? 30 : 200;

async function main(): Promise<void> {
  const redisServer = new RedisServer(await RedisServer.freePort());
  await redisServer.start();
  const threshold = Math.max(50, Math.floor(USERS / 10));
  const scratch = await createScratch('compare', {
    REDIS_URL: redisServer.url,
    CELEBRITY_THRESHOLD: String(threshold),
    RATE_LIMIT_POSTS_PER_MINUTE: '1000000',
    RATE_LIMIT_LOGIN_PER_MINUTE: '1000000',
  });
  const dataFile = path.join(os.tmpdir(), `feedline-compare-${process.pid}.json`);
  const redis = new Redis(redisServer.url);
  try {
    console.log(`seeding ${USERS.toLocaleString('en-US')} users (celebrity threshold ${threshold})...`);
    await seedDatabase(
      {
        users: USERS,
        followsPerUser: 30,
        celebrities: 3,
        celebrityFollowers: 0.6,
        postsPerUser: 5,
        sampleUsers: Math.min(BURST, USERS - 10),
        sampleFollowers: Math.min(1000, Math.floor(USERS / 2)),
        out: dataFile,
        reset: true,
        log: () => undefined,
      },
      scratch.config,
    );
    const data = JSON.parse(fs.readFileSync(dataFile, 'utf8')) as SeedDataFile;
    const results: ModeResult[] = [];
    for (const mode of MODES) {
      console.log(`\n${mode}:`);
      results.push(
        await runMode(mode, scratch.env, data, redis, redisServer.port, scratch.config.redis.queuePrefix),
      );
    }
    const report: Report = {
      createdAt: new Date().toISOString(),
      machine: `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      graph: {
        users: data.counts.users,
        follows: data.counts.follows,
        posts: data.counts.posts,
        celebrities: data.counts.celebrities,
        celebrityFollowers: data.celebrities[0]?.followerCount ?? 0,
      },
      workload: {
        burstPosts: data.users.length,
        readers: readers(data).length,
        readSeconds: READ_SECONDS,
        connections: CONNECTIONS,
        workers: WORKERS,
      },
      results,
    };
    const files = await writeReport(args.out, report);
    console.log(`\n${fs.readFileSync(path.join(args.out, 'feedline-benchmark.md'), 'utf8')}`);
    console.log(`report: ${files.filter((f) => !f.endsWith('.svg')).join(', ')}`);
  } finally {
    redis.disconnect();
    fs.rmSync(dataFile, { force: true });
    await scratch.drop();
    await redisServer.stop();
  }
}

/** Who reads during the load phase: followers of the biggest celebrity and the sampled regular users. */
function readers(data: SeedDataFile): SeededAccount[] {
  return [...data.celebrityFollowers, ...data.users];
}

async function runMode(
  mode: Mode,
  baseEnv: Record<string, string>,
  data: SeedDataFile,
  redis: Redis,
  redisPort: number,
  prefix: string,
): Promise<ModeResult> {
  await redis.flushall();
  const baseline = await usedMemory(redis);
  const env = { ...baseEnv, FANOUT_MODE: mode };
  const apps = [await AppProcess.start('post-service', env), await AppProcess.start('feed-service', env)];
  const workers: AppProcess[] = [];
  for (let i = 0; i < WORKERS; i += 1) workers.push(await AppProcess.start('fanout-worker', env));
  const [postService, feed] = apps;
  const queue = new Queue('fanout', { connection: { host: '127.0.0.1', port: redisPort }, prefix });
  try {
    // Every user active: their home and author timelines rebuilt from PostgreSQL through the queue.
    let started = performance.now();
    const userIds = await allUserIds(baseEnv.DATABASE_URL);
    for (let i = 0; i < userIds.length; i += 1000) {
      await queue.addBulk(
        userIds.slice(i, i + 1000).flatMap((userId) =>
          (['home', 'author'] as const).map((kind) => ({
            name: 'timeline-rebuild',
            data: { kind, userId },
            opts: { jobId: `rebuild.${kind}.${userId}`, removeOnComplete: true },
          })),
        ),
      );
    }
    await drain(queue);
    const rebuildSeconds = (performance.now() - started) / 1000;
    console.log(`  timelines rebuilt: ${rebuildSeconds.toFixed(1)} s`);

    // A burst of regular posts.
    const deliveriesBefore = await deliveries(workers);
    started = performance.now();
    const sampling = sampleDepth(queue, started);
    await inBatches(data.users, 50, (user) =>
      request(postService.url, 'POST', '/posts', user.token, { content: `burst post by ${user.username}` }),
    );
    await drain(queue);
    const burstDrainSeconds = (performance.now() - started) / 1000;
    const depthSeries = await sampling.stop();
    const burstDeliveries = (await deliveries(workers)) - deliveriesBefore;
    const ownWrites = mode === 'pull' ? 1 : 2; // author timeline (+ own home)
    const writesPerPost = burstDeliveries / data.users.length + ownWrites;
    console.log(
      `  burst: ${data.users.length} posts, ${burstDeliveries} deliveries, drained in ${burstDrainSeconds.toFixed(2)} s, peak depth ${Math.max(0, ...depthSeries.map(([, d]) => d))}`,
    );

    // One post by the biggest celebrity, watched by a sample of followers.
    const celebrity = data.celebrities[0];
    const watchers = data.celebrityFollowers.slice(0, WATCHED_FOLLOWERS);
    const beforeCelebrity = await deliveries(workers);
    started = performance.now();
    const posted = await request(postService.url, 'POST', '/posts', celebrity.token, {
      content: 'a celebrity speaks',
    });
    const postId = (JSON.parse(posted) as { id: string }).id;
    const seenSeconds = await untilAllSee(feed.url, watchers, postId, started);
    await drain(queue);
    const celebrityDrainSeconds = (performance.now() - started) / 1000;
    // Under push, the last follower sees it once the fan-out's last write is done.
    const celebrityVisibleSeconds =
      mode === 'push' ? Math.max(seenSeconds, celebrityDrainSeconds) : seenSeconds;
    const celebrityWrites = (await deliveries(workers)) - beforeCelebrity + ownWrites;
    console.log(
      `  celebrity post: visible to ${watchers.length} watchers in ${celebrityVisibleSeconds.toFixed(3)} s, ${celebrityWrites} timeline writes`,
    );

    // Reads under load.
    const tokens = readers(data).map((account) => account.token);
    await inBatches(tokens, 50, (token) => request(feed.url, 'GET', '/feed?limit=20', token)); // warm the post cache
    const read = await load({
      url: `${feed.url}/feed?limit=20`,
      tokens,
      connections: CONNECTIONS,
      durationSeconds: READ_SECONDS,
    });
    if (read.errors + read.non2xx > 0)
      throw new Error(`${mode}: ${read.errors + read.non2xx} failed feed reads under load`);
    console.log(`  reads: ${read.requestsPerSecond.toFixed(0)} req/s, p99 ${read.p99.toFixed(2)} ms`);

    const redisBytes = (await usedMemory(redis)) - baseline;
    return {
      mode,
      writesPerPost,
      celebrityWrites,
      celebrityVisibleSeconds,
      celebrityDrainSeconds,
      peakQueueDepth: Math.max(0, ...depthSeries.map(([, d]) => d)),
      burstDrainSeconds,
      depthSeries,
      rebuildSeconds,
      read: { requestsPerSecond: read.requestsPerSecond, p50: read.p50, p95: read.p95, p99: read.p99 },
      redisBytes,
    };
  } finally {
    await queue.close();
    for (const app of [...apps, ...workers]) await app.signal('SIGTERM');
  }
}

async function allUserIds(databaseUrl: string): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ id: string }>('SELECT id::text FROM users ORDER BY id')).rows.map(
      (row) => row.id,
    );
  } finally {
    await client.end();
  }
}

async function request(
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

async function inBatches<T>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/** Jobs still to do (all states but completed and failed). */
async function depth(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'waiting-children');
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

async function drain(queue: Queue): Promise<void> {
  for (;;) {
    const failed = await queue.getJobCountByTypes('failed');
    if (failed > 0)
      throw new Error(`${failed} job(s) failed: ${(await queue.getFailed(0, 0))[0]?.failedReason}`);
    if ((await depth(queue)) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function sampleDepth(queue: Queue, since: number): { stop(): Promise<Array<[number, number]>> } {
  const series: Array<[number, number]> = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      series.push([(performance.now() - since) / 1000, await depth(queue)]);
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

/** Total timeline deliveries across worker replicas, from their Prometheus metrics. */
async function deliveries(workers: AppProcess[]): Promise<number> {
  let total = 0;
  for (const worker of workers) {
    const text = await (await fetch(`${worker.url}/metrics`)).text();
    total += Number(/^feedline_fanout_deliveries_total\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
  }
  return total;
}

/** Polls the watchers' feeds until each has seen the post; returns seconds since `since`. */
async function untilAllSee(
  feedUrl: string,
  watchers: readonly SeededAccount[],
  postId: string,
  since: number,
): Promise<number> {
  const waiting = new Set(watchers);
  const deadline = Date.now() + 300_000;
  while (waiting.size > 0) {
    if (Date.now() > deadline) throw new Error(`${waiting.size} followers never saw the celebrity's post`);
    await Promise.all(
      [...waiting].map(async (watcher) => {
        const page = JSON.parse(await request(feedUrl, 'GET', '/feed?limit=5', watcher.token)) as {
          items: Array<{ id: string }>;
        };
        if (page.items.some((item) => item.id === postId)) waiting.delete(watcher);
      }),
    );
  }
  return (performance.now() - since) / 1000;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
