import { Cluster, RedisOptions } from 'ioredis';
import type { FeedlineConfig } from '@app/config';
import { closeRedisClient, reconnectDelay, RedisClient } from '@app/redis';

/**
 * Connection settings for BullMQ, which opens its own connections. Workers
 * need `maxRetriesPerRequest: null` for their blocking commands; producers
 * fail fast instead of queueing commands while Redis is away, and every
 * command of theirs has a deadline (a silent Redis still looks "ready"), so
 * a request never waits long on the queue and the outbox relay retries later.
 */
export function queueConnection(
  config: FeedlineConfig,
  role: 'producer' | 'worker',
): RedisClient | RedisOptions {
  const { url, clusterNodes } = config.redis;
  const roleOptions: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, retryStrategy: reconnectDelay }
      : {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: config.dependencyTimeoutMs,
          commandTimeout: config.dependencyTimeoutMs,
          retryStrategy: reconnectDelay,
        };
  if (clusterNodes) {
    return new Cluster(clusterNodes, {
      redisOptions: roleOptions,
      enableOfflineQueue: role === 'worker',
    });
  }
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    ...roleOptions,
  };
}

/**
 * Closes a connection made by `queueConnection`. BullMQ never closes an ioredis
 * instance it was given (in cluster mode, the `Cluster`), so its owner must,
 * after the queues and workers using it have closed; otherwise it keeps
 * reconnecting and holds the process open.
 */
export async function closeQueueConnection(connection: unknown): Promise<void> {
  if (connection instanceof Cluster) await closeRedisClient(connection);
}
