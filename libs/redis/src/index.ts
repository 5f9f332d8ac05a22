export { RedisModule } from './redis.module';
export { RedisKeys } from './keys';
export { REDIS_CLIENT } from './redis.tokens';
export type { RedisClient } from './redis.tokens';
export {
  closeRedisClient,
  createRedisClient,
  createSubscriberClient,
  reconnectDelay,
} from './redis-connection';
export { batch, getMany, sendAll } from './multi-key';
export type { RedisCommand } from './multi-key';
export { RedisHealthIndicator } from './redis.health';
