import { applyDecorators, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { FeedlineConfig, feedlineConfig } from '@app/config';
import { FailOpenStorage, RateLimitGuard } from '@app/http';
import { REDIS_CLIENT, RedisClient, RedisKeys } from '@app/redis';
import { MastodonAuthGuard, MastodonRequest } from './auth/mastodon-auth.guard';

type StorageClient = ConstructorParameters<typeof ThrottlerStorageRedisService>[0];

const THROTTLERS = ['login', 'signup', 'posts'] as const;
type Throttler = (typeof THROTTLERS)[number];

/**
 * The native API's limits with the native API's Redis keys, so both APIs
 * draw on one budget: logins (the authorize page) and app registrations
 * (`signup`) by IP, posting by user.
 */
export const MastodonRateLimitModule = ThrottlerModule.forRootAsync({
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
          (request as unknown as MastodonRequest).mastodon?.userId ?? String(request.ip),
      },
    ],
    storage: new FailOpenStorage(
      new ThrottlerStorageRedisService(redis as unknown as StorageClient),
      () => redis.status === 'ready',
    ),
    generateKey: (_context, tracker, name) => keys.rateLimit(name, tracker),
    errorMessage: 'Too many requests',
  }),
});

/** Applies one named limit (posting runs after RequireScopes, which knows the caller). */
export function RateLimit(name: Throttler): MethodDecorator {
  const others = Object.fromEntries(THROTTLERS.filter((t) => t !== name).map((t) => [t, true]));
  const guards = name === 'posts' ? [MastodonAuthGuard, RateLimitGuard] : [RateLimitGuard];
  return applyDecorators(SkipThrottle(others), UseGuards(...guards));
}
