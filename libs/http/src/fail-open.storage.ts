import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';

/**
 * Rate limits are a protection, not a dependency: when their Redis is
 * unreachable, requests pass (logged) rather than fail, so posting keeps
 * working through a Redis outage.
 */
export class FailOpenStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');

  constructor(
    private readonly inner: ThrottlerStorage,
    /** Whether the storage's connection is up; when it is not, do not wait for a reconnect. */
    private readonly connected: () => boolean,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    name: string,
  ): Promise<ThrottlerStorageRecord> {
    if (this.connected()) {
      try {
        return await this.inner.increment(key, ttl, limit, blockDuration, name);
      } catch (error) {
        this.logger.warn({ err: error }, 'rate-limit storage failed; letting the request through');
      }
    }
    return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
  }
}
