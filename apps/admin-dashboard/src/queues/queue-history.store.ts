import { Inject, Injectable } from '@nestjs/common';
import { REDIS_CLIENT, RedisClient, RedisKeys } from '@app/redis';
import type { QueueSample } from './queue-figures';

/** Samples kept per queue: 15 minutes at one a second. */
export const HISTORY_LENGTH = 900;
export const SAMPLE_INTERVAL_MS = 1000;
/** A history nobody samples any more (dashboard gone) disappears after this. */
const HISTORY_TTL_MS = 2 * HISTORY_LENGTH * SAMPLE_INTERVAL_MS;

/**
 * Sampled queue history in Redis (a list per queue, newest first), so every
 * dashboard replica and every page reload sees the same past.
 */
@Injectable()
export class QueueHistoryStore {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async append(queue: string, sample: QueueSample): Promise<void> {
    const key = this.keys.queueHistory(queue);
    const results = await this.redis
      .multi()
      .lpush(key, JSON.stringify(sample))
      .ltrim(key, 0, HISTORY_LENGTH - 1)
      .pexpire(key, HISTORY_TTL_MS)
      .exec();
    const error = results?.find(([failure]) => failure)?.[0];
    if (error) throw error;
  }

  /** The newest `count` samples, oldest first; entries that do not parse are skipped. */
  async recent(queue: string, count = HISTORY_LENGTH): Promise<QueueSample[]> {
    const entries = await this.redis.lrange(
      this.keys.queueHistory(queue),
      0,
      Math.min(count, HISTORY_LENGTH) - 1,
    );
    return entries
      .map(parseSample)
      .filter((sample): sample is QueueSample => sample !== undefined)
      .reverse();
  }
}

function parseSample(entry: string): QueueSample | undefined {
  try {
    const value = JSON.parse(entry) as Partial<QueueSample> | null;
    return value && Number.isFinite(value.t) && Number.isFinite(value.completedTotal)
      ? (value as QueueSample)
      : undefined;
  } catch {
    return undefined;
  }
}
