import { Cluster, Redis, RedisOptions } from 'ioredis';
import type { FeedlineConfig } from '@app/config';
import type { RedisClient } from './redis.tokens';

/**
 * Options for request-path connections: fail within about a second when Redis
 * is unreachable, so callers can degrade (serve from PostgreSQL, relay later)
 * instead of hanging.
 */
const DATA_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: 1,
  retryStrategy: reconnectDelay,
  connectTimeout: 2000,
  commandTimeout: 2000,
};

/** Reconnect quickly after an outage (at most 2 s between attempts), forever. */
function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** attempt, 2000);
}

export function createRedisClient(config: FeedlineConfig, connectionName: string): RedisClient {
  const { url, clusterNodes } = config.redis;
  if (clusterNodes) {
    return new Cluster(clusterNodes, {
      redisOptions: { ...DATA_OPTIONS, connectionName },
      scaleReads: 'master',
      enableOfflineQueue: true,
      // Groups commands of one tick per node: how multi-key batches reach a cluster.
      enableAutoPipelining: true,
    });
  }
  return new Redis(url, { ...DATA_OPTIONS, connectionName });
}

/**
 * Connection settings for BullMQ, which opens its own connections. Workers
 * need `maxRetriesPerRequest: null` for their blocking commands; producers
 * fail fast instead of queueing commands while Redis is away, so the outbox
 * relay notices and retries later.
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
          connectTimeout: 2000,
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

/** Quits politely; if the server cannot be reached to say so, drops the socket. */
export async function closeRedisClient(client: RedisClient): Promise<void> {
  await client.quit().catch(() => client.disconnect());
}
