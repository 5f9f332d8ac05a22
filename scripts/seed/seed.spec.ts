import { POST_ID_EPOCH_MS, postContent, postIdAt, usernameOf } from './loader';
import { DEFAULT_SEED_OPTIONS, DEMO_GRAPH, parseSeedArgs } from './seed';

describe('parseSeedArgs', () => {
  it('reads every option, with defaults for the rest', () => {
    const options = parseSeedArgs([
      '--users',
      '120_000',
      '--follows-per-user',
      '25.5',
      '--celebrities',
      '2',
      '--celebrity-followers',
      '110000',
      '--reset',
      '--out',
      '/tmp/x.json',
    ]);
    expect(options).toMatchObject({
      users: 120_000,
      followsPerUser: 25.5,
      celebrities: 2,
      celebrityFollowers: 110_000,
      reset: true,
      out: '/tmp/x.json',
      postsPerUser: DEFAULT_SEED_OPTIONS.postsPerUser,
      maxRegularFollowers: undefined,
      help: false,
    });
  });

  it('refuses unknown options and bad numbers with a readable message', () => {
    expect(() => parseSeedArgs(['--userz', '5'])).toThrow(/userz/);
    expect(() => parseSeedArgs(['--users', 'many'])).toThrow(
      '--users must be a non-negative integer, got "many"',
    );
    expect(() => parseSeedArgs(['--celebrities', '1.5'])).toThrow(/--celebrities/);
    expect(() => parseSeedArgs(['--password', 'short'])).toThrow(/8-128/);
  });
});

describe('seed data helpers', () => {
  it('names users seed_00001 upwards, padded to the graph size', () => {
    expect(usernameOf(0, 300)).toBe('seed_00001');
    expect(usernameOf(119_999, 120_000)).toBe('seed_120000');
    expect(usernameOf(0, 120_000)).toBe('seed_000001');
  });

  it('builds post ids like feedline_next_post_id(): time-ordered, unique per sequence, below 2^53', () => {
    const ms = Date.UTC(2026, 10, 24, 12);
    expect(postIdAt(ms, 0)).toBe((ms - POST_ID_EPOCH_MS) * 4096);
    expect(postIdAt(ms, 5)).toBeLessThan(postIdAt(ms + 1, 0));
    expect(Math.floor(postIdAt(ms, 4095) / 4096) + POST_ID_EPOCH_MS).toBe(ms);
    expect(postIdAt(Date.UTC(2090, 0, 1), 4095)).toBeLessThan(Number.MAX_SAFE_INTEGER);
    expect(() => postIdAt(POST_ID_EPOCH_MS - 1, 0)).toThrow(/before the id epoch/);
  });

  it('writes post content within the API limits', () => {
    const content = postContent(123_456, usernameOf(119_999, 120_000));
    expect(content.length).toBeGreaterThan(0);
    expect(content.length).toBeLessThanOrEqual(500);
  });

  it('keeps the demo graph small, with one celebrity of 200 followers', () => {
    expect(DEMO_GRAPH).toMatchObject({ users: 300, celebrities: 1, celebrityFollowers: 200, ifEmpty: true });
  });
});
