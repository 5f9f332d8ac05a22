import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { Client } from 'pg';
import {
  follow,
  launchChromium,
  PASSWORD,
  post,
  PushEndpoint,
  signup,
  TestSubscription,
  TestApp,
  uniqueUsername,
  useTestEnvironment,
  waitFor,
} from '@app/testing';
import { FanoutWorkerModule } from '../../fanout-worker/src/fanout-worker.module';
import { FeedServiceModule } from '../../feed-service/src/feed-service.module';
import { PostServiceModule } from '../../post-service/src/post-service.module';
import { createWebServer, DEFAULT_WEB_ROOT } from '../src/web-server';

const env = useTestEnvironment({ CELEBRITY_THRESHOLD: '3', CELEBRITY_DEMOTE_BELOW: '2' });

/**
 * The built web app (a copy of dist/web with its config.json, as a deployment
 * would have it) on a free port, and the three services it talks to,
 * listening on real sockets with CORS for the app's origin.
 */
class WebStack {
  private constructor(
    readonly web: FastifyInstance,
    readonly webUrl: string,
    readonly postService: TestApp,
    readonly feed: TestApp,
    readonly worker: TestApp,
    private readonly root: string,
    private readonly savedOrigins: string | undefined,
  ) {}

  static async start(): Promise<WebStack> {
    if (!fs.existsSync(path.join(DEFAULT_WEB_ROOT, 'index.html')))
      throw new Error(`${DEFAULT_WEB_ROOT} is missing: run \`npm run build:web\` first (npm test does)`);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'feedline-web-'));
    fs.cpSync(DEFAULT_WEB_ROOT, root, { recursive: true });
    const web = await createWebServer(root);
    await web.listen({ port: 0, host: '127.0.0.1' });
    const { port } = web.server.address() as { port: number };
    const webUrl = `http://127.0.0.1:${port}`;
    const savedOrigins = process.env.CORS_ORIGINS;
    process.env.CORS_ORIGINS = webUrl;
    const postService = await TestApp.start(PostServiceModule, { cors: true });
    const feed = await TestApp.start(FeedServiceModule, { cors: true });
    const worker = await TestApp.start(FanoutWorkerModule);
    const config = {
      postServiceUrl: await postService.listen(),
      feedServiceUrl: await feed.listen(),
      // No streaming server yet (the Mastodon API brings it): a closed port, so the client keeps retrying.
      streamingUrl: 'http://127.0.0.1:9',
    };
    fs.writeFileSync(path.join(root, 'config.json'), JSON.stringify(config));
    return new WebStack(web, webUrl, postService, feed, worker, root, savedOrigins);
  }

  async close(): Promise<void> {
    await this.web.close();
    await this.worker.close();
    await this.feed.close();
    await this.postService.close();
    fs.rmSync(this.root, { recursive: true, force: true });
    if (this.savedOrigins === undefined) delete process.env.CORS_ORIGINS;
    else process.env.CORS_ORIGINS = this.savedOrigins;
  }
}

/**
 * The built PWA in headless Chromium against the real services: what a
 * person does, offline reading and posting, installability and push.
 */
describe('web app in Chromium', () => {
  let stack: WebStack;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let context: BrowserContext;
  let page: Page;
  let db: Client;
  const username = uniqueUsername('webby');
  const errors: string[] = [];

  beforeAll(async () => {
    stack = await WebStack.start();
    browser = await launchChromium({ viewport: { width: 420, height: 900 } });
    context = browser.context;
    page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    db = new Client({ connectionString: env.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await stack?.close();
  });

  const feedTexts = () => page.locator('.posts .post .content').allTextContents();
  const controlled = () =>
    page.waitForFunction('navigator.serviceWorker.controller !== null', undefined, { timeout: 30_000 });
  const postsNamed = async (content: string) =>
    Number((await db.query('SELECT count(*) FROM posts WHERE content = $1', [content])).rows[0].count);

  it('signs up, follows, posts and sees the posts, each marked with how it came', async () => {
    const friend = await signup(stack.postService, 'friend');
    const star = await signup(stack.postService, 'star');
    for (let i = 0; i < 3; i += 1)
      await follow(stack.postService, await signup(stack.postService, 'fan'), star);
    await post(stack.postService, friend, 'a post by a friend');
    await post(stack.postService, star, 'a post by a star');

    await page.goto(`${stack.webUrl}/`);
    await page.waitForURL('**/login');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(`${stack.webUrl}/`);
    await page.getByText('Nothing here yet').waitFor();

    for (const [account, name] of [
      [friend, 'friend'],
      [star, 'star'],
    ] as const) {
      await page.goto(`${stack.webUrl}/@${account.username}`);
      await page.locator('#follow-button').click();
      await waitFor(
        async () => (await page.locator('#follow-button').getAttribute('aria-pressed')) === 'true',
        {
          what: `following the ${name}`,
        },
      );
      await expect(page.locator('#follower-count').textContent()).resolves.toBe(name === 'star' ? '4' : '1');
    }
    await expect(page.locator('#celebrity-badge').isVisible()).resolves.toBe(true);

    await page.getByRole('link', { name: 'Feedline' }).click();
    await page.getByLabel('What’s happening?').fill('hello from the browser 👋🏽');
    await expect(page.locator('#compose-counter').getAttribute('data-remaining')).resolves.toBe(
      String(500 - 24),
    );
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.locator('.post', { hasText: 'hello from the browser' }).waitFor();

    // The friend's older post arrives through fan-out (the worker), the star's is merged at read time.
    await waitFor(
      async () => {
        await page.reload();
        await page.locator('.posts .post').first().waitFor();
        return (await feedTexts()).length === 3;
      },
      { what: 'three posts in the feed', timeoutMs: 30_000 },
    );
    const via = async (text: string) =>
      page.locator('.post', { hasText: text }).locator('[data-via]').getAttribute('data-via');
    await expect(via('hello from the browser')).resolves.toBe('pushed');
    await expect(via('a post by a friend')).resolves.toBe('pushed');
    await expect(via('a post by a star')).resolves.toBe('merged');
    await expect(page.locator('.post', { hasText: 'a post by a star' }).textContent()).resolves.toContain(
      'Merged at read time from a celebrity',
    );
    expect(errors).toEqual([]);
  });

  it('shows in place why the server would refuse a post, before sending it', async () => {
    await page.goto(`${stack.webUrl}/`);
    await page.getByLabel('What’s happening?').fill('x'.repeat(501));
    await expect(page.locator('#compose-error').textContent()).resolves.toBe('Too long by 1.');
    await expect(page.getByRole('button', { name: 'Post', exact: true }).isDisabled()).resolves.toBe(true);
    await page.getByLabel('What’s happening?').fill('');
  });

  it('reads the cached feed offline after a reload', async () => {
    await page.goto(`${stack.webUrl}/`);
    await controlled();
    await page.reload(); // this load's feed page goes through the worker, into its cache
    await page.locator('.posts .post').first().waitFor();
    const online = await feedTexts();
    await context.setOffline(true);
    try {
      await page.reload();
      await page.locator('#offline-banner').waitFor();
      await page.locator('.posts .post').first().waitFor();
      expect(await feedTexts()).toEqual(online);
    } finally {
      await context.setOffline(false);
    }
  });

  it('sends a post written offline exactly once when the connection returns', async () => {
    const content = `written offline ${Date.now()}`;
    await page.goto(`${stack.webUrl}/`);
    await controlled();
    await context.setOffline(true);
    await page.getByLabel('What’s happening?').fill(content);
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.locator('#compose-note').waitFor();
    await page.locator('.queued-post', { hasText: content }).waitFor();
    expect(await postsNamed(content)).toBe(0);

    await context.setOffline(false);
    await page.locator('.post .content', { hasText: content }).waitFor({ timeout: 30_000 });
    await page.locator('.queued-post').waitFor({ state: 'detached' });
    expect(await postsNamed(content)).toBe(1);
    // Both senders have had their chance (a sync event and the page's "online"): still one.
    await page.evaluate('new Promise((resolve) => setTimeout(resolve, 1500))');
    await page.reload();
    await page.locator('.post .content', { hasText: content }).waitFor();
    expect(await postsNamed(content)).toBe(1);
    await expect(page.locator('.post .content', { hasText: content }).count()).resolves.toBe(1);
  });

  it('is installable: Chrome reports no installability errors', async () => {
    const cdp: CDPSession = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const manifest = await (await page.request.get(`${stack.webUrl}/manifest.webmanifest`)).json();
    expect(manifest.icons.map((icon: { purpose: string }) => icon.purpose)).toContain('maskable');
    await cdp.detach();
  });

  /**
   * Web Push end to end. Headless Chromium has no push service of its own
   * (Chrome's is FCM, out of reach here), so the page's PushManager hands out
   * a subscription of the loopback push service instead; everything else is
   * real: the app's opt-in and bell, post-service, the outbox, the fan-out and
   * push queues, web-push's VAPID and aes128gcm, decryption with the
   * subscription's private key, and the service worker showing the message
   * (delivered through CDP, as Chrome's push service would).
   */
  describe('push notifications', () => {
    let pushService: PushEndpoint;
    let cdp: CDPSession;
    let registrationId: string;
    let me: { id: string };
    let subscription: TestSubscription;
    const token = () =>
      page.evaluate<string>('JSON.parse(localStorage.getItem("feedline.session")).accessToken');

    beforeAll(async () => {
      pushService = await PushEndpoint.start();
      subscription = pushService.subscribe('chromium');
      // The subscription lives as long as the page's storage, like a real one.
      await context.addInitScript(`(() => {
        const json = ${JSON.stringify(JSON.stringify(subscription))};
        const subscribed = () => localStorage.getItem('test-push-subscribed') === '1';
        const make = () => ({
          ...JSON.parse(json),
          toJSON: () => JSON.parse(json),
          unsubscribe: async () => (localStorage.removeItem('test-push-subscribed'), true),
        });
        PushManager.prototype.subscribe = async function (options) {
          const key = new Uint8Array(options.applicationServerKey);
          localStorage.setItem('test-push-key', btoa(String.fromCharCode(...key)));
          localStorage.setItem('test-push-subscribed', '1');
          return make();
        };
        PushManager.prototype.getSubscription = async function () {
          return subscribed() ? make() : null;
        };
      })()`);
      me = (await stack.postService.request('GET', `/users/lookup?username=${username}`)).body;
    });
    afterAll(async () => {
      await cdp?.detach();
      await pushService?.close();
    });

    /** What the push service received for the browser, decrypted, handed to the service worker. */
    const deliverLast = async (type: string) => {
      await waitFor(
        async () => pushService.delivered('chromium').some((m) => (m as { type: string }).type === type),
        { what: `a ${type} push message`, timeoutMs: 30_000 },
      );
      const [request] = pushService.requestsTo('chromium').slice(-1);
      pushService.verifyVapid(request, process.env.VAPID_PUBLIC_KEY!);
      await cdp.send('ServiceWorker.deliverPushMessage', {
        origin: stack.webUrl,
        registrationId,
        data: pushService.decrypt(request),
      });
    };
    const notifications = async (tag: string) => {
      const script = `navigator.serviceWorker.ready.then((r) => r.getNotifications({ tag: ${JSON.stringify(tag)} }))
        .then((list) => list.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data })))`;
      await waitFor(async () => (await page.evaluate<unknown[]>(script)).length > 0, {
        what: `the notification ${tag}`,
      });
      return page.evaluate<unknown[]>(script);
    };

    it('turns notifications on from the profile, with the server’s VAPID key', async () => {
      await context.grantPermissions(['notifications'], { origin: stack.webUrl });
      await page.goto(`${stack.webUrl}/@${username}`);
      await controlled();
      cdp = await context.newCDPSession(page);
      const registered = new Promise<string>((resolve) =>
        cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
          const ours = registrations.find((r) => r.scopeURL === `${stack.webUrl}/` && !r.isDeleted);
          if (ours) resolve(ours.registrationId);
        }),
      );
      await cdp.send('ServiceWorker.enable');
      registrationId = await registered;

      const toggle = page.getByRole('button', { name: 'Turn on notifications' });
      await expect(toggle.getAttribute('aria-describedby')).resolves.toBe('notifications-help');
      await toggle.focus();
      await page.keyboard.press('Enter');
      await waitFor(
        async () => (await page.locator('#notifications-button').getAttribute('aria-pressed')) === 'true',
        { what: 'notifications on' },
      );
      const key = await page.evaluate<string>('localStorage.getItem("test-push-key")');
      expect(Buffer.from(key, 'base64').toString('base64url')).toBe(process.env.VAPID_PUBLIC_KEY);
      const rows = await db.query('SELECT endpoint FROM push_subscriptions WHERE user_id = $1', [me.id]);
      expect(rows.rows).toEqual([{ endpoint: subscription.endpoint }]);
    });

    it('shows a new follower’s notification', async () => {
      const fan = await signup(stack.postService, 'fan');
      await follow(stack.postService, fan, me);
      await deliverLast('follow');
      await expect(notifications(`follow-${fan.id}`)).resolves.toEqual([
        {
          title: 'New follower',
          body: `${fan.username} (@${fan.username}) followed you`,
          tag: `follow-${fan.id}`,
          data: { url: `/@${fan.username}`, type: 'follow' },
        },
      ]);
    });

    it('rings the bell from the keyboard and shows the new post’s notification', async () => {
      const author = await signup(stack.postService, 'belled');
      await page.goto(`${stack.webUrl}/@${author.username}`);
      await page.locator('#follow-button').focus();
      await page.keyboard.press('Enter');
      const bell = page.getByRole('button', { name: `Notify me of new posts by @${author.username}` });
      await bell.waitFor();
      await expect(bell.getAttribute('aria-pressed')).resolves.toBe('false');
      await bell.focus();
      await page.keyboard.press('Space');
      await waitFor(async () => (await bell.getAttribute('aria-pressed')) === 'true', {
        what: 'the bell on',
      });
      const relation = await stack.postService.request('GET', `/users/${author.id}/relationship`, {
        token: await token(),
      });
      expect(relation.body).toEqual({ following: true, followedBy: false, notify: true });

      const postId = await post(stack.postService, author, 'ding! a post for bell ringers');
      await deliverLast('post');
      await expect(notifications(`post-${postId}`)).resolves.toEqual([
        {
          title: `${author.username} (@${author.username})`,
          body: 'ding! a post for bell ringers',
          tag: `post-${postId}`,
          data: { url: `/posts/${postId}`, type: 'post' },
        },
      ]);
      expect(errors).toEqual([]);
    });
  });
});
