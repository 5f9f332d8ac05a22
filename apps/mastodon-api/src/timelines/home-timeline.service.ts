import { Injectable } from '@nestjs/common';
import { FeedItem, HomePaging } from '@app/feed';

export interface HomeWindow {
  maxId?: number;
  sinceId?: number;
  minId?: number;
  limit: number;
}

/**
 * The home timeline in Mastodon's terms, on the same hybrid feed as GET /feed
 * (libs/feed's HomePaging): `max_id` pages older posts with the feed's cursor;
 * `since_id` (the newest page, stopping at it) and `min_id` (the page just
 * above it) read the windows above the id from Redis, like older pages.
 */
@Injectable()
export class HomeTimelineService {
  constructor(private readonly paging: HomePaging) {}

  async page(userId: number, window: HomeWindow): Promise<FeedItem[]> {
    const page = await this.paging.page(userId, {
      maxId: window.maxId ?? 0,
      sinceId: window.sinceId ?? 0,
      minId: window.minId ?? 0,
      limit: window.limit,
    });
    return page.items;
  }
}
