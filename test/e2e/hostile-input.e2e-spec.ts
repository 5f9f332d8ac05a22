import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { PrismaService } from '@app/database';
import { FANOUT_QUEUE } from '@app/queue';
import { Session, signup, TestApp, uniqueUsername, useTestEnvironment } from '@app/testing';
import { AdminDashboardModule } from '../../apps/admin-dashboard/src/admin-dashboard.module';
import { FeedServiceModule } from '../../apps/feed-service/src/feed-service.module';
import { PostServiceModule } from '../../apps/post-service/src/post-service.module';

useTestEnvironment();

/** Issue 15's input defects (1, 2, 3, 4, 7): each answered 500, 502 or a silent success before. */
describe('hostile input gets a 400, never a 5xx', () => {
  let posts: TestApp;
  let feed: TestApp;
  let dashboard: TestApp;
  let prisma: PrismaService;
  let ada: Session;
  let bob: Session;
  const savedPostServiceUrl = process.env.POST_SERVICE_URL;

  beforeAll(async () => {
    posts = await TestApp.start(PostServiceModule);
    process.env.POST_SERVICE_URL = await posts.listen();
    feed = await TestApp.start(FeedServiceModule);
    dashboard = await TestApp.start(AdminDashboardModule);
    prisma = posts.get(PrismaService);
    [ada, bob] = [await signup(posts, 'ada'), await signup(posts, 'bob')];
  });
  afterAll(async () => {
    await dashboard?.close();
    await feed?.close();
    await posts?.close();
    if (savedPostServiceUrl === undefined) delete process.env.POST_SERVICE_URL;
    else process.env.POST_SERVICE_URL = savedPostServiceUrl;
  });

  describe('1: deeply nested JSON', () => {
    const nested = (depth: number) => `{"content":${'['.repeat(depth)}${']'.repeat(depth)}}`;

    it.each([
      ['post-service signup', () => posts, 'POST', '/auth/signup', undefined],
      ['post-service login', () => posts, 'POST', '/auth/login', undefined],
      ['post-service posts', () => posts, 'POST', '/posts', 'token'],
      ['dashboard login', () => dashboard, 'POST', '/auth/login', undefined],
    ])('is refused early by %s', async (_name, app, method, url, auth) => {
      const response = await app().request(method, url, {
        body: nested(1500),
        token: auth ? ada.token : undefined,
      });
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/nested/);
    });

    it('allows what a real body needs', async () => {
      const response = await posts.request('POST', '/posts', { body: nested(3), token: ada.token });
      expect(response.status).toBe(400);
      expect(response.body.message).toContain('content must be a string');
    });
  });

  describe('2: displayName length', () => {
    it('refuses a name of 50 characters that is over the column’s 64 code points, with 400', async () => {
      const response = await posts.request('POST', '/auth/signup', {
        body: {
          username: uniqueUsername('dn'),
          password: 'long enough pw',
          displayName: 'e\u0301'.repeat(50),
        },
      });
      expect(response.status).toBe(400);
      expect(response.body.message).toContain('displayName');
    });

    it('still accepts 50 combined characters that fit the column', async () => {
      const displayName = 'e\u0301'.repeat(32);
      const response = await posts.request('POST', '/auth/signup', {
        body: { username: uniqueUsername('dn'), password: 'long enough pw', displayName },
      });
      expect(response.status).toBe(201);
      expect(response.body.user.displayName).toBe(displayName);
    });
  });

  describe('3: control characters', () => {
    it.each([
      ['post-service login', () => posts, '/auth/login', { username: 'a\u0000b', password: 'whatever' }],
      ['post-service login (password)', () => posts, '/auth/login', { username: 'ab', password: 'x\u0000y' }],
      ['dashboard login', () => dashboard, '/auth/login', { username: 'a\u0000b', password: 'whatever' }],
      [
        'signup',
        () => posts,
        '/auth/signup',
        { username: uniqueUsername('nul'), password: 'pass\u0000word!', displayName: 'ok' },
      ],
    ])('are refused by %s with 400', async (_name, app, url, body) => {
      const response = await app().request('POST', url, { body });
      expect(response.status).toBe(400);
      expect(response.body.message).toContain('control characters');
    });

    it('are refused in query strings', async () => {
      const response = await posts.request('GET', '/users/lookup?username=ab%00cd');
      expect(response.status).toBe(400);
    });
  });

  describe('4: only canonical decimal ids', () => {
    const spellings = [
      '0x10',
      '1e1',
      '010',
      '+16',
      '16.0',
      '0b10000',
      '0o20',
      ' 16',
      '16 ',
      '%2016',
      '1_6',
      '-16',
      '0',
    ];
    let target: Session;
    beforeAll(async () => {
      target = await signup(posts, 'target');
    });

    it.each(spellings)('GET /users/%s is 400 on post-service and feed-service', async (id) => {
      const path = `/users/${encodeURI(id)}`;
      expect((await posts.request('GET', path)).status).toBe(400);
      expect((await feed.request('GET', `${path}/posts`)).status).toBe(400);
      expect((await posts.request('GET', `/posts/${encodeURI(id)}`)).status).toBe(400);
    });

    it.each(spellings)('PUT and DELETE /users/%s/follow are 400 and follow no one', async (id) => {
      for (const method of ['PUT', 'DELETE']) {
        const response = await posts.request(method, `/users/${encodeURI(id)}/follow`, { token: bob.token });
        expect(response.status).toBe(400);
      }
      expect(await prisma.follow.count({ where: { followerId: BigInt(bob.id) } })).toBe(0);
    });

    it('still resolves the canonical spelling', async () => {
      expect((await posts.request('GET', `/users/${target.id}`)).status).toBe(200);
    });

    it.each(['0x10', '1e1', '010', '+16', '16.0', ' 16'])('refuses limit=%s on the feed', async (limit) => {
      const response = await feed.request('GET', `/feed?limit=${encodeURIComponent(limit)}`, {
        token: bob.token,
      });
      expect(response.status).toBe(400);
    });
  });

  it('queues no timeline rebuild for an author who does not exist (found by the fuzz suite)', async () => {
    const queue = posts.get<Queue>(getQueueToken(FANOUT_QUEUE));
    for (const query of ['', '?cursor=123456789']) {
      const response = await feed.request('GET', `/users/987654321/posts${query}`);
      expect(response.status).toBe(404);
    }
    await new Promise((resolve) => setTimeout(resolve, 200)); // the rebuild request was not awaited
    expect(await queue.getJob('rebuild.author.987654321')).toBeUndefined();
  });

  describe('7: keys named after Object.prototype members', () => {
    const names = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__proto__'];

    it.each(names)('%s in a body is an unknown field (400)', async (name) => {
      const body = `{"content":"hello","${name}":"x"}`;
      const before = await prisma.post.count();
      const response = await posts.request('POST', '/posts', { body, token: ada.token });
      expect(response.status).toBe(400);
      expect(await prisma.post.count()).toBe(before);
    });

    it.each(names)('%s in a signup body is an unknown field (400)', async (name) => {
      const body = `{"username":"${uniqueUsername('pk')}","password":"long enough pw","${name}":{}}`;
      expect((await posts.request('POST', '/auth/signup', { body })).status).toBe(400);
    });

    it.each(names)('%s in a query string is an unknown parameter (400)', async (name) => {
      const response = await feed.request('GET', `/feed?limit=5&${name}=1`, { token: ada.token });
      expect(response.status).toBe(400);
      expect(response.body.message).toContain(`property ${name} should not exist`);
      expect((await posts.request('GET', `/users/lookup?username=ada&${name}=1`)).status).toBe(400);
    });
  });
});
