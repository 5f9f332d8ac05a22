import { Injectable } from '@nestjs/common';
import { FeedItem, FeedService } from '@app/feed';

export interface HomeWindow {
  maxId?: number;
  sinceId?: number;
  minId?: number;
  limit: number;
}

/**
 * How far the fallback for newer posts walks down the feed (50 pages of 100).
 * A `min_id` older than that gets the oldest posts the walk reached, so a
 * client paging up from so far back would skip what lies between: the Redis
 * "newer than" read (see below) has no such limit.
 */
const MAX_WALK_PAGES = 50;
const WALK_PAGE = 100;

/**
 * The home timeline in Mastodon's terms, on the same hybrid feed as GET /feed
 * (libs/feed). `max_id` pages older posts with the feed's cursor.
 *
 * SEAM (i13-stream): `since_id` and `min_id` are answered here by walking the
 * feed from its newest post down to the given id, which is correct but costs
 * O(distance) reads. They are to be served from Redis by libs/feed's
 * "newer than" read; replace `newer()` with that call.
 */
@Injectable()
export class HomeTimelineService {
  constructor(private readonly feed: FeedService) {}

  async page(userId: number, window: HomeWindow): Promise<FeedItem[]> {
    if (window.minId !== undefined || window.sinceId !== undefined) return this.newer(userId, window);
    const page = await this.feed.home(userId, window.maxId ?? 0, window.limit);
    return page.items;
  }

  /**
   * Posts newer than `minId` (the `limit` just above it, for paging up) or
   * `sinceId` (the newest `limit`, for "anything new?"), newest first, and
   * below `maxId` when given.
   */
  private async newer(userId: number, window: HomeWindow): Promise<FeedItem[]> {
    const floor = (window.minId ?? window.sinceId)!;
    const above: FeedItem[] = [];
    let cursor = window.maxId ?? 0;
    for (let pages = 0; pages < MAX_WALK_PAGES; pages += 1) {
      const page = await this.feed.home(userId, cursor, WALK_PAGE);
      const newer = page.items.filter((item) => Number(item.id) > floor);
      above.push(...newer);
      if (window.minId === undefined && above.length >= window.limit) break;
      if (newer.length < page.items.length || page.nextCursor === null) break;
      cursor = Number(page.nextCursor);
    }
    return window.minId !== undefined ? above.slice(-window.limit) : above.slice(0, window.limit);
  }
}
