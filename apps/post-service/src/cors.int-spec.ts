import { signup, TestApp, useTestEnvironment } from '@app/testing';
import { FeedServiceModule } from '../../feed-service/src/feed-service.module';
import { PostServiceModule } from './post-service.module';

const WEB = 'https://web.example.test';
useTestEnvironment({ CORS_ORIGINS: `${WEB},http://127.0.0.1:3000` });

/** The web app calls post-service and feed-service from another origin; nothing wider is allowed. */
describe('CORS for the web app', () => {
  let posts: TestApp;
  let feed: TestApp;
  let plain: TestApp;

  beforeAll(async () => {
    posts = await TestApp.start(PostServiceModule, { cors: true });
    feed = await TestApp.start(FeedServiceModule, { cors: true });
    plain = await TestApp.start(PostServiceModule);
  });
  afterAll(async () => {
    await plain.close();
    await feed.close();
    await posts.close();
  });

  const preflight = (app: TestApp, origin: string, method: string, headers: string) =>
    app.request('OPTIONS', '/posts', {
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': headers,
      },
    });

  it('allows the configured origins the methods and headers the app uses', async () => {
    for (const app of [posts, feed]) {
      const answer = await preflight(app, WEB, 'POST', 'authorization,content-type,idempotency-key');
      expect(answer.status).toBe(204);
      expect(answer.headers['access-control-allow-origin']).toBe(WEB);
      expect(String(answer.headers['access-control-allow-methods']).split(/,\s*/).sort()).toEqual([
        'DELETE',
        'GET',
        'POST',
        'PUT',
      ]);
      expect(String(answer.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/)).toEqual([
        'authorization',
        'content-type',
        'idempotency-key',
      ]);
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
      expect(answer.headers['access-control-max-age']).toBe('600');
    }
  });

  it('answers real requests from an allowed origin with its origin, and others without', async () => {
    const user = await signup(posts, 'corsy');
    const allowed = await posts.request('GET', `/users/${user.id}`, { headers: { origin: WEB } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(WEB);
    expect(allowed.headers['access-control-expose-headers']).toBe('Retry-After');
    expect(String(allowed.headers.vary)).toMatch(/origin/i);

    const feedAllowed = await feed.request('GET', '/feed', { token: user.token, headers: { origin: WEB } });
    expect(feedAllowed.status).toBe(200);
    expect(feedAllowed.headers['access-control-allow-origin']).toBe(WEB);

    const other = await posts.request('GET', `/users/${user.id}`, {
      headers: { origin: 'https://evil.example.test' },
    });
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const otherPreflight = await preflight(feed, 'https://evil.example.test', 'GET', 'authorization');
    expect(otherPreflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('leaves CORS off in apps that do not ask for it', async () => {
    const answer = await preflight(plain, WEB, 'POST', 'authorization');
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.status).toBe(404);
  });
});
