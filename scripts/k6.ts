/**
 * Runs a k6 scenario with a real k6 binary: `npm run k6:<scenario>`, or
 * `tsx scripts/k6.ts <scenario> [--stack] [k6 run options...]`.
 *
 * - k6 is found as K6_BIN, else `k6` on PATH, else ../shared/tools/k6 next to
 *   the repository, else /work/shared/tools/k6.
 * - The scenario is lowered to ES2015 with esbuild first (k6 modules stay
 *   external): k6 releases before 0.52 reject `??` and `?.`.
 * - `--stack` starts a throw-away stack for the run (CI): its own database,
 *   Redis key prefix, JWT keys and free ports, the compiled apps (run
 *   `npm run build` first), and stops it afterwards. Without it, k6 talks to
 *   the stack at POST_URL, FEED_URL ... (default: `npm start`'s ports).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { Client } from 'pg';
import { deployMigrations } from './db/migrate';

const ROOT = path.resolve(__dirname, '..');

export function findK6(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [
    env.K6_BIN,
    ...(env.PATH ?? '').split(path.delimiter).map((dir) => dir && path.join(dir, 'k6')),
    path.resolve(ROOT, '../shared/tools/k6'),
    '/work/shared/tools/k6',
  ];
  for (const candidate of candidates) {
    if (candidate && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(
    'k6 not found: set K6_BIN, put k6 on PATH (https://grafana.com/docs/k6/latest/set-up/install-k6/), ' +
      'or place it at ../shared/tools/k6',
  );
}

/** The scenario bundled for old k6 releases, in a temporary folder; returns its path. */
async function lower(scenario: string, outDir: string): Promise<string> {
  const entry = path.join(ROOT, 'k6', `${scenario}.js`);
  if (!fs.existsSync(entry)) throw new Error(`no scenario k6/${scenario}.js`);
  const outfile = path.join(outDir, `${scenario}.js`);
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    target: 'es2015',
    external: ['k6', 'k6/*'],
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

interface Stack {
  urls: Record<'POST_URL' | 'FEED_URL' | 'ADMIN_URL' | 'WORKER_URL', string>;
  stop: () => Promise<void>;
}

const APPS = [
  { app: 'post-service', portVar: 'POST_SERVICE_PORT', urlVar: 'POST_URL' },
  { app: 'feed-service', portVar: 'FEED_SERVICE_PORT', urlVar: 'FEED_URL' },
  { app: 'admin-dashboard', portVar: 'ADMIN_PORT', urlVar: 'ADMIN_URL' },
  { app: 'fanout-worker', portVar: 'WORKER_PORT', urlVar: 'WORKER_URL' },
] as const;

/** A throw-away stack of the compiled apps on free ports, over its own database and key prefix. */
async function startStack(tmp: string): Promise<Stack> {
  const admin = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  admin.pathname = '/postgres';
  const name = `feedline_k6_${randomBytes(4).toString('hex')}`;
  const database = new URL(admin);
  database.pathname = `/${name}`;
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  await deployMigrations(database.toString());

  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(path.join(tmp, 'private.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  fs.writeFileSync(path.join(tmp, 'public.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  const ports = await Promise.all(APPS.map(() => freePort()));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATABASE_URL: database.toString(),
    REDIS_KEY_PREFIX: `k6${randomBytes(3).toString('hex')}`,
    JWT_PRIVATE_KEY_FILE: path.join(tmp, 'private.pem'),
    JWT_PUBLIC_KEY_FILE: path.join(tmp, 'public.pem'),
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: randomBytes(12).toString('hex'),
    ...Object.fromEntries(APPS.map(({ portVar }, i) => [portVar, String(ports[i])])),
    POST_SERVICE_URL: `http://127.0.0.1:${ports[0]}`,
  };
  const children: ChildProcess[] = APPS.map(({ app }) => {
    const main = path.join(ROOT, 'dist/apps', app, 'src/main.js');
    if (!fs.existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
    return spawn(process.execPath, [main], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  });
  const urls = Object.fromEntries(
    APPS.map(({ urlVar }, i) => [urlVar, `http://127.0.0.1:${ports[i]}`]),
  ) as Stack['urls'];
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
            child.once('exit', resolve);
            child.kill('SIGTERM');
          }),
      ),
    );
    const cleanup = new Client({ connectionString: admin.toString() });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await cleanup.end();
  };
  try {
    const deadline = Date.now() + 180_000;
    for (const url of Object.values(urls)) {
      for (;;) {
        const up = await fetch(`${url}/ping`).then(
          (r) => r.ok,
          () => false,
        );
        if (up) break;
        if (children.some((child) => child.exitCode !== null)) throw new Error('an app of the stack exited');
        if (Date.now() > deadline) throw new Error(`${url} did not start in 3 minutes`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls, stop };
}

async function main(): Promise<number> {
  const [scenario, ...rest] = process.argv.slice(2);
  if (!scenario) throw new Error('usage: tsx scripts/k6.ts <scenario> [--stack] [k6 run options...]');
  const withStack = rest.includes('--stack');
  const k6Args = rest.filter((arg) => arg !== '--stack');
  const k6 = findK6();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'feedline-k6-'));
  const stack = withStack ? await startStack(tmp) : undefined;
  try {
    const script = await lower(scenario, tmp);
    fs.mkdirSync(path.join(ROOT, 'reports/k6'), { recursive: true });
    // The bundle lives elsewhere: a data file path must be absolute (relative ones are from k6/).
    const data = path.resolve(ROOT, 'k6', process.env.DATA ?? '../.data/seed.json');
    const envArgs = [
      `DATA=${data}`,
      ...Object.entries(stack?.urls ?? {}).map(([key, value]) => `${key}=${value}`),
    ].flatMap((pair) => ['-e', pair]);
    console.log(`${k6} run ${scenario} (lowered to ES2015)${stack ? ' against a throw-away stack' : ''}`);
    const run = spawnSync(k6, ['run', ...envArgs, ...k6Args, script], { cwd: ROOT, stdio: 'inherit' });
    return run.status ?? 1;
  } finally {
    await stack?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error((error as Error).message);
      process.exit(1);
    },
  );
}
