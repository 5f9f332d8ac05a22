/** One page of a feed, as both the native and the Mastodon-compatible API start from it. */
export interface FeedPage {
  /** Newest first, strictly by post id. */
  items: FeedItem[];
  /** The cursor of the next page; null at the end. */
  nextCursor: string | null;
}

export interface FeedItem {
  id: string;
  content: string;
  createdAt: string;
  author: FeedAuthor;
}

export interface FeedAuthor {
  id: string;
  username: string;
  displayName: string;
}
