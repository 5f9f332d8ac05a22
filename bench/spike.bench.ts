/**
 * npm run bench:spike [-- --quick] [-- --users 50000 --base 100 --spike 1500]
 *
 * The k6 celebrity-spike scenario's shape (k6/celebrity-spike.js), driven
 * from Node because k6 cannot be installed here: the biggest celebrity's
 * followers read their feeds at a steady rate; the celebrity posts; the read
 * rate ramps up and holds as followers rush in. Under push, hybrid and pull
 * in turn, on one seeded graph. Reports read latency before and during the
 * spike, failed reads, how long after the post each follower first saw it
 * (bounded below by how often each one reads, as in k6), and how many reads
 * made after the post's 201 still missed it.
 * Prints figures; asserts nothing about time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { RedisServer } from '@app/testing';
import { seedDatabase, SeedDataFile } from '../scripts/seed/seed';
import { ms } from './lib/load';
import { MODES } from './lib/report';
import { createScratch, settleDatabase, table } from './lib/scratch';
import { BenchStack, inBatches, request } from './lib/stack';
import { openLoop, summarize } from './lib/steady';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    users: { type: 'string' },
    base: { type: 'string', default: '100' },
    spike: { type: 'string', default: '1500' },
    workers: { type: 'string', default: '2' },
  },
});
const QUICK = args.quick === true;
const USERS = Number(args.users ?? (QUICK ? 2000 : 50_000));
const BASE = Number(args.base);
const SPIKE = Number(args.spike);
const [STEADY, RAMP, PLATEAU] = QUICK ? [4, 2, 6] : [20, 10, 30];

async function main(): Promise<void> {
  const redisServer = new RedisServer(await RedisServer.freePort());
  await redisServer.start();
  const scratch = await createScratch('spike', {
    REDIS_URL: redisServer.url,
    CELEBRITY_THRESHOLD: String(Math.max(50, Math.floor(USERS / 10))),
    RATE_LIMIT_POSTS_PER_MINUTE: '1000000',
  });
  const dataFile = path.join(os.tmpdir(), `feedline-spike-${process.pid}.json`);
  const redis = new Redis(redisServer.url);
  try {
    await seedDatabase(
      {
        users: USERS,
        followsPerUser: 30,
        celebrities: 3,
        celebrityFollowers: 0.6,
        postsPerUser: 5,
        sampleUsers: 10,
        sampleFollowers: Math.min(2000, USERS / 2),
        out: dataFile,
        reset: true,
        log: () => undefined,
      },
      scratch.config,
    );
    await settleDatabase(scratch.databaseUrl);
    const data = JSON.parse(fs.readFileSync(dataFile, 'utf8')) as SeedDataFile;
    const celebrity = data.celebrities[0];
    console.log(
      `celebrity spike: ${celebrity.username} has ${celebrity.followerCount.toLocaleString('en-US')} followers (${data.counts.users.toLocaleString('en-US')} users); ` +
        `${data.celebrityFollowers.length} of them read: ${BASE}/s for ${STEADY} s, the post, ramp to ${SPIKE}/s over ${RAMP} s, hold ${PLATEAU} s\n`,
    );
    const rows: Array<Array<string | number>> = [];
    for (const mode of MODES) {
      await redis.flushall();
      const stack = await BenchStack.start(
        { ...scratch.env, FANOUT_MODE: mode },
        Number(args.workers),
        redisServer.port,
        scratch.config.redis.queuePrefix,
      );
      try {
        await stack.rebuildAll();
        rows.push([mode, ...(await spike(stack, data))]);
        console.log(`  ${mode} done`);
      } finally {
        await stack.stop();
      }
    }
    console.log(
      table(
        [
          'mode',
          'reads (failed)',
          'before the post p50 / p99',
          'during the spike p50 / p99',
          'first sighting after the post p50 / p95 / max (k6: celebrity_post_visible_ms)',
          'reads after the post missing it',
          'peak queue depth',
        ],
        rows,
      ),
    );
  } finally {
    redis.disconnect();
    fs.rmSync(dataFile, { force: true });
    await scratch.drop();
    await redisServer.stop();
  }
}

async function spike(stack: BenchStack, data: SeedDataFile): Promise<string[]> {
  const readers = data.celebrityFollowers;
  const tokens = readers.map((reader) => reader.token);
  await inBatches(tokens, 50, (token) => request(stack.feed.url, 'GET', '/feed?limit=10', token)); // warm
  const rate = (t: number) =>
    t < STEADY ? BASE : t < STEADY + RAMP ? BASE + ((SPIKE - BASE) * (t - STEADY)) / RAMP : SPIKE;
  let postedAt = Infinity; // ms since the run started, when the 201 arrived
  let postId = '';
  const runStart = performance.now() + 50; // openLoop starts 50 ms after being called
  const posting = new Promise<void>((resolve, reject) =>
    setTimeout(
      () => {
        request(stack.postService.url, 'POST', '/posts', data.celebrities[0].token, {
          content: 'the celebrity speaks',
        })
          .then((body) => {
            postId = (JSON.parse(body) as { id: string }).id;
            postedAt = performance.now() - runStart;
            resolve();
          })
          .catch(reject);
      },
      STEADY * 1000 + 50,
    ),
  );
  const sampling = stack.sampleDepth(performance.now());
  const before: number[] = [];
  const during: number[] = [];
  const firstSeen = new Map<number, number>();
  let afterPost = 0;
  let missed = 0;
  const result = await openLoop({
    url: `${stack.feed.url}/feed?limit=10`,
    tokens,
    rate,
    durationSeconds: STEADY + RAMP + PLATEAU,
    onResponse: ({ index, at, latencyMs, body, status }) => {
      (at < STEADY * 1000 ? before : during).push(latencyMs);
      if (status !== 200 || at < postedAt) return;
      afterPost += 1;
      const reader = index % tokens.length;
      if (body.includes(`"id":"${postId}"`)) {
        if (!firstSeen.has(reader)) firstSeen.set(reader, at + latencyMs - postedAt);
      } else if (!firstSeen.has(reader)) {
        missed += 1;
      }
    },
  });
  await posting;
  await stack.drain();
  const depth = await sampling.stop();
  const early = summarize(before, STEADY);
  const late = summarize(during, RAMP + PLATEAU);
  const seen = summarize([...firstSeen.values()], 1);
  const max = Math.max(...firstSeen.values());
  return [
    `${(before.length + during.length).toLocaleString('en-US')} (${result.errors + result.non2xx})`,
    `${ms(early.p50)} / ${ms(early.p99)}`,
    `${ms(late.p50)} / ${ms(late.p99)}`,
    `${ms(seen.p50)} / ${ms(seen.p95)} / ${ms(max)} (${firstSeen.size} readers)`,
    `${missed} of ${afterPost}`,
    String(Math.max(0, ...depth.map(([, d]) => d))),
  ];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
