import { Inject, Injectable } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { batch, REDIS_CLIENT, RedisClient, RedisKeys } from '@app/redis';
import { packEntries, TimelineEntry, unpackEntries } from './timeline-entry';
import { defineScripts, TIMELINE_SCRIPTS, TimelineScriptName } from './timeline.scripts';

export type TimelineState = 'missing' | 'building' | 'ready';

/** Entries below a cursor, newest first, and what the store can vouch for. */
export interface TimelineWindow {
  state: TimelineState;
  /** Every eligible post with a larger id is present; at or below it, ask PostgreSQL. */
  floor: number;
  entries: TimelineEntry[];
}

export interface HomeWindow extends TimelineWindow {
  /** Followed authors whose posts are merged at read time (celebrities, in hybrid mode). */
  pulledAuthors: number[];
  /** Every followed author (asked for in pull mode). */
  following?: number[];
}

type ScriptFn = (...args: Array<string | number | Buffer>) => Promise<unknown>;
type ScriptedClient = RedisClient & Record<TimelineScriptName | `${TimelineScriptName}Buffer`, ScriptFn>;

const STATES: Record<string, TimelineState> = { R: 'ready', B: 'building', M: 'missing' };

/**
 * Home and author timelines in Redis. Every write is an atomic server-side
 * script and is idempotent, so at-least-once delivery (retries, duplicate
 * jobs, replays) never duplicates or reorders an entry. Many-timeline writes
 * go out as one pipeline.
 */
@Injectable()
export class TimelineStore {
  private readonly redis: ScriptedClient;
  private readonly cap: number;
  private readonly ttl: number;

  constructor(
    @Inject(REDIS_CLIENT) redis: RedisClient,
    private readonly keys: RedisKeys,
    @InjectConfig() config: FeedlineConfig,
  ) {
    defineScripts(redis, TIMELINE_SCRIPTS);
    this.redis = redis as ScriptedClient;
    this.cap = config.fanout.timelineMax;
    this.ttl = config.fanout.timelineTtlSeconds;
  }

  /** Pushes a post into followers' home timelines; returns how many received it. */
  async deliver(followerIds: readonly number[], entry: TimelineEntry): Promise<number> {
    return (await this.deliverTo(followerIds, entry)).length;
  }

  /** Like `deliver`, but says who received the post (a duplicate delivery receives nothing): whom to announce it to. */
  async deliverTo(followerIds: readonly number[], entry: TimelineEntry): Promise<number[]> {
    const results = await batch(this.redis, followerIds, (redis, followerId) =>
      redis.timelineDeliver(
        this.keys.homeTimeline(followerId),
        this.keys.following(followerId),
        followerId,
        entry.postId,
        entry.authorId,
        this.cap,
      ),
    );
    return followerIds.filter((_, i) => Number(results[i]) === 1);
  }

  /** Adds a post to its author's timeline: 'missing' means it must be rebuilt from PostgreSQL. */
  async appendOwn(entry: TimelineEntry): Promise<'inserted' | 'present' | 'missing'> {
    const result = await this.redis.timelineAppendOwn(
      this.keys.authorTimeline(entry.authorId),
      entry.postId,
      entry.authorId,
      this.cap,
      this.ttl,
    );
    return result === 1 ? 'inserted' : result === 0 ? 'present' : 'missing';
  }

  async removePost(userIds: readonly number[], postId: number): Promise<number> {
    return (await this.removePostFrom(userIds, postId)).length;
  }

  /** Like `removePost`, but says whose timelines held the post. */
  async removePostFrom(userIds: readonly number[], postId: number): Promise<number[]> {
    const results = await batch(this.redis, userIds, (redis, userId) =>
      redis.timelineRemovePost(this.keys.homeTimeline(userId), postId),
    );
    return userIds.filter((_, i) => Number(results[i]) === 1);
  }

  async removeOwnPost(authorId: number, postId: number): Promise<void> {
    await this.redis.timelineRemovePost(this.keys.authorTimeline(authorId), postId);
  }

  async follow(userId: number, authorId: number, pulled: boolean): Promise<boolean> {
    const applied = await this.redis.timelineFollow(...this.homeKeys(userId), authorId, pulled ? '1' : '');
    return applied === 1;
  }

  async unfollow(userId: number, authorId: number): Promise<void> {
    await this.redis.timelineUnfollow(...this.homeKeys(userId), authorId);
  }

  /**
   * Merges posts (newest first) into a home timeline; `floor`: the list is
   * complete only above that id. With `stopPulling`, the author is also no
   * longer merged at read time, in the same atomic step.
   */
  async merge(
    userId: number,
    entries: readonly TimelineEntry[],
    floor: number,
    stopPulling?: number,
  ): Promise<boolean> {
    const merged = await this.redis.timelineMerge(
      ...this.homeKeys(userId),
      userId,
      this.cap,
      packEntries(entries),
      floor,
      '',
      stopPulling ?? '',
    );
    return merged === 1;
  }

  /** Read-time merge on: for each follower that has a timeline and still follows. */
  async startPulling(followerIds: readonly number[], authorId: number): Promise<number> {
    const results = await batch(this.redis, followerIds, (redis, followerId) =>
      redis.timelineStartPulling(...this.homeKeys(followerId), authorId),
    );
    return results.reduce<number>((sum, applied) => sum + Number(applied), 0);
  }

  /** Begins a home rebuild with the exact membership sets; false when the timeline is already ready. */
  async claimHome(userId: number, following: readonly number[], pulled: readonly number[]): Promise<boolean> {
    const claimed = await this.redis.timelineClaimHome(
      ...this.homeKeys(userId),
      this.ttl,
      following.length,
      ...following,
      ...pulled,
    );
    return claimed === 1;
  }

  async finishHome(userId: number, entries: readonly TimelineEntry[], floor: number): Promise<void> {
    await this.redis.timelineMerge(
      ...this.homeKeys(userId),
      userId,
      this.cap,
      packEntries(entries),
      floor,
      'ready',
      '',
    );
  }

  async loadAuthor(authorId: number, entries: readonly TimelineEntry[], floor: number): Promise<void> {
    await this.redis.timelineLoadAuthor(
      this.keys.authorTimeline(authorId),
      packEntries(entries),
      floor,
      this.ttl,
      this.cap,
    );
  }

  /** One round trip: a page of the home timeline plus the membership the read needs. */
  async readHome(userId: number, cursor: number, limit: number, withFollowing = false): Promise<HomeWindow> {
    const reply = (await this.redis.timelineReadHomeBuffer(
      ...this.homeKeys(userId),
      cursor,
      limit,
      this.ttl,
      withFollowing ? 'following' : '',
    )) as [Buffer, number?, Buffer?, Buffer[]?, Buffer[]?];
    const state = STATES[reply[0].toString()];
    if (state === 'missing') return { state, floor: 0, entries: [], pulledAuthors: [] };
    return {
      state,
      floor: Number(reply[1]),
      entries: unpackEntries(reply[2] as Buffer),
      pulledAuthors: (reply[3] ?? []).map(Number),
      following: reply[4]?.map(Number),
    };
  }

  /** One round trip for any number of author timelines. */
  async readAuthors(authorIds: readonly number[], cursor: number, limit: number): Promise<TimelineWindow[]> {
    const replies = await batch(
      this.redis,
      authorIds,
      (redis, authorId) =>
        redis.timelineReadAuthorBuffer(this.keys.authorTimeline(authorId), cursor, limit) as Promise<
          [Buffer, number?, Buffer?]
        >,
    );
    return replies.map((reply) => {
      const state = STATES[reply[0].toString()];
      if (state === 'missing') return { state, floor: 0, entries: [] };
      return { state, floor: Number(reply[1]), entries: unpackEntries(reply[2] as Buffer) };
    });
  }

  private homeKeys(userId: number): [string, string, string] {
    return [this.keys.homeTimeline(userId), this.keys.following(userId), this.keys.pulledAuthors(userId)];
  }
}
