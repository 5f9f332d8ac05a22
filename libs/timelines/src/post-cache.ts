import { Inject, Injectable } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { getMany, REDIS_CLIENT, RedisClient, RedisCommand, RedisKeys, sendAll } from '@app/redis';

/**
 * A cached post, pre-serialized: the JSON members a feed item starts with,
 * `"id":"…","content":"…","createdAt":"…"`, so a page is joined from strings
 * instead of built and stringified per request.
 */
export type PostJson = string;

/** A cached profile, pre-serialized: `{"id":"…","username":"…","displayName":"…"}`. */
export type ProfileJson = string;

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

  /** Cached posts (null: deleted) and profiles; absent ids are misses. One round trip. */
  async lookup(
    postIds: readonly number[],
    authorIds: readonly number[],
  ): Promise<{ posts: Map<number, PostJson | null>; profiles: Map<number, ProfileJson> }> {
    const keys = [
      ...postIds.map((id) => this.keys.post(id)),
      ...authorIds.map((id) => this.keys.profile(id)),
    ];
    const values = await getMany(this.redis, keys);
    const posts = new Map<number, PostJson | null>();
    const profiles = new Map<number, ProfileJson>();
    postIds.forEach((id, i) => {
      const value = values[i];
      if (value === TOMBSTONE) posts.set(id, null);
      else if (value) posts.set(id, value);
    });
    authorIds.forEach((id, i) => {
      const value = values[postIds.length + i];
      if (value) profiles.set(id, value);
    });
    return { posts, profiles };
  }

  /** Fills the cache from PostgreSQL rows (deleted ones become tombstones). */
  async store(rows: readonly HydratedPost[]): Promise<void> {
    const commands: RedisCommand[] = [];
    const profiles = new Set<number>();
    for (const row of rows) {
      const value = row.deleted ? TOMBSTONE : postJson(row);
      commands.push(['SET', this.keys.post(row.id), value, 'EX', this.ttl, 'NX']);
      if (!profiles.has(row.authorId)) {
        profiles.add(row.authorId);
        commands.push(['SET', this.keys.profile(row.authorId), profileJson(row), 'EX', this.ttl]);
      }
    }
    await sendAll(this.redis, commands);
  }

  async markDeleted(postId: number): Promise<void> {
    await this.redis.set(this.keys.post(postId), TOMBSTONE, 'EX', this.ttl);
  }
}

export function postJson(row: Pick<HydratedPost, 'id' | 'content' | 'createdAt'>): PostJson {
  const members = JSON.stringify({
    id: String(row.id),
    content: row.content,
    createdAt: row.createdAt.toISOString(),
  });
  return members.slice(1, -1);
}

export function profileJson(row: Pick<HydratedPost, 'authorId' | 'username' | 'displayName'>): ProfileJson {
  return JSON.stringify({ id: String(row.authorId), username: row.username, displayName: row.displayName });
}
