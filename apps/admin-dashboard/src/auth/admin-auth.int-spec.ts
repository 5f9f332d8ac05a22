import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { FANOUT_QUEUE } from '@app/queue';
import { PASSWORD, signup, TestApp, useTestEnvironment } from '@app/testing';
import { PostServiceModule } from '../../../post-service/src/post-service.module';
import { AdminDashboardModule } from '../admin-dashboard.module';

const ADMIN = { username: 'ops_admin', password: 'ops admin password' };
useTestEnvironment({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password });

/** Every JSON route that needs an admin, as [method, url, body] (always three: it.each reads a missing one as `done`). */
const PROTECTED_JSON: Array<[string, string, unknown]> = [
  ['GET', '/api/queues', undefined],
  ['GET', '/auth/session', undefined],
  ['GET', '/queues/api/queues', undefined],
  ['PUT', '/queues/api/queues/fanout/retry/failed', undefined],
  ['PUT', '/queues/api/queues/fanout/x/retry', undefined],
  ['PUT', '/queues/api/queues/fanout/x/clean', undefined],
];

describe('admin-dashboard access', () => {
  let posts: TestApp;
  let dashboard: TestApp;
  let adminToken: string;
  let userToken: string;
  const savedPostServiceUrl = process.env.POST_SERVICE_URL;

  beforeAll(async () => {
    posts = await TestApp.start(PostServiceModule); // creates the admin account at boot
    process.env.POST_SERVICE_URL = await posts.listen();
    dashboard = await TestApp.start(AdminDashboardModule);
    const login = await posts.request('POST', '/auth/login', { body: ADMIN });
    expect(login.status).toBe(200);
    adminToken = login.body.accessToken;
    userToken = (await signup(posts, 'plain')).token;
  });
  afterAll(async () => {
    await dashboard?.close();
    await posts?.close();
    if (savedPostServiceUrl === undefined) delete process.env.POST_SERVICE_URL;
    else process.env.POST_SERVICE_URL = savedPostServiceUrl;
  });

  const cookieOf = (setCookie: unknown) => String(setCookie).split(';')[0];

  describe('anonymous visitors', () => {
    it.each(PROTECTED_JSON)('get 401 from %s %s', async (method, url, body) => {
      const response = await dashboard.request(method, url, { body });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
    });

    it.each([
      ['/', '/login'],
      ['/queues', '/login?next=%2Fqueues'],
      ['/queues/queue/fanout', '/login?next=%2Fqueues%2Fqueue%2Ffanout'],
    ])('are sent to the login page from %s', async (url, location) => {
      const response = await dashboard.request('GET', url, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(location);
    });

    it.each([
      '/%71ueues/api/queues',
      '/queues//api/queues',
      '/queues/api/queues/',
      '/queues/api/queues?x=1',
      '/queues/static/../api/queues',
    ])('get nothing from bull-board through %s', async (url) => {
      expect([401, 404]).toContain((await dashboard.request('GET', url)).status);
    });

    it('see the login page and its assets, and the chart library served by the app', async () => {
      const page = await dashboard.request('GET', '/login');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      for (const asset of [
        '/assets/login.js',
        '/assets/dashboard.css',
        '/assets/uPlot.iife.min.js',
        '/assets/uPlot.min.css',
      ]) {
        expect((await dashboard.request('GET', asset)).status).toBe(200);
      }
      expect((await dashboard.request('GET', '/assets/..%2Fpackage.json')).status).toBe(404);
      expect((await dashboard.request('GET', '/assets/index.html')).status).toBe(404); // pages are not assets
      const script = await dashboard.request('GET', '/assets/dashboard.js');
      expect(script.headers['cache-control']).toBe('no-cache');
      const etag = String(script.headers.etag);
      const again = await dashboard.request('GET', '/assets/dashboard.js', {
        headers: { 'if-none-match': etag },
      });
      expect(again.status).toBe(304);
    });

    it('keep /health, /metrics and /ping', async () => {
      for (const url of ['/health', '/metrics', '/ping'])
        expect((await dashboard.request('GET', url)).status).toBe(200);
    });
  });

  describe('non-admins', () => {
    it.each(PROTECTED_JSON)('get 403 from %s %s', async (method, url, body) => {
      const response = await dashboard.request(method, url, { token: userToken, body });
      expect(response.status).toBe(403);
      expect(response.body.message).toBe('Admin role required');
    });

    it('get 403 from the page and the job browser', async () => {
      for (const url of ['/', '/queues']) {
        expect(
          (await dashboard.request('GET', url, { token: userToken, headers: { accept: 'text/html' } }))
            .status,
        ).toBe(403);
      }
    });

    it('cannot log in to the dashboard and get no cookie', async () => {
      const user = await signup(posts, 'nonadm');
      const response = await dashboard.request('POST', '/auth/login', {
        body: { username: user.username, password: PASSWORD },
      });
      expect(response.status).toBe(403);
      expect(response.headers['set-cookie']).toBeUndefined();
    });
  });

  it.each([
    ['a garbage bearer token', { authorization: 'Bearer a.b.c' }],
    ['a malformed Authorization header', { authorization: 'Basic b3BzOnB3' }],
    ['a garbage session cookie', { cookie: 'feedline_admin=not-a-token' }],
  ])('refuses %s with 401', async (_case, headers) => {
    expect((await dashboard.request('GET', '/api/queues', { headers })).status).toBe(401);
  });

  it('lets an admin in with a bearer token', async () => {
    expect((await dashboard.request('GET', '/api/queues', { token: adminToken })).status).toBe(200);
    expect((await dashboard.request('GET', '/queues/api/queues', { token: adminToken })).status).toBe(200);
    const page = await dashboard.request('GET', '/', { token: adminToken });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  describe('browser login', () => {
    it('sets an HttpOnly, SameSite=Strict session cookie that opens every admin route', async () => {
      const login = await dashboard.request('POST', '/auth/login', { body: ADMIN });
      expect(login.status).toBe(200);
      expect(login.body.user).toMatchObject({ username: ADMIN.username, role: 'ADMIN' });
      const setCookie = String(login.headers['set-cookie']);
      expect(setCookie).toMatch(
        /^feedline_admin=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Strict$/,
      );
      const cookie = cookieOf(setCookie);
      for (const url of ['/api/queues', '/auth/session', '/queues/api/queues', '/']) {
        expect((await dashboard.request('GET', url, { headers: { cookie } })).status).toBe(200);
      }
      expect(
        (await dashboard.request('GET', '/auth/session', { headers: { cookie } })).body.user.username,
      ).toBe(ADMIN.username);
      const again = await dashboard.request('GET', '/login', { headers: { cookie } });
      expect([again.status, again.headers.location]).toEqual([303, '/']);
    });

    it('marks the cookie Secure when the browser came over https', async () => {
      const login = await dashboard.request('POST', '/auth/login', {
        body: ADMIN,
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(String(login.headers['set-cookie'])).toMatch(/; HttpOnly; Secure; SameSite=Strict$/);
    });

    it('prefers the Authorization header over the cookie', async () => {
      const cookie = cookieOf(
        (await dashboard.request('POST', '/auth/login', { body: ADMIN })).headers['set-cookie'],
      );
      expect(
        (await dashboard.request('GET', '/api/queues', { token: userToken, headers: { cookie } })).status,
      ).toBe(403);
    });

    it('refuses a wrong password with 401 and sets no cookie', async () => {
      const response = await dashboard.request('POST', '/auth/login', {
        body: { ...ADMIN, password: 'not the password' },
      });
      expect(response.status).toBe(401);
      expect(response.body.message).toBe('Invalid username or password');
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it.each([
      [
        'a form post (CSRF through a cross-site form)',
        'username=ops_admin&password=x',
        'application/x-www-form-urlencoded',
        415,
      ],
      ['text/plain', JSON.stringify(ADMIN), 'text/plain', 415],
      ['an unknown field', JSON.stringify({ ...ADMIN, role: 'ADMIN' }), 'application/json', 400],
      ['a missing password', JSON.stringify({ username: ADMIN.username }), 'application/json', 400],
    ])('refuses %s', async (_case, body, contentType, status) => {
      const response = await dashboard.request('POST', '/auth/login', {
        body,
        headers: { 'content-type': contentType },
      });
      expect(response.status).toBe(status);
    });

    it('logs out by clearing the cookie', async () => {
      const response = await dashboard.request('POST', '/auth/logout');
      expect(response.status).toBe(204);
      expect(String(response.headers['set-cookie'])).toMatch(
        /^feedline_admin=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict/,
      );
    });
  });

  it('answers 502 when post-service cannot be reached', async () => {
    process.env.POST_SERVICE_URL = 'http://127.0.0.1:9'; // discard port: nothing listens
    const isolated = await TestApp.start(AdminDashboardModule);
    // Closing an app whose queue connection is still handshaking trips an ioredis race; let it connect.
    await isolated.get<Queue>(getQueueToken(FANOUT_QUEUE)).waitUntilReady();
    try {
      const response = await isolated.request('POST', '/auth/login', { body: ADMIN });
      expect(response.status).toBe(502);
      expect(response.body.message).toContain('post-service');
    } finally {
      await isolated.close();
    }
  });
});
