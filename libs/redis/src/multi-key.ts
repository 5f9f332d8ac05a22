import { Cluster } from 'ioredis';
import type { RedisClient } from './redis.tokens';

export type RedisCommand = [name: string, ...args: Array<string | number | Buffer>];

/**
 * Makes one call per item in a single round trip: a pipeline on a standalone
 * server; on a Redis Cluster (where one pipeline cannot span slots) the calls
 * go out together through ioredis' per-node auto-pipelining. `call` gets the
 * pipeline (typed as the client, so defined scripts can be called on it).
 */
export async function batch<C extends RedisClient, T, R>(
  redis: C,
  items: readonly T[],
  call: (client: C, item: T) => Promise<R>,
): Promise<R[]> {
  if (items.length === 0) return [];
  if (redis instanceof Cluster) return Promise.all(items.map((item) => call(redis, item)));
  const pipeline = redis.pipeline();
  for (const item of items) void call(pipeline as unknown as C, item);
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, value]) => {
    if (error) throw error;
    return value as R;
  });
}

/** Sends many plain commands in one round trip (see `batch`). */
export function sendAll(redis: RedisClient, commands: readonly RedisCommand[]): Promise<unknown[]> {
  return batch(redis, commands, (client, [name, ...args]) => client.call(name, ...args));
}

/** MGET that also works on a cluster (where one MGET's keys must share a slot). */
export function getMany(redis: RedisClient, keys: readonly string[]): Promise<Array<string | null>> {
  if (keys.length === 0) return Promise.resolve([]);
  if (redis instanceof Cluster) return Promise.all(keys.map((key) => redis.get(key)));
  return redis.mget(...keys);
}
