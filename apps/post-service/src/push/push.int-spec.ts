import { PrismaService } from '@app/database';
import { follow, PushEndpoint, signup, TestApp, useTestEnvironment } from '@app/testing';
import { PostServiceModule } from '../post-service.module';

useTestEnvironment();

/** The web app's push and bell contract: relationship, follow with `notify`, VAPID key, subscriptions. */
describe('push opt-in and the bell', () => {
  let app: TestApp;
  let prisma: PrismaService;
  let browsers: PushEndpoint;

  beforeAll(async () => {
    app = await TestApp.start(PostServiceModule);
    prisma = app.get(PrismaService);
    browsers = await PushEndpoint.start();
  });
  afterAll(async () => {
    await browsers?.close();
    await app?.close();
  });

  const relationship = async (token: string, id: string) =>
    (await app.request('GET', `/users/${id}/relationship`, { token })).body;
  const stored = (userId: string) =>
    prisma.pushSubscription.findMany({ where: { userId: BigInt(userId) }, orderBy: { id: 'asc' } });

  it('reports the relationship both ways, with the bell', async () => {
    const [a, b] = [await signup(app, 'rela'), await signup(app, 'relb')];
    expect(await relationship(a.token, b.id)).toEqual({ following: false, followedBy: false, notify: false });
    await follow(app, b, a);
    expect(await relationship(a.token, b.id)).toEqual({ following: false, followedBy: true, notify: false });
    expect(await relationship(b.token, a.id)).toEqual({ following: true, followedBy: false, notify: false });
    expect((await app.request('GET', '/users/987654321/relationship', { token: a.token })).status).toBe(404);
    expect((await app.request('GET', `/users/${b.id}/relationship`)).status).toBe(401);
    expect((await app.request('GET', '/users/x/relationship', { token: a.token })).status).toBe(400);
  });

  it('sets the bell with PUT /follow, keeps it when left out, and drops it with the follow', async () => {
    const [a, b] = [await signup(app, 'bella'), await signup(app, 'bellb')];
    const put = (body?: unknown) => app.request('PUT', `/users/${b.id}/follow`, { token: a.token, body });
    const counts = async () => (await app.request('GET', `/users/${b.id}`)).body.followerCount;

    expect((await put({ notify: true })).status).toBe(204);
    expect(await relationship(a.token, b.id)).toEqual({ following: true, followedBy: false, notify: true });
    expect((await put()).status).toBe(204); // left out: unchanged, still one follow
    expect((await put({})).status).toBe(204);
    expect(await relationship(a.token, b.id)).toMatchObject({ following: true, notify: true });
    expect(await counts()).toBe(1);
    expect((await put({ notify: false })).status).toBe(204);
    expect(await relationship(a.token, b.id)).toMatchObject({ following: true, notify: false });
    // Toggling the bell is not a follow: no second fan-out event.
    expect(
      await prisma.outboxEvent.count({
        where: { jobName: 'follow-changed', payload: { path: ['followerId'], equals: a.id } },
      }),
    ).toBe(1);
    await put({ notify: true });
    expect((await app.request('DELETE', `/users/${b.id}/follow`, { token: a.token })).status).toBe(204);
    expect(await relationship(a.token, b.id)).toEqual({ following: false, followedBy: false, notify: false });
    expect((await put()).status).toBe(204); // a new follow starts with the bell off
    expect(await relationship(a.token, b.id)).toMatchObject({ following: true, notify: false });
    expect(await counts()).toBe(1);
  });

  it('validates the follow body', async () => {
    const [a, b] = [await signup(app, 'vala'), await signup(app, 'valb')];
    const put = (body: unknown) => app.request('PUT', `/users/${b.id}/follow`, { token: a.token, body });
    expect((await put({ notify: 'yes' })).body).toMatchObject({
      statusCode: 400,
      message: 'notify must be true or false',
    });
    expect((await put({ notify: true, extra: 1 })).status).toBe(400);
    expect((await put('[]')).status).toBe(400);
    expect(await relationship(a.token, b.id)).toMatchObject({ following: false });
  });

  it('gives the VAPID public key', async () => {
    const response = await app.request('GET', '/push/config');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ vapidPublicKey: process.env.VAPID_PUBLIC_KEY });
  });

  it('stores a subscription per endpoint, owned by whoever subscribed last, removable only by its owner', async () => {
    const [a, b] = [await signup(app, 'suba'), await signup(app, 'subb')];
    const browser = browsers.subscribe('shared-browser');
    const add = (token: string, body: unknown) => app.request('POST', '/push/subscriptions', { token, body });

    expect((await add(a.token, browser)).status).toBe(204);
    expect((await add(a.token, browser)).status).toBe(204);
    expect(await stored(a.id)).toMatchObject([{ endpoint: browser.endpoint, ...browser.keys }]);

    // The same browser, now logged in as b, with new keys: one row, b's.
    const renewed = { ...browsers.subscribe('shared-browser'), endpoint: browser.endpoint };
    expect((await add(b.token, renewed)).status).toBe(204);
    expect(await stored(a.id)).toEqual([]);
    expect(await stored(b.id)).toMatchObject([{ endpoint: browser.endpoint, p256dh: renewed.keys.p256dh }]);

    // a cannot remove b's subscription; b can, twice.
    const remove = (token: string) =>
      app.request('DELETE', '/push/subscriptions', { token, body: { endpoint: browser.endpoint } });
    expect((await remove(a.token)).status).toBe(204);
    expect(await stored(b.id)).toHaveLength(1);
    expect((await remove(b.token)).status).toBe(204);
    expect((await remove(b.token)).status).toBe(204);
    expect(await stored(b.id)).toEqual([]);
  });

  it('refuses what is not a browser subscription', async () => {
    const a = await signup(app, 'badsub');
    const good = browsers.subscribe('good');
    const add = (body: unknown) => app.request('POST', '/push/subscriptions', { token: a.token, body });
    expect((await app.request('POST', '/push/subscriptions', { body: good })).status).toBe(401);
    const refusals: Array<[unknown, RegExp]> = [
      [{ ...good, endpoint: 'http://push.example/x' }, /endpoint must be an https: URL/],
      [{ ...good, endpoint: 'javascript:alert(1)' }, /endpoint must be an https: URL/],
      [{ ...good, endpoint: `https://push.example/${'x'.repeat(2048)}` }, /endpoint/],
      [{ ...good, keys: { ...good.keys, p256dh: 'short' } }, /p256dh must be a base64url/],
      [{ ...good, keys: { ...good.keys, auth: 'a+b/' } }, /auth must be a base64url/],
      [{ ...good, keys: undefined }, /keys/],
      [{ ...good, keys: 'abc' }, /keys must be an object/],
      [{ ...good, expirationTime: 'soon' }, /expirationTime must be a number or null/],
      [{ ...good, extra: true }, /property extra should not exist/],
    ];
    for (const [body, message] of refusals) {
      const response = await add(body);
      expect({ status: response.status, message: String(response.body.message) }).toEqual({
        status: 400,
        message: expect.stringMatching(message),
      });
    }
    expect(await stored(a.id)).toEqual([]);
    expect((await add({ ...good, expirationTime: 1_900_000_000_000 })).status).toBe(204);
    expect((await app.request('DELETE', '/push/subscriptions', { token: a.token, body: {} })).status).toBe(
      400,
    );
  });
});
