/**
 * npm run bench:fanout [-- --quick] [-- --followers 100000,1000000 --workers 2]
 *
 * Fans one post out to N followers through the real worker processes and
 * prints deliveries per second next to the raw rate of the same Redis writes
 * done by a bare pipelined loop, measured in the same run on the same Redis.
 * Then compares timeline encodings (memory per entry, insert rate) side by
 * side. A private redis-server keeps the figures clear of other traffic.
 * Prints figures; asserts nothing about time.
 */
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { jobOptions } from '@app/queue';
import { RedisKeys } from '@app/redis';
import { AppProcess, RedisServer } from '@app/testing';
import { packEntries, TimelineEntry, TimelineStore } from '@app/timelines';
import { createScratch, formatRate, table, usedMemory } from './lib/scratch';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    followers: { type: 'string' },
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '8' },
  },
});
const SIZES = (args.followers ?? (args.quick ? '10000' : '100000,1000000')).split(',').map(Number);
const WORKERS = Number(args.workers);
const CAP = 800;
/** Entries already in each follower's timeline when the post arrives (a lived-in timeline). */
const EXISTING = 50;
const PIPELINE = 1000;

async function main(): Promise<void> {
  const redisServer = new RedisServer(await RedisServer.freePort());
  await redisServer.start();
  const scratch = await createScratch('fanout', {
    REDIS_URL: redisServer.url,
    TIMELINE_MAX: String(CAP),
    FANOUT_CHUNK_SIZE: '1000',
    FANOUT_CONCURRENCY: args.concurrency,
  });
  const redis = new Redis(redisServer.url);
  const pg = new Client({ connectionString: scratch.databaseUrl });
  await pg.connect();
  const keys = new RedisKeys(scratch.redisPrefix, 'hybrid');
  const store = new TimelineStore(redis, keys, scratch.config);
  const queue = new Queue('fanout', {
    connection: { host: '127.0.0.1', port: redisServer.port },
    prefix: scratch.config.redis.queuePrefix,
  });
  const workers: AppProcess[] = [];
  try {
    console.log(
      `fan-out benchmark: ${WORKERS} worker process(es), concurrency ${args.concurrency} each, chunks of 1000, Redis ${redisServer.url}\n`,
    );
    const rows: Array<Array<string | number>> = [];
    for (const n of SIZES) {
      const author = await prepareAudience(pg, redis, keys, n);
      const raw = await rawLoop(store, author, n);
      if (workers.length === 0) {
        for (let i = 0; i < WORKERS; i += 1)
          workers.push(await AppProcess.start('fanout-worker', scratch.env));
      }
      const worker = await throughWorkers(pg, queue, store, author, n);
      rows.push([
        n.toLocaleString('en-US'),
        formatRate(worker.rate),
        formatRate(raw),
        `${((worker.rate / raw) * 100).toFixed(0)}%`,
        `${worker.seconds.toFixed(2)} s`,
        `${worker.verified}/${worker.sampled}`,
      ]);
      console.log(`  ${n.toLocaleString('en-US')} followers done`);
      await redis.flushall();
    }
    console.log(
      `\n${table(['followers', 'worker deliveries', 'bare pipelined loop', 'ratio', 'post → last delivery', 'sample check'], rows)}`,
    );
    console.log('goal: the worker reaches at least 25% of the bare loop\n');

    console.log(await encodings(redis, store, keys, args.quick ? 500 : 5000));
  } finally {
    await queue.close();
    for (const worker of workers) await worker.signal('SIGTERM');
    await pg.end();
    redis.disconnect();
    await scratch.drop();
    await redisServer.stop();
  }
}

/** An author with `n` followers, each with a lived-in home timeline that accepts the author's posts. */
async function prepareAudience(pg: Client, redis: Redis, keys: RedisKeys, n: number): Promise<number> {
  const { rows } = await pg.query<{ id: string }>(
    `INSERT INTO users (username, username_key, display_name, password_hash)
     SELECT 'b' || g || '_' || $1, 'b' || g || '_' || $1, 'bench', 'x' FROM generate_series(0, $2) g RETURNING id`,
    [n, n],
  );
  const [author, ...followers] = rows.map((row) => Number(row.id));
  await pg.query(`INSERT INTO follows (followee_id, follower_id) SELECT $1, f FROM unnest($2::bigint[]) f`, [
    author,
    followers,
  ]);
  await pg.query('UPDATE users SET follower_count = $2 WHERE id = $1', [author, n]);
  await pg.query('ANALYZE follows');
  const lived: TimelineEntry[] = Array.from({ length: EXISTING }, (_, i) => ({
    postId: 1_000_000 - i,
    authorId: 1,
  }));
  const value = Buffer.concat([
    Buffer.from([82, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
    packEntries(lived),
  ]);
  for (let i = 0; i < followers.length; i += 5000) {
    const pipeline = redis.pipeline();
    for (const follower of followers.slice(i, i + 5000)) {
      pipeline.set(keys.homeTimeline(follower), value, 'EX', 86_400);
      pipeline.sadd(keys.following(follower), author);
    }
    await pipeline.exec();
  }
  return author;
}

/** The same script calls as the worker's, from one loop: pipelines of 1000, no PostgreSQL, no queue. */
async function rawLoop(store: TimelineStore, author: number, n: number): Promise<number> {
  const followers = Array.from({ length: n }, (_, i) => author + 1 + i);
  const entry = { postId: 2_000_000, authorId: author };
  const started = performance.now();
  for (let i = 0; i < followers.length; i += PIPELINE)
    await store.deliver(followers.slice(i, i + PIPELINE), entry);
  return n / ((performance.now() - started) / 1000);
}

/** One real post through the queue and the worker processes; timed from enqueue to the settle job. */
async function throughWorkers(pg: Client, queue: Queue, store: TimelineStore, author: number, n: number) {
  const { rows } = await pg.query<{ id: string }>(
    'INSERT INTO posts (author_id, content) VALUES ($1, $2) RETURNING id',
    [author, 'bench'],
  );
  const postId = rows[0].id;
  const started = performance.now();
  const data = { postId, authorId: String(author) };
  await queue.add('post-created', data, jobOptions('post-created', data));
  for (;;) {
    const settled = await queue.getJob(`settled.post-${postId}`);
    if (settled && (await settled.isCompleted())) break;
    const failed = await queue.getFailed();
    if (failed.length) throw new Error(`a job failed: ${failed[0].failedReason}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const seconds = (performance.now() - started) / 1000;
  // Spot check: the post is in sampled timelines, exactly once.
  const sample = Array.from({ length: 500 }, (_, i) => author + 1 + Math.floor((i * n) / 500));
  const pages = await Promise.all(sample.map((id) => store.readHome(id, 0, CAP)));
  const verified = pages.filter(
    (page) => page.entries.filter((e) => e.postId === Number(postId)).length === 1,
  ).length;
  return { rate: n / seconds, seconds, verified, sampled: sample.length };
}

/**
 * Memory per entry and insert rate of candidate timeline encodings, filled to
 * the cap: the packed string Feedline uses, a sorted set, a list.
 */
async function encodings(
  redis: Redis,
  store: TimelineStore,
  keys: RedisKeys,
  timelines: number,
): Promise<string> {
  const entries: TimelineEntry[] = Array.from({ length: CAP }, (_, i) => ({
    postId: 3_000_000_000 + (CAP - i) * 4096,
    authorId: 1000 + (i % 200),
  }));
  const packed = packEntries(entries);
  const members = entries.map((_, i) => packed.subarray(i * 12, i * 12 + 12));
  const candidates: Array<{
    name: string;
    fill(id: number): (p: ReturnType<Redis['pipeline']>) => void;
    insert(ids: number[]): Promise<unknown>;
  }> = [
    {
      name: 'packed string + Lua (Feedline)',
      fill: (id) => (p) =>
        void p
          .set(
            keys.homeTimeline(id),
            Buffer.concat([Buffer.from([82, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), packed]),
          )
          .sadd(keys.following(id), 7),
      insert: (ids) => store.deliver(ids, { postId: 4_000_000_000_000, authorId: 7 }),
    },
    {
      name: 'sorted set (score = id)',
      fill: (id) => (p) => void p.zadd(`z:${id}`, ...entries.flatMap((e, i) => [e.postId, members[i]])),
      insert: async (ids) => {
        const p = redis.pipeline();
        for (const id of ids)
          p.zadd(`z:${id}`, 4_000_000_000_000, 'new-entry-12').zremrangebyrank(`z:${id}`, 0, -(CAP + 1));
        return p.exec();
      },
    },
    {
      name: 'list (no order or dedup guarantee)',
      fill: (id) => (p) => void p.rpush(`l:${id}`, ...members),
      insert: async (ids) => {
        const p = redis.pipeline();
        for (const id of ids) p.lpush(`l:${id}`, 'new-entry-12').ltrim(`l:${id}`, 0, CAP - 1);
        return p.exec();
      },
    },
  ];
  const rows: string[][] = [];
  for (const candidate of candidates) {
    await redis.flushall();
    const before = await usedMemory(redis);
    for (let i = 0; i < timelines; i += 500) {
      const p = redis.pipeline();
      for (let id = i + 1; id <= Math.min(timelines, i + 500); id += 1) candidate.fill(id)(p);
      await p.exec();
    }
    const bytes = (await usedMemory(redis)) - before;
    const ids = Array.from({ length: timelines }, (_, i) => i + 1);
    const started = performance.now();
    for (let i = 0; i < ids.length; i += PIPELINE) await candidate.insert(ids.slice(i, i + PIPELINE));
    const rate = timelines / ((performance.now() - started) / 1000);
    rows.push([candidate.name, (bytes / (timelines * CAP)).toFixed(1), formatRate(rate)]);
  }
  await redis.flushall();
  return (
    `timeline encodings, ${timelines.toLocaleString('en-US')} timelines x ${CAP} entries (packed string also holds its membership set):\n` +
    `${table(['encoding', 'bytes per entry', 'inserts (pipelined)'], rows)}\n` +
    'goal: at most 16 bytes per entry'
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
