import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildConfig, ConfigurationError } from '@app/config';
import { ensureDevelopmentVapidKeys, loadVapidKeys } from './vapid-keys';

describe('VAPID keys', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedline-vapid-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a development pair once and keeps it', () => {
    const first = ensureDevelopmentVapidKeys(dir);
    expect(first.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(first.privateKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ensureDevelopmentVapidKeys(dir)).toEqual(first);
    expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
  });

  it('uses configured keys, development keys outside production, and none in production', () => {
    const configured = ensureDevelopmentVapidKeys(path.join(dir, 'other'));
    const env = { VAPID_PUBLIC_KEY: configured.publicKey, VAPID_PRIVATE_KEY: configured.privateKey };
    expect(loadVapidKeys(buildConfig({ ...env, NODE_ENV: 'production' }))).toEqual({
      publicKey: configured.publicKey,
      privateKey: configured.privateKey,
    });
    const development = loadVapidKeys(buildConfig({ NODE_ENV: 'development', KEYS_DIR: dir }));
    expect(development?.publicKey).toBe(ensureDevelopmentVapidKeys(dir).publicKey);
    expect(
      loadVapidKeys(buildConfig({ NODE_ENV: 'production', KEYS_DIR: path.join(dir, 'none') })),
    ).toBeNull();
    expect(fs.existsSync(path.join(dir, 'none'))).toBe(false);
  });

  it('refuses half a pair or a malformed key', () => {
    expect(() => buildConfig({ VAPID_PUBLIC_KEY: ensureDevelopmentVapidKeys(dir).publicKey })).toThrow(
      /VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together/,
    );
    expect(() => buildConfig({ VAPID_PUBLIC_KEY: 'abc', VAPID_PRIVATE_KEY: 'def' })).toThrow(
      ConfigurationError,
    );
    expect(() => buildConfig({ VAPID_SUBJECT: 'push@example.com' })).toThrow(/VAPID_SUBJECT/);
  });
});
