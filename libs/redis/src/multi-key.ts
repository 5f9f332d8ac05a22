import { Cluster } from 'ioredis';
import type { RedisClient } from './redis.tokens';

export type RedisCommand = [name: string, ...args: Array<string | number | Buffer>];

/**
 * Sends many commands in one round trip: a pipeline on a standalone server;
 * on a Redis Cluster (where one pipeline cannot span slots) the commands go
 * out together through ioredis' per-node auto-pipelining.
 */
export async function sendAll(redis: RedisClient, commands: readonly RedisCommand[]): Promise<unknown[]> {
  if (commands.length === 0) return [];
  if (redis instanceof Cluster)
    return Promise.all(commands.map(([name, ...args]) => redis.call(name, ...args)));
  const pipeline = redis.pipeline();
  for (const [name, ...args] of commands) pipeline.call(name, ...args);
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

/** MGET that also works on a cluster (where one MGET's keys must share a slot). */
export function getMany(redis: RedisClient, keys: readonly string[]): Promise<Array<string | null>> {
  if (keys.length === 0) return Promise.resolve([]);
  if (redis instanceof Cluster) return Promise.all(keys.map((key) => redis.get(key)));
  return redis.mget(...keys);
}
