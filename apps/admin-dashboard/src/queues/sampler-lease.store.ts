import { Inject, Injectable } from '@nestjs/common';
import { REDIS_CLIENT, RedisClient, RedisKeys } from '@app/redis';

/** Takes the lease when it is free, renews it when we hold it; 1 when we hold it afterwards. */
const HOLD = `
local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not owner then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

/** Deletes the lease only if we still hold it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * A renewable lease in Redis: one holder at a time, taken over by another
 * once the holder stops renewing it for `ttlMs`.
 */
@Injectable()
export class SamplerLeaseStore {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async hold(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(HOLD, 1, this.keys.lock(name), holder, ttlMs)) === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.keys.lock(name), holder);
  }
}
