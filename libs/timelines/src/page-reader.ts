import { Inject, Injectable } from '@nestjs/common';
import { Cluster } from 'ioredis';
import { FeedlineConfig, FanoutMode, InjectConfig } from '@app/config';
import { REDIS_CLIENT, RedisClient, RedisKeys } from '@app/redis';
import type { PostJson, ProfileJson } from './post-cache';
import { TimelineEntry, unpackEntries } from './timeline-entry';
import { script } from './timeline.scripts';
import type { TimelineState, TimelineWindow } from './timeline.store';

/**
 * A home page's whole read in one script: the home window, the windows of
 * the authors merged at read time (followed celebrities in hybrid, everyone
 * followed in pull), and the cached JSON of the newest posts among them and
 * of their authors.
 * KEYS: home, following, pulled.
 * ARGV: cursor, entries per window, ttl, mode, owner, author key prefix and suffix,
 *       post key prefix, profile key prefix, how many posts to fetch.
 * Returns {state} unless ready; then {state, floor, home entries, author ids,
 * {state, floor, entries} per author, post ids, their cached values, author ids, their profiles}.
 *
 * The author timelines and cache entries are named from ARGV, not KEYS: they
 * live in other hash slots, which a standalone Redis allows and a cluster
 * does not (PageReader.available).
 */
const READ_HOME_PAGE = script(`
local len = redis.call('STRLEN', KEYS[1])
if len == 0 then return { 'M' } end
refresh(tonumber(ARGV[3]), KEYS[1], KEYS[2], KEYS[3])
local head = keyHeader(KEYS[1])
if stateOf(head) ~= READY then return { string.char(stateOf(head)) } end
local cursor, requested, mode = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[4]
local lists = {}
local home = ''
if mode ~= 'pull' then
  home = window(KEYS[1], len, cursor, requested)
  lists[1] = home
end
local authors = {}
if mode == 'pull' then
  authors = redis.call('SMEMBERS', KEYS[2])
  authors[#authors + 1] = ARGV[5]
elseif mode == 'hybrid' then
  authors = redis.call('SMEMBERS', KEYS[3])
end
local windows = {}
for _, id in ipairs(authors) do
  local key = ARGV[6] .. id .. ARGV[7]
  local alen = redis.call('STRLEN', key)
  if alen == 0 then
    windows[#windows + 1] = { 'M' }
  else
    local h = keyHeader(key)
    local w = window(key, alen, cursor, requested)
    windows[#windows + 1] = { string.char(stateOf(h)), floorOf(h), w }
    lists[#lists + 1] = w
  end
end
-- the newest distinct posts across the windows: a superset of the page the
-- caller's merge will keep, so their cached JSON comes back in this trip
local want = tonumber(ARGV[10])
local at, heads = {}, {}
for i, l in ipairs(lists) do
  at[i] = 0
  heads[i] = #l >= E and (struct.unpack('>I7', l, 1)) or -1
end
local posts, authorSeen, profileIds, last = {}, {}, {}, -1
while #posts < want do
  local best, bi = -1, 0
  for i = 1, #lists do
    if heads[i] > best then best, bi = heads[i], i end
  end
  if bi == 0 then break end
  local l, offset = lists[bi], at[bi] * E
  if best ~= last then
    posts[#posts + 1] = string.format('%.0f', best)
    local author = string.format('%.0f', (struct.unpack('>I5', l, offset + 8)))
    if not authorSeen[author] then
      authorSeen[author] = true
      profileIds[#profileIds + 1] = author
    end
    last = best
  end
  at[bi] = at[bi] + 1
  heads[bi] = #l >= (at[bi] + 1) * E and (struct.unpack('>I7', l, at[bi] * E + 1)) or -1
end
local keys = {}
for i, id in ipairs(posts) do keys[i] = ARGV[8] .. id end
for _, id in ipairs(profileIds) do keys[#keys + 1] = ARGV[9] .. id end
local values = {}
if #keys > 0 then values = redis.call('MGET', unpack(keys)) end
return { 'R', floorOf(head), home, authors, windows, posts, profileIds, values }`);

const STATES: Record<string, TimelineState> = { R: 'ready', B: 'building', M: 'missing' };

/** One read of a home page, as READ_HOME_PAGE returns it. */
export type HomePage =
  | { state: 'missing' | 'building' }
  | {
      state: 'ready';
      floor: number;
      entries: TimelineEntry[];
      /** The authors merged at read time and their windows ('missing' ones must come from PostgreSQL). */
      authors: number[];
      authorWindows: TimelineWindow[];
      /** Cached JSON of the newest posts in the windows (null: deleted, a tombstone) and of their authors. */
      posts: Map<number, PostJson | null>;
      profiles: Map<number, ProfileJson>;
    };

type Reply = [
  Buffer,
  number?,
  Buffer?,
  Buffer[]?,
  Array<[Buffer, number?, Buffer?]>?,
  Buffer[]?,
  Buffer[]?,
  Array<Buffer | null>?,
];

/**
 * Reads a home page in one round trip where the deployment allows it (a
 * standalone Redis); FeedService falls back to TimelineStore's reads plus
 * PostCache (three round trips) on a cluster.
 */
@Injectable()
export class PageReader {
  private readonly redis: RedisClient & {
    timelineReadHomePageBuffer?: (...args: Array<string | number>) => Promise<Reply>;
  };
  private readonly ttl: number;
  private readonly mode: FanoutMode;
  private readonly authorKey: [string, string];
  private readonly postKeyPrefix: string;
  private readonly profileKeyPrefix: string;

  constructor(
    @Inject(REDIS_CLIENT) redis: RedisClient,
    private readonly keys: RedisKeys,
    @InjectConfig() config: FeedlineConfig,
  ) {
    if (!(redis instanceof Cluster) && !('timelineReadHomePage' in redis)) {
      redis.defineCommand('timelineReadHomePage', { numberOfKeys: 3, lua: READ_HOME_PAGE });
    }
    this.redis = redis;
    this.ttl = config.fanout.timelineTtlSeconds;
    this.mode = config.fanout.mode;
    const sample = keys.authorTimeline(0);
    const at = sample.indexOf('{a0}') + 2;
    this.authorKey = [sample.slice(0, at), sample.slice(at + 1)];
    this.postKeyPrefix = keys.post(0).slice(0, -1);
    this.profileKeyPrefix = keys.profile(0).slice(0, -1);
  }

  get available(): boolean {
    return !(this.redis instanceof Cluster);
  }

  /** `requested`: entries per window; `hydrate`: how many of the newest posts to return the cached JSON of. */
  async readHome(userId: number, cursor: number, requested: number, hydrate: number): Promise<HomePage> {
    const reply = await this.redis.timelineReadHomePageBuffer!(
      this.keys.homeTimeline(userId),
      this.keys.following(userId),
      this.keys.pulledAuthors(userId),
      cursor,
      requested,
      this.ttl,
      this.mode,
      userId,
      ...this.authorKey,
      this.postKeyPrefix,
      this.profileKeyPrefix,
      hydrate,
    );
    const state = STATES[reply[0].toString()];
    if (state !== 'ready') return { state };
    const [, floor, home, authors, windows, postIds, profileIds, values] = reply as Required<Reply>;
    const posts = new Map<number, PostJson | null>();
    postIds.forEach((id, i) => {
      const value = values[i];
      if (value) posts.set(Number(id), value.length === 0 ? null : value.toString());
    });
    const profiles = new Map<number, ProfileJson>();
    profileIds.forEach((id, i) => {
      const value = values[postIds.length + i];
      if (value && value.length > 0) profiles.set(Number(id), value.toString());
    });
    return {
      state,
      floor: Number(floor),
      entries: unpackEntries(home),
      authors: authors.map(Number),
      authorWindows: windows.map(([windowState, windowFloor, entries]) => {
        const s = STATES[windowState.toString()];
        return s === 'missing'
          ? { state: s, floor: 0, entries: [] }
          : { state: s, floor: Number(windowFloor), entries: unpackEntries(entries!) };
      }),
      posts,
      profiles,
    };
  }
}
