import { Inject } from '@nestjs/common';
import { ConfigType, registerAs } from '@nestjs/config';
import { ConfigurationError, validateEnvironment } from './environment';

export interface RedisNode {
  host: string;
  port: number;
}

/** Builds Feedline's typed configuration from environment variables (validated first). */
export function buildConfig(env: Record<string, string | undefined> = process.env) {
  const e = validateEnvironment(env);
  const nodeEnv = e.NODE_ENV;
  const threshold = e.CELEBRITY_THRESHOLD;
  const demoteBelow = e.CELEBRITY_DEMOTE_BELOW ?? Math.floor(threshold * 0.9);
  if (e.CELEBRITY_THRESHOLD !== undefined && e.CELEBRITY_DEMOTE_BELOW === undefined && demoteBelow < 1) {
    throw new ConfigurationError(
      'Invalid environment:\n  - CELEBRITY_THRESHOLD is too small to leave room for hysteresis',
    );
  }
  const keyPrefix = e.REDIS_KEY_PREFIX;
  return {
    nodeEnv,
    logLevel: e.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    host: e.HOST,
    ports: {
      postService: e.POST_SERVICE_PORT,
      feedService: e.FEED_SERVICE_PORT,
      admin: e.ADMIN_PORT,
      worker: e.WORKER_PORT,
      web: e.WEB_PORT,
      mastodon: e.MASTODON_PORT,
    },
    mastodon: {
      /** The one base URL a Mastodon app is given: every link, the streaming URL and NodeInfo use it. */
      publicUrl: e.MASTODON_PUBLIC_URL ?? `http://127.0.0.1:${e.MASTODON_PORT}`,
    },
    /** Origins whose pages may call the HTTP APIs from a browser (the web app). */
    corsOrigins: parseOrigins(e.CORS_ORIGINS),
    /**
     * Fastify's trustProxy: whose X-Forwarded-For names the client (the IP that
     * login and signup limits count). Off by default, so a client cannot pick
     * its own key by sending the header.
     */
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    /** Where other apps reach post-service (the admin dashboard logs operators in through it). */
    postServiceUrl: e.POST_SERVICE_URL ?? `http://127.0.0.1:${e.POST_SERVICE_PORT}`,
    /** Where the admin dashboard reads the workers' Prometheus registries (fan-out lag). */
    workerMetricsUrls: (e.WORKER_METRICS_URLS ?? `http://127.0.0.1:${e.WORKER_PORT}/metrics`).split(','),
    database: {
      url: e.DATABASE_URL,
      poolSize: e.DATABASE_POOL_SIZE,
      /**
       * A statement without an answer by then fails (client side, so it also
       * ends a wait on a silent connection). Generous: the request deadline
       * below is what bounds a request; this frees the pool afterwards.
       */
      queryTimeoutMs: e.DATABASE_QUERY_TIMEOUT_MS,
    },
    /** Connecting to PostgreSQL or Redis, and each Redis command, fails after this. */
    dependencyTimeoutMs: e.DEPENDENCY_TIMEOUT_MS,
    /** Every HTTP request is answered by then: 503 with Retry-After when a dependency made it miss. */
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    redis: {
      url: e.REDIS_URL,
      clusterNodes: parseNodes(e.REDIS_CLUSTER_NODES),
      /** Prefix of every Feedline key, so several deployments (or test runs) share a server. */
      keyPrefix,
      /** BullMQ's prefix: one hash tag, so all queue keys share a Redis Cluster slot. */
      queuePrefix: `{${keyPrefix}-q}`,
    },
    fanout: {
      mode: e.FANOUT_MODE,
      /** Followers at which an account becomes a celebrity (pulled at read time). */
      celebrityThreshold: threshold,
      /** A celebrity becomes regular again only below this (hysteresis). */
      celebrityDemoteBelow: demoteBelow,
      timelineMax: e.TIMELINE_MAX,
      timelineTtlSeconds: e.TIMELINE_TTL_SECONDS,
      chunkSize: e.FANOUT_CHUNK_SIZE,
      concurrency: e.FANOUT_CONCURRENCY,
      /** How long a worker owns a job without renewing; a killed worker's job is retried after this. */
      lockDurationMs: e.FANOUT_LOCK_DURATION_MS,
      stalledIntervalMs: e.FANOUT_STALLED_INTERVAL_MS,
      /** Stalls (its worker died) a job survives before it fails; the outbox relay re-drives it then. */
      maxStalledCount: e.FANOUT_MAX_STALLED_COUNT,
      /** Each job's retry budget: attempts, exponential backoff from `backoffMs`. */
      retry: { attempts: e.FANOUT_JOB_ATTEMPTS, backoffMs: e.FANOUT_JOB_BACKOFF_MS },
    },
    cache: {
      postTtlSeconds: e.POST_CACHE_TTL_SECONDS,
    },
    auth: {
      privateKeyPem: unescapePem(e.JWT_PRIVATE_KEY),
      privateKeyFile: e.JWT_PRIVATE_KEY_FILE,
      publicKeyPem: unescapePem(e.JWT_PUBLIC_KEY),
      publicKeyFile: e.JWT_PUBLIC_KEY_FILE,
      /** Where development keys are created when none are configured (never in production). */
      keysDir: e.KEYS_DIR,
      accessTokenTtlSeconds: e.JWT_TTL_SECONDS,
      issuer: 'feedline',
      audience: 'feedline',
    },
    push: {
      /** Configured VAPID keys; in development `npm start` / `npm run keys` create them in KEYS_DIR. */
      vapidPublicKey: e.VAPID_PUBLIC_KEY,
      vapidPrivateKey: e.VAPID_PRIVATE_KEY,
      vapidSubject: e.VAPID_SUBJECT ?? 'mailto:push@feedline.invalid',
      /** Bell subscribers per push-send job. */
      chunkSize: e.PUSH_CHUNK_SIZE,
      /** Push jobs run at once, separately from FANOUT_CONCURRENCY. */
      concurrency: e.PUSH_CONCURRENCY,
      /** How long a push service keeps an undelivered notification (browser offline). */
      ttlSeconds: e.PUSH_TTL_SECONDS,
    },
    admin: {
      username: e.ADMIN_USERNAME,
      password: e.ADMIN_PASSWORD,
    },
    rateLimit: {
      loginPerMinute: e.RATE_LIMIT_LOGIN_PER_MINUTE,
      signupPerMinute: e.RATE_LIMIT_SIGNUP_PER_MINUTE,
      postsPerMinute: e.RATE_LIMIT_POSTS_PER_MINUTE,
    },
    outbox: {
      pollMs: e.OUTBOX_POLL_MS,
      batchSize: e.OUTBOX_BATCH_SIZE,
      /** How often the relay checks that an unsettled event's jobs are still alive (and re-drives it if not). */
      recheckSeconds: e.OUTBOX_RECHECK_SECONDS,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}

function parseNodes(list: string | undefined): RedisNode[] | null {
  if (!list) return null;
  return list.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

function parseOrigins(list: string): string[] {
  if (list === 'none') return [];
  return list.split(',').map((origin) => origin.trim());
}

/** PEM keys passed through env files often carry literal "\n". */
function unescapePem(value: string | undefined): string | undefined {
  return value?.includes('\\n') ? value.replace(/\\n/g, '\n') : value;
}

export const feedlineConfig = registerAs('feedline', () => buildConfig(process.env));
export type FeedlineConfig = ConfigType<typeof feedlineConfig>;

/** Injects the typed configuration: `constructor(@InjectConfig() config: FeedlineConfig)`. */
export const InjectConfig = () => Inject(feedlineConfig.KEY);
