/**
 * `npm start`: everything a newcomer needs to see Feedline work, on one machine.
 * Checks PostgreSQL and Redis, migrates, creates development JWT and VAPID keys, builds,
 * seeds a small demo graph into an empty database, starts the apps (the web
 * app first) and prints where they are and what to paste to try them.
 * Ctrl-C stops them all.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import concurrently, { CloseEvent, ConcurrentlyResult } from 'concurrently';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { ensureDevelopmentKeys } from '@app/auth';
import { buildConfig, ConfigurationError, FeedlineConfig, START_POSTGRES, START_REDIS } from '@app/config';
import { ensureDevelopmentVapidKeys } from '@app/push';
import { deployMigrations } from './db/migrate';
import { DEMO_GRAPH, seedDatabase } from './seed/seed';

// Development defaults, each overridable from the environment.
const DEFAULTS: Record<string, string> = {
  NODE_ENV: 'development',
  // Low enough that the demo graph's star (200 followers) is a celebrity.
  CELEBRITY_THRESHOLD: '100',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'feedline-admin',
  LOG_LEVEL: 'warn',
};

const APPS = [
  { name: 'web', port: (c: FeedlineConfig) => c.ports.web },
  { name: 'post-service', port: (c: FeedlineConfig) => c.ports.postService },
  { name: 'fanout-worker', port: (c: FeedlineConfig) => c.ports.worker },
  { name: 'feed-service', port: (c: FeedlineConfig) => c.ports.feedService },
  { name: 'admin-dashboard', port: (c: FeedlineConfig) => c.ports.admin },
  { name: 'mastodon-api', port: (c: FeedlineConfig) => c.ports.mastodon },
] as const;

/** The running apps, supervised by concurrently (prefixed output, one exits -> all stop). */
let apps: ConcurrentlyResult | undefined;
/** Set once stopping: the exit code to end with. */
let stopCode: number | undefined;

async function main(): Promise<void> {
  for (const [key, value] of Object.entries(DEFAULTS)) process.env[key] ??= value;
  // The web app's origin may call the APIs (CORS), whatever WEB_PORT is.
  const webPort = buildConfig().ports.web;
  process.env.CORS_ORIGINS ??= `http://127.0.0.1:${webPort},http://localhost:${webPort}`;
  const config = buildConfig();

  step('checking PostgreSQL and Redis');
  await checkPostgres(config);
  await checkRedis(config);

  step('migrating the database');
  const applied = await deployMigrations(config.database.url);
  console.log(applied.length ? `  applied ${applied.join(', ')}` : '  up to date');

  if (!config.auth.privateKeyPem && !config.auth.privateKeyFile) {
    const keys = ensureDevelopmentKeys(config.auth.keysDir);
    process.env.JWT_PRIVATE_KEY_FILE = keys.privateKey;
    process.env.JWT_PUBLIC_KEY_FILE = keys.publicKey;
    console.log(`  development JWT keys in ${config.auth.keysDir}/`);
  }
  if (!config.push.vapidPublicKey) {
    const vapid = ensureDevelopmentVapidKeys(config.auth.keysDir);
    process.env.VAPID_PUBLIC_KEY = vapid.publicKey;
    process.env.VAPID_PRIVATE_KEY = vapid.privateKey;
    console.log(`  development Web Push (VAPID) keys in ${vapid.file}`);
  }

  step('building');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) fail('the build failed (see above)');
  const web = spawnSync('npm', ['run', '--silent', 'build:web'], { stdio: 'inherit' });
  if (web.status !== 0) fail('the web app build failed (see above)');
  // Where the web app finds the APIs (a deployment writes its own config.json).
  fs.writeFileSync(
    'dist/web/config.json',
    JSON.stringify({
      postServiceUrl: `http://127.0.0.1:${config.ports.postService}`,
      feedServiceUrl: `http://127.0.0.1:${config.ports.feedService}`,
      // The live user stream: mastodon-api's SSE endpoint, which accepts the web app's native token.
      streamingUrl: config.mastodon.publicUrl,
    }),
  );

  step('demo data');
  const seeded = await seedDatabase({ ...DEMO_GRAPH, log: (line) => console.log(`  ${line}`) }, config);
  if (!seeded) console.log('  the database already has users: left as it is');

  step('starting the apps');
  startApps();
  await Promise.all(APPS.map((app) => waitHealthy(app.name, app.port(config))));
  await printWelcome(config);
}

function startApps(): void {
  apps = concurrently(
    APPS.map((app) => ({
      name: app.name,
      command: `"${process.execPath}" dist/apps/${app.name}/src/main.js`,
    })),
    { prefix: 'name', padPrefix: true, killOthersOn: ['failure', 'success'], killSignal: 'SIGTERM' },
  );
  apps.result.then(
    () => process.exit(stopCode ?? 1),
    (closed: CloseEvent[]) => {
      const first = closed.find((event) => !event.killed);
      if (stopCode === undefined && first)
        console.error(
          `\nnpm start: ${first.command.name} stopped (exit ${first.exitCode}); see its output above. Is its port in use?`,
        );
      process.exit(stopCode ?? 1);
    },
  );
}

async function waitHealthy(name: string, port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  fail(`${name} did not become healthy on port ${port} within a minute`);
}

async function checkPostgres(config: FeedlineConfig): Promise<void> {
  const url = new URL(config.database.url);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    fail(
      `cannot reach PostgreSQL at ${url.host} (${(error as Error).message}).\n` +
        `  Start it, e.g.:  ${START_POSTGRES}\n` +
        '  or point DATABASE_URL at yours (postgresql://user@host:5432/feedline).',
    );
  }
}

async function checkRedis(config: FeedlineConfig): Promise<void> {
  const redis = new Redis(config.redis.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  // The socket's own error (e.g. ECONNREFUSED) explains more than the rejected connect().
  let cause: Error | undefined;
  redis.on('error', (error: Error) => (cause ??= error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    fail(
      `cannot reach Redis at ${config.redis.url} (${(cause ?? (error as Error)).message}).\n` +
        `  Start it, e.g.:  ${START_REDIS}\n` +
        '  or point REDIS_URL at yours.',
    );
  } finally {
    redis.disconnect();
  }
}

async function printWelcome(config: FeedlineConfig): Promise<void> {
  const post = `http://127.0.0.1:${config.ports.postService}`;
  const feed = `http://127.0.0.1:${config.ports.feedService}`;
  const star = await demoCelebrity(config);
  const json = `node -pe 'JSON.parse(require("fs").readFileSync(0)).accessToken'`;
  const name = `newcomer_${Math.floor(Math.random() * 9000 + 1000)}`;
  console.log(`
Feedline is running (FANOUT_MODE=${config.fanout.mode}, CELEBRITY_THRESHOLD=${config.fanout.celebrityThreshold}).

  web app          http://127.0.0.1:${config.ports.web}   (sign up, or log in as a demo account below)
  post-service     ${post}   (API docs: ${post}/docs)
  feed-service     ${feed}   (API docs: ${feed}/docs)
  admin-dashboard  http://127.0.0.1:${config.ports.admin}   (log in as ${config.admin.username} / ${config.admin.password})
  fanout-worker    http://127.0.0.1:${config.ports.worker}/metrics
  Mastodon API     ${config.mastodon.publicUrl}   (give this address to a Mastodon app; README "Use a Mastodon app with Feedline")
  every app:       /health  /metrics

Try it (paste into another terminal):

  TOKEN=$(curl -s -X POST ${post}/auth/signup -H 'content-type: application/json' \\
    -d '{"username":"${name}","password":"correct horse battery"}' | ${json})
${star ? `  curl -s -X PUT ${post}/users/${star.id}/follow -H "authorization: Bearer $TOKEN"   # follow ${star.username}, a celebrity\n` : ''}\
  curl -s -X POST ${post}/posts -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    -d '{"content":"Hello, Feedline!"}'
  curl -s ${feed}/feed?limit=5 -H "authorization: Bearer $TOKEN"

Demo accounts (seeded) share the password "${DEMO_GRAPH.password}". Ctrl-C stops everything.
`);
}

async function demoCelebrity(config: FeedlineConfig): Promise<{ id: string; username: string } | undefined> {
  const client = new Client({ connectionString: config.database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; username: string }>(
      'SELECT id::text, username FROM users WHERE is_celebrity ORDER BY follower_count DESC LIMIT 1',
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

/** Stops the apps (if started) and exits with `code`. */
function stopAll(code: number): void {
  if (stopCode !== undefined) return;
  stopCode = code;
  if (!apps) process.exit(code);
  for (const command of apps.commands) command.kill('SIGTERM');
  setTimeout(() => process.exit(code), 15_000).unref();
}

function step(text: string): void {
  console.log(`\n> ${text}`);
}

function fail(message: string): never {
  console.error(`\nnpm start: ${message}`);
  stopAll(1);
  throw new Error(message);
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

main().catch((error: unknown) => {
  if (stopCode === undefined) {
    const message =
      error instanceof ConfigurationError
        ? error.message
        : `failed: ${(error as Error).stack ?? String(error)}`;
    console.error(`\nnpm start: ${message}`);
  }
  stopAll(1);
});
