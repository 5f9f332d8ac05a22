/**
 * Jest global setup: one migrated template database per run (each test file
 * clones it), a throw-away JWT key pair, and ids that keep this run's data
 * apart from a developer's and from other runs.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import webpush from 'web-push';
import { adminUrl, databaseUrl, RUN_ENV } from './test-database';

export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  process.env[RUN_ENV] = runId;
  const template = `feedline_test_${runId}`;
  try {
    execFileSync(
      process.execPath,
      [require.resolve('tsx/cli'), path.resolve(__dirname, '../../../scripts/db/migrate.ts')],
      { env: { ...process.env, DATABASE_URL: databaseUrl(template) }, stdio: 'pipe' },
    );
  } catch (error) {
    // db:migrate's own message says how to start PostgreSQL when it is not running.
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    throw new Error(`Tests need PostgreSQL at ${adminUrl()}: ${stderr}`, { cause: error });
  }

  const vapid = webpush.generateVAPIDKeys();
  const keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedline-test-keys-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(path.join(keysDir, 'private.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  fs.writeFileSync(path.join(keysDir, 'public.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_PRIVATE_KEY_FILE: path.join(keysDir, 'private.pem'),
    JWT_PUBLIC_KEY_FILE: path.join(keysDir, 'public.pem'),
    FEEDLINE_TEST_KEYS_DIR: keysDir,
    RATE_LIMIT_LOGIN_PER_MINUTE: '100000',
    RATE_LIMIT_SIGNUP_PER_MINUTE: '100000',
    RATE_LIMIT_POSTS_PER_MINUTE: '100000',
    OUTBOX_POLL_MS: '100',
    // Deadlines wide enough for a busy 2-core machine running the whole suite; the fault
    // matrix sets the production defaults (2 s per dependency call, 2.5 s per request) itself.
    DEPENDENCY_TIMEOUT_MS: '10000',
    REQUEST_TIMEOUT_MS: '30000',
    // Web Push (VAPID) keys for every test app, so none writes development keys.
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
  });
}
