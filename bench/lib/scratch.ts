/**
 * A throw-away deployment for a benchmark: its own migrated database and its
 * own Redis key prefix (hence its own queue), removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { buildConfig, FeedlineConfig } from '@app/config';
import { deployMigrations } from '../../scripts/db/migrate';

export interface Scratch {
  env: Record<string, string>;
  config: FeedlineConfig;
  databaseUrl: string;
  redisPrefix: string;
  drop(): Promise<void>;
}

export async function createScratch(name: string, env: Record<string, string> = {}): Promise<Scratch> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/feedline');
  const tag = `${name}_${randomBytes(3).toString('hex')}`;
  base.pathname = `/feedline_bench_${tag}`;
  const databaseUrl = base.toString();
  const redisPrefix = `bench-${tag}`;
  await deployMigrations(databaseUrl);
  const all = {
    ...env,
    DATABASE_URL: databaseUrl,
    REDIS_KEY_PREFIX: redisPrefix,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  };
  Object.assign(process.env, all);
  return {
    env: all,
    config: buildConfig(process.env),
    databaseUrl,
    redisPrefix,
    async drop() {
      const admin = new URL(databaseUrl);
      admin.pathname = '/postgres';
      const client = new Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(
        `DROP DATABASE IF EXISTS "${decodeURIComponent(base.pathname.slice(1))}" WITH (FORCE)`,
      );
      await client.end();
      const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
      for (const pattern of [`${redisPrefix}*`, `{${redisPrefix}*`]) {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
          if (keys.length) await redis.unlink(...keys);
          cursor = next;
        } while (cursor !== '0');
      }
      redis.disconnect();
    },
  };
}

/**
 * After a bulk seed, vacuum and analyze now: otherwise autovacuum wakes up
 * for the fresh rows in the middle of a measurement and takes a core.
 */
export async function settleDatabase(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE) users, follows, posts');
  } finally {
    await client.end();
  }
}

/** Redis's own memory figure (bytes), after letting lazy frees finish. */
export async function usedMemory(redis: Redis): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

export function formatRate(perSecond: number): string {
  return perSecond >= 1e6
    ? `${(perSecond / 1e6).toFixed(2)} M/s`
    : perSecond >= 1e3
      ? `${(perSecond / 1e3).toFixed(1)} k/s`
      : `${perSecond.toFixed(0)} /s`;
}

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(cells[0]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ].join('\n');
}
