import { applyDecorators, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { AuthenticatedRequest, JwtAuthGuard } from '@app/auth';
import { FeedlineConfig, feedlineConfig } from '@app/config';
import { REDIS_CLIENT, RedisClient, RedisKeys } from '@app/redis';
import { FailOpenStorage, RateLimitGuard } from '@app/http';

type StorageClient = ConstructorParameters<typeof ThrottlerStorageRedisService>[0];

const THROTTLERS = ['login', 'signup', 'posts'] as const;
type Throttler = (typeof THROTTLERS)[number];

/** Per-minute limits, shared by all replicas through Redis: by IP for login and signup, by user for posting. */
export const RateLimitModule = ThrottlerModule.forRootAsync({
  inject: [feedlineConfig.KEY, REDIS_CLIENT, RedisKeys],
  useFactory: (config: FeedlineConfig, redis: RedisClient, keys: RedisKeys) => ({
    throttlers: [
      { name: 'login', ttl: 60_000, limit: config.rateLimit.loginPerMinute },
      { name: 'signup', ttl: 60_000, limit: config.rateLimit.signupPerMinute },
      {
        name: 'posts',
        ttl: 60_000,
        limit: config.rateLimit.postsPerMinute,
        getTracker: (request: Record<string, unknown>) =>
          (request as unknown as AuthenticatedRequest).user?.id ?? String(request.ip),
      },
    ],
    storage: new FailOpenStorage(
      new ThrottlerStorageRedisService(redis as unknown as StorageClient),
      () => redis.status === 'ready',
    ),
    generateKey: (_context, tracker, name) => keys.rateLimit(name, tracker),
    errorMessage: 'Too many requests; try again in a minute',
  }),
});

/** Applies one named limit to a route (posting limits need the caller, so they run after authentication). */
export function RateLimit(name: Throttler): MethodDecorator {
  const others = Object.fromEntries(THROTTLERS.filter((t) => t !== name).map((t) => [t, true]));
  const guards = name === 'posts' ? [JwtAuthGuard, RateLimitGuard] : [RateLimitGuard];
  return applyDecorators(SkipThrottle(others), UseGuards(...guards));
}
