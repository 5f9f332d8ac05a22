import { Cluster, Redis, RedisOptions } from 'ioredis';
import type { FeedlineConfig } from '@app/config';
import type { RedisClient } from './redis.tokens';

/**
 * Options for request-path connections: fail within DEPENDENCY_TIMEOUT_MS
 * (2 s) when Redis is unreachable or silent, so callers can degrade (serve
 * from PostgreSQL, relay later) instead of hanging.
 */
function dataOptions(config: FeedlineConfig): RedisOptions {
  return {
    maxRetriesPerRequest: 1,
    retryStrategy: reconnectDelay,
    connectTimeout: config.dependencyTimeoutMs,
    commandTimeout: config.dependencyTimeoutMs,
  };
}

/** Reconnect quickly after an outage (at most 2 s between attempts), forever. */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** attempt, 2000);
}

export function createRedisClient(config: FeedlineConfig, connectionName: string): RedisClient {
  const { url, clusterNodes } = config.redis;
  if (clusterNodes) {
    return new Cluster(clusterNodes, {
      redisOptions: { ...dataOptions(config), connectionName },
      scaleReads: 'master',
      enableOfflineQueue: true,
      // Groups commands of one tick per node: how multi-key batches reach a cluster.
      enableAutoPipelining: true,
    });
  }
  return new Redis(url, { ...dataOptions(config), connectionName });
}

/**
 * A connection for pub/sub subscriptions: no command timeout (it waits for
 * messages), resubscribed after a reconnect. On a cluster, sharded pub/sub
 * (SSUBSCRIBE): one subscriber connection per master, each channel on the
 * node that owns its slot, so a message crosses one node, not the whole bus.
 */
export function createSubscriberClient(config: FeedlineConfig, connectionName: string): RedisClient {
  const { url, clusterNodes } = config.redis;
  const options: RedisOptions = { connectionName, retryStrategy: reconnectDelay, autoResubscribe: true };
  if (clusterNodes) return new Cluster(clusterNodes, { redisOptions: options, shardedSubscribers: true });
  return new Redis(url, options);
}

/** Quits politely; if the server cannot be reached to say so, drops the socket. */
export async function closeRedisClient(client: RedisClient): Promise<void> {
  await client.quit().catch(() => client.disconnect());
}
