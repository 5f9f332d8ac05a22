import { PrismaService } from '@app/database';
import { follow, signup, TestApp, unfollow, useTestEnvironment } from '@app/testing';
import { PostServiceModule } from '../post-service.module';

useTestEnvironment({ CELEBRITY_THRESHOLD: '5', CELEBRITY_DEMOTE_BELOW: '3' });

describe('follows', () => {
  let app: TestApp;
  let prisma: PrismaService;
  const user = async (id: string) => (await app.request('GET', `/users/${id}`)).body;
  const outbox = (jobName: string, field: string, value: string) =>
    prisma.outboxEvent.count({ where: { jobName, payload: { path: [field], equals: value } } });

  beforeAll(async () => {
    app = await TestApp.start(PostServiceModule);
    prisma = app.get(PrismaService);
  });
  afterAll(() => app.close());

  it('follow and unfollow are idempotent and keep both counts exact', async () => {
    const [a, b] = [await signup(app, 'fa'), await signup(app, 'fb')];
    await follow(app, a, b);
    await follow(app, a, b);
    expect((await user(a.id)).followingCount).toBe(1);
    expect((await user(b.id)).followerCount).toBe(1);
    expect(await outbox('follow-changed', 'followerId', a.id)).toBe(1);
    await unfollow(app, a, b);
    await unfollow(app, a, b);
    expect((await user(a.id)).followingCount).toBe(0);
    expect((await user(b.id)).followerCount).toBe(0);
    expect(await outbox('follow-changed', 'followerId', a.id)).toBe(2);
  });

  it('keeps counts exact under concurrent follows and unfollows of the same pair', async () => {
    const [a, b] = [await signup(app, 'ca'), await signup(app, 'cb')];
    const ops = Array.from({ length: 40 }, (_, i) =>
      app.request(i % 3 === 0 ? 'DELETE' : 'PUT', `/users/${b.id}/follow`, { token: a.token }),
    );
    const statuses = (await Promise.all(ops)).map((r) => r.status);
    expect(new Set(statuses)).toEqual(new Set([204]));
    const rows = await prisma.follow.count({ where: { followerId: BigInt(a.id), followeeId: BigInt(b.id) } });
    expect((await user(b.id)).followerCount).toBe(rows);
    expect((await user(a.id)).followingCount).toBe(rows);
  });

  it('refuses to follow yourself, unknown users and bad ids', async () => {
    const a = await signup(app, 'self');
    expect((await app.request('PUT', `/users/${a.id}/follow`, { token: a.token })).body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'you cannot follow yourself',
    });
    expect((await app.request('PUT', '/users/987654321/follow', { token: a.token })).status).toBe(404);
    expect((await app.request('PUT', '/users/-1/follow', { token: a.token })).status).toBe(400);
    expect((await app.request('PUT', '/users/1/follow')).status).toBe(401);
    expect((await user(a.id)).followingCount).toBe(0);
  });

  it('makes a celebrity at the threshold and demotes only clearly below it', async () => {
    const star = await signup(app, 'star');
    const fans = await Promise.all(Array.from({ length: 5 }, () => signup(app, 'fan')));
    for (const fan of fans.slice(0, 4)) await follow(app, fan, star);
    expect((await user(star.id)).isCelebrity).toBe(false);
    await follow(app, fans[4], star);
    expect((await user(star.id)).isCelebrity).toBe(true);
    expect(await outbox('celebrity-changed', 'userId', star.id)).toBe(1);

    await unfollow(app, fans[0], star); // 4: below the threshold, not below 3
    await unfollow(app, fans[1], star); // 3
    expect((await user(star.id)).isCelebrity).toBe(true);
    await follow(app, fans[0], star); // 4, back and forth near the line: no flapping
    await unfollow(app, fans[0], star); // 3
    expect(await outbox('celebrity-changed', 'userId', star.id)).toBe(1);
    await unfollow(app, fans[2], star); // 2 < 3
    expect((await user(star.id)).isCelebrity).toBe(false);
    expect(await outbox('celebrity-changed', 'userId', star.id)).toBe(2);
  });
});
