import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verify as verifyPassword } from '@node-rs/argon2';
import jwt from 'jsonwebtoken';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { loadPublicKey } from '@app/auth';
import { buildConfig } from '@app/config';
import { useTestEnvironment } from '@app/testing';
import { DatabaseNotEmptyError } from './loader';
import { SEED_PASSWORD, SeedDataFile, seedDatabase, SeedOptions } from './seed';

const env = useTestEnvironment({ CELEBRITY_THRESHOLD: '100' });

const GRAPH: Partial<SeedOptions> = {
  users: 600,
  followsPerUser: 8,
  celebrities: 2,
  celebrityFollowers: 0.8,
  postsPerUser: 2,
  sampleUsers: 25,
  sampleFollowers: 30,
  seed: 7,
  log: () => undefined,
};

describe('seedDatabase (PostgreSQL, Redis)', () => {
  let db: Client;
  let redis: Redis;
  let dir: string;
  let out: string;

  beforeAll(async () => {
    db = new Client({ connectionString: env.databaseUrl });
    await db.connect();
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedline-seed-'));
    out = path.join(dir, 'nested', 'seed.json');
    // An admin created by post-service before the seed ran: kept, and not "data".
    await db.query(
      `INSERT INTO users (username, username_key, display_name, password_hash, role) VALUES ('Admin', 'admin', 'Admin', 'x', 'ADMIN')`,
    );
    await redis.set(`${env.redisPrefix}:hybrid:{u1}:home`, 'stale');
    await redis.set(`{${env.redisPrefix}-q}:fanout:meta`, 'queue');
    await seedDatabase({ ...GRAPH, out });
  });

  afterAll(async () => {
    await db.end();
    redis.disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const scalar = async (sql: string): Promise<number> =>
    Number(Object.values((await db.query(sql)).rows[0])[0]);

  it('keeps the admin and gives seeded users the ids after it, with the sequence moved past them', async () => {
    expect(await scalar(`SELECT count(*) FROM users WHERE role = 'ADMIN'`)).toBe(1);
    expect(await scalar(`SELECT count(*) FROM users WHERE role = 'USER'`)).toBe(600);
    expect(await scalar(`SELECT min(id) FROM users WHERE role = 'USER'`)).toBe(2);
    expect(await scalar(`SELECT nextval(pg_get_serial_sequence('users', 'id'))`)).toBe(602);
    const { rows } = await db.query(
      `SELECT username, username_key, display_name, password_hash FROM users WHERE id = 2`,
    );
    expect(rows[0]).toMatchObject({
      username: 'seed_00001',
      username_key: 'seed_00001',
      display_name: 'Celebrity 1',
    });
    expect(await verifyPassword(rows[0].password_hash, SEED_PASSWORD)).toBe(true);
  });

  it('stores exact follower and following counts', async () => {
    const mismatches = await scalar(`
      SELECT count(*) FROM users u
      WHERE u.follower_count <> (SELECT count(*) FROM follows WHERE followee_id = u.id)
         OR u.following_count <> (SELECT count(*) FROM follows WHERE follower_id = u.id)`);
    expect(mismatches).toBe(0);
    expect(await scalar('SELECT count(*) FROM follows')).toBeGreaterThan(600 * 8 * 0.8);
    expect(await scalar('SELECT count(*) FROM follows WHERE followee_id = follower_id')).toBe(0);
  });

  it('flags exactly the celebrities by the rule, delivered by PULL', async () => {
    const { rows } = await db.query<{
      id: string;
      follower_count: number;
      is_celebrity: boolean;
      delivery: string;
    }>(
      `SELECT id, follower_count, is_celebrity, delivery FROM users WHERE is_celebrity OR follower_count >= 100 ORDER BY id`,
    );
    expect(rows.map((row) => row.id)).toEqual(['2', '3']);
    for (const row of rows) expect(row).toMatchObject({ is_celebrity: true, delivery: 'PULL' });
    expect(rows[0].follower_count).toBe(Math.round(0.8 * 599));
    expect(await scalar(`SELECT count(*) FROM users WHERE delivery = 'PULL' AND NOT is_celebrity`)).toBe(0);
  });

  it('writes live posts with time-ordered ids that match created_at and stay below new ids', async () => {
    expect(await scalar('SELECT count(*) FROM posts WHERE deleted_at IS NULL')).toBe(1200);
    expect(await scalar(`SELECT count(DISTINCT author_id) FROM posts`)).toBe(600);
    expect(
      await scalar(
        `SELECT count(*) FROM posts WHERE (id >> 12) + 1735689600000 <> floor(extract(epoch FROM created_at) * 1000)`,
      ),
    ).toBe(0);
    expect(
      await scalar(
        `SELECT count(*) FROM posts WHERE id >= feedline_next_post_id() OR id >= 9007199254740992`,
      ),
    ).toBe(0);
    expect(
      await scalar(
        `SELECT count(*) FROM posts WHERE created_at > now() OR created_at < now() - interval '8 days'`,
      ),
    ).toBe(0);
  });

  it("clears this deployment's derived Redis keys and leaves the queue's alone", async () => {
    expect(await redis.exists(`${env.redisPrefix}:hybrid:{u1}:home`)).toBe(0);
    expect(await redis.get(`{${env.redisPrefix}-q}:fanout:meta`)).toBe('queue');
  });

  describe('the data file', () => {
    let data: SeedDataFile;
    const publicKey = () => loadPublicKey(buildConfig());

    beforeAll(() => {
      data = JSON.parse(fs.readFileSync(out, 'utf8')) as SeedDataFile;
    });

    it('describes the seed', async () => {
      expect(data).toMatchObject({ version: 1, seed: 7, password: SEED_PASSWORD, celebrityThreshold: 100 });
      expect(data.counts).toEqual({
        users: 600,
        follows: await scalar('SELECT count(*) FROM follows'),
        regularFollows: expect.any(Number),
        posts: 1200,
        celebrities: 2,
      });
    });

    it('lists the celebrities with exact follower counts', async () => {
      const { rows } = await db.query(
        `SELECT id::text, username, follower_count AS "followerCount" FROM users WHERE is_celebrity ORDER BY id`,
      );
      expect(
        data.celebrities.map(({ id, username, followerCount }) => ({ id, username, followerCount })),
      ).toEqual(rows);
    });

    it('samples regular users, each with a watcher that follows them', async () => {
      expect(data.users).toHaveLength(25);
      for (const user of data.users) {
        const { rows } = await db.query(
          `SELECT follower_count, following_count, is_celebrity FROM users WHERE id = $1`,
          [user.id],
        );
        expect(rows[0]).toEqual({
          follower_count: user.followerCount,
          following_count: user.followingCount,
          is_celebrity: false,
        });
        if (user.watcher) {
          expect(
            await scalar(
              `SELECT count(*) FROM follows WHERE followee_id = ${user.id} AND follower_id = ${user.watcher.id}`,
            ),
          ).toBe(1);
        } else {
          expect(user.followerCount).toBe(0);
        }
      }
    });

    it('samples regular followers of the biggest celebrity', async () => {
      expect(data.celebrityFollowers).toHaveLength(30);
      const ids = data.celebrityFollowers.map((f) => f.id);
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM follows f JOIN users u ON u.id = f.follower_id
         WHERE f.followee_id = $1 AND f.follower_id = ANY($2::bigint[]) AND NOT u.is_celebrity`,
        [data.celebrities[0].id, ids],
      );
      expect(rows[0].n).toBe(30);
    });

    it('carries tokens that verify like post-service tokens', () => {
      const accounts = [...data.celebrities, ...data.users, ...data.celebrityFollowers];
      for (const account of accounts) {
        const claims = jwt.verify(account.token, publicKey(), {
          algorithms: ['RS256'],
          issuer: 'feedline',
          audience: 'feedline',
        });
        expect(claims).toMatchObject({ sub: account.id, name: account.username, role: 'USER' });
      }
      const { exp } = jwt.decode(data.users[0].token) as { exp: number };
      expect(exp * 1000).toBe(Date.parse(data.tokens.expiresAt));
    });
  });

  it('refuses a database that holds data without --reset, and changes nothing', async () => {
    const before = await scalar('SELECT count(*) FROM follows');
    await expect(seedDatabase({ ...GRAPH, seed: 8, out })).rejects.toThrow(DatabaseNotEmptyError);
    await expect(seedDatabase({ ...GRAPH, seed: 8, out, ifEmpty: true })).resolves.toBeNull();
    expect(await scalar('SELECT count(*) FROM follows')).toBe(before);
  });

  it('reseeds with --reset: the same seed gives the same graph, under the same ids', async () => {
    const snapshot = async () =>
      (
        await db.query<{ edges: string }>(
          `SELECT string_agg(followee_id || ':' || follower_id, ',' ORDER BY followee_id, follower_id) AS edges FROM follows`,
        )
      ).rows[0].edges;
    const before = await snapshot();
    await db.query(`UPDATE users SET follower_count = 1 WHERE role = 'ADMIN'`);
    const summary = await seedDatabase({ ...GRAPH, out, reset: true });
    expect(summary).toMatchObject({ users: 600, posts: 1200, celebrities: 2, adminsKept: 1, idBase: 1 });
    expect(await snapshot()).toEqual(before);
    expect(await scalar(`SELECT follower_count + following_count FROM users WHERE role = 'ADMIN'`)).toBe(0);
    expect(await scalar('SELECT count(*) FROM posts')).toBe(1200);
  });
});
