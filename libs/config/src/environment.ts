import { plainToInstance, Transform } from 'class-transformer';
import {
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

/**
 * Every environment variable Feedline reads, with its bounds. Defaults live in
 * feedline.config.ts; here an absent variable is simply valid.
 */
export class EnvironmentVariables {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV?: string;
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL?: string;
  @IsOptional() @IsString() @trimmed() HOST?: string;

  @IsOptional() @integer() @IsInt() @Min(1) @Max(65535) POST_SERVICE_PORT?: number;
  @IsOptional() @integer() @IsInt() @Min(1) @Max(65535) FEED_SERVICE_PORT?: number;
  @IsOptional() @integer() @IsInt() @Min(1) @Max(65535) ADMIN_PORT?: number;
  @IsOptional() @integer() @IsInt() @Min(1) @Max(65535) WORKER_PORT?: number;
  @IsOptional() @integer() @IsInt() @Min(1) @Max(65535) WEB_PORT?: number;

  /** Browser origins allowed to call the APIs (the web app's), comma-separated; `none` allows none. */
  @IsOptional()
  @trimmed()
  @Matches(/^(none|https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*)$/, {
    message: 'CORS_ORIGINS must be comma-separated origins like https://app.example.com (no path), or none',
  })
  CORS_ORIGINS?: string;

  @IsOptional()
  @trimmed()
  @Matches(/^https?:\/\/\S+$/, { message: 'POST_SERVICE_URL must be an http(s):// URL' })
  POST_SERVICE_URL?: string;

  @IsOptional()
  @trimmed()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL?: string;
  @IsOptional() @integer() @IsInt() @Min(1) @Max(200) DATABASE_POOL_SIZE?: number;

  @IsOptional()
  @trimmed()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;
  @IsOptional()
  @trimmed()
  @Matches(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, {
    message: 'REDIS_CLUSTER_NODES must be host:port[,host:port...]',
  })
  REDIS_CLUSTER_NODES?: string;
  @IsOptional()
  @trimmed()
  @Matches(/^[a-zA-Z0-9_.-]{1,40}$/, { message: 'REDIS_KEY_PREFIX must be 1-40 of [a-zA-Z0-9_.-]' })
  REDIS_KEY_PREFIX?: string;

  @IsOptional() @trimmed() @IsIn(FANOUT_MODES) FANOUT_MODE?: string;
  @IsOptional() @integer() @IsInt() @Min(2) CELEBRITY_THRESHOLD?: number;
  @IsOptional() @integer() @IsInt() @Min(1) CELEBRITY_DEMOTE_BELOW?: number;
  @IsOptional() @integer() @IsInt() @Min(10) @Max(100_000) TIMELINE_MAX?: number;
  @IsOptional() @integer() @IsInt() @Min(60) TIMELINE_TTL_SECONDS?: number;
  @IsOptional() @integer() @IsInt() @Min(1) @Max(100_000) FANOUT_CHUNK_SIZE?: number;
  @IsOptional() @integer() @IsInt() @Min(1) @Max(256) FANOUT_CONCURRENCY?: number;
  @IsOptional() @integer() @IsInt() @Min(60) POST_CACHE_TTL_SECONDS?: number;
  @IsOptional() @integer() @IsInt() @Min(1000) @Max(600_000) FANOUT_LOCK_DURATION_MS?: number;
  @IsOptional() @integer() @IsInt() @Min(500) @Max(600_000) FANOUT_STALLED_INTERVAL_MS?: number;

  @IsOptional() @IsString() @MinLength(1) JWT_PRIVATE_KEY?: string;
  @IsOptional() @IsString() @MinLength(1) JWT_PRIVATE_KEY_FILE?: string;
  @IsOptional() @IsString() @MinLength(1) JWT_PUBLIC_KEY?: string;
  @IsOptional() @IsString() @MinLength(1) JWT_PUBLIC_KEY_FILE?: string;
  @IsOptional() @integer() @IsInt() @Min(60) @Max(30 * 24 * 3600) JWT_TTL_SECONDS?: number;
  @IsOptional() @IsString() @MinLength(1) KEYS_DIR?: string;

  /** Web Push (VAPID, RFC 8292): the application server's P-256 key pair, base64url as web-push prints it. */
  @IsOptional()
  @trimmed()
  @Matches(/^[A-Za-z0-9_-]{87}$/, {
    message: 'VAPID_PUBLIC_KEY must be a base64url P-256 public key (87 chars)',
  })
  VAPID_PUBLIC_KEY?: string;
  @IsOptional()
  @trimmed()
  @Matches(/^[A-Za-z0-9_-]{43}$/, {
    message: 'VAPID_PRIVATE_KEY must be a base64url P-256 private key (43 chars)',
  })
  VAPID_PRIVATE_KEY?: string;
  /** Who push services contact about this sender: mailto: or https: URL. */
  @IsOptional()
  @trimmed()
  @Matches(/^(mailto:\S+@\S+|https:\/\/\S+)$/, { message: 'VAPID_SUBJECT must be a mailto: or https: URL' })
  VAPID_SUBJECT?: string;
  @IsOptional() @integer() @IsInt() @Min(1) @Max(10_000) PUSH_CHUNK_SIZE?: number;
  @IsOptional() @integer() @IsInt() @Min(1) @Max(256) PUSH_CONCURRENCY?: number;
  @IsOptional() @integer() @IsInt() @Min(0) @Max(28 * 24 * 3600) PUSH_TTL_SECONDS?: number;

  @IsOptional()
  @trimmed()
  @Matches(/^[a-zA-Z0-9_]{3,30}$/, { message: 'ADMIN_USERNAME must be 3-30 of [a-zA-Z0-9_]' })
  ADMIN_USERNAME?: string;
  @IsOptional() @IsString() @MinLength(8) @MaxLength(128) ADMIN_PASSWORD?: string;

  @IsOptional() @integer() @IsInt() @Min(1) RATE_LIMIT_LOGIN_PER_MINUTE?: number;
  @IsOptional() @integer() @IsInt() @Min(1) RATE_LIMIT_SIGNUP_PER_MINUTE?: number;
  @IsOptional() @integer() @IsInt() @Min(1) RATE_LIMIT_POSTS_PER_MINUTE?: number;

  @IsOptional() @integer() @IsInt() @Min(10) @Max(60_000) OUTBOX_POLL_MS?: number;
  @IsOptional() @integer() @IsInt() @Min(1) @Max(10_000) OUTBOX_BATCH_SIZE?: number;
  @IsOptional() @integer() @IsInt() @Min(100) @Max(600_000) SHUTDOWN_TIMEOUT_MS?: number;
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
  if (parsed.CELEBRITY_DEMOTE_BELOW !== undefined && parsed.CELEBRITY_THRESHOLD !== undefined) {
    if (parsed.CELEBRITY_DEMOTE_BELOW > parsed.CELEBRITY_THRESHOLD) {
      problems.push('CELEBRITY_DEMOTE_BELOW must not exceed CELEBRITY_THRESHOLD');
    }
  }
  if ((parsed.VAPID_PUBLIC_KEY === undefined) !== (parsed.VAPID_PRIVATE_KEY === undefined)) {
    problems.push('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both or neither');
  }
  if (problems.length > 0) {
    throw new ConfigurationError(`Invalid environment:\n  - ${problems.join('\n  - ')}`);
  }
  return parsed;
}
