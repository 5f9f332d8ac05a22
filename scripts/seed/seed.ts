/**
 * Seeds Feedline with a deterministic social graph and writes the data file
 * the k6 scenarios read. See docs/seed-and-load.md.
 *
 *   npm run seed -- --users 120000 --follows-per-user 25 --celebrities 3 --reset
 *
 * `seedDatabase()` is also what `npm start` calls (with DEMO_GRAPH) on an empty database.
 */
import { createPrivateKey, KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hash } from '@node-rs/argon2';
import jwt from 'jsonwebtoken';
import { Client } from 'pg';
import { loadPrivateKey } from '@app/auth';
import { buildConfig, FeedlineConfig } from '@app/config';
import { createRedisClient } from '@app/redis';
import { followersOf, generateGraph, GraphOptions, sampleOf, sampleRegularUsers, SocialGraph } from './graph';
import {
  clearDerivedState,
  DatabaseNotEmptyError,
  inspectDatabase,
  isEmpty,
  LoadResult,
  loadGraph,
  usernameOf,
} from './loader';
import { formatCount, formatSeconds, Log, Progress } from './progress';

// The package's `Algorithm` is a const enum, which isolated modules cannot read: Argon2id is 2.
const ARGON2ID = 2;
const DAY_MS = 24 * 3600 * 1000;

/** Every seeded account's password (they share one argon2id hash). */
export const SEED_PASSWORD = 'feedline-seed-password';
export const DEFAULT_DATA_FILE = '.data/seed.json';

export interface SeedOptions {
  users: number;
  followsPerUser: number;
  celebrities: number;
  /** Followers of the biggest celebrity: a fraction of the other users when <= 1, else a count. */
  celebrityFollowers: number;
  postsPerUser: number;
  postWindowDays: number;
  seed: number;
  zipfExponent: number;
  /** Cap on a regular account's followers; default: half the celebrity threshold. */
  maxRegularFollowers?: number;
  /** Where the data file is written (relative to the working directory). */
  out: string;
  /** Regular users in the data file (with tokens), and followers of the biggest celebrity. */
  sampleUsers: number;
  sampleFollowers: number;
  tokenTtlSeconds: number;
  password: string;
  /** Wipe users (except admins), follows, posts and the outbox first. */
  reset: boolean;
  /** On a database that holds data (and no reset): return null instead of failing. */
  ifEmpty?: boolean;
  log?: Log;
}

export const DEFAULT_SEED_OPTIONS: SeedOptions = {
  users: 1000,
  followsPerUser: 20,
  celebrities: 3,
  celebrityFollowers: 0.9,
  postsPerUser: 3,
  postWindowDays: 7,
  seed: 1,
  zipfExponent: 0.8,
  out: DEFAULT_DATA_FILE,
  sampleUsers: 1000,
  sampleFollowers: 2000,
  tokenTtlSeconds: 24 * 3600,
  password: SEED_PASSWORD,
  reset: false,
};

/**
 * What `npm start` loads into an empty database: a few hundred users and one
 * celebrity with 200 followers (a celebrity under the start script's
 * CELEBRITY_THRESHOLD=100).
 */
export const DEMO_GRAPH: SeedOptions = {
  ...DEFAULT_SEED_OPTIONS,
  users: 300,
  followsPerUser: 12,
  celebrities: 1,
  celebrityFollowers: 200,
  postsPerUser: 3,
  sampleUsers: 50,
  sampleFollowers: 50,
  ifEmpty: true,
};

export interface SeedSummary extends LoadResult {
  regularFollows: number;
  celebrityAccounts: Array<{ id: string; username: string; followerCount: number }>;
  redisKeysDeleted: number;
  dataFile: string;
  seconds: number;
  /** Time per phase (generate, reset, users, follows, posts, analyze, data file, redis). */
  phases: Array<{ phase: string; rows: number; ms: number }>;
}

/** A seeded account as the load scenarios use it. */
export interface SeededAccount {
  id: string;
  username: string;
  token: string;
}

/** The data file's format (version 1); documented in docs/seed-and-load.md. */
export interface SeedDataFile {
  version: 1;
  createdAt: string;
  seed: number;
  password: string;
  celebrityThreshold: number;
  options: GraphOptions;
  counts: { users: number; follows: number; regularFollows: number; posts: number; celebrities: number };
  tokens: { issuer: string; audience: string; expiresAt: string };
  /** Biggest first; `followerCount` is exact. */
  celebrities: Array<SeededAccount & { followerCount: number }>;
  /** Regular users; `watcher` follows the user (to see its posts arrive), null when it has no followers. */
  users: Array<
    SeededAccount & { followerCount: number; followingCount: number; watcher: SeededAccount | null }
  >;
  /** Regular users who follow celebrities[0]. */
  celebrityFollowers: SeededAccount[];
}

export function graphOptionsFor(options: SeedOptions, celebrityThreshold: number): GraphOptions {
  return {
    users: options.users,
    followsPerUser: options.followsPerUser,
    celebrities: options.celebrities,
    celebrityFollowers: options.celebrityFollowers,
    postsPerUser: options.postsPerUser,
    postWindowMs: options.postWindowDays * DAY_MS,
    seed: options.seed,
    zipfExponent: options.zipfExponent,
    maxRegularFollowers: options.maxRegularFollowers ?? Math.max(1, Math.floor(celebrityThreshold / 2)),
  };
}

/**
 * Generates the graph, loads it, clears the derived Redis state and writes the
 * data file. Fails with DatabaseNotEmptyError on a database that holds data
 * unless `reset` (or returns null with `ifEmpty`).
 */
export async function seedDatabase(
  input: Partial<SeedOptions> = {},
  config: FeedlineConfig = buildConfig(),
): Promise<SeedSummary | null> {
  const options: SeedOptions = { ...DEFAULT_SEED_OPTIONS, ...input };
  const log = options.log ?? ((line: string) => console.log(line));
  const client = new Client({ connectionString: config.database.url });
  await client.connect();
  try {
    // Refuse early (the same check runs again inside the load transaction).
    const contents = await inspectDatabase(client);
    if (!isEmpty(contents) && !options.reset) {
      if (!options.ifEmpty) throw new DatabaseNotEmptyError(contents);
      log('the database already holds data: not seeded');
      return null;
    }
    return await seedInto(client, options, config, log);
  } finally {
    await client.end();
  }
}

async function seedInto(
  client: Client,
  options: SeedOptions,
  config: FeedlineConfig,
  log: Log,
): Promise<SeedSummary | null> {
  const progress = new Progress(log, options.log === undefined && process.stdout.isTTY === true);
  const threshold = config.fanout.celebrityThreshold;
  const now = Date.now();

  progress.start('generate');
  const graph = generateGraph(graphOptionsFor(options, threshold));
  progress.finish(
    `${formatCount(graph.users)} users, ${formatCount(graph.followee.length)} follows, ${formatCount(graph.posts.author.length)} posts`,
  );
  warnAboutThreshold(graph, threshold, log);

  const passwordHash = await hash(options.password, { algorithm: ARGON2ID });
  const settings = { passwordHash, celebrityThreshold: threshold, now, reset: options.reset };
  const loaded = await loadGraph(client, graph, settings, progress, options.ifEmpty);
  if (!loaded) {
    log('the database already holds data: not seeded');
    return null;
  }

  progress.start('data file');
  const data = buildDataFile(graph, loaded, options, config, now);
  fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
  fs.writeFileSync(options.out, `${JSON.stringify(data, null, 1)}\n`);
  progress.finish(
    `${options.out}: ${data.users.length} users, ${data.celebrityFollowers.length} celebrity followers with tokens`,
  );

  const redis = createRedisClient(config, 'seed');
  let redisKeysDeleted: number;
  try {
    redisKeysDeleted = await clearDerivedState(redis, config.redis.keyPrefix, progress);
  } catch (error) {
    throw new Error(
      `the database is seeded and ${options.out} written, but clearing Redis failed (${(error as Error).message}): ` +
        `delete the keys under "${config.redis.keyPrefix}:" before serving feeds, or seed again with --reset`,
      { cause: error },
    );
  } finally {
    redis.disconnect();
  }

  return {
    ...loaded,
    regularFollows: graph.regularFollows,
    celebrityAccounts: data.celebrities.map(({ id, username, followerCount }) => ({
      id,
      username,
      followerCount,
    })),
    redisKeysDeleted,
    dataFile: options.out,
    seconds: progress.elapsedMs() / 1000,
    phases: progress.phases,
  };
}

function warnAboutThreshold(graph: SocialGraph, threshold: number, log: Log): void {
  for (let c = 0; c < graph.celebrities; c += 1) {
    if (graph.followerCount[c] < threshold) {
      log(
        `warning: celebrity ${c + 1} has ${formatCount(graph.followerCount[c])} followers, below CELEBRITY_THRESHOLD=${threshold}: ` +
          'it is seeded as a regular account (raise --users or --celebrity-followers)',
      );
    }
  }
}

export function buildDataFile(
  graph: SocialGraph,
  loaded: LoadResult,
  options: SeedOptions,
  config: FeedlineConfig,
  now: number,
): SeedDataFile {
  const key = createPrivateKey(loadPrivateKey(config));
  const { issuer, audience } = config.auth;
  // One issue time for all tokens, so the file can state when they expire.
  const issuedAt = Math.floor(Date.now() / 1000);
  const idOf = (index: number) => String(loaded.idBase + index + 1);
  const account = (index: number): SeededAccount => {
    const username = usernameOf(index, graph.users);
    const id = idOf(index);
    return {
      id,
      username,
      token: signToken(
        key,
        { sub: id, name: username, role: 'USER', iat: issuedAt },
        options.tokenTtlSeconds,
        issuer,
        audience,
      ),
    };
  };

  const celebrities = Array.from({ length: graph.celebrities }, (_, c) => ({
    ...account(c),
    followerCount: graph.followerCount[c],
  }));
  const users = sampleRegularUsers(graph, options.sampleUsers, options.seed).map(({ user, watcher }) => ({
    ...account(user),
    followerCount: graph.followerCount[user],
    followingCount: graph.followingCount[user],
    watcher: watcher === null ? null : account(watcher),
  }));
  const fans =
    graph.celebrities > 0 ? followersOf(graph, 0).filter((u) => u >= graph.celebrities) : new Int32Array(0);
  const celebrityFollowers = sampleOf(fans, options.sampleFollowers, options.seed + 1).map(account);

  return {
    version: 1,
    createdAt: new Date(now).toISOString(),
    seed: options.seed,
    password: options.password,
    celebrityThreshold: config.fanout.celebrityThreshold,
    options: graph.options,
    counts: {
      users: graph.users,
      follows: graph.followee.length,
      regularFollows: graph.regularFollows,
      posts: graph.posts.author.length,
      celebrities: loaded.celebrities,
    },
    tokens: {
      issuer,
      audience,
      expiresAt: new Date((issuedAt + options.tokenTtlSeconds) * 1000).toISOString(),
    },
    celebrities,
    users,
    celebrityFollowers,
  };
}

/** An access token exactly as post-service issues one (RS256; sub, name, role; iss, aud, iat, exp). */
function signToken(
  key: KeyObject,
  claims: { sub: string; name: string; role: 'USER'; iat: number },
  ttlSeconds: number,
  issuer: string,
  audience: string,
): string {
  return jwt.sign(claims, key, { algorithm: 'RS256', expiresIn: ttlSeconds, issuer, audience });
}

const USAGE = `Usage: npm run seed -- [options]

  --users N                  accounts to create (default ${DEFAULT_SEED_OPTIONS.users})
  --follows-per-user M       mean number of regular accounts each user follows (default ${DEFAULT_SEED_OPTIONS.followsPerUser})
  --celebrities K            celebrity accounts (default ${DEFAULT_SEED_OPTIONS.celebrities})
  --celebrity-followers F    followers of the biggest celebrity: a fraction of the users when <= 1,
                             else a count; celebrity i gets F / sqrt(i) (default ${DEFAULT_SEED_OPTIONS.celebrityFollowers})
  --posts-per-user P         posts per account, spread over the last --post-days days (default ${DEFAULT_SEED_OPTIONS.postsPerUser})
  --post-days D              (default ${DEFAULT_SEED_OPTIONS.postWindowDays})
  --zipf S                   exponent of the power law of regular accounts' followers (default ${DEFAULT_SEED_OPTIONS.zipfExponent})
  --max-regular-followers C  cap on a regular account's followers (default CELEBRITY_THRESHOLD / 2)
  --seed S                   random seed: same seed, same graph (default ${DEFAULT_SEED_OPTIONS.seed})
  --out FILE                 data file for the k6 scenarios (default ${DEFAULT_DATA_FILE})
  --sample-users N           regular users written to the data file with tokens (default ${DEFAULT_SEED_OPTIONS.sampleUsers})
  --sample-followers N       followers of the biggest celebrity written with tokens (default ${DEFAULT_SEED_OPTIONS.sampleFollowers})
  --token-ttl SECONDS        lifetime of those tokens (default ${DEFAULT_SEED_OPTIONS.tokenTtlSeconds})
  --password PW              every seeded account's password (default ${SEED_PASSWORD})
  --reset                    wipe users (admins are kept), follows, posts and the outbox first

Connection settings come from the usual environment (DATABASE_URL, REDIS_URL or
REDIS_CLUSTER_NODES, REDIS_KEY_PREFIX, CELEBRITY_THRESHOLD, JWT_PRIVATE_KEY[_FILE]).`;

/** Parses the command line into seed options; throws with a readable message on bad input. */
export function parseSeedArgs(argv: string[]): SeedOptions & { help: boolean } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      users: { type: 'string' },
      'follows-per-user': { type: 'string' },
      celebrities: { type: 'string' },
      'celebrity-followers': { type: 'string' },
      'posts-per-user': { type: 'string' },
      'post-days': { type: 'string' },
      zipf: { type: 'string' },
      'max-regular-followers': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      'sample-users': { type: 'string' },
      'sample-followers': { type: 'string' },
      'token-ttl': { type: 'string' },
      password: { type: 'string' },
      reset: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const num = (name: keyof typeof values, fallback: number, integer = true): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const value = Number(String(raw).replace(/_/g, ''));
    if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
      throw new Error(
        `--${name} must be a non-negative ${integer ? 'integer' : 'number'}, got "${String(raw)}"`,
      );
    }
    return value;
  };
  const d = DEFAULT_SEED_OPTIONS;
  const password = values.password ?? d.password;
  if (password.length < 8 || password.length > 128)
    throw new Error('--password must be 8-128 characters (the signup rule)');
  return {
    ...d,
    users: num('users', d.users),
    followsPerUser: num('follows-per-user', d.followsPerUser, false),
    celebrities: num('celebrities', d.celebrities),
    celebrityFollowers: num('celebrity-followers', d.celebrityFollowers, false),
    postsPerUser: num('posts-per-user', d.postsPerUser),
    postWindowDays: num('post-days', d.postWindowDays, false),
    zipfExponent: num('zipf', d.zipfExponent, false),
    maxRegularFollowers:
      values['max-regular-followers'] === undefined ? undefined : num('max-regular-followers', 0),
    seed: num('seed', d.seed),
    out: values.out ?? d.out,
    sampleUsers: num('sample-users', d.sampleUsers),
    sampleFollowers: num('sample-followers', d.sampleFollowers),
    tokenTtlSeconds: num('token-ttl', d.tokenTtlSeconds),
    password,
    reset: values.reset ?? false,
    help: values.help ?? false,
  };
}

async function main(): Promise<void> {
  const { help, ...options } = parseSeedArgs(process.argv.slice(2));
  if (help) {
    console.log(USAGE);
    return;
  }
  const config = buildConfig();
  console.log(
    `seeding ${redactUrl(config.database.url)} (Redis prefix "${config.redis.keyPrefix}", CELEBRITY_THRESHOLD=${config.fanout.celebrityThreshold}, seed ${options.seed})`,
  );
  const summary = await seedDatabase(options, config);
  if (!summary) return;
  console.log(
    [
      '',
      `done in ${formatSeconds(summary.seconds * 1000)}: ${formatCount(summary.users)} users (ids ${summary.idBase + 1}..${summary.idBase + summary.users}), ` +
        `${formatCount(summary.follows)} follows, ${formatCount(summary.posts)} posts, ${summary.celebrities} celebrities`,
      ...summary.celebrityAccounts.map(
        (c) => `  celebrity ${c.username} (id ${c.id}): ${formatCount(c.followerCount)} followers`,
      ),
      `  password of every seeded account: ${options.password}`,
      `  data file for k6: ${summary.dataFile}`,
    ].join('\n'),
  );
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    if (error instanceof DatabaseNotEmptyError) {
      console.error(`seed refused: ${error.message}`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`seed failed: ${message}`);
      if (/ECONNREFUSED/.test(message))
        console.error('Are PostgreSQL and Redis running? (see docs/seed-and-load.md)');
      if (/relation "users" does not exist/.test(message))
        console.error('Apply the migrations first: npm run db:migrate');
    }
    process.exit(1);
  });
}
