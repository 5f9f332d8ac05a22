import fs from 'node:fs';
import { Client } from 'pg';
import { adminUrl, RUN_ENV } from './test-database';
import { deleteKeys } from './test-environment';

/** Drops every database and Redis key this run created, even those of crashed test files. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env[RUN_ENV];
  if (!runId) return;
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  const { rows } = await client.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE datname LIKE $1',
    [`feedline_test_${runId}%`],
  );
  for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await client.end();

  await deleteKeys(`t${runId}`);
  if (process.env.FEEDLINE_TEST_KEYS_DIR)
    fs.rmSync(process.env.FEEDLINE_TEST_KEYS_DIR, { recursive: true, force: true });
}
