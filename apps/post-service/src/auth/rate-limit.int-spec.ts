import { PASSWORD, signup, TestApp, useTestEnvironment } from '@app/testing';
import { PostServiceModule } from '../post-service.module';

useTestEnvironment({ RATE_LIMIT_LOGIN_PER_MINUTE: '3', RATE_LIMIT_POSTS_PER_MINUTE: '2' });

describe('rate limits', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start(PostServiceModule);
  });
  afterAll(() => app.close());

  it('stop login attempts beyond the limit with 429', async () => {
    const user = await signup(app, 'rl');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push(
        (
          await app.request('POST', '/auth/login', {
            body: { username: user.username, password: `${PASSWORD}x` },
          })
        ).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const blocked = await app.request('POST', '/auth/login', {
      body: { username: user.username, password: PASSWORD },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.any(String),
    });
  });

  it('limit posting per user, not per address', async () => {
    const [a, b] = [await signup(app, 'rla'), await signup(app, 'rlb')];
    const send = (token: string) => app.request('POST', '/posts', { token, body: { content: 'hi' } });
    expect([
      (await send(a.token)).status,
      (await send(a.token)).status,
      (await send(a.token)).status,
    ]).toEqual([201, 201, 429]);
    expect((await send(b.token)).status).toBe(201);
  });
});
