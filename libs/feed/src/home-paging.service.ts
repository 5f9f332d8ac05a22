import { Injectable, Logger } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { FanoutProducer } from '@app/queue';
import { AboveWindow, mergeAbove, NewerTimelines, TimelineEntry, TimelineSource } from '@app/timelines';
import type { FeedItem, FeedVia } from './feed-page';
import { FeedMetrics } from './feed.metrics';
import { FeedService } from './feed.service';
import { Hydrator } from './hydrator';
import { NewerPostsRepository } from './newer-posts.repository';

/** Mastodon's paging parameters (ids as numbers; 0 = absent). */
export interface HomePageQuery {
  maxId: number;
  sinceId: number;
  minId: number;
  limit: number;
}

/** A page in Mastodon's terms: newest first, and what its Link header needs. */
export interface HomeTimelinePage {
  items: FeedItem[];
  /** `max_id` of the next (older) page; null when nothing older exists. */
  olderThan: string | null;
  /** `min_id` of the previous (newer) page; null when the page is empty. */
  newerThan: string | null;
}

/** Windows hydrated per page at most (a window whose posts were all deleted is topped up from the next). */
const MAX_WINDOWS_PER_PAGE = 3;

type Window = { entries: Array<TimelineEntry & { via: FeedVia }>; full: boolean };

/**
 * The home feed paged both ways, as Mastodon defines it:
 * - `max_id`: posts older than it (the native feed's cursor);
 * - `since_id`: the newest page, stopping at since_id;
 * - `min_id`: the page just newer than min_id (read upwards, oldest first,
 *   returned newest first), which is how a client catches up without gaps.
 * Newer-than reads come from Redis like older pages: the home timeline's
 * window above the id merged with the celebrities' (hybrid) or every followed
 * author's (pull) windows, PostgreSQL only when Redis cannot vouch for it.
 */
@Injectable()
export class HomePaging {
  private readonly logger = new Logger(HomePaging.name);

  constructor(
    private readonly feed: FeedService,
    private readonly newer: NewerTimelines,
    private readonly source: TimelineSource,
    private readonly database: NewerPostsRepository,
    private readonly hydrator: Hydrator,
    private readonly producer: FanoutProducer,
    private readonly metrics: FeedMetrics,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  async page(userId: number, query: HomePageQuery): Promise<HomeTimelinePage> {
    if (query.minId > 0) {
      const items = await this.above(userId, query.minId, query.maxId, query.limit);
      return { items, olderThan: items.at(-1)?.id ?? null, newerThan: items[0]?.id ?? null };
    }
    const page = await this.feed.home(userId, query.maxId, query.limit);
    const items = page.items.filter((item) => Number(item.id) > query.sinceId);
    const reachedSince = items.length < page.items.length;
    return {
      items,
      olderThan: page.nextCursor !== null && !reachedSince ? (items.at(-1)?.id ?? null) : null,
      newerThan: items[0]?.id ?? null,
    };
  }

  private async above(userId: number, minId: number, maxId: number, limit: number): Promise<FeedItem[]> {
    let items: FeedItem[] = [];
    let above = minId;
    for (let round = 0; round < MAX_WINDOWS_PER_PAGE && items.length < limit; round += 1) {
      const window = await this.windowAbove(userId, above, maxId, limit - items.length);
      // Each window is newer than the ones before: it goes in front.
      items = [...(await this.hydrator.hydrate(window.entries)), ...items];
      if (!window.full || window.entries.length === 0) break;
      above = window.entries[0].postId;
    }
    return items;
  }

  private async windowAbove(userId: number, above: number, below: number, size: number): Promise<Window> {
    const mode = this.config.fanout.mode;
    try {
      const home = await this.newer.readHomeAbove(
        userId,
        above,
        below,
        mode === 'pull' ? 0 : size,
        mode === 'pull',
      );
      if (home.state !== 'ready') {
        this.requestRebuild('home', userId);
        return await this.fromPostgres(userId, above, below, size, home.state);
      }
      const sources: AboveWindow[] = mode === 'pull' ? [] : [home];
      const pulled =
        mode === 'pull' ? [...(home.following ?? []), userId] : mode === 'hybrid' ? home.pulledAuthors : [];
      const authors = await this.newer.readAuthorsAbove(pulled, above, below, size);
      const missing = pulled.filter((_, i) => authors[i].state !== 'ready');
      if (missing.length > 0) {
        for (const authorId of missing) this.requestRebuild('author', authorId);
        return await this.fromPostgres(userId, above, below, size, 'author-missing');
      }
      const merged = mergeAbove([...sources, ...authors], above, size);
      if (!merged.complete) return await this.fromPostgres(userId, above, below, size, 'below-redis-floor');
      this.metrics.windows.inc({ source: 'redis-newer' });
      const pushed = new Set(home.entries.map((entry) => entry.postId));
      return {
        full: merged.full,
        entries: merged.entries.map((entry) => ({
          ...entry,
          via: pushed.has(entry.postId) ? 'pushed' : 'merged',
        })),
      };
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'Redis unavailable; reading newer posts from PostgreSQL');
      return this.fromPostgres(userId, above, below, size, 'redis-unavailable');
    }
  }

  private async fromPostgres(
    userId: number,
    above: number,
    below: number,
    size: number,
    reason: string,
  ): Promise<Window> {
    this.metrics.windows.inc({ source: `postgres-newer-${reason}` });
    const { entries, full } = await this.database.homeAbove(userId, above, below, size);
    const mode = this.config.fanout.mode;
    const others = [...new Set(entries.map((e) => e.authorId))].filter((id) => id !== userId);
    const celebrities = mode === 'hybrid' ? await this.source.pulledAmong(others) : new Set<number>();
    const merged = (authorId: number) => mode === 'pull' || celebrities.has(authorId);
    return {
      full,
      entries: entries.map((entry) => ({ ...entry, via: merged(entry.authorId) ? 'merged' : 'pushed' })),
    };
  }

  /** Queued, not awaited; duplicates collapse on the job id. */
  private requestRebuild(kind: 'home' | 'author', userId: number): void {
    this.producer
      .enqueue('timeline-rebuild', { kind, userId: String(userId) })
      .catch((error: unknown) =>
        this.logger.warn({ err: error, kind, userId }, 'could not queue a timeline rebuild'),
      );
  }
}
