/**
 * The seed's social graph, generated from a seed number alone: no I/O, no
 * clock, no Math.random. The same options always give the same graph, so a
 * load test can be rerun against the same data.
 *
 * Users are indices 0..users-1 (the loader maps them to database ids).
 * Indices 0..celebrities-1 are the celebrities; the rest are regular users.
 *
 * - Every user follows about `followsPerUser` regular users (exponential
 *   out-degree with that mean). Whom they follow is drawn from a Zipf law
 *   over a shuffled popularity ranking (weight 1/rank^zipfExponent), so
 *   regular users' follower counts are power-law distributed: a few hundred
 *   accounts hold a large share of the follows, most hold a handful.
 *   Regular in-degree is capped at `maxRegularFollowers` so that no regular
 *   account drifts into celebrity territory by chance.
 * - Celebrity i is followed by a uniform random subset of all other users of
 *   size celebrityFollowers / sqrt(i + 1) (celebrity 0 is the biggest).
 */

export interface GraphOptions {
  users: number;
  /** Mean number of regular accounts each user follows. */
  followsPerUser: number;
  celebrities: number;
  /** Followers of the biggest celebrity: a fraction of the other users when <= 1, else a count. */
  celebrityFollowers: number;
  /** Posts written by each user. */
  postsPerUser: number;
  /** Posts are spread over this many milliseconds before the load time. */
  postWindowMs: number;
  seed: number;
  /** Exponent of the Zipf law that picks whom regular users follow. */
  zipfExponent: number;
  /** No regular account gets more followers than this. */
  maxRegularFollowers: number;
}

export interface SocialGraph {
  options: GraphOptions;
  users: number;
  celebrities: number;
  /** Follow edges as user indices, sorted by (followee, follower), unique, never a self-follow. */
  followee: Int32Array;
  follower: Int32Array;
  /** followerCount[u] = edges with followee u; followingCount[u] = edges with follower u. */
  followerCount: Int32Array;
  followingCount: Int32Array;
  /** Edges of followee u are followee/follower[followerStart[u] .. followerStart[u + 1]). */
  followerStart: Int32Array;
  /** Edges whose follower and followee are both regular users (what `followsPerUser` sets). */
  regularFollows: number;
  posts: {
    author: Int32Array;
    /** Milliseconds before the load time, >= 1000 (so seeded ids stay below any id issued afterwards). */
    ageMs: Float64Array;
  };
}

/** sfc32, seeded through splitmix32: small, fast and good enough for test data. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const split = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i += 1) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** Followers of celebrity i (0 = the biggest), clamped to the users there are. */
export function celebrityFollowerTarget(options: GraphOptions, i: number): number {
  const others = options.users - 1;
  const top =
    options.celebrityFollowers <= 1 ? options.celebrityFollowers * others : options.celebrityFollowers;
  return Math.min(others, Math.round(top / Math.sqrt(i + 1)));
}

export function validateGraphOptions(o: GraphOptions): string[] {
  const errors: string[] = [];
  const int = (name: keyof GraphOptions, min: number) => {
    if (!Number.isInteger(o[name]) || o[name] < min) errors.push(`${name} must be an integer >= ${min}`);
  };
  int('users', 2);
  int('celebrities', 0);
  int('postsPerUser', 0);
  int('seed', 0);
  int('maxRegularFollowers', 1);
  if (!(o.followsPerUser >= 0)) errors.push('followsPerUser must be >= 0');
  if (!(o.celebrityFollowers > 0)) errors.push('celebrityFollowers must be > 0 (a fraction <= 1 or a count)');
  if (!(o.zipfExponent >= 0)) errors.push('zipfExponent must be >= 0');
  if (!(o.postWindowMs >= 60_000)) errors.push('postWindowMs must be at least one minute');
  if (o.celebrities >= o.users) errors.push('celebrities must be fewer than users');
  if (o.users > 50_000_000) errors.push('users must be at most 50,000,000');
  return errors;
}

/** A growable Int32Array. */
class IntBuffer {
  private data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(i: number): number {
    return this.data[i];
  }
}

export function generateGraph(options: GraphOptions): SocialGraph {
  const errors = validateGraphOptions(options);
  if (errors.length > 0) throw new Error(`invalid graph options: ${errors.join('; ')}`);
  const { users, celebrities } = options;
  const rng = new Random(options.seed);
  const followees = new IntBuffer();
  const followers = new IntBuffer();
  const followerCount = new Int32Array(users);
  const followingCount = new Int32Array(users);

  // Regular follows: a Zipf law over a shuffled popularity ranking.
  const regular = users - celebrities;
  const byRank = new Int32Array(regular);
  for (let r = 0; r < regular; r += 1) byRank[r] = celebrities + r;
  shuffle(byRank, rng);
  const cumulative = new Float64Array(regular);
  let total = 0;
  for (let r = 0; r < regular; r += 1) {
    total += 1 / Math.pow(r + 1, options.zipfExponent);
    cumulative[r] = total;
  }
  const maxOut = Math.max(1, Math.ceil(options.followsPerUser * 10));
  const chosenBy = new Int32Array(users); // chosenBy[v] === u + 1: u already follows v
  let regularFollows = 0;
  for (let u = 0; u < users; u += 1) {
    // Exponential with mean followsPerUser, rounded without bias (floor(x + U)).
    const wanted = Math.floor(options.followsPerUser * -Math.log(1 - rng.next()) + rng.next());
    const candidates = u >= celebrities ? regular - 1 : regular;
    const degree = Math.min(wanted, maxOut, candidates);
    let made = 0;
    // Draws hitting self, a repeat or a full account are redrawn, within a budget.
    for (let attempts = 0; made < degree && attempts < degree * 20 + 100; attempts += 1) {
      const v = byRank[upperBound(cumulative, rng.next() * total)];
      if (v === u || chosenBy[v] === u + 1 || followerCount[v] >= options.maxRegularFollowers) continue;
      chosenBy[v] = u + 1;
      followees.push(v);
      followers.push(u);
      followerCount[v] += 1;
      followingCount[u] += 1;
      made += 1;
      if (u >= celebrities) regularFollows += 1;
    }
  }

  // Celebrity follows: a uniform subset of everyone else (partial Fisher-Yates).
  const pool = new Int32Array(users);
  for (let c = 0; c < celebrities; c += 1) {
    const target = celebrityFollowerTarget(options, c);
    let n = 0;
    for (let u = 0; u < users; u += 1) if (u !== c) pool[n++] = u;
    for (let i = 0; i < target; i += 1) {
      const j = i + rng.int(n - i);
      const picked = pool[j];
      pool[j] = pool[i];
      pool[i] = picked;
      followees.push(c);
      followers.push(picked);
      followerCount[c] += 1;
      followingCount[picked] += 1;
    }
  }

  const edges = sortEdges(followees, followers, users);
  const followerStart = new Int32Array(users + 1);
  for (let u = 0; u < users; u += 1) followerStart[u + 1] = followerStart[u] + followerCount[u];

  const postCount = users * options.postsPerUser;
  const author = new Int32Array(postCount);
  const ageMs = new Float64Array(postCount);
  for (let i = 0; i < postCount; i += 1) {
    author[i] = Math.floor(i / options.postsPerUser);
    ageMs[i] = 1000 + Math.floor(rng.next() * (options.postWindowMs - 1000));
  }

  return {
    options,
    users,
    celebrities,
    followee: edges.followee,
    follower: edges.follower,
    followerCount,
    followingCount,
    followerStart,
    regularFollows,
    posts: { author, ageMs },
  };
}

/** Edges sorted by (followee, follower): the primary key's order, which makes the bulk insert cheaper. */
function sortEdges(
  followees: IntBuffer,
  followers: IntBuffer,
  users: number,
): { followee: Int32Array; follower: Int32Array } {
  const keys = new Float64Array(followees.length);
  for (let i = 0; i < keys.length; i += 1) keys[i] = followees.get(i) * users + followers.get(i);
  keys.sort();
  const followee = new Int32Array(keys.length);
  const follower = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i += 1) {
    followee[i] = Math.floor(keys[i] / users);
    follower[i] = keys[i] - followee[i] * users;
  }
  return { followee, follower };
}

/** First index whose cumulative weight exceeds x. */
function upperBound(cumulative: Float64Array, x: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function shuffle(values: Int32Array, rng: Random): void {
  for (let i = values.length - 1; i > 0; i -= 1) {
    const j = rng.int(i + 1);
    const v = values[i];
    values[i] = values[j];
    values[j] = v;
  }
}

/** Followers of user u (indices, ascending). */
export function followersOf(graph: SocialGraph, u: number): Int32Array {
  return graph.follower.subarray(graph.followerStart[u], graph.followerStart[u + 1]);
}

/** `count` distinct values from `from`, in a seeded random order (all of them when there are fewer). */
export function sampleOf(from: ArrayLike<number>, count: number, seed: number): number[] {
  const rng = new Random(seed);
  const values = Array.from(from);
  const n = Math.min(count, values.length);
  for (let i = 0; i < n; i += 1) {
    const j = i + rng.int(values.length - i);
    [values[i], values[j]] = [values[j], values[i]];
  }
  return values.slice(0, n);
}

/** Regular users to act in load tests, each with one of its followers (or null) to watch its posts arrive. */
export function sampleRegularUsers(
  graph: SocialGraph,
  count: number,
  seed: number,
): Array<{ user: number; watcher: number | null }> {
  const regular = Array.from({ length: graph.users - graph.celebrities }, (_, i) => graph.celebrities + i);
  const rng = new Random(seed ^ 0x5eed);
  return sampleOf(regular, count, seed).map((user) => {
    const followers = followersOf(graph, user);
    return { user, watcher: followers.length > 0 ? followers[rng.int(followers.length)] : null };
  });
}
