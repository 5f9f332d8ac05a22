import { Injectable, Logger } from '@nestjs/common';
import { PostCache, PostJson, postJson, ProfileJson, profileJson, TimelineEntry } from '@app/timelines';
import type { FeedItem, FeedVia } from './feed-page';
import { FeedMetrics } from './feed.metrics';
import { HydrationRepository } from './hydration.repository';

/** `,"via":"pushed"}` and the like: how each item's JSON ends. */
const ITEM_ENDS: Record<FeedVia | 'none', string> = {
  pushed: ',"via":"pushed"}',
  merged: ',"via":"merged"}',
  none: '}',
};

/**
 * Turns timeline entries into posts with their authors: the cache first,
 * then one PostgreSQL query for everything the cache lacked (never one per
 * post). Deleted and vanished posts are dropped.
 *
 * The cache holds posts and profiles as JSON fragments, so an item is joined
 * from three strings: no object is built and nothing is stringified per request.
 */
@Injectable()
export class Hydrator {
  private readonly logger = new Logger(Hydrator.name);

  constructor(
    private readonly cache: PostCache,
    private readonly database: HydrationRepository,
    private readonly metrics: FeedMetrics,
  ) {}

  async hydrate(entries: ReadonlyArray<TimelineEntry & { via?: FeedVia }>): Promise<FeedItem[]> {
    const items = await this.hydrateJson(entries);
    return items.length === 0 ? [] : (JSON.parse(`[${items.join(',')}]`) as FeedItem[]);
  }

  /** Each surviving entry as its feed item's JSON text, in order. */
  async hydrateJson(entries: ReadonlyArray<TimelineEntry & { via?: FeedVia }>): Promise<string[]> {
    if (entries.length === 0) return [];
    const authorIds = [...new Set(entries.map((e) => e.authorId))];
    let posts = new Map<number, PostJson | null>();
    let profiles = new Map<number, ProfileJson>();
    try {
      ({ posts, profiles } = await this.cache.lookup(
        entries.map((e) => e.postId),
        authorIds,
      ));
    } catch (error) {
      this.logger.warn({ err: error }, 'post cache unavailable; hydrating from PostgreSQL');
    }
    return this.join(entries, posts, profiles);
  }

  /** Joins cached fragments into items; what the cache lacked comes from PostgreSQL in one query (and refills it). */
  async join(
    entries: ReadonlyArray<TimelineEntry & { via?: FeedVia }>,
    posts: Map<number, PostJson | null>,
    profiles: Map<number, ProfileJson>,
  ): Promise<string[]> {
    const misses = entries
      .filter((e) => !posts.has(e.postId) || !profiles.has(e.authorId))
      .map((e) => e.postId);
    this.metrics.cache.inc({ result: 'hit' }, entries.length - misses.length);
    if (misses.length > 0) {
      this.metrics.cache.inc({ result: 'miss' }, misses.length);
      const rows = await this.database.postsWithAuthors(misses);
      for (const row of rows) {
        posts.set(row.id, row.deleted ? null : postJson(row));
        profiles.set(row.authorId, profileJson(row));
      }
      this.cache
        .store(rows)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'could not fill the post cache'));
    }
    const items: string[] = [];
    for (const { postId, authorId, via } of entries) {
      const post = posts.get(postId);
      if (post === undefined || post === null) continue; // a miss the database did not know, or deleted
      const author = profiles.get(authorId);
      if (author === undefined) continue;
      items.push(`{${post},"author":${author}${ITEM_ENDS[via ?? 'none']}`);
    }
    return items;
  }
}
