import { plainToInstance, Transform } from 'class-transformer';
import {
  getMetadataStorage,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

/** FANOUT_MODE: how the whole system fans out (docs/glossary.md); not an author's own `delivery`. */
export const FANOUT_MODES = ['hybrid', 'push', 'pull'] as const;
export type FanoutMode = (typeof FANOUT_MODES)[number];

const trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const integer = () =>
  Transform(({ value }) =>
    typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value,
  );

/** What the README's configuration table says about one variable (`npm run docs:config`). */
export interface SettingDoc {
  name: string;
  /** The default as the table shows it; empty when the variable has none. */
  default: string;
  description: string;
}

const docs = new Map<string, Omit<SettingDoc, 'name' | 'default'> & { shownDefault?: string }>();

/**
 * Documents a variable. Its default is the field's initializer (shown as
 * is), or `shownDefault` when the config factory derives it.
 */
const Setting =
  (description: string, shownDefault?: string): PropertyDecorator =>
  (_target, property) =>
    void docs.set(String(property), { description, shownDefault });

const Port =
  (description: string): PropertyDecorator =>
  (target, property) => {
    for (const decorate of [Setting(description), IsOptional(), integer(), IsInt(), Min(1), Max(65535)])
      decorate(target, property);
  };

/**
 * Every environment variable Feedline reads: its bounds, its default (the
 * initializer) and its description, in one place. The config factory, the
 * validator and the README's table (`npm run docs:config`) all read this.
 */
export class EnvironmentVariables {
  @Setting('`production` requires configured JWT keys')
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';
  @Setting(
    'JSON logs (pino) with request ids (`X-Request-Id` honoured and echoed)',
    '`info` (`warn` in tests)',
  )
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
  @Setting('the address the apps listen on') @IsOptional() @IsString() @trimmed() HOST = '0.0.0.0';

  @Port('post-service') POST_SERVICE_PORT = 3001;
  @Port('feed-service') FEED_SERVICE_PORT = 3002;
  @Port('admin-dashboard') ADMIN_PORT = 3003;
  @Port('fanout-worker (health and metrics only)') WORKER_PORT = 3004;
  @Port("the web app's static server (`npm run start:web`)") WEB_PORT = 3000;
  @Port('the Mastodon-compatible API (`npm run start:mastodon-api`)') MASTODON_PORT = 3005;
  @Setting(
    "the Mastodon API's address as clients see it (links, streaming URL, NodeInfo)",
    '`http://127.0.0.1:$MASTODON_PORT`',
  )
  @IsOptional()
  @trimmed()
  @Matches(/^https?:\/\/[^\s/]+$/, {
    message: 'MASTODON_PUBLIC_URL must be an http(s):// origin like https://social.example.com (no path)',
  })
  MASTODON_PUBLIC_URL?: string;

  @Setting('origins allowed to call post-service and feed-service from a browser; `none` for none')
  @IsOptional()
  @trimmed()
  @Matches(/^(none|https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*)$/, {
    message: 'CORS_ORIGINS must be comma-separated origins like https://app.example.com (no path), or none',
  })
  CORS_ORIGINS = 'http://127.0.0.1:3000,http://localhost:3000';

  @Setting(
    'whose `X-Forwarded-For` names the client (rate limits): `true`, a hop count, or addresses/CIDRs; off by default',
  )
  @IsOptional()
  @trimmed()
  @Matches(/^(true|false|\d{1,2}|[\da-fA-F.:/]+(,\s*[\da-fA-F.:/]+)*)$/, {
    message: 'TRUST_PROXY must be false, true, a number of proxy hops, or comma-separated addresses/CIDRs',
  })
  TRUST_PROXY = 'false';

  @Setting('where the dashboard logs admins in', '`http://127.0.0.1:$POST_SERVICE_PORT`')
  @IsOptional()
  @trimmed()
  @Matches(/^https?:\/\/\S+$/, { message: 'POST_SERVICE_URL must be an http(s):// URL' })
  POST_SERVICE_URL?: string;

  @Setting(
    "fan-out workers' `/metrics`, comma-separated: the dashboard's lag figures",
    '`http://127.0.0.1:$WORKER_PORT/metrics`',
  )
  @IsOptional()
  @trimmed()
  @Matches(/^https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*$/, {
    message: 'WORKER_METRICS_URLS must be comma-separated http(s):// URLs',
  })
  WORKER_METRICS_URLS?: string;

  @Setting('PostgreSQL, the source of truth')
  @IsOptional()
  @trimmed()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/feedline';
  @Setting('connections per process') @IsOptional() @integer() @IsInt() @Min(1) @Max(200) DATABASE_POOL_SIZE =
    10;
  @Setting(
    'a query without an answer by then fails (frees the pool; the request deadline bounds the request)',
  )
  @IsOptional()
  @integer()
  @IsInt()
  @Min(100)
  @Max(600_000)
  DATABASE_QUERY_TIMEOUT_MS = 10_000;
  @Setting('connecting to PostgreSQL or Redis, and each Redis command, fails after this')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(100)
  @Max(600_000)
  DEPENDENCY_TIMEOUT_MS = 2000;
  @Setting('every HTTP request is answered by then: 503 with `Retry-After` when a dependency made it miss')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(100)
  @Max(600_000)
  REQUEST_TIMEOUT_MS = 2500;

  @Setting('Redis: timelines, caches, the queue')
  @IsOptional()
  @trimmed()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';
  @Setting('`host:port,…`: use a Redis Cluster instead')
  @IsOptional()
  @trimmed()
  @Matches(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, {
    message: 'REDIS_CLUSTER_NODES must be host:port[,host:port...]',
  })
  REDIS_CLUSTER_NODES?: string;
  @Setting("every key (and the queue's hash-tagged prefix `{fl-q}`)")
  @IsOptional()
  @trimmed()
  @Matches(/^[a-zA-Z0-9_.-]{1,40}$/, { message: 'REDIS_KEY_PREFIX must be 1-40 of [a-zA-Z0-9_.-]' })
  REDIS_KEY_PREFIX = 'fl';

  @Setting('`push`, `pull` (timelines are kept per mode)')
  @IsOptional()
  @trimmed()
  @IsIn(FANOUT_MODES)
  FANOUT_MODE: FanoutMode = 'hybrid';
  @Setting('followers to become a celebrity (`npm start`: 100)')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(2)
  CELEBRITY_THRESHOLD = 10_000;
  @Setting('a celebrity becomes regular again below this (hysteresis)', '90% of the threshold')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(1)
  CELEBRITY_DEMOTE_BELOW?: number;
  @Setting('entries kept per timeline')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(10)
  @Max(100_000)
  TIMELINE_MAX = 800;
  @Setting('an unread timeline expires (rebuilt on the next read)')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(60)
  TIMELINE_TTL_SECONDS = 7 * 24 * 3600;
  @Setting('followers per chunk job')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(1)
  @Max(100_000)
  FANOUT_CHUNK_SIZE = 1000;
  @Setting('jobs per worker process') @IsOptional() @integer() @IsInt() @Min(1) @Max(256) FANOUT_CONCURRENCY =
    8;
  @Setting('how long a post stays in the hydration cache')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(60)
  POST_CACHE_TTL_SECONDS = 24 * 3600;
  @Setting("how long a worker owns a job without renewing; a killed worker's job is retried after this")
  @IsOptional()
  @integer()
  @IsInt()
  @Min(1000)
  @Max(600_000)
  FANOUT_LOCK_DURATION_MS = 30_000;
  @Setting('how often workers look for stalled jobs')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(500)
  @Max(600_000)
  FANOUT_STALLED_INTERVAL_MS = 30_000;
  @Setting('stalls (its worker died) a job survives before it fails; the outbox relay re-drives it then')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(1)
  @Max(100)
  FANOUT_MAX_STALLED_COUNT = 3;
  @Setting("each fan-out job's attempts")
  @IsOptional()
  @integer()
  @IsInt()
  @Min(1)
  @Max(100)
  FANOUT_JOB_ATTEMPTS = 10;
  @Setting('first retry delay (exponential backoff)')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(10)
  @Max(600_000)
  FANOUT_JOB_BACKOFF_MS = 1000;

  @Setting('post-service only (PEM); development keys are created in `KEYS_DIR` outside production')
  @IsOptional()
  @IsString()
  @MinLength(1)
  JWT_PRIVATE_KEY?: string;
  @Setting('a file holding `JWT_PRIVATE_KEY`')
  @IsOptional()
  @IsString()
  @MinLength(1)
  JWT_PRIVATE_KEY_FILE?: string;
  @Setting('the other apps; verification only')
  @IsOptional()
  @IsString()
  @MinLength(1)
  JWT_PUBLIC_KEY?: string;
  @Setting('a file holding `JWT_PUBLIC_KEY`')
  @IsOptional()
  @IsString()
  @MinLength(1)
  JWT_PUBLIC_KEY_FILE?: string;
  @Setting('access token lifetime')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  JWT_TTL_SECONDS = 3600;
  @Setting('where development keys are created (never in production)')
  @IsOptional()
  @IsString()
  @MinLength(1)
  KEYS_DIR = '.keys';

  @Setting("Web Push (VAPID, RFC 8292): the server's P-256 public key, base64url; unset: push is off")
  @IsOptional()
  @trimmed()
  @Matches(/^[A-Za-z0-9_-]{87}$/, {
    message: 'VAPID_PUBLIC_KEY must be a base64url P-256 public key (87 chars)',
  })
  VAPID_PUBLIC_KEY?: string;
  @Setting('its private key (43 characters, base64url)')
  @IsOptional()
  @trimmed()
  @Matches(/^[A-Za-z0-9_-]{43}$/, {
    message: 'VAPID_PRIVATE_KEY must be a base64url P-256 private key (43 chars)',
  })
  VAPID_PRIVATE_KEY?: string;
  @Setting('who push services contact about this sender: a mailto: or https: URL')
  @IsOptional()
  @trimmed()
  @Matches(/^(mailto:\S+@\S+|https:\/\/\S+)$/, { message: 'VAPID_SUBJECT must be a mailto: or https: URL' })
  VAPID_SUBJECT?: string;
  @Setting('subscriptions per push delivery job')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(1)
  @Max(10_000)
  PUSH_CHUNK_SIZE = 500;
  @Setting('push delivery jobs per worker process')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(1)
  @Max(256)
  PUSH_CONCURRENCY = 4;
  @Setting('how long a push service keeps an undelivered notification')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(0)
  @Max(28 * 24 * 3600)
  PUSH_TTL_SECONDS = 24 * 3600;

  @Setting('post-service makes sure this admin exists at start (with `ADMIN_PASSWORD`)')
  @IsOptional()
  @trimmed()
  @Matches(/^[a-zA-Z0-9_]{3,30}$/, { message: 'ADMIN_USERNAME must be 3-30 of [a-zA-Z0-9_]' })
  ADMIN_USERNAME?: string;
  @Setting("the admin's password (8-128 characters)")
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  ADMIN_PASSWORD?: string;

  @Setting('per IP') @IsOptional() @integer() @IsInt() @Min(1) RATE_LIMIT_LOGIN_PER_MINUTE = 10;
  @Setting('per IP') @IsOptional() @integer() @IsInt() @Min(1) RATE_LIMIT_SIGNUP_PER_MINUTE = 10;
  @Setting('per user') @IsOptional() @integer() @IsInt() @Min(1) RATE_LIMIT_POSTS_PER_MINUTE = 60;

  @Setting('how often the outbox relay looks for unsent events')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(10)
  @Max(60_000)
  OUTBOX_POLL_MS = 500;
  @Setting('events the relay sends per round')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(1)
  @Max(10_000)
  OUTBOX_BATCH_SIZE = 500;
  @Setting("how often the relay checks that an unsettled event's jobs are alive (re-driven if not)")
  @IsOptional()
  @integer()
  @IsInt()
  @Min(1)
  @Max(3600)
  OUTBOX_RECHECK_SECONDS = 10;
  @Setting('graceful shutdown deadline')
  @IsOptional()
  @integer()
  @IsInt()
  @Min(100)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;
}

/** Every variable as the README's table lists it, in declaration order. */
export function describeSettings(): SettingDoc[] {
  const defaults = new EnvironmentVariables() as unknown as Record<string, unknown>;
  return validatedNames().map((name) => {
    const doc = docs.get(name);
    if (!doc) throw new Error(`EnvironmentVariables.${name} has no @Setting description`);
    const value = defaults[name];
    const shown =
      doc.shownDefault ??
      (value === undefined ? '' : typeof value === 'number' ? String(value) : `\`${value as string}\``);
    return { name, default: shown, description: doc.description };
  });
}

function validatedNames(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(EnvironmentVariables, '', true, false);
  return [...new Set(metadata.map((entry) => entry.propertyName))];
}

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** Validates the environment; the error lists each bad variable by name. */
export function validateEnvironment(env: Record<string, string | undefined>): EnvironmentVariables {
  const blanksRemoved = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = plainToInstance(EnvironmentVariables, blanksRemoved);
  const errors = validateSync(parsed, { whitelist: true, forbidUnknownValues: false });
  const problems = errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map((text) =>
      text.startsWith(error.property) ? text : `${error.property}: ${text}`,
    ),
  );
  if (
    parsed.CELEBRITY_DEMOTE_BELOW !== undefined &&
    parsed.CELEBRITY_DEMOTE_BELOW > parsed.CELEBRITY_THRESHOLD
  ) {
    problems.push('CELEBRITY_DEMOTE_BELOW must not exceed CELEBRITY_THRESHOLD');
  }
  if ((parsed.VAPID_PUBLIC_KEY === undefined) !== (parsed.VAPID_PRIVATE_KEY === undefined)) {
    problems.push('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both or neither');
  }
  if (problems.length > 0) {
    throw new ConfigurationError(`Invalid environment:\n  - ${problems.join('\n  - ')}`);
  }
  return parsed;
}
