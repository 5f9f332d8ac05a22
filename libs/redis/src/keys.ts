import type { FanoutMode } from '@app/config';

type Id = number | bigint | string;

/**
 * Every Redis key Feedline uses (BullMQ names its own), built here and only
 * here. Keys that one script or transaction touches together share a hash tag
 * (`{u123}`), so they live in one Redis Cluster slot.
 *
 * Timeline keys also carry the fan-out mode: push, pull and hybrid keep
 * different derived state, so switching FANOUT_MODE starts from clean
 * timelines (rebuilt from PostgreSQL) instead of misreading the other mode's.
 */
export class RedisKeys {
  private readonly timelines: string;

  constructor(
    readonly prefix: string,
    mode: FanoutMode,
  ) {
    this.timelines = `${prefix}:${mode}`;
  }

  /** Home timeline: packed (post id, author id) entries, newest first. */
  homeTimeline(userId: Id): string {
    return `${this.timelines}:{u${userId}}:home`;
  }

  /** Ids of the accounts the user follows (the fan-out's membership check). */
  following(userId: Id): string {
    return `${this.timelines}:{u${userId}}:following`;
  }

  /** Followed accounts whose posts are merged at read time (hybrid mode). */
  pulledAuthors(userId: Id): string {
    return `${this.timelines}:{u${userId}}:pulled`;
  }

  /** An author's own recent posts: what read-time merge and follow backfill read. */
  authorTimeline(authorId: Id): string {
    return `${this.timelines}:{a${authorId}}:posts`;
  }

  /** Pub/sub channel of a user's stream: posts pushed into their home timeline, deletes, follow changes. */
  userStream(userId: Id): string {
    return `${this.prefix}:stream:{u${userId}}`;
  }

  /** Pub/sub channel of an author whose posts are merged at read time: published once, heard by every connected follower. */
  authorStream(authorId: Id): string {
    return `${this.prefix}:stream:{a${authorId}}`;
  }

  /** Pub/sub channel announcing that an author moved between push and read-time merge. */
  deliveryStream(): string {
    return `${this.prefix}:stream:delivery`;
  }

  /** Cached post, as the JSON members a feed item starts with (or a deletion tombstone). */
  post(postId: Id): string {
    return `${this.prefix}:post-json:${postId}`;
  }

  /** Cached public profile of an author, as a JSON object. */
  profile(userId: Id): string {
    return `${this.prefix}:profile-json:${userId}`;
  }

  /** Rate-limit counter of one throttler and caller (ip or user). */
  rateLimit(throttler: string, tracker: string): string {
    return `${this.prefix}:rate:${throttler}:${tracker}`;
  }

  /** Pattern matching every key under this prefix (test clean-up, resets). */
  everything(): string {
    return `${this.prefix}:*`;
  }
}
