import { Inject, Injectable } from '@nestjs/common';
import { Cluster } from 'ioredis';
import type { Redis } from 'ioredis';
import { REDIS_CLIENT, RedisClient } from '@app/redis';
import type { RedisMemory } from './queue-figures';

/** Redis memory from INFO, summed over the masters of a cluster. */
@Injectable()
export class RedisMemoryStore {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClient) {}

  async read(): Promise<RedisMemory> {
    const nodes: Redis[] = this.redis instanceof Cluster ? this.redis.nodes('master') : [this.redis];
    const infos = await Promise.all(nodes.map(async (node) => parseInfo(await node.info('memory'))));
    const limited = infos.every((info) => info.maxmemory > 0);
    return {
      usedBytes: sum(infos.map((info) => info.used_memory)),
      peakBytes: sum(infos.map((info) => info.used_memory_peak)),
      maxBytes: limited ? sum(infos.map((info) => info.maxmemory)) : null,
    };
  }
}

type MemoryField = 'used_memory' | 'used_memory_peak' | 'maxmemory';

function parseInfo(text: string): Record<MemoryField, number> {
  const field = (name: MemoryField) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return {
    used_memory: field('used_memory'),
    used_memory_peak: field('used_memory_peak'),
    maxmemory: field('maxmemory'),
  };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
