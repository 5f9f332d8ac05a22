/**
 * npm run bench [-- --quick] [-- --users 20000 --duration 10 --out reports]
 * npm run bench -- --from-json reports/feedline-benchmark.json   (re-render only)
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
import { Redis } from 'ioredis';
import { RedisServer } from '@app/testing';
import { seedDatabase, SeedDataFile, SeededAccount } from '../scripts/seed/seed';
import { load } from './lib/load';
import { Mode, ModeResult, MODES, Report, writeReport } from './lib/report';
import { createScratch, settleDatabase, usedMemory } from './lib/scratch';
import { BenchStack, inBatches, request } from './lib/stack';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    users: { type: 'string' },
    duration: { type: 'string' },
    workers: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    out: { type: 'string', default: 'reports' },
    /** Re-render the report from a previous run's JSON instead of measuring. */
    'from-json': { type: 'string' },
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
  if (args['from-json']) {
    const report = JSON.parse(fs.readFileSync(args['from-json'], 'utf8')) as Report;
    console.log(
      `report: ${writeReport(args.out, report)
        .filter((f) => !f.endsWith('.svg'))
        .join(', ')}`,
    );
    return;
  }
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
    await settleDatabase(scratch.databaseUrl);
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
    const files = writeReport(args.out, report);
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
  const stack = await BenchStack.start({ ...baseEnv, FANOUT_MODE: mode }, WORKERS, redisPort, prefix);
  try {
    const rebuildSeconds = await stack.rebuildAll();
    console.log(`  timelines rebuilt: ${rebuildSeconds.toFixed(1)} s`);

    // A burst of regular posts.
    const deliveriesBefore = await stack.deliveries();
    let started = performance.now();
    const sampling = stack.sampleDepth(started);
    await inBatches(data.users, 50, (user) =>
      request(stack.postService.url, 'POST', '/posts', user.token, {
        content: `burst post by ${user.username}`,
      }),
    );
    await stack.drain();
    const burstDrainSeconds = (performance.now() - started) / 1000;
    const depthSeries = await sampling.stop();
    const burstDeliveries = (await stack.deliveries()) - deliveriesBefore;
    const ownWrites = mode === 'pull' ? 1 : 2; // author timeline (+ own home)
    const writesPerPost = burstDeliveries / data.users.length + ownWrites;
    const peakQueueDepth = Math.max(0, ...depthSeries.map(([, d]) => d));
    console.log(
      `  burst: ${data.users.length} posts, ${burstDeliveries} deliveries, drained in ${burstDrainSeconds.toFixed(2)} s, peak depth ${peakQueueDepth}`,
    );

    // One post by the biggest celebrity, watched by a sample of followers.
    const celebrity = data.celebrities[0];
    const watchers = data.celebrityFollowers.slice(0, WATCHED_FOLLOWERS);
    const beforeCelebrity = await stack.deliveries();
    started = performance.now();
    const posted = await request(stack.postService.url, 'POST', '/posts', celebrity.token, {
      content: 'a celebrity speaks',
    });
    const postId = (JSON.parse(posted) as { id: string }).id;
    const seenSeconds = await untilAllSee(stack.feed.url, watchers, postId, started);
    await stack.drain();
    const celebrityDrainSeconds = (performance.now() - started) / 1000;
    // Under push, the last follower sees it once the fan-out's last write is done.
    const celebrityVisibleSeconds =
      mode === 'push' ? Math.max(seenSeconds, celebrityDrainSeconds) : seenSeconds;
    const celebrityWrites = (await stack.deliveries()) - beforeCelebrity + ownWrites;
    console.log(
      `  celebrity post: visible to ${watchers.length} watchers in ${celebrityVisibleSeconds.toFixed(3)} s, ${celebrityWrites} timeline writes`,
    );

    // Reads under load.
    const tokens = readers(data).map((account) => account.token);
    await inBatches(tokens, 50, (token) => request(stack.feed.url, 'GET', '/feed?limit=20', token)); // warm the post cache
    const read = await load({
      url: `${stack.feed.url}/feed?limit=20`,
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
      peakQueueDepth,
      burstDrainSeconds,
      depthSeries,
      rebuildSeconds,
      read: { requestsPerSecond: read.requestsPerSecond, p50: read.p50, p95: read.p95, p99: read.p99 },
      redisBytes,
    };
  } finally {
    await stack.stop();
  }
}

/**
 * Polls the watchers' feeds until each has seen the post. Returns, in seconds
 * since `since`, the start of the latest first-sighting read: from then on a
 * read by any watcher shows the post (0 when every first read already did).
 */
async function untilAllSee(
  feedUrl: string,
  watchers: readonly SeededAccount[],
  postId: string,
  since: number,
): Promise<number> {
  const waiting = new Set(watchers);
  const deadline = Date.now() + 300_000;
  let latest = 0;
  while (waiting.size > 0) {
    if (Date.now() > deadline) throw new Error(`${waiting.size} followers never saw the celebrity's post`);
    await Promise.all(
      [...waiting].map(async (watcher) => {
        const started = (performance.now() - since) / 1000;
        const page = JSON.parse(await request(feedUrl, 'GET', '/feed?limit=5', watcher.token)) as {
          items: Array<{ id: string }>;
        };
        if (page.items.some((item) => item.id === postId)) {
          waiting.delete(watcher);
          latest = Math.max(latest, started);
        }
      }),
    );
  }
  return latest;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
