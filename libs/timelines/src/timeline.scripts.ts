/**
 * Server-side timeline operations (Redis Lua), so each is one atomic round
 * trip however many entries it touches. The layout is described in
 * docs/adr/0003-timeline-structure.md:
 *
 *   value  = header (16 bytes) .. entry * n      entries sorted by post id, newest first
 *   header = state (1: 'R' ready | 'B' being rebuilt) .. floor (7, big-endian)
 *            .. reserved (7) .. version (1)
 *   entry  = post id (7 bytes, big-endian) .. author id (5 bytes, big-endian)
 *
 * "floor": the timeline holds every eligible post with an id above it; at or
 * below it (trimmed by the cap, or never loaded) PostgreSQL answers.
 *
 * Home timelines come with two sets under the same hash tag: `following`
 * (the membership check that keeps an unfollowed author out, whatever order
 * jobs run in) and `pulled` (followed celebrities merged at read time).
 */
import type { RedisClient } from '@app/redis';

const PRELUDE = `
local H, E = 16, 12
local READY, BUILDING = 82, 66
local function count(v) return (#v - H) / E end
local function stateOf(v) return string.byte(v, 1) end
local function floorOf(v) return (struct.unpack('>I7', v, 2)) end
local function idAt(v, i) return (struct.unpack('>I7', v, H + i * E + 1)) end
local function authorAt(v, i) return (struct.unpack('>I5', v, H + i * E + 8)) end
local function header(state, floor) return string.char(state) .. struct.pack('>I7I7', floor, 0) .. '\\1' end
local function withFloor(v, floor) return string.sub(v, 1, 1) .. struct.pack('>I7', floor) .. string.sub(v, 9) end
-- index of the first entry whose id is <= x (entries are newest first)
local function seek(v, x)
  local lo, hi = 0, count(v)
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if idAt(v, mid) > x then lo = mid + 1 else hi = mid end
  end
  return lo
end
-- Reading parts of a value with GETRANGE avoids copying the whole ~10 KB
-- string into Lua, which costs more than everything else a call does.
local function keyHeader(key) return redis.call('GETRANGE', key, 0, H - 1) end
local function keyIdAt(key, i) return (struct.unpack('>I7', redis.call('GETRANGE', key, H + i * E, H + i * E + 6))) end
local function keySeek(key, n, x)
  local lo, hi = 0, n
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if keyIdAt(key, mid) > x then lo = mid + 1 else hi = mid end
  end
  return lo
end
-- entries at or below the floor are not vouched for: drop them
local function aboveFloor(v)
  local f = floorOf(v)
  if f == 0 then return v end
  return string.sub(v, 1, H + seek(v, f) * E)
end
-- keep at most cap entries; what falls off raises the floor
local function capped(v, cap)
  if count(v) <= cap then return v end
  local floor = math.max(floorOf(v), idAt(v, cap))
  return withFloor(string.sub(v, 1, H + cap * E), floor)
end
-- Insert by key. The common case, a post newer than everything held, costs
-- one large string at most: shifted in place when the timeline is full
-- (SETRANGE within the length does not reallocate), rewritten at its exact
-- new size otherwise (APPEND-style growth would over-allocate).
local insert
local function insertAt(key, len, id, author, cap)
  local n = (len - H) / E
  local head = redis.call('GETRANGE', key, 0, H + 6)
  local floor = (struct.unpack('>I7', head, 2))
  if id <= floor then return 0 end
  local entry = struct.pack('>I7I5', id, author)
  if n == 0 then
    redis.call('SET', key, string.sub(head, 1, H) .. entry, 'KEEPTTL')
    return 1
  end
  local newest = (struct.unpack('>I7', head, H + 1))
  if id == newest then return 0 end
  if id > newest and n < cap then
    redis.call('SET', key, string.sub(head, 1, H) .. entry .. redis.call('GETRANGE', key, H, -1), 'KEEPTTL')
    return 1
  end
  if id > newest and n == cap then
    local dropped = keyIdAt(key, n - 1)
    redis.call('SETRANGE', key, H + E, redis.call('GETRANGE', key, H, len - E - 1))
    redis.call('SETRANGE', key, H, entry)
    if dropped > floor then redis.call('SETRANGE', key, 1, struct.pack('>I7', dropped)) end
    return 1
  end
  return insert(key, redis.call('GET', key), id, author, cap)
end
insert = function(key, v, id, author, cap)
  if id <= floorOf(v) then return 0 end
  local i = seek(v, id)
  if i < count(v) and idAt(v, i) == id then return 0 end
  if i >= cap then
    redis.call('SET', key, withFloor(v, math.max(floorOf(v), id)), 'KEEPTTL')
    return 0
  end
  local at = H + i * E
  local nv = string.sub(v, 1, at) .. struct.pack('>I7I5', id, author) .. string.sub(v, at + 1)
  redis.call('SET', key, capped(nv, cap), 'KEEPTTL')
  return 1
end
-- the entries of v, minus those for which drop(id, author) is true
local function without(v, drop)
  local kept, n = { string.sub(v, 1, H) }, count(v)
  local changed = false
  for i = 0, n - 1 do
    if drop(idAt(v, i), authorAt(v, i)) then changed = true
    else kept[#kept + 1] = string.sub(v, H + i * E + 1, H + (i + 1) * E) end
  end
  if not changed then return nil end
  return table.concat(kept)
end
-- union of v's entries and a packed, newest-first list, de-duplicated, newest first
local function merged(v, incoming, accept)
  local out, n, m = { string.sub(v, 1, H) }, count(v), #incoming / E
  local i, j, last = 0, 0, -1
  while i < n or j < m do
    local a = i < n and idAt(v, i) or -1
    local b = -1
    if j < m then b = (struct.unpack('>I7', incoming, j * E + 1)) end
    local take, entry
    if a >= b then
      take, entry = a, string.sub(v, H + i * E + 1, H + (i + 1) * E)
      i = i + 1
      if a == b then j = j + 1 end
    else
      take, entry = b, string.sub(incoming, j * E + 1, (j + 1) * E)
      j = j + 1
      if not accept((struct.unpack('>I5', entry, 8))) then entry = nil end
    end
    if entry and take ~= last then
      out[#out + 1] = entry
      last = take
    end
  end
  return table.concat(out)
end
local function following(key, owner)
  local memo = {}
  return function(author)
    if author == owner then return true end
    if memo[author] == nil then memo[author] = redis.call('SISMEMBER', key, author) == 1 end
    return memo[author]
  end
end
local function saddAll(key, ids, from, to)
  for s = from, to, 5000 do
    redis.call('SADD', key, unpack(ids, s, math.min(to, s + 4999)))
  end
end
-- Entries below the cursor (0: the newest), at most limit, as raw bytes.
local function window(key, len, cursor, limit)
  local n = (len - H) / E
  local from = cursor > 0 and keySeek(key, n, cursor - 1) or 0
  local to = math.min(n, from + limit)
  if to <= from then return '' end
  return redis.call('GETRANGE', key, H + from * E, H + to * E - 1)
end
local function refresh(ttl, ...)
  local keys = { ... }
  if redis.call('TTL', keys[1]) < ttl / 2 then
    for _, k in ipairs(keys) do redis.call('EXPIRE', k, ttl) end
  end
end
`;

export const script = (body: string) => `${PRELUDE}\n${body}`;

export interface ScriptDefinition {
  numberOfKeys: number;
  lua: string;
}

/** Registers each script on the client once (clients are shared between stores). */
export function defineScripts(redis: RedisClient, scripts: Record<string, ScriptDefinition>): void {
  for (const [name, { numberOfKeys, lua }] of Object.entries(scripts)) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
  }
}

export const TIMELINE_SCRIPTS = {
  /**
   * Fan-out delivery into a follower's home timeline.
   * KEYS: home, following. ARGV: owner, post id, author id, cap.
   * 1 = inserted; 0 = nothing to do (no timeline, no longer following, duplicate, below the floor).
   */
  timelineDeliver: {
    numberOfKeys: 2,
    lua: script(`
local len = redis.call('STRLEN', KEYS[1])
if len == 0 then return 0 end
local owner, id, author = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if author ~= owner and redis.call('SISMEMBER', KEYS[2], author) == 0 then return 0 end
return insertAt(KEYS[1], len, id, author, tonumber(ARGV[4]))`),
  },

  /**
   * An author's own post into their author timeline.
   * KEYS: author timeline. ARGV: post id, author id, cap, ttl.
   * 1 = inserted, 0 = already there, -1 = no timeline (it will be rebuilt).
   */
  timelineAppendOwn: {
    numberOfKeys: 1,
    lua: script(`
local len = redis.call('STRLEN', KEYS[1])
if len == 0 then return -1 end
local inserted = insertAt(KEYS[1], len, tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
refresh(tonumber(ARGV[4]), KEYS[1])
return inserted`),
  },

  /** KEYS: a timeline. ARGV: post id. 1 = removed. */
  timelineRemovePost: {
    numberOfKeys: 1,
    lua: script(`
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local id = tonumber(ARGV[1])
local i = seek(v, id)
if i >= count(v) or idAt(v, i) ~= id then return 0 end
redis.call('SET', KEYS[1], string.sub(v, 1, H + i * E) .. string.sub(v, H + (i + 1) * E + 1), 'KEEPTTL')
return 1`),
  },

  /**
   * The user followed an author: from now on deliveries from them are
   * accepted (and, for a celebrity, merged at read time). Posts from before
   * arrive with the follow job's backfill.
   * KEYS: home, following, pulled. ARGV: author id, '1' when pulled.
   */
  timelineFollow: {
    numberOfKeys: 3,
    lua: script(`
local ttl = redis.call('TTL', KEYS[1])
if ttl == -2 then return 0 end
redis.call('SADD', KEYS[2], ARGV[1])
if ARGV[2] == '1' then redis.call('SADD', KEYS[3], ARGV[1]) else redis.call('SREM', KEYS[3], ARGV[1]) end
if ttl > 0 then redis.call('EXPIRE', KEYS[2], ttl); redis.call('EXPIRE', KEYS[3], ttl) end
return 1`),
  },

  /**
   * The user unfollowed an author: one atomic step takes the author out of
   * the membership sets and their posts out of the home timeline, so no
   * delivery that is still in flight can bring them back.
   * KEYS: home, following, pulled. ARGV: author id.
   */
  timelineUnfollow: {
    numberOfKeys: 3,
    lua: script(`
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[1])
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local gone = tonumber(ARGV[1])
local kept = without(v, function(_, author) return author == gone end)
if kept then redis.call('SET', KEYS[1], kept, 'KEEPTTL') end
return 1`),
  },

  /**
   * Merges posts (packed, newest first) into a home timeline: follow
   * backfill, a celebrity's demotion, the end of a rebuild. Posts of authors
   * the user no longer follows are left out. `floor` says the list is
   * complete only above that id. ARGV[5]: 'ready' ends a rebuild.
   * ARGV[6] (optional): stop pulling this author at read time.
   * KEYS: home, following, pulled. ARGV: owner, cap, entries, floor, 'ready'|'', author|''.
   * 1 = merged, 0 = no timeline.
   */
  timelineMerge: {
    numberOfKeys: 3,
    lua: script(`
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local owner, cap = tonumber(ARGV[1]), tonumber(ARGV[2])
local nv = merged(v, ARGV[3], following(KEYS[2], owner))
nv = aboveFloor(withFloor(nv, math.max(floorOf(v), tonumber(ARGV[4]))))
if ARGV[5] == 'ready' then nv = string.char(READY) .. string.sub(nv, 2) end
redis.call('SET', KEYS[1], capped(nv, cap), 'KEEPTTL')
if ARGV[6] ~= '' then redis.call('SREM', KEYS[3], ARGV[6]) end
return 1`),
  },

  /**
   * A followed author became a celebrity: merge them at read time.
   * KEYS: home, following, pulled. ARGV: author id. 1 = applied.
   */
  timelineStartPulling: {
    numberOfKeys: 3,
    lua: script(`
local ttl = redis.call('TTL', KEYS[1])
if ttl == -2 or redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('SADD', KEYS[3], ARGV[1])
if ttl > 0 then redis.call('EXPIRE', KEYS[3], ttl) end
return 1`),
  },

  /**
   * Starts a rebuild of a home timeline: marks it as being rebuilt (entries
   * delivered meanwhile are kept) and sets its membership sets exactly.
   * KEYS: home, following, pulled.
   * ARGV: ttl, number of followed ids F, F followed ids, then the pulled ids.
   * 1 = claimed, 0 = already ready.
   */
  timelineClaimHome: {
    numberOfKeys: 3,
    lua: script(`
local v = redis.call('GET', KEYS[1])
if v and stateOf(v) == READY then return 0 end
if not v or stateOf(v) ~= BUILDING then v = header(BUILDING, 0) end
redis.call('SET', KEYS[1], v, 'EX', ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3])
local f = tonumber(ARGV[2])
if f > 0 then saddAll(KEYS[2], ARGV, 3, 2 + f) end
if #ARGV > 2 + f then saddAll(KEYS[3], ARGV, 3 + f, #ARGV) end
redis.call('EXPIRE', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[3], ARGV[1])
return 1`),
  },

  /**
   * Author timelines: the rebuild is one step, since its only writers are the
   * author's own posts (and a post made meanwhile is also in the query).
   * KEYS: author timeline. ARGV: entries, floor, ttl, cap.
   */
  timelineLoadAuthor: {
    numberOfKeys: 1,
    lua: script(`
local v = redis.call('GET', KEYS[1]) or header(READY, 0)
local nv = merged(v, ARGV[1], function() return true end)
nv = aboveFloor(withFloor(nv, math.max(floorOf(v), tonumber(ARGV[2]))))
redis.call('SET', KEYS[1], capped(nv, tonumber(ARGV[4])), 'EX', ARGV[3])
return 1`),
  },

  /**
   * A page of a home timeline, with what the read needs alongside it.
   * KEYS: home, following, pulled. ARGV: cursor (0 = newest), limit, ttl, 'following'|''.
   * Returns {state, floor, entries, pulled ids, following ids (when asked)}; state 'M' = missing.
   */
  timelineReadHome: {
    numberOfKeys: 3,
    lua: script(`
local len = redis.call('STRLEN', KEYS[1])
if len == 0 then return { 'M' } end
refresh(tonumber(ARGV[3]), KEYS[1], KEYS[2], KEYS[3])
local header = keyHeader(KEYS[1])
local out = { string.char(stateOf(header)), floorOf(header), window(KEYS[1], len, tonumber(ARGV[1]), tonumber(ARGV[2])), redis.call('SMEMBERS', KEYS[3]) }
if ARGV[4] == 'following' then out[5] = redis.call('SMEMBERS', KEYS[2]) end
return out`),
  },

  /**
   * A page of an author timeline. KEYS: author timeline. ARGV: cursor, limit.
   * Returns {state, floor, entries}; state 'M' = missing.
   */
  timelineReadAuthor: {
    numberOfKeys: 1,
    lua: script(`
local len = redis.call('STRLEN', KEYS[1])
if len == 0 then return { 'M' } end
local header = keyHeader(KEYS[1])
return { string.char(stateOf(header)), floorOf(header), window(KEYS[1], len, tonumber(ARGV[1]), tonumber(ARGV[2])) }`),
  },
} satisfies Record<string, ScriptDefinition>;

export type TimelineScriptName = keyof typeof TIMELINE_SCRIPTS;
