import { Injectable, Logger } from '@nestjs/common';
import { CachedPost, PostCache, Profile, TimelineEntry } from '@app/timelines';
import type { FeedItem, FeedVia } from './feed-page';
import { FeedMetrics } from './feed.metrics';
import { HydrationRepository } from './hydration.repository';

/**
 * Turns timeline entries into posts with their authors: the cache first,
 * then one PostgreSQL query for everything the cache lacked (never one per
 * post). Deleted and vanished posts are dropped.
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
    if (entries.length === 0) return [];
    const authorIds = [...new Set(entries.map((e) => e.authorId))];
    let posts = new Map<number, CachedPost | 'deleted'>();
    let profiles = new Map<number, Profile>();
    try {
      ({ posts, profiles } = await this.cache.lookup(
        entries.map((e) => e.postId),
        authorIds,
      ));
    } catch (error) {
      this.logger.warn({ err: error }, 'post cache unavailable; hydrating from PostgreSQL');
    }
    const misses = entries
      .filter((e) => !posts.has(e.postId) || !profiles.has(e.authorId))
      .map((e) => e.postId);
    this.metrics.cache.inc({ result: 'hit' }, entries.length - misses.length);
    if (misses.length > 0) {
      this.metrics.cache.inc({ result: 'miss' }, misses.length);
      const rows = await this.database.postsWithAuthors(misses);
      for (const row of rows) {
        posts.set(
          row.id,
          row.deleted
            ? 'deleted'
            : {
                id: row.id,
                authorId: row.authorId,
                content: row.content,
                createdAt: row.createdAt.getTime(),
              },
        );
        profiles.set(row.authorId, {
          id: row.authorId,
          username: row.username,
          displayName: row.displayName,
        });
      }
      this.cache
        .store(rows)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'could not fill the post cache'));
    }
    const items: FeedItem[] = [];
    for (const { postId, via } of entries) {
      const post = posts.get(postId);
      if (!post || post === 'deleted') continue;
      const author = profiles.get(post.authorId);
      if (!author) continue;
      items.push({
        id: String(post.id),
        content: post.content,
        createdAt: new Date(post.createdAt).toISOString(),
        author: { id: String(author.id), username: author.username, displayName: author.displayName },
        ...(via && { via }),
      });
    }
    return items;
  }
}
