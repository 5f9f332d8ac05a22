import type { Cluster, Redis } from 'ioredis';

/** Standalone Redis or a Redis Cluster: Feedline code is written for both. */
export type RedisClient = Redis | Cluster;

/** Injection token of the shared data connection (timelines, caches). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
