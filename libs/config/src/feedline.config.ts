import { Inject } from '@nestjs/common';
import { ConfigType, registerAs } from '@nestjs/config';
import { ConfigurationError, FanoutMode, validateEnvironment } from './environment';

export interface RedisNode {
  host: string;
  port: number;
}

/** Builds Feedline's typed configuration from environment variables (validated first). */
export function buildConfig(env: Record<string, string | undefined> = process.env) {
  const e = validateEnvironment(env);
  const nodeEnv = (e.NODE_ENV ?? 'development') as 'development' | 'production' | 'test';
  const threshold = e.CELEBRITY_THRESHOLD ?? 10_000;
  const demoteBelow = e.CELEBRITY_DEMOTE_BELOW ?? Math.floor(threshold * 0.9);
  if (e.CELEBRITY_THRESHOLD !== undefined && e.CELEBRITY_DEMOTE_BELOW === undefined && demoteBelow < 1) {
    throw new ConfigurationError(
      'Invalid environment:\n  - CELEBRITY_THRESHOLD is too small to leave room for hysteresis',
    );
  }
  const keyPrefix = e.REDIS_KEY_PREFIX ?? 'fl';
  return {
    nodeEnv,
    logLevel: e.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    host: e.HOST ?? '0.0.0.0',
    ports: {
      postService: e.POST_SERVICE_PORT ?? 3001,
      feedService: e.FEED_SERVICE_PORT ?? 3002,
      admin: e.ADMIN_PORT ?? 3003,
      worker: e.WORKER_PORT ?? 3004,
      web: e.WEB_PORT ?? 3000,
    },
    /** Origins whose pages may call the HTTP APIs from a browser (the web app). */
    corsOrigins: parseOrigins(e.CORS_ORIGINS),
    /** Where other apps reach post-service (the admin dashboard logs operators in through it). */
    postServiceUrl: e.POST_SERVICE_URL ?? `http://127.0.0.1:${e.POST_SERVICE_PORT ?? 3001}`,
    database: {
      url: e.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/feedline',
      poolSize: e.DATABASE_POOL_SIZE ?? 10,
    },
    redis: {
      url: e.REDIS_URL ?? 'redis://127.0.0.1:6379',
      clusterNodes: parseNodes(e.REDIS_CLUSTER_NODES),
      /** Prefix of every Feedline key, so several deployments (or test runs) share a server. */
      keyPrefix,
      /** BullMQ's prefix: one hash tag, so all queue keys share a Redis Cluster slot. */
      queuePrefix: `{${keyPrefix}-q}`,
    },
    fanout: {
      mode: (e.FANOUT_MODE ?? 'hybrid') as FanoutMode,
      /** Followers at which an account becomes a celebrity (pulled at read time). */
      celebrityThreshold: threshold,
      /** A celebrity becomes regular again only below this (hysteresis). */
      celebrityDemoteBelow: demoteBelow,
      timelineMax: e.TIMELINE_MAX ?? 800,
      timelineTtlSeconds: e.TIMELINE_TTL_SECONDS ?? 7 * 24 * 3600,
      chunkSize: e.FANOUT_CHUNK_SIZE ?? 1000,
      concurrency: e.FANOUT_CONCURRENCY ?? 8,
      /** How long a worker owns a job without renewing; a killed worker's job is retried after this. */
      lockDurationMs: e.FANOUT_LOCK_DURATION_MS ?? 30_000,
      stalledIntervalMs: e.FANOUT_STALLED_INTERVAL_MS ?? 30_000,
    },
    cache: {
      postTtlSeconds: e.POST_CACHE_TTL_SECONDS ?? 24 * 3600,
    },
    auth: {
      privateKeyPem: unescapePem(e.JWT_PRIVATE_KEY),
      privateKeyFile: e.JWT_PRIVATE_KEY_FILE,
      publicKeyPem: unescapePem(e.JWT_PUBLIC_KEY),
      publicKeyFile: e.JWT_PUBLIC_KEY_FILE,
      /** Where development keys are created when none are configured (never in production). */
      keysDir: e.KEYS_DIR ?? '.keys',
      accessTokenTtlSeconds: e.JWT_TTL_SECONDS ?? 3600,
      issuer: 'feedline',
      audience: 'feedline',
    },
    push: {
      /** Configured VAPID keys; in development `npm start` / `npm run keys` create them in KEYS_DIR. */
      vapidPublicKey: e.VAPID_PUBLIC_KEY,
      vapidPrivateKey: e.VAPID_PRIVATE_KEY,
      vapidSubject: e.VAPID_SUBJECT ?? 'mailto:push@feedline.invalid',
      /** Bell subscribers per push-send job. */
      chunkSize: e.PUSH_CHUNK_SIZE ?? 500,
      /** Push jobs run at once, separately from FANOUT_CONCURRENCY. */
      concurrency: e.PUSH_CONCURRENCY ?? 4,
      /** How long a push service keeps an undelivered notification (browser offline). */
      ttlSeconds: e.PUSH_TTL_SECONDS ?? 24 * 3600,
    },
    admin: {
      username: e.ADMIN_USERNAME,
      password: e.ADMIN_PASSWORD,
    },
    rateLimit: {
      loginPerMinute: e.RATE_LIMIT_LOGIN_PER_MINUTE ?? 10,
      signupPerMinute: e.RATE_LIMIT_SIGNUP_PER_MINUTE ?? 10,
      postsPerMinute: e.RATE_LIMIT_POSTS_PER_MINUTE ?? 60,
    },
    outbox: {
      pollMs: e.OUTBOX_POLL_MS ?? 500,
      batchSize: e.OUTBOX_BATCH_SIZE ?? 500,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS ?? 10_000,
  };
}

function parseNodes(list: string | undefined): RedisNode[] | null {
  if (!list) return null;
  return list.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });
}

const DEFAULT_CORS_ORIGINS = 'http://127.0.0.1:3000,http://localhost:3000';

function parseOrigins(list: string | undefined): string[] {
  if (list === 'none') return [];
  return (list ?? DEFAULT_CORS_ORIGINS).split(',').map((origin) => origin.trim());
}

/** PEM keys passed through env files often carry literal "\n". */
function unescapePem(value: string | undefined): string | undefined {
  return value?.includes('\\n') ? value.replace(/\\n/g, '\n') : value;
}

export const feedlineConfig = registerAs('feedline', () => buildConfig(process.env));
export type FeedlineConfig = ConfigType<typeof feedlineConfig>;

/** Injects the typed configuration: `constructor(@InjectConfig() config: FeedlineConfig)`. */
export const InjectConfig = () => Inject(feedlineConfig.KEY);
