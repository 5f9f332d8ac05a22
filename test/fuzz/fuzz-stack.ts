import { generateKeyPairSync, createHmac } from 'node:crypto';
import fs from 'node:fs';
import jwt from 'jsonwebtoken';
import { Redis } from 'ioredis';
import { PrismaService } from '@app/database';
import { OutboxRelay } from '@app/queue';
import { RedisServer, Session, signup, TestApp } from '@app/testing';
import { AdminDashboardModule } from '../../apps/admin-dashboard/src/admin-dashboard.module';
import { FeedServiceModule } from '../../apps/feed-service/src/feed-service.module';
import { PostServiceModule } from '../../apps/post-service/src/post-service.module';

export const ADMIN = { username: 'fuzz_admin', password: 'fuzz admin password' };

/**
 * The environment of a fuzz file: its own redis-server (so the state
 * fingerprint can read every key), small rate limits (so valid-looking
 * logins and posts stay few), and no outbox poller (see FuzzStack.start),
 * so nothing changes state between requests but the requests.
 */
export function fuzzEnvironment(redis: RedisServer): Record<string, string> {
  return {
    REDIS_URL: redis.url,
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    RATE_LIMIT_LOGIN_PER_MINUTE: '5',
    RATE_LIMIT_SIGNUP_PER_MINUTE: '5',
    RATE_LIMIT_POSTS_PER_MINUTE: '20',
  };
}

export type AppName = 'post' | 'feed' | 'admin';

/** post-service, feed-service and the admin dashboard in-process, with a few accounts and tokens. */
export class FuzzStack {
  readonly apps: Record<AppName, TestApp>;
  private constructor(
    apps: Record<AppName, TestApp>,
    readonly alice: Session,
    readonly bob: Session,
    readonly adminToken: string,
    readonly alicePostId: string,
    readonly redis: Redis,
  ) {
    this.apps = apps;
  }

  static async start(redisUrl: string): Promise<FuzzStack> {
    const post = await TestApp.start(PostServiceModule);
    // Requests still dispatch their own events; the poller's re-sends would change Redis between requests.
    await post.get(OutboxRelay).beforeApplicationShutdown();
    process.env.POST_SERVICE_URL = await post.listen();
    const feed = await TestApp.start(FeedServiceModule);
    const admin = await TestApp.start(AdminDashboardModule);
    const [alice, bob] = [await signup(post, 'alice'), await signup(post, 'bob')];
    const login = await post.request('POST', '/auth/login', { body: ADMIN });
    if (login.status !== 200) throw new Error(`admin login: ${login.status}`);
    const created = await post.request('POST', '/posts', { token: alice.token, body: { content: 'seed' } });
    await post.request('PUT', `/users/${alice.id}/follow`, { token: bob.token });
    return new FuzzStack(
      { post, feed, admin },
      alice,
      bob,
      login.body.accessToken,
      created.body.id,
      new Redis(redisUrl, { maxRetriesPerRequest: 1 }),
    );
  }

  get prisma(): PrismaService {
    return this.apps.post.get(PrismaService);
  }

  /** Every kind of credential an attacker or a confused client sends, by name. */
  tokens(): Record<string, string | undefined> {
    const privateKey = fs.readFileSync(process.env.JWT_PRIVATE_KEY_FILE!, 'utf8');
    const publicKey = fs.readFileSync(process.env.JWT_PUBLIC_KEY_FILE!, 'utf8');
    const claims = { sub: this.alice.id, name: this.alice.username, role: 'ADMIN' };
    const options = { issuer: 'feedline', audience: 'feedline' };
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const payload = { ...claims, iss: 'feedline', aud: 'feedline', iat: now, exp: now + 3600 };
    const hsHead = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
    return {
      none: undefined,
      alice: `Bearer ${this.alice.token}`,
      bob: `Bearer ${this.bob.token}`,
      admin: `Bearer ${this.adminToken}`,
      garbage: 'Bearer not-a-token',
      empty: 'Bearer ',
      basic: `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`,
      noScheme: this.adminToken,
      expired: `Bearer ${jwt.sign({ ...claims, exp: now - 60 }, privateKey, { ...options, algorithm: 'RS256' })}`,
      otherKey: `Bearer ${jwt.sign(claims, other, { ...options, algorithm: 'RS256', expiresIn: 3600 })}`,
      algNone: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`,
      hs256PublicKey: `Bearer ${hsHead}.${createHmac('sha256', publicKey).update(hsHead).digest('base64url')}`,
      tampered: `Bearer ${tamper(this.alice.token)}`,
      badSub: `Bearer ${jwt.sign({ ...claims, sub: '0x10' }, privateKey, { ...options, algorithm: 'RS256', expiresIn: 3600 })}`,
    };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    await this.apps.admin.close();
    await this.apps.feed.close();
    await this.apps.post.close();
  }
}

/** The same token claiming to be an admin, its signature left as it was. */
function tamper(token: string): string {
  const [head, body, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
  return [
    head,
    Buffer.from(JSON.stringify({ ...claims, role: 'ADMIN' })).toString('base64url'),
    signature,
  ].join('.');
}
