import fc from 'fast-check';
import { RedisServer, signup, TestApp, useTestEnvironment } from '@app/testing';
import { PostServiceModule } from '../../apps/post-service/src/post-service.module';
import { FuzzStack, fuzzEnvironment } from './fuzz-stack';
import { Operation, operationsOf } from './operations';
import { stateFingerprint } from './state';

const redis = new RedisServer(20_000 + Math.floor(Math.random() * 20_000));
useTestEnvironment(fuzzEnvironment(redis));

/** Dashboard routes anyone may reach: the login page and its assets, logging in and out, probes. */
const PUBLIC = /^\/(login|assets\/|auth\/log(in|out)$|health|metrics|ping|$)/;

describe('fuzz: the authorization matrix', () => {
  let stack: FuzzStack;
  let tokens: Record<string, string | undefined>;
  let adminOps: Operation[];

  beforeAll(async () => {
    await redis.start();
    stack = await FuzzStack.start(redis.url);
    tokens = stack.tokens();
    adminOps = operationsOf('admin', stack.apps.admin).filter((op) => !PUBLIC.test(op.path));
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await redis.stop();
  });

  const fill = (op: Operation) =>
    op.path
      .replace('{name}', 'fanout')
      .replace('{queueName}', 'fanout')
      .replace('{queueStatus}', 'failed')
      .replace('{jobId}', `post-created.${stack.alicePostId}`)
      .replace('{schedulerId}', 'nightly');
  const state = () => stateFingerprint(stack.prisma, stack.redis);

  it('fuzzes every operation: the OpenAPI documents and bull-board routes list them all', () => {
    const names = (['post', 'feed', 'admin'] as const).flatMap((app) =>
      operationsOf(app, stack.apps[app]).map((op) => `${app} ${op.method} ${op.path}`),
    );
    for (const expected of [
      'post POST /posts',
      'post PUT /users/{id}/follow',
      'post GET /users/lookup',
      'feed GET /feed',
      'feed GET /users/{id}/posts',
      'admin POST /auth/login',
      'admin GET /api/queues',
      'admin PUT /queues/api/queues/{queueName}/pause',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it('refuses every admin route and bull-board action to anonymous, non-admin and forged callers', async () => {
    expect(adminOps.length).toBeGreaterThan(10);
    const before = await state();
    const refused: string[] = [];
    for (const op of adminOps) {
      for (const [name, credential] of Object.entries(tokens)) {
        if (name === 'admin') continue;
        for (const via of ['header', 'cookie'] as const) {
          const headers: Record<string, string> = {};
          if (credential && via === 'header') headers.authorization = credential;
          // (A cookie carries the bare token: noScheme's would be the admin's own.)
          if (credential && via === 'cookie' && name !== 'noScheme')
            headers.cookie = `feedline_admin=${credential.replace(/^\S+ /, '')}`;
          const body = op.method === 'GET' ? undefined : { jobId: `post-created.${stack.alicePostId}` };
          const response = await stack.apps.admin.request(op.method, fill(op), { headers, body });
          if (![401, 403].includes(response.status))
            refused.push(`${op.method} ${op.path} ${name} ${via}: ${response.status}`);
        }
      }
    }
    expect(refused).toEqual([]);
    expect(await state()).toBe(before);
  });

  it('lets the admin reach the same routes (the matrix above tests something)', async () => {
    for (const op of adminOps.filter((o) => o.method === 'GET')) {
      const response = await stack.apps.admin.request('GET', fill(op), {
        headers: { authorization: tokens.admin! },
      });
      expect([200, 404]).toContain(response.status);
    }
  });

  it('never lets one user act as another', async () => {
    const { post } = stack.apps;
    const bob = tokens.bob!;
    const targets = [stack.alice.id, stack.bob.id];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('delete', 'post-as', 'follow-as', 'unfollow', 'feed'),
        fc.constantFrom(...targets),
        async (action, target) => {
          const followsOfOthers = () =>
            stack.prisma.follow.count({ where: { followerId: { not: BigInt(stack.bob.id) } } });
          const others = await followsOfOthers();
          const alicePosts = await stack.prisma.post.count({
            where: { authorId: BigInt(stack.alice.id), deletedAt: null },
          });
          if (action === 'delete') {
            const response = await post.request('DELETE', `/posts/${stack.alicePostId}`, {
              headers: { authorization: bob },
            });
            expect(response.status).toBe(403);
          } else if (action === 'post-as') {
            for (const field of ['authorId', 'userId', 'author']) {
              const response = await post.request('POST', '/posts', {
                headers: { authorization: bob },
                body: { content: 'as someone else', [field]: target },
              });
              expect([400, 429]).toContain(response.status); // bob's posting limit may come first
            }
          } else if (action === 'follow-as' || action === 'unfollow') {
            const method = action === 'follow-as' ? 'PUT' : 'DELETE';
            const response = await post.request(method, `/users/${target}/follow`, {
              headers: { authorization: bob },
              body: { followerId: stack.alice.id },
            });
            // The follower is the token's user, whatever the body says (bob's own follow may change).
            expect([204, 400]).toContain(response.status);
          } else {
            const response = await stack.apps.feed.request('GET', `/feed?userId=${target}`, {
              headers: { authorization: bob },
            });
            expect(response.status).toBe(400);
          }
          expect(await followsOfOthers()).toBe(others);
          expect(
            await stack.prisma.post.count({ where: { authorId: BigInt(stack.alice.id), deletedAt: null } }),
          ).toBe(alicePosts);
        },
      ),
      { numRuns: 40 },
    );
    // What a user does with their own token lands on their own account only.
    const followed = await post.request('PUT', `/users/${stack.alice.id}/follow`, {
      headers: { authorization: bob },
    });
    expect(followed.status).toBe(204);
    const carol = await signup(post, 'carol'); // bob may have used up his posting limit above
    const made = await post.request('POST', '/posts', { token: carol.token, body: { content: 'mine' } });
    expect(made.body.authorId).toBe(carol.id);
  });

  describe('rate limits', () => {
    const login = (app: TestApp, forwardedFor?: string) =>
      app.request('POST', '/auth/login', {
        body: { username: stack.alice.username, password: 'wrong password' },
        headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
      });

    it('hold for login, and X-Forwarded-For does not reset them without a trusted proxy', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i += 1) statuses.push((await login(stack.apps.post, `203.0.113.${i}`)).status);
      // At most 5 per minute from one address (the stack's own admin login counted one).
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      expect((await login(stack.apps.post)).status).toBe(429);
      const tooMany = await login(stack.apps.post, '198.51.100.7, 10.0.0.1');
      expect(tooMany.status).toBe(429);
      expect(tooMany.headers['retry-after']).toBeDefined();
    });

    it('hold for posting, per user, whatever the headers say', async () => {
      const eve = await signup(stack.apps.post, 'eve');
      const statuses: number[] = [];
      for (let i = 0; i < 23; i += 1) {
        const response = await stack.apps.post.request('POST', '/posts', {
          token: eve.token,
          body: { content: `post ${i}` },
          headers: { 'x-forwarded-for': `192.0.2.${i}` },
        });
        statuses.push(response.status);
      }
      expect(statuses.filter((s) => s === 201)).toHaveLength(20);
      expect(statuses.slice(20)).toEqual([429, 429, 429]);
      expect(await stack.prisma.post.count({ where: { authorId: BigInt(eve.id) } })).toBe(20);
    });

    it('count each client apart behind a trusted proxy (TRUST_PROXY)', async () => {
      process.env.TRUST_PROXY = 'true';
      const proxied = await TestApp.start(PostServiceModule);
      delete process.env.TRUST_PROXY;
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 8; i += 1) statuses.push((await login(proxied, `198.51.100.${i}`)).status);
        expect(statuses).toEqual(statuses.map(() => 401));
        for (let i = 0; i < 5; i += 1) await login(proxied, '198.51.100.200');
        expect((await login(proxied, '198.51.100.200')).status).toBe(429);
      } finally {
        await proxied.close();
      }
    });
  });
});
