import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { FeedlineConfig, feedlineConfig } from '@app/config';
import { RedisKeys } from './keys';
import { closeRedisClient, createRedisClient } from './redis-connection';
import { RedisHealthIndicator } from './redis.health';
import { REDIS_CLIENT, RedisClient } from './redis.tokens';

@Global()
@Module({
  imports: [TerminusModule],
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [feedlineConfig.KEY],
      useFactory: (config: FeedlineConfig) => createRedisClient(config, 'feedline'),
    },
    {
      provide: RedisKeys,
      inject: [feedlineConfig.KEY],
      useFactory: (config: FeedlineConfig) => new RedisKeys(config.redis.keyPrefix, config.fanout.mode),
    },
    RedisHealthIndicator,
  ],
  exports: [REDIS_CLIENT, RedisKeys, RedisHealthIndicator],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    await closeRedisClient(this.redis);
  }
}
