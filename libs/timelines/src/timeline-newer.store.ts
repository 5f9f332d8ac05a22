import { Inject, Injectable } from '@nestjs/common';
import { Cluster } from 'ioredis';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { REDIS_CLIENT, RedisClient, RedisKeys } from '@app/redis';
import { TimelineEntry, unpackEntries } from './timeline-entry';
import { defineScripts, script, ScriptDefinition } from './timeline.scripts';
import type { HomeWindow, TimelineState, TimelineWindow } from './timeline.store';

/**
 * Reading upwards (Mastodon's `min_id`): the `limit` entries just above an id
 * (and below another, 0 = no bound), as raw bytes, newest first.
 */
const ABOVE = `
local function windowAbove(key, len, above, below, limit)
  local n = (len - H) / E
  local to = keySeek(key, n, above)
  local from = below > 0 and keySeek(key, n, below - 1) or 0
  from = math.max(from, to - limit)
  if to <= from then return '' end
  return redis.call('GETRANGE', key, H + from * E, H + to * E - 1)
end
`;

export const NEWER_TIMELINE_SCRIPTS = {
  /**
   * KEYS: home, following, pulled. ARGV: above, below (0 = none), limit, ttl, 'following'|''.
   * Returns {state, floor, entries, pulled ids, following ids (when asked)}; state 'M' = missing.
   */
  timelineReadHomeAbove: {
    numberOfKeys: 3,
    lua: script(`${ABOVE}
local len = redis.call('STRLEN', KEYS[1])
if len == 0 then return { 'M' } end
refresh(tonumber(ARGV[4]), KEYS[1], KEYS[2], KEYS[3])
local header = keyHeader(KEYS[1])
local out = { string.char(stateOf(header)), floorOf(header), windowAbove(KEYS[1], len, tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])), redis.call('SMEMBERS', KEYS[3]) }
if ARGV[5] == 'following' then out[5] = redis.call('SMEMBERS', KEYS[2]) end
return out`),
  },
  /** KEYS: author timeline. ARGV: above, below, limit. Returns {state, floor, entries}. */
  timelineReadAuthorAbove: {
    numberOfKeys: 1,
    lua: script(`${ABOVE}
local len = redis.call('STRLEN', KEYS[1])
if len == 0 then return { 'M' } end
local header = keyHeader(KEYS[1])
return { string.char(stateOf(header)), floorOf(header), windowAbove(KEYS[1], len, tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])) }`),
  },
} satisfies Record<string, ScriptDefinition>;

type ScriptFn = (...args: Array<string | number>) => Promise<unknown>;
type NewerScriptedClient = RedisClient & Record<`${keyof typeof NEWER_TIMELINE_SCRIPTS}Buffer`, ScriptFn>;

const STATES: Record<string, TimelineState> = { R: 'ready', B: 'building', M: 'missing' };

/** Windows above an id, from home and author timelines: what newer-than reads (min_id) merge. */
@Injectable()
export class NewerTimelines {
  private readonly redis: NewerScriptedClient;
  private readonly ttl: number;

  constructor(
    @Inject(REDIS_CLIENT) redis: RedisClient,
    private readonly keys: RedisKeys,
    @InjectConfig() config: FeedlineConfig,
  ) {
    defineScripts(redis, NEWER_TIMELINE_SCRIPTS);
    this.redis = redis as NewerScriptedClient;
    this.ttl = config.fanout.timelineTtlSeconds;
  }

  /** The home timeline's `limit` entries just above `above` (below `below`, 0 = no bound), with the membership the read needs. */
  async readHomeAbove(
    userId: number,
    above: number,
    below: number,
    limit: number,
    withFollowing = false,
  ): Promise<HomeWindow> {
    const reply = (await this.redis.timelineReadHomeAboveBuffer(
      this.keys.homeTimeline(userId),
      this.keys.following(userId),
      this.keys.pulledAuthors(userId),
      above,
      below,
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

  /** Author timelines' windows above `above`, in one round trip. */
  async readAuthorsAbove(
    authorIds: readonly number[],
    above: number,
    below: number,
    limit: number,
  ): Promise<TimelineWindow[]> {
    if (authorIds.length === 0) return [];
    const call = (redis: NewerScriptedClient, authorId: number) =>
      redis.timelineReadAuthorAboveBuffer(this.keys.authorTimeline(authorId), above, below, limit);
    let replies: unknown[];
    if (this.redis instanceof Cluster) {
      replies = await Promise.all(authorIds.map((id) => call(this.redis, id)));
    } else {
      const pipeline = this.redis.pipeline() as unknown as NewerScriptedClient;
      for (const id of authorIds) void call(pipeline, id);
      const results =
        (await (pipeline as unknown as { exec(): Promise<Array<[Error | null, unknown]>> }).exec()) ?? [];
      replies = results.map(([error, value]) => {
        if (error) throw error;
        return value;
      });
    }
    return (replies as Array<[Buffer, number?, Buffer?]>).map((reply) => {
      const state = STATES[reply[0].toString()];
      if (state === 'missing') return { state, floor: 0, entries: [] };
      return { state, floor: Number(reply[1]), entries: unpackEntries(reply[2] as Buffer) };
    });
  }
}

/** What one source returned above an id: its entries (newest first) and its floor. */
export interface AboveWindow {
  entries: readonly TimelineEntry[];
  floor: number;
}

export type AboveMergeResult =
  | { complete: true; entries: TimelineEntry[]; full: boolean }
  /** Some source does not vouch for everything above `above` (its floor is higher): ask PostgreSQL. */
  | { complete: false };

/**
 * Merges windows read upwards from `above` into the `limit` entries just
 * above it, newest first. A source vouches for every post above its floor,
 * so the window is certain only if every floor is at or below `above`; then
 * the `limit` oldest of the union are exactly the answer (a source that
 * returned `limit` entries holds them all below its newest, so nothing is
 * missing between). `full`: there may be more above.
 */
export function mergeAbove(sources: readonly AboveWindow[], above: number, limit: number): AboveMergeResult {
  if (sources.some((source) => source.floor > above)) return { complete: false };
  const byId = new Map<number, TimelineEntry>();
  for (const source of sources) for (const entry of source.entries) byId.set(entry.postId, entry);
  const ascending = [...byId.values()].sort((a, b) => a.postId - b.postId);
  const cut = ascending.slice(0, limit);
  return { complete: true, entries: cut.reverse(), full: ascending.length >= limit };
}
