import { Client } from 'pg';
import { Redis } from 'ioredis';
import { adminUrl, databaseUrl, RUN_ENV } from './test-database';

export interface TestEnvironment {
  /** This file's own database, cloned from the run's migrated template. */
  databaseUrl: string;
  /** This file's own Redis key prefix (and so its own queue). */
  redisPrefix: string;
}

let files = 0;

/**
 * Gives the calling test file its own database and Redis prefix, set in
 * process.env before its apps are created, and removes both afterwards.
 * `env` adds or overrides variables for this file.
 */
export function useTestEnvironment(env: Record<string, string> = {}): TestEnvironment {
  const runId = process.env[RUN_ENV];
  if (!runId)
    throw new Error('run the tests through jest (npm test): the global setup prepares the databases');
  files += 1;
  const suffix = `${process.pid}_${files}_${Math.random().toString(36).slice(2, 6)}`;
  const name = `feedline_test_${runId}_${suffix}`;
  const environment: TestEnvironment = { databaseUrl: databaseUrl(name), redisPrefix: `t${runId}${suffix}` };
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    const client = new Client({ connectionString: adminUrl() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}" TEMPLATE "feedline_test_${runId}"`);
    } finally {
      await client.end();
    }
    const vars = { DATABASE_URL: environment.databaseUrl, REDIS_KEY_PREFIX: environment.redisPrefix, ...env };
    for (const [key, value] of Object.entries(vars)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
  });

  afterAll(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    const client = new Client({ connectionString: adminUrl() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
    await deleteKeys(environment.redisPrefix);
  });

  return environment;
}

export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  try {
    for (const pattern of [`${prefix}*`, `{${prefix}*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}
