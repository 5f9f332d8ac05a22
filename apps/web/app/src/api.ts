/** The app's whole view of the backend: typed calls to post-service and feed-service (ROUND/API contract). */
import type { AppConfig } from './config';
import { takeEarlyFeed } from './early-feed';

export interface User {
  id: string;
  username: string;
  displayName: string;
  followerCount: number;
  followingCount: number;
  isCelebrity: boolean;
  createdAt: string;
}

export type Via = 'pushed' | 'merged';

export interface FeedItem {
  id: string;
  content: string;
  createdAt: string;
  author: { id: string; username: string; displayName: string };
  /** Home feed only: pushed into the home timeline, or merged at read time from a celebrity. */
  via?: Via;
}

export interface FeedPage {
  items: FeedItem[];
  nextCursor: string | null;
}

export interface Post {
  id: string;
  authorId: string;
  content: string;
  createdAt: string;
}

export interface Relationship {
  following: boolean;
  followedBy: boolean;
  notify: boolean;
}

export interface Session {
  user: User;
  accessToken: string;
}

/** An answer other than 2xx, with the server's message (`{ statusCode, error, message }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** What POST /posts gave: the post, or a note that the service worker queued it (offline). */
export type PostOutcome = { queued: false; post: Post } | { queued: true; key: string };

export class Api {
  constructor(
    private readonly config: AppConfig,
    private readonly token: () => string | undefined,
    private readonly onUnauthorized: () => void,
  ) {}

  signup(username: string, password: string): Promise<Session> {
    return this.call('POST', this.config.postServiceUrl, '/auth/signup', { username, password });
  }

  login(username: string, password: string): Promise<Session> {
    return this.call('POST', this.config.postServiceUrl, '/auth/login', { username, password });
  }

  user(id: string): Promise<User> {
    return this.call('GET', this.config.postServiceUrl, `/users/${id}`);
  }

  lookup(username: string): Promise<User> {
    return this.call(
      'GET',
      this.config.postServiceUrl,
      `/users/lookup?username=${encodeURIComponent(username)}`,
    );
  }

  relationship(id: string): Promise<Relationship> {
    return this.call('GET', this.config.postServiceUrl, `/users/${id}/relationship`);
  }

  /** Follows (idempotent); `notify` sets the bell, left out it keeps the current one. */
  follow(id: string, notify?: boolean): Promise<void> {
    return this.call(
      'PUT',
      this.config.postServiceUrl,
      `/users/${id}/follow`,
      notify === undefined ? undefined : { notify },
    );
  }

  unfollow(id: string): Promise<void> {
    return this.call('DELETE', this.config.postServiceUrl, `/users/${id}/follow`);
  }

  post(id: string): Promise<Post> {
    return this.call('GET', this.config.postServiceUrl, `/posts/${id}`);
  }

  deletePost(id: string): Promise<void> {
    return this.call('DELETE', this.config.postServiceUrl, `/posts/${id}`);
  }

  /**
   * Creates a post under an idempotency key: a retry with the same key can
   * never make a second post. Offline, the service worker keeps the request
   * and answers 202 `{ queued: true }`; it sends it when the network is back.
   */
  async createPost(content: string, key: string): Promise<PostOutcome> {
    const response = await this.send(
      'POST',
      this.config.postServiceUrl,
      '/posts',
      { content },
      { 'Idempotency-Key': key },
    );
    const body = (await response.json()) as Post | { queued: true };
    return 'queued' in body ? { queued: true, key } : { queued: false, post: body };
  }

  async feed(cursor?: string, limit = 20): Promise<FeedPage> {
    if (!cursor) {
      const early = await takeEarlyFeed(limit);
      if (early) return early;
    }
    return this.call(
      'GET',
      this.config.feedServiceUrl,
      `/feed?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
  }

  authorPosts(id: string, cursor?: string, limit = 20): Promise<FeedPage> {
    const query = `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    return this.call('GET', this.config.feedServiceUrl, `/users/${id}/posts?${query}`);
  }

  pushConfig(): Promise<{ vapidPublicKey: string }> {
    return this.call('GET', this.config.postServiceUrl, '/push/config');
  }

  addPushSubscription(subscription: PushSubscriptionJSON): Promise<void> {
    return this.call('POST', this.config.postServiceUrl, '/push/subscriptions', subscription);
  }

  removePushSubscription(endpoint: string): Promise<void> {
    return this.call('DELETE', this.config.postServiceUrl, '/push/subscriptions', { endpoint });
  }

  private async call<T>(method: string, base: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, base, path, body);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  private async send(
    method: string,
    base: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...extra };
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, navigator.onLine ? 'Cannot reach Feedline right now.' : 'You are offline.');
    }
    if (response.ok) return response;
    let message = response.statusText || `HTTP ${response.status}`;
    try {
      const error = (await response.json()) as { message?: string | string[] };
      if (error.message) message = Array.isArray(error.message) ? error.message.join('; ') : error.message;
    } catch {
      // not JSON: keep the status text
    }
    if (response.status === 401 && token) this.onUnauthorized();
    const retryAfter = Number(response.headers.get('Retry-After'));
    throw new ApiError(
      response.status,
      message,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
}
