import { Inject, Injectable } from '@nestjs/common';
import { REDIS_CLIENT, RedisClient, RedisKeys } from '@app/redis';
import { parseLagSample } from './queue-figures';

/** The workers keep at most this many samples (see FanoutMetrics). */
const SAMPLES_KEPT = 5000;
const PAGE = 500;

/** Fan-out lag samples the workers push (newest first, `"<unixMs>:<lagMs>"`). */
@Injectable()
export class LagSamplesStore {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  /** Lags (ms) of the posts delivered at or after `sinceMs`; reads only as far back as needed. */
  async since(sinceMs: number): Promise<number[]> {
    const key = this.keys.fanoutLagSamples();
    const lags: number[] = [];
    for (let start = 0; start < SAMPLES_KEPT; start += PAGE) {
      const entries = await this.redis.lrange(key, start, start + PAGE - 1);
      for (const entry of entries) {
        const sample = parseLagSample(entry);
        if (!sample) continue;
        if (sample.at < sinceMs) return lags;
        lags.push(sample.lagMs);
      }
      if (entries.length < PAGE) break;
    }
    return lags;
  }
}
