/** One page of a feed, as both the native and the Mastodon-compatible API start from it. */
export interface FeedPage {
  /** Newest first, strictly by post id. */
  items: FeedItem[];
  /** The cursor of the next page; null at the end. */
  nextCursor: string | null;
}

/** How a post reached a home feed: pushed into the home timeline (fan-out on write), or merged at read time. */
export const FEED_VIA = ['pushed', 'merged'] as const;
export type FeedVia = (typeof FEED_VIA)[number];

export interface FeedItem {
  id: string;
  content: string;
  createdAt: string;
  author: FeedAuthor;
  /** Home feed only (see FEED_VIA). */
  via?: FeedVia;
}

export interface FeedAuthor {
  id: string;
  username: string;
  displayName: string;
}
