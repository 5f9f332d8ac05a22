import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { FanoutProducer } from '@app/queue';
import {
  mergeWindows,
  PageReader,
  PostJson,
  ProfileJson,
  SourceWindow,
  TimelineEntry,
  TimelineSource,
  TimelineStore,
  TimelineWindow,
} from '@app/timelines';
import type { FeedPage, FeedVia } from './feed-page';
import { FeedMetrics } from './feed.metrics';
import { Hydrator } from './hydrator';

/** Candidate entries for one page, newest first (home feed entries say how they came); `hasMore`: older ones exist. */
interface Window {
  entries: Array<TimelineEntry & { via?: FeedVia }>;
  hasMore: boolean;
  /** Cached JSON read along with the window (PageReader); hydration then needs no round trip of its own. */
  cached?: { posts: Map<number, PostJson | null>; profiles: Map<number, ProfileJson> };
}

const EMPTY_PAGE = '{"items":[],"nextCursor":null}';

const parsePage = (json: string) => JSON.parse(json) as FeedPage;

/** Pages whose posts were all deleted meanwhile are topped up from the next window, a few times at most. */
const MAX_WINDOWS_PER_PAGE = 3;

/**
 * The read side. A page is assembled from Redis when Redis can vouch for it:
 * the home timeline (pushed posts) merged with the author timelines of the
 * followed celebrities (hybrid), or of everyone followed (pull). When a
 * timeline is missing, being rebuilt, or the page reaches below what Redis
 * holds, that page comes from PostgreSQL instead, and missing timelines are
 * queued for a rebuild: never a wrong page, never a hole.
 */
@Injectable()
export class FeedService {
  private readonly logger = new Logger(FeedService.name);

  constructor(
    private readonly store: TimelineStore,
    private readonly pages: PageReader,
    private readonly source: TimelineSource,
    private readonly hydrator: Hydrator,
    private readonly producer: FanoutProducer,
    private readonly metrics: FeedMetrics,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  home(userId: number, cursor: number, limit: number): Promise<FeedPage> {
    return this.homeJson(userId, cursor, limit).then(parsePage);
  }

  /** The home feed page as its JSON text, joined from cached fragments (what GET /feed sends). */
  homeJson(userId: number, cursor: number, limit: number): Promise<string> {
    return this.page((below, size) => this.homeWindow(userId, below, size), cursor, limit);
  }

  authorPosts(authorId: number, cursor: number, limit: number): Promise<FeedPage> {
    return this.authorPostsJson(authorId, cursor, limit).then(parsePage);
  }

  async authorPostsJson(authorId: number, cursor: number, limit: number): Promise<string> {
    // Checked first: reading a missing author timeline queues its rebuild, which an unknown id must not.
    if (!(await this.source.userExists(authorId))) throw new NotFoundException(`user ${authorId} not found`);
    return this.page((below, size) => this.authorWindow(authorId, below, size), cursor, limit);
  }

  private async page(
    window: (cursor: number, size: number) => Promise<Window>,
    cursor: number,
    limit: number,
  ): Promise<string> {
    const items: string[] = [];
    let next = cursor;
    for (let round = 0; round < MAX_WINDOWS_PER_PAGE; round += 1) {
      const { entries, hasMore, cached } = await window(next, limit - items.length);
      items.push(
        ...(await (cached
          ? this.hydrator.join(entries, cached.posts, cached.profiles)
          : this.hydrator.hydrateJson(entries))),
      );
      if (!hasMore)
        return items.length === 0 ? EMPTY_PAGE : `{"items":[${items.join(',')}],"nextCursor":null}`;
      next = entries[entries.length - 1].postId;
      if (items.length >= limit) break;
    }
    return `{"items":[${items.join(',')}],"nextCursor":"${next}"}`;
  }

  private homeWindow(userId: number, cursor: number, size: number): Promise<Window> {
    return this.pages.available
      ? this.homeWindowInOneTrip(userId, cursor, size)
      : this.homeWindowInSteps(userId, cursor, size);
  }

  /** The windows and the cached JSON of their newest posts in one script call (a standalone Redis). */
  private async homeWindowInOneTrip(userId: number, cursor: number, size: number): Promise<Window> {
    let page;
    try {
      page = await this.pages.readHome(userId, cursor, size + 1, size);
    } catch (error) {
      return this.fromPostgres(userId, cursor, size, 'redis-unavailable', error);
    }
    if (page.state !== 'ready') {
      this.requestRebuild('home', userId);
      return this.fromPostgres(userId, cursor, size, page.state);
    }
    const sources: SourceWindow[] = [];
    if (this.config.fanout.mode !== 'pull') {
      sources.push({ entries: page.entries, floor: page.floor, requested: size + 1 });
    }
    if (page.authors.length > 0) {
      const started = performance.now();
      sources.push(...(await this.completed(page.authors, page.authorWindows, cursor, size + 1)));
      this.metrics.pulledSources.observe(page.authors.length);
      this.metrics.pullSeconds.observe((performance.now() - started) / 1000);
    }
    const window = this.merged(userId, sources, page.entries, size);
    if (!window) return this.fromPostgres(userId, cursor, size, 'below-redis-floor');
    return { ...window, cached: page };
  }

  /** The same read as three round trips: home window, author windows, then hydration (a Redis Cluster). */
  private async homeWindowInSteps(userId: number, cursor: number, size: number): Promise<Window> {
    const mode = this.config.fanout.mode;
    let home;
    try {
      home = await this.store.readHome(userId, cursor, mode === 'pull' ? 0 : size + 1, mode === 'pull');
    } catch (error) {
      return this.fromPostgres(userId, cursor, size, 'redis-unavailable', error);
    }
    if (home.state !== 'ready') {
      this.requestRebuild('home', userId);
      return this.fromPostgres(userId, cursor, size, home.state);
    }
    const sources: SourceWindow[] = [];
    let pulled: number[];
    if (mode === 'pull') {
      pulled = [...(home.following ?? []), userId];
    } else {
      sources.push({ entries: home.entries, floor: home.floor, requested: size + 1 });
      pulled = mode === 'hybrid' ? home.pulledAuthors : [];
    }
    if (pulled.length > 0) {
      try {
        sources.push(...(await this.pull(pulled, cursor, size + 1)));
      } catch (error) {
        return this.fromPostgres(userId, cursor, size, 'redis-unavailable', error);
      }
    }
    return (
      this.merged(userId, sources, home.entries, size) ??
      this.fromPostgres(userId, cursor, size, 'below-redis-floor')
    );
  }

  /** The page Redis vouches for, or null: some source ran out at its floor (ask PostgreSQL). */
  private merged(
    userId: number,
    sources: SourceWindow[],
    home: readonly TimelineEntry[],
    size: number,
  ): Window | null {
    const merged = mergeWindows(sources, size);
    if (!merged.complete) return null;
    this.metrics.windows.inc({ source: 'redis' });
    const pushed = new Set(home.map((entry) => entry.postId));
    return {
      hasMore: merged.hasMore,
      entries: merged.entries.map((entry) => ({
        ...entry,
        via: pushed.has(entry.postId) ? 'pushed' : 'merged',
      })),
    };
  }

  private async authorWindow(authorId: number, cursor: number, size: number): Promise<Window> {
    try {
      const [source] = await this.pull([authorId], cursor, size + 1);
      const merged = mergeWindows([source], size);
      if (merged.complete) {
        this.metrics.windows.inc({ source: 'redis' });
        return merged;
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'Redis unavailable; reading PostgreSQL');
    }
    this.metrics.windows.inc({ source: 'postgres-author' });
    const page = await this.source.authorPosts(authorId, size, cursor || undefined);
    return { entries: page.entries, hasMore: page.floor > 0 };
  }

  /** Author timelines for the read-time merge, in one round trip; missing ones are read from PostgreSQL and queued for a rebuild. */
  private async pull(authorIds: number[], cursor: number, requested: number): Promise<SourceWindow[]> {
    const started = performance.now();
    const windows = await this.store.readAuthors(authorIds, cursor, requested);
    const sources = await this.completed(authorIds, windows, cursor, requested);
    this.metrics.pulledSources.observe(authorIds.length);
    this.metrics.pullSeconds.observe((performance.now() - started) / 1000);
    return sources;
  }

  /** Author windows as merge sources: those Redis lacks are read from PostgreSQL (one query) and queued for a rebuild. */
  private async completed(
    authorIds: readonly number[],
    windows: readonly TimelineWindow[],
    cursor: number,
    requested: number,
  ): Promise<SourceWindow[]> {
    const missing = authorIds.filter((_, i) => windows[i].state !== 'ready');
    const fromDatabase = await this.source.postsOfAuthors(missing, requested, cursor || undefined);
    for (const authorId of missing) this.requestRebuild('author', authorId);
    return authorIds.map((authorId, i) => {
      const window = windows[i].state === 'ready' ? windows[i] : fromDatabase.get(authorId)!;
      return { entries: window.entries, floor: window.floor, requested };
    });
  }

  private async fromPostgres(
    userId: number,
    cursor: number,
    size: number,
    reason: string,
    error?: unknown,
  ): Promise<Window> {
    if (error)
      this.logger.warn({ err: error, userId }, 'Redis unavailable; reading the feed from PostgreSQL');
    this.metrics.windows.inc({ source: `postgres-${reason}` });
    const page = await this.source.homePosts(userId, size, cursor || undefined);
    // What the strategy would have done: pull merges everyone; hybrid merges celebrities (own posts are pushed).
    const mode = this.config.fanout.mode;
    const others = [...new Set(page.entries.map((e) => e.authorId))].filter((id) => id !== userId);
    const celebrities = mode === 'hybrid' ? await this.source.pulledAmong(others) : new Set<number>();
    const merged = (authorId: number) => mode === 'pull' || celebrities.has(authorId);
    return {
      hasMore: page.floor > 0,
      entries: page.entries.map((entry) => ({ ...entry, via: merged(entry.authorId) ? 'merged' : 'pushed' })),
    };
  }

  /** Queued, not awaited: the current read is already answered from PostgreSQL. Duplicates collapse on the job id. */
  private requestRebuild(kind: 'home' | 'author', userId: number): void {
    this.producer
      .enqueue('timeline-rebuild', { kind, userId: String(userId) })
      .catch((error: unknown) =>
        this.logger.warn({ err: error, kind, userId }, 'could not queue a timeline rebuild'),
      );
  }
}
