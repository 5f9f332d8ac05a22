/**
 * npm run bench:mastodon [-- --quick] [-- --users 12000 --clients 5000 --duration 5]
 *
 * On one seeded graph (hybrid):
 * 1. the home timeline through the Mastodon route (mastodon-api,
 *    GET /api/v1/timelines/home) next to the native GET /feed (feed-service),
 *    same readers, same run;
 * 2. streaming: N WebSocket clients connected to one mastodon-api process,
 *    and the latency from a post's 201 to its `update` event, for regular
 *    posts (each heard by a follower connected to its own user channel) and
 *    for a celebrity's post (published once, heard by every connected
 *    follower). Prints figures; asserts nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppProcess, RedisServer, WsStreamClient } from '@app/testing';
import { seedDatabase, SeedDataFile } from '../scripts/seed/seed';
import { load, ms } from './lib/load';
import { createScratch, settleDatabase, table } from './lib/scratch';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    users: { type: 'string' },
    clients: { type: 'string' },
    duration: { type: 'string' },
  },
});
const CLIENTS = Number(args.clients ?? (args.quick ? 500 : 5000));
const USERS = Number(args.users ?? (args.quick ? 2000 : Math.max(12_000, CLIENTS * 2.5)));
const DURATION = Number(args.duration ?? (args.quick ? 5 : 10));
const REGULAR_POSTS = args.quick ? 20 : 100;
const CELEBRITY_POSTS = args.quick ? 2 : 5;

async function main(): Promise<void> {
  const redisServer = new RedisServer(await RedisServer.freePort());
  await redisServer.start();
  const scratch = await createScratch('mastodon', {
    REDIS_URL: redisServer.url,
    CELEBRITY_THRESHOLD: '1000',
  });
  const dataFile = path.join(os.tmpdir(), `feedline-bench-mastodon-${process.pid}.json`);
  const apps: AppProcess[] = [];
  const clients: WsStreamClient[] = [];
  try {
    await seedDatabase(
      {
        users: USERS,
        followsPerUser: 40,
        celebrities: 2,
        celebrityFollowers: 0.5,
        postsPerUser: 5,
        sampleUsers: REGULAR_POSTS,
        sampleFollowers: CLIENTS,
        out: dataFile,
        reset: true,
        log: () => undefined,
      },
      scratch.config,
    );
    await settleDatabase(scratch.databaseUrl);
    const data = JSON.parse(fs.readFileSync(dataFile, 'utf8')) as SeedDataFile;
    const env = { ...scratch.env, FANOUT_MODE: 'hybrid' };
    for (const app of ['fanout-worker', 'post-service', 'feed-service', 'mastodon-api'] as const)
      apps.push(await AppProcess.start(app, env, 120_000));
    const [, posts, feed, mastodon] = apps;
    const readers = [...data.users, ...data.celebrityFollowers].map((account) => account.token);
    console.log(
      `Mastodon API benchmark: ${data.counts.users.toLocaleString('en-US')} users, ${data.counts.follows.toLocaleString('en-US')} follows, ` +
        `${data.counts.posts.toLocaleString('en-US')} posts (hybrid); ${readers.length} readers, ${DURATION} s per measurement\n`,
    );

    // 1. Home timeline: both routes warmed once over every reader, then measured back to back.
    const routes = [
      ['GET /feed (feed-service)', `${feed.url}/feed?limit=20`],
      ['GET /api/v1/timelines/home (mastodon-api)', `${mastodon.url}/api/v1/timelines/home?limit=20`],
    ] as const;
    const rows: Array<Array<string | number>> = [];
    for (const [name, url] of routes) {
      // Warm: every reader's timeline and cache entries loaded once (cold reads rebuild from PostgreSQL).
      await load({ url, tokens: readers, connections: 16, durationSeconds: 5 });
      const result = await load({ url, tokens: readers, connections: 16, durationSeconds: DURATION });
      if (result.errors + result.non2xx > 0) throw new Error(`${name}: failed requests under load`);
      rows.push([name, result.requestsPerSecond.toFixed(0), ms(result.p50), ms(result.p99)]);
    }
    console.log(table(['home timeline, limit 20', 'req/s', 'p50', 'p99'], rows));
    console.log('goal: the Mastodon route within ~30% of /feed (same hybrid read, plus the Status JSON)\n');

    // 2. Streaming: celebrity followers, plus the watchers of the regular authors who will post.
    const authors = data.users.filter((user) => user.watcher).slice(0, REGULAR_POSTS);
    const watchers = authors.map((user) => user.watcher!);
    const fans = data.celebrityFollowers.slice(0, Math.max(0, CLIENTS - watchers.length));
    const started = performance.now();
    const accounts = [...watchers, ...fans];
    for (let i = 0; i < accounts.length; i += 250) {
      clients.push(
        ...(await Promise.all(
          accounts.slice(i, i + 250).map((a) => WsStreamClient.connect(mastodon.url, a.token)),
        )),
      );
    }
    console.log(
      `${clients.length} WebSocket clients connected in ${((performance.now() - started) / 1000).toFixed(1)} s ` +
        `(${fans.length} follow the celebrity)`,
    );
    const watcherClients = clients.slice(0, watchers.length);
    const fanClients = clients.slice(watchers.length);

    const regular: number[] = [];
    for (const [i, author] of authors.entries()) {
      const id = await createPost(posts.url, author.token);
      const sent = performance.now();
      regular.push((await arrival(watcherClients[i], id)) - sent);
    }
    const celebrity: number[] = [];
    const star = data.celebrities[0];
    for (let i = 0; i < CELEBRITY_POSTS; i += 1) {
      const id = await createPost(posts.url, star.token);
      const sent = performance.now();
      const arrivals = await Promise.all(fanClients.map((client) => arrival(client, id)));
      celebrity.push(...arrivals.map((at) => at - sent));
    }
    console.log(
      table(
        ['post → event (201 to update)', 'events', 'p50', 'p99', 'max'],
        [
          ['regular (user channel, after fan-out)', regular.length, ...percentiles(regular)],
          [
            `celebrity (one publish, ${fanClients.length} listeners)`,
            celebrity.length,
            ...percentiles(celebrity),
          ],
        ],
      ),
    );
    console.log(
      'goals: p99 under 1 s for a regular post, and for a celebrity post to every connected follower',
    );
    console.log(
      `(load generator, clients, services, PostgreSQL and Redis share this machine's ${os.cpus().length} cores)`,
    );
  } finally {
    for (const client of clients) client.close();
    for (const app of apps.reverse()) await app.signal('SIGTERM');
    fs.rmSync(dataFile, { force: true });
    await scratch.drop();
    await redisServer.stop();
  }
}

async function createPost(postServiceUrl: string, token: string): Promise<string> {
  const response = await fetch(`${postServiceUrl}/posts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ content: `bench ${Date.now()}` }),
  });
  if (response.status !== 201) throw new Error(`POST /posts: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** When `client` received the update for `id` (performance.now()); 30 s at most. */
function arrival(client: WsStreamClient, id: string): Promise<number> {
  const seen = client.events.find(
    (e) => e.event === 'update' && (JSON.parse(e.payload) as { id: string }).id === id,
  );
  if (seen) return Promise.resolve(seen.at);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no update ${id} within 30 s`)), 30_000);
    const previous = client.onEvent;
    client.onEvent = (event) => {
      previous?.(event);
      if (event.event === 'update' && (JSON.parse(event.payload) as { id: string }).id === id) {
        clearTimeout(timer);
        client.onEvent = previous;
        resolve(event.at);
      }
    };
  });
}

function percentiles(values: number[]): string[] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return [ms(at(0.5)), ms(at(0.99)), ms(sorted[sorted.length - 1])];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
