import { Inject, Injectable } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { getMany, REDIS_CLIENT, RedisClient, RedisCommand, RedisKeys, sendAll } from '@app/redis';

export interface CachedPost {
  id: number;
  authorId: number;
  content: string;
  createdAt: number;
}

/** A post as PostgreSQL gives it for hydration: body, author, and whether it was deleted. */
export interface HydratedPost {
  id: number;
  authorId: number;
  content: string;
  createdAt: Date;
  deleted: boolean;
  username: string;
  displayName: string;
}

export interface Profile {
  id: number;
  username: string;
  displayName: string;
}

/** A deleted post's cache value: hydration drops it without asking PostgreSQL. */
const TOMBSTONE = '';

/**
 * Post bodies and author profiles for hydration. A deletion writes a
 * tombstone that cache fills never overwrite (they use NX), so a read that
 * raced the delete cannot put the post back.
 */
@Injectable()
export class PostCache {
  private readonly ttl: number;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    @InjectConfig() config: FeedlineConfig,
  ) {
    this.ttl = config.cache.postTtlSeconds;
  }

  /** Cached posts (or 'deleted') and profiles; absent ids are misses. One round trip. */
  async lookup(
    postIds: readonly number[],
    authorIds: readonly number[],
  ): Promise<{ posts: Map<number, CachedPost | 'deleted'>; profiles: Map<number, Profile> }> {
    const keys = [
      ...postIds.map((id) => this.keys.post(id)),
      ...authorIds.map((id) => this.keys.profile(id)),
    ];
    const values = await getMany(this.redis, keys);
    const posts = new Map<number, CachedPost | 'deleted'>();
    const profiles = new Map<number, Profile>();
    postIds.forEach((id, i) => {
      const value = values[i];
      if (value === TOMBSTONE) posts.set(id, 'deleted');
      else if (value) {
        const { a, c, t } = JSON.parse(value) as { a: number; c: string; t: number };
        posts.set(id, { id, authorId: a, content: c, createdAt: t });
      }
    });
    authorIds.forEach((id, i) => {
      const value = values[postIds.length + i];
      if (value) {
        const { u, d } = JSON.parse(value) as { u: string; d: string };
        profiles.set(id, { id, username: u, displayName: d });
      }
    });
    return { posts, profiles };
  }

  /** Fills the cache from PostgreSQL rows (deleted ones become tombstones). */
  async store(rows: readonly HydratedPost[]): Promise<void> {
    const commands: RedisCommand[] = [];
    const profiles = new Set<number>();
    for (const row of rows) {
      const value = row.deleted
        ? TOMBSTONE
        : JSON.stringify({ a: row.authorId, c: row.content, t: row.createdAt.getTime() });
      commands.push(['SET', this.keys.post(row.id), value, 'EX', this.ttl, 'NX']);
      if (!profiles.has(row.authorId)) {
        profiles.add(row.authorId);
        commands.push([
          'SET',
          this.keys.profile(row.authorId),
          JSON.stringify({ u: row.username, d: row.displayName }),
          'EX',
          this.ttl,
        ]);
      }
    }
    await sendAll(this.redis, commands);
  }

  async markDeleted(postId: number): Promise<void> {
    await this.redis.set(this.keys.post(postId), TOMBSTONE, 'EX', this.ttl);
  }
}
