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

  /** Cached post body (or a deletion tombstone). */
  post(postId: Id): string {
    return `${this.prefix}:post:${postId}`;
  }

  /** Cached public profile of an author. */
  profile(userId: Id): string {
    return `${this.prefix}:profile:${userId}`;
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
