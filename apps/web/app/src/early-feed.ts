import type { FeedPage } from './api';

declare global {
  interface Window {
    /** Started by the inline script in index.html for a returning reader (GET /feed?limit=20). */
    feedlineEarlyFeed?: Promise<Response>;
  }
}

/** The first feed page if index.html already asked for it with this token; undefined to ask normally. */
export async function takeEarlyFeed(limit: number): Promise<FeedPage | undefined> {
  const early = window.feedlineEarlyFeed;
  window.feedlineEarlyFeed = undefined;
  if (!early || limit !== 20) return undefined;
  try {
    const response = await early;
    return response.ok ? ((await response.json()) as FeedPage) : undefined;
  } catch {
    return undefined;
  }
}
