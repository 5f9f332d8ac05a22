/**
 * Writes a generated graph into PostgreSQL in bulk (one transaction, large
 * `INSERT ... SELECT FROM unnest(...)` batches, never a row at a time) and
 * clears the derived state Redis holds for it.
 */
import type { Client } from 'pg';
import { Cluster, Redis } from 'ioredis';
import type { RedisClient } from '@app/redis';
import type { SocialGraph } from './graph';
import type { Progress } from './progress';

/** 2025-01-01T00:00:00Z: the epoch of post ids (see feedline_next_post_id() in the first migration). */
export const POST_ID_EPOCH_MS = Date.UTC(2025, 0, 1);
const POST_SEQUENCE_BITS = 4096; // 12 bits

/** Serializes seeders (and a seeder against a second one started by mistake). */
const SEED_LOCK = 0x5eed_f1ee;

const USER_BATCH = 10_000;
const FOLLOW_BATCH = 100_000;
const POST_BATCH = 20_000;

export class DatabaseNotEmptyError extends Error {
  constructor(readonly contents: DatabaseContents) {
    super(
      `the database already holds data (${describeContents(contents)}); ` +
        'run the seed with --reset to wipe users, follows, posts and the outbox first (admin accounts are kept)',
    );
    this.name = 'DatabaseNotEmptyError';
  }
}

export interface DatabaseContents {
  users: number;
  admins: number;
  follows: number;
  posts: number;
  outbox: number;
}

export interface LoadSettings {
  passwordHash: string;
  celebrityThreshold: number;
  /** The load time: posts are dated before it. */
  now: number;
  reset: boolean;
}

export interface LoadResult {
  /** Database id of user index i is idBase + i + 1. */
  idBase: number;
  users: number;
  follows: number;
  posts: number;
  celebrities: number;
  adminsKept: number;
}

/** Username of user index i: seed_00001, seed_00002, ... (zero-padded to the graph's size). */
export function usernameOf(index: number, users: number): string {
  return `seed_${String(index + 1).padStart(Math.max(5, String(users).length), '0')}`;
}

export function displayNameOf(index: number, celebrities: number): string {
  return index < celebrities ? `Celebrity ${index + 1}` : `Seed User ${index + 1}`;
}

const TOPICS = [
  'coffee',
  'the weather',
  'a new album',
  'TypeScript',
  'Redis',
  'a long run',
  'the match',
  'a good book',
];
const MOODS = [
  'Thinking about',
  'Excited about',
  'Still not sure about',
  'Loving',
  'Reading up on',
  'Tired of',
];

/** Deterministic, human-looking content (1-500 characters, like the API's limit). */
export function postContent(postIndex: number, username: string): string {
  return `${MOODS[postIndex % MOODS.length]} ${TOPICS[(postIndex * 7) % TOPICS.length]} (#${postIndex + 1} by ${username})`;
}

/**
 * Post id for a creation time in ms and a 12-bit sequence, built like
 * feedline_next_post_id(): ((ms - epoch) << 12) | seq. Multiplication, not
 * `<<`, because JavaScript shifts are 32-bit; the result stays below 2^53.
 */
export function postIdAt(ms: number, sequence: number): number {
  if (ms <= POST_ID_EPOCH_MS)
    throw new Error(`post time ${new Date(ms).toISOString()} is before the id epoch`);
  return (ms - POST_ID_EPOCH_MS) * POST_SEQUENCE_BITS + sequence;
}

export async function inspectDatabase(client: Client): Promise<DatabaseContents> {
  const { rows } = await client.query<Record<keyof DatabaseContents, string>>(`
    SELECT (SELECT count(*) FROM users WHERE role <> 'ADMIN') AS users,
           (SELECT count(*) FROM users WHERE role = 'ADMIN') AS admins,
           (SELECT count(*) FROM follows) AS follows,
           (SELECT count(*) FROM posts) AS posts,
           (SELECT count(*) FROM outbox) AS outbox`);
  const row = rows[0];
  return {
    users: Number(row.users),
    admins: Number(row.admins),
    follows: Number(row.follows),
    posts: Number(row.posts),
    outbox: Number(row.outbox),
  };
}

/** Empty apart from admin accounts (post-service creates one at start) that follow nobody and never posted. */
export function isEmpty(contents: DatabaseContents): boolean {
  return contents.users === 0 && contents.follows === 0 && contents.posts === 0 && contents.outbox === 0;
}

function describeContents(c: DatabaseContents): string {
  return `${c.users} users, ${c.admins} admins, ${c.follows} follows, ${c.posts} posts, ${c.outbox} outbox rows`;
}

/**
 * Loads the graph in one transaction: all of it or nothing. Returns null
 * (having changed nothing) when the database holds data and `reset` is off
 * and `ifEmpty` asks for that instead of an error.
 */
export async function loadGraph(
  client: Client,
  graph: SocialGraph,
  settings: LoadSettings,
  progress: Progress,
  ifEmpty = false,
): Promise<LoadResult | null> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
    const contents = await inspectDatabase(client);
    if (!isEmpty(contents)) {
      if (!settings.reset) {
        if (ifEmpty) {
          await client.query('ROLLBACK');
          return null;
        }
        throw new DatabaseNotEmptyError(contents);
      }
      progress.start('reset');
      await resetTables(client);
      progress.finish(`kept ${contents.admins} admin account(s)`);
    }
    const { rows } = await client.query<{ base: string; admins: string }>(
      "SELECT coalesce(max(id), 0) AS base, count(*) FILTER (WHERE role = 'ADMIN') AS admins FROM users",
    );
    const idBase = Number(rows[0].base);
    await insertUsers(client, graph, idBase, settings, progress);
    await insertFollows(client, graph, idBase, progress);
    const posts = await insertPosts(client, graph, idBase, settings.now, progress);
    await verifyCounts(client, graph);
    await client.query('COMMIT');

    // Fresh statistics, so the services' first queries are planned for the real table sizes.
    progress.start('analyze');
    await client.query('ANALYZE users, follows, posts');
    progress.finish();
    const celebrities = graph.followerCount.filter((n) => n >= settings.celebrityThreshold).length;
    return {
      idBase,
      users: graph.users,
      follows: graph.followee.length,
      posts,
      celebrities,
      adminsKept: Number(rows[0].admins),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Empties users, follows, posts and the outbox, keeping admin accounts (owned
 * by post-service's start-up; a running dashboard's login keeps working).
 * What hangs off a user goes with them: push subscriptions, OAuth codes and
 * tokens (registered OAuth apps stay).
 * TRUNCATE, not DELETE: instant, and no per-row cascade checks.
 */
async function resetTables(client: Client): Promise<void> {
  await client.query(
    "CREATE TEMP TABLE seed_kept_admins ON COMMIT DROP AS SELECT * FROM users WHERE role = 'ADMIN'",
  );
  await client.query(
    'TRUNCATE follows, posts, outbox, push_subscriptions, oauth_authorization_codes, oauth_access_tokens, users',
  );
  await client.query(`
    INSERT INTO users SELECT * FROM seed_kept_admins;
    UPDATE users SET follower_count = 0, following_count = 0, is_celebrity = false,
                     delivery = 'PUSH', delivery_since = now();`);
}

async function insertUsers(
  client: Client,
  graph: SocialGraph,
  idBase: number,
  settings: LoadSettings,
  progress: Progress,
): Promise<void> {
  progress.start('users', graph.users);
  // Accounts predate every seeded post.
  const createdAt = new Date(settings.now - graph.options.postWindowMs - 24 * 3600 * 1000);
  for (let from = 0; from < graph.users; from += USER_BATCH) {
    const to = Math.min(from + USER_BATCH, graph.users);
    const ids: number[] = [];
    const names: string[] = [];
    const displayNames: string[] = [];
    for (let i = from; i < to; i += 1) {
      ids.push(idBase + i + 1);
      names.push(usernameOf(i, graph.users));
      displayNames.push(displayNameOf(i, graph.celebrities));
    }
    // The celebrity rule, as the follow path applies it; a celebrity's
    // delivery is what the worker converges to (PULL), since now.
    await client.query(
      `INSERT INTO users (id, username, username_key, display_name, password_hash, follower_count, following_count,
                          is_celebrity, delivery, delivery_since, created_at)
       SELECT u.id, u.name, lower(u.name), u.display_name, $6, u.followers, u.following,
              u.followers >= $7, (CASE WHEN u.followers >= $7 THEN 'PULL' ELSE 'PUSH' END)::"Delivery", now(), $8
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::int[]) AS u(id, name, display_name, followers, following)`,
      [
        ids,
        names,
        displayNames,
        intArray(graph.followerCount.subarray(from, to)),
        intArray(graph.followingCount.subarray(from, to)),
        settings.passwordHash,
        settings.celebrityThreshold,
        createdAt,
      ],
    );
    progress.advance(to - from);
  }
  // Accounts created through the API after the seed continue after the seeded ids.
  await client.query("SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))");
  progress.finish();
}

async function insertFollows(
  client: Client,
  graph: SocialGraph,
  idBase: number,
  progress: Progress,
): Promise<void> {
  const total = graph.followee.length;
  progress.start('follows', total);
  for (let from = 0; from < total; from += FOLLOW_BATCH) {
    const to = Math.min(from + FOLLOW_BATCH, total);
    await client.query(
      'INSERT INTO follows (followee_id, follower_id) SELECT * FROM unnest($1::bigint[], $2::bigint[])',
      [
        intArray(graph.followee.subarray(from, to), idBase + 1),
        intArray(graph.follower.subarray(from, to), idBase + 1),
      ],
    );
    progress.advance(to - from);
  }
  progress.finish();
}

/** Posts with explicit time-ordered ids; created_at is derived from the id, as for posts made through the API. */
async function insertPosts(
  client: Client,
  graph: SocialGraph,
  idBase: number,
  now: number,
  progress: Progress,
): Promise<number> {
  const { author, ageMs } = graph.posts;
  const total = author.length;
  progress.start('posts', total);
  const order = Int32Array.from({ length: total }, (_, i) => i).sort((a, b) => ageMs[b] - ageMs[a] || a - b);
  let lastMs = -1;
  let sequence = 0;
  for (let from = 0; from < total; from += POST_BATCH) {
    const to = Math.min(from + POST_BATCH, total);
    const ids: number[] = [];
    const authors: number[] = [];
    const contents: string[] = [];
    for (let k = from; k < to; k += 1) {
      const i = order[k];
      let ms = Math.floor(now - ageMs[i]);
      // Unique ids: a sequence within one millisecond, moving to the next millisecond when it is full.
      if (ms <= lastMs) {
        sequence += 1;
        ms = lastMs;
        if (sequence === POST_SEQUENCE_BITS) {
          ms += 1;
          sequence = 0;
        }
      } else {
        sequence = 0;
      }
      lastMs = ms;
      ids.push(postIdAt(ms, sequence));
      authors.push(idBase + author[i] + 1);
      contents.push(postContent(i, usernameOf(author[i], graph.users)));
    }
    await client.query(
      `INSERT INTO posts (id, author_id, content, created_at)
       SELECT p.id, p.author_id, p.content, to_timestamp(((p.id >> 12) + $4::bigint) / 1000.0)
       FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS p(id, author_id, content)`,
      [ids, authors, contents, POST_ID_EPOCH_MS],
    );
    progress.advance(to - from);
  }
  progress.finish();
  return total;
}

/** A cheap end-to-end check before committing: the counters add up to the rows. */
async function verifyCounts(client: Client, graph: SocialGraph): Promise<void> {
  const { rows } = await client.query<{ follows: string; followers: string; following: string }>(`
    SELECT (SELECT count(*) FROM follows) AS follows,
           (SELECT sum(follower_count) FROM users) AS followers,
           (SELECT sum(following_count) FROM users) AS following`);
  const expected = String(graph.followee.length);
  const { follows, followers, following } = rows[0];
  if (follows !== expected || followers !== expected || following !== expected) {
    throw new Error(
      `count check failed: ${follows} follow rows, follower counts sum to ${followers}, following counts to ${following}`,
    );
  }
}

/** A PostgreSQL array literal of integers, each plus `offset` (the text form pg would build, without the per-element work). */
function intArray(values: Int32Array, offset = 0): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i += 1) parts[i] = String(values[i] + offset);
  return `{${parts.join(',')}}`;
}

/**
 * Deletes this deployment's derived Redis state (timelines, caches, metrics
 * samples, rate-limit counters: every key under `prefix:`), so it is rebuilt
 * from the new data. BullMQ's keys (`{prefix-q}:...`) are left alone. On a
 * cluster every master is scanned; keys are unlinked one per command, so no
 * command spans two slots.
 */
export async function clearDerivedState(
  redis: RedisClient,
  prefix: string,
  progress: Progress,
): Promise<number> {
  progress.start('redis', 0, 'keys');
  if (redis instanceof Cluster && redis.status !== 'ready') {
    // The masters are known once the cluster has read its slot map.
    await new Promise<void>((resolve, reject) => {
      redis.once('ready', resolve);
      redis.once('error', reject);
    });
  }
  const nodes: Redis[] = redis instanceof Cluster ? redis.nodes('master') : [redis];
  let removed = 0;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      const pipeline = node.pipeline();
      for (const key of keys) pipeline.unlink(key);
      await pipeline.exec();
      removed += keys.length;
      progress.advance(keys.length);
    } while (cursor !== '0');
  }
  progress.finish(`deleted derived keys under ${prefix}:`);
  return removed;
}
