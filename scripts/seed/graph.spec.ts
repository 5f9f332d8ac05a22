import {
  celebrityFollowerTarget,
  followersOf,
  generateGraph,
  GraphOptions,
  sampleOf,
  sampleRegularUsers,
  SocialGraph,
} from './graph';

const THRESHOLD = 1000;
const OPTIONS: GraphOptions = {
  users: 20_000,
  followsPerUser: 15,
  celebrities: 3,
  celebrityFollowers: 0.9,
  postsPerUser: 2,
  postWindowMs: 7 * 24 * 3600 * 1000,
  seed: 42,
  zipfExponent: 0.8,
  maxRegularFollowers: THRESHOLD / 2,
};

describe('generateGraph', () => {
  let graph: SocialGraph;

  beforeAll(() => {
    graph = generateGraph(OPTIONS);
  });

  it('is deterministic: the same seed gives the same graph', () => {
    const again = generateGraph(OPTIONS);
    expect(same(again.followee, graph.followee)).toBe(true);
    expect(same(again.follower, graph.follower)).toBe(true);
    expect(same(again.posts.ageMs, graph.posts.ageMs)).toBe(true);
  });

  it('changes with the seed', () => {
    const other = generateGraph({ ...OPTIONS, seed: 43 });
    const edges = (g: SocialGraph) =>
      new Set(Array.from(g.followee, (followee, i) => `${followee}:${g.follower[i]}`));
    const mine = edges(graph);
    const theirs = edges(other);
    const shared = [...theirs].filter((edge) => mine.has(edge)).length;
    // Celebrity follows overlap by chance (90% of everyone both times); regular ones barely.
    expect(shared / theirs.size).toBeLessThan(0.3);
    expect(same(other.posts.ageMs, graph.posts.ageMs)).toBe(false);
  });

  it('has unique edges sorted by (followee, follower), no self-follows, and counts that match them', () => {
    const followers = new Int32Array(graph.users);
    const following = new Int32Array(graph.users);
    const problems: string[] = [];
    for (let i = 0; i < graph.followee.length; i += 1) {
      const [a, b] = [graph.followee[i], graph.follower[i]];
      if (a === b) problems.push(`edge ${i} is a self-follow`);
      if (i > 0) {
        const [pa, pb] = [graph.followee[i - 1], graph.follower[i - 1]];
        if (!(pa < a || (pa === a && pb < b))) problems.push(`edge ${i} is out of order or repeated`);
      }
      followers[a] += 1;
      following[b] += 1;
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(same(followers, graph.followerCount)).toBe(true);
    expect(same(following, graph.followingCount)).toBe(true);
    expect(graph.followerStart[graph.users]).toBe(graph.followee.length);
  });

  it('gives users followsPerUser regular follows on average (within 3%)', () => {
    const mean = graph.regularFollows / graph.users;
    expect(Math.abs(mean - OPTIONS.followsPerUser) / OPTIONS.followsPerUser).toBeLessThan(0.03);
  });

  it('spreads regular follows by a power law: a heavy head, a long thin tail', () => {
    const counts = Array.from(graph.followerCount.subarray(graph.celebrities)).sort((a, b) => b - a);
    const total = counts.reduce((sum, n) => sum + n, 0);
    const top10 = counts.slice(0, counts.length / 10).reduce((sum, n) => sum + n, 0);
    const mean = total / counts.length;
    const median = counts[counts.length >> 1];
    expect(top10 / total).toBeGreaterThan(0.4);
    expect(median).toBeLessThan(mean);
    expect(counts[0]).toBeGreaterThan(20 * median);
    // ... but no regular account reaches the cap's neighbour, the celebrity threshold.
    expect(counts[0]).toBeLessThanOrEqual(OPTIONS.maxRegularFollowers);
  });

  it('makes the celebrities far bigger than the threshold, the first the biggest', () => {
    const celebrities = Array.from(graph.followerCount.subarray(0, graph.celebrities));
    expect(celebrities[0]).toBe(Math.round(0.9 * (OPTIONS.users - 1)));
    celebrities.forEach((count, i) => {
      expect(count).toBe(celebrityFollowerTarget(OPTIONS, i));
      expect(count).toBeGreaterThan(10 * THRESHOLD);
    });
    expect(celebrities).toEqual([...celebrities].sort((a, b) => b - a));
  });

  it('takes a celebrity follower count as a count when it is above 1, clamped to the users there are', () => {
    const small = generateGraph({
      ...OPTIONS,
      users: 500,
      celebrities: 1,
      celebrityFollowers: 200,
      maxRegularFollowers: 50,
    });
    expect(small.followerCount[0]).toBe(200);
    const all = generateGraph({
      ...OPTIONS,
      users: 500,
      celebrities: 1,
      celebrityFollowers: 10_000,
      maxRegularFollowers: 50,
    });
    expect(all.followerCount[0]).toBe(499);
  });

  it('writes postsPerUser posts per user, dated within the window and at least a second ago', () => {
    expect(graph.posts.author.length).toBe(OPTIONS.users * OPTIONS.postsPerUser);
    const perAuthor = new Int32Array(graph.users);
    graph.posts.author.forEach((author) => (perAuthor[author] += 1));
    expect(new Set(perAuthor)).toEqual(new Set([OPTIONS.postsPerUser]));
    expect(Math.min(...graph.posts.ageMs)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...graph.posts.ageMs)).toBeLessThan(OPTIONS.postWindowMs);
  });

  it('rejects impossible options', () => {
    expect(() => generateGraph({ ...OPTIONS, users: 3, celebrities: 3 })).toThrow(
      /celebrities must be fewer than users/,
    );
    expect(() => generateGraph({ ...OPTIONS, users: 1.5 })).toThrow(/users must be an integer/);
  });

  describe('samples', () => {
    it('are deterministic, distinct, and pair each user with one of its followers', () => {
      const sample = sampleRegularUsers(graph, 200, 7);
      expect(sampleRegularUsers(graph, 200, 7)).toEqual(sample);
      expect(new Set(sample.map((s) => s.user)).size).toBe(200);
      for (const { user, watcher } of sample) {
        expect(user).toBeGreaterThanOrEqual(graph.celebrities);
        if (watcher === null) expect(graph.followerCount[user]).toBe(0);
        else expect(Array.from(followersOf(graph, user))).toContain(watcher);
      }
    });

    it('return everything when asked for more than there is', () => {
      expect(sampleOf([3, 1, 2], 10, 1).sort()).toEqual([1, 2, 3]);
    });
  });
});

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
