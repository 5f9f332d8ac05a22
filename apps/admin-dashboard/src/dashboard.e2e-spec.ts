import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { FANOUT_QUEUE } from '@app/queue';
import { follow, PASSWORD, post, signup, TestApp, useTestEnvironment, waitFor } from '@app/testing';
import { FanoutWorkerModule } from '../../fanout-worker/src/fanout-worker.module';
import { PostServiceModule } from '../../post-service/src/post-service.module';
import { AdminDashboardModule } from './admin-dashboard.module';

const ADMIN = { username: 'ops_admin', password: 'ops admin password' };
useTestEnvironment({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password });

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '../../../test-artifacts');
const SCREENSHOT = path.join(ARTIFACTS, 'admin-dashboard.png');
const SPIKE_SCREENSHOT = path.join(ARTIFACTS, 'admin-dashboard-spike.png');
const BURST = 300;

/** A loopback port free now, for the worker the dashboard is told about before it starts. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('admin dashboard in a real browser', () => {
  let posts: TestApp;
  let dashboard: TestApp;
  let worker: TestApp | undefined;
  let baseUrl: string;
  let browser: BrowserContext;
  let profile: string;
  let workerPort: number;
  const savedPostServiceUrl = process.env.POST_SERVICE_URL;
  const savedWorkerUrls = process.env.WORKER_METRICS_URLS;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM))
      throw new Error(`the browser test needs Chromium at ${CHROMIUM} (apt-get install chromium)`);
    posts = await TestApp.start(PostServiceModule);
    process.env.POST_SERVICE_URL = await posts.listen();
    workerPort = await freePort();
    process.env.WORKER_METRICS_URLS = `http://127.0.0.1:${workerPort}/metrics`;
    dashboard = await TestApp.start(AdminDashboardModule);
    baseUrl = await dashboard.listen();
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'feedline-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1440, height: 1000 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
    await worker?.close();
    await dashboard?.close();
    await posts?.close();
    if (savedPostServiceUrl === undefined) delete process.env.POST_SERVICE_URL;
    else process.env.POST_SERVICE_URL = savedPostServiceUrl;
    if (savedWorkerUrls === undefined) delete process.env.WORKER_METRICS_URLS;
    else process.env.WORKER_METRICS_URLS = savedWorkerUrls;
  });

  /** Opens a page that records console errors and uncaught exceptions (CSP violations show up there). */
  async function open(url: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${baseUrl}${url}`);
    return { page, errors };
  }

  async function logIn(page: Page, username: string, password: string): Promise<void> {
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('#login-submit');
  }

  /** A figure as the page shows it ("1,234" -> 1234). */
  async function shown(page: Page, name: string): Promise<number> {
    const text = (await page.locator(`[data-figure="${name}"]`).textContent()) ?? '';
    return /^[\d,]+$/.test(text) ? Number(text.replace(/,/g, '')) : NaN;
  }

  /** The chart points the page keeps in sessionStorage (they survive a reload). */
  async function chartPoints(page: Page): Promise<Array<{ t: number; prioritized: number }>> {
    const stored = await page.evaluate<string | null>("sessionStorage.getItem('feedline-dashboard-points')");
    return JSON.parse(stored ?? '[]') as Array<{ t: number; prioritized: number }>;
  }

  it('sends an anonymous visitor to the login page, and its API answers 401', async () => {
    const { page, errors } = await open('/');
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect(page.locator('h1').textContent()).resolves.toBe('Log in');
    expect((await page.request.get(`${baseUrl}/api/queues`)).status()).toBe(401);
    expect((await page.request.get(`${baseUrl}/queues/api/queues`)).status()).toBe(401);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses a non-admin at the login form and gives them no session', async () => {
    const viewer = await signup(posts, 'viewer');
    const { page } = await open('/login');
    await logIn(page, viewer.username, PASSWORD);
    await page.locator('#login-error').waitFor({ state: 'visible' });
    await expect(page.locator('#login-error').textContent()).resolves.toContain('not an admin');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect((await page.request.get(`${baseUrl}/api/queues`)).status()).toBe(401);
    await page.close();
  });

  it('shows an admin the queue rising during a burst and draining back to zero', async () => {
    const { page, errors } = await open('/login');
    await logIn(page, ADMIN.username, ADMIN.password);
    await page.waitForURL(`${baseUrl}/`);
    await page.locator('#status.live').waitFor();
    await expect(page.locator('#who').textContent()).resolves.toBe(ADMIN.username);

    // A burst of fan-out work while no worker runs: every post becomes a prioritized post-created job.
    const author = await signup(posts, 'celebish');
    for (let i = 0; i < 3; i += 1) await follow(posts, await signup(posts, 'fan'), author);
    for (let i = 0; i < BURST; i += 1) await post(posts, author, `spike ${i}`);
    const queue = dashboard.get<Queue>(getQueueToken(FANOUT_QUEUE));
    await waitFor(async () => (await queue.getPrioritizedCount()) >= BURST, {
      what: 'the burst to be queued',
    });

    // The page sees the depth rise (its figures, and the points behind its chart, which survive a reload).
    await waitFor(async () => (await shown(page, 'prioritized')) >= BURST, {
      what: 'the page to show the burst',
    });
    await expect(page.locator('.alert.critical').textContent()).resolves.toContain('no worker is connected');
    await waitFor(async () => (await chartPoints(page)).some((point) => point.prioritized >= BURST), {
      what: 'a point of the peak',
    });
    await page.reload();
    await page.locator('#status.live').waitFor();
    expect((await chartPoints(page)).some((point) => point.prioritized >= BURST)).toBe(true);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: SPIKE_SCREENSHOT, fullPage: true });

    // A worker connects and drains the queue; the page follows it back to zero.
    worker = await TestApp.start(FanoutWorkerModule);
    await worker.listen(workerPort); // its /metrics: the fan-out lag the page shows
    await waitFor(
      async () => {
        const figures = await Promise.all(
          ['waiting', 'prioritized', 'active', 'workers'].map((name) => shown(page, name)),
        );
        return figures[0] === 0 && figures[1] === 0 && figures[2] === 0 && figures[3] > 0;
      },
      { timeoutMs: 90_000, intervalMs: 200, what: 'the page to show the queue drained' },
    );
    await page.locator('.alert.critical').waitFor({ state: 'detached' });
    // Let the drained state reach the charts (one more poll) before the picture.
    const drainedAt = Date.now();
    await waitFor(async () => (await chartPoints(page)).some((point) => point.t > drainedAt), {
      what: 'a point after the drain',
    });
    const status = await page.locator('#status-text').textContent();
    await waitFor(async () => (await page.locator('#status-text').textContent()) !== status, {
      what: 'the next poll',
    });
    await waitFor(
      async () => (await shown(page, 'completedPerSecond')) >= 0 && (await shown(page, 'failed')) === 0,
    );
    await waitFor(async () => /\d/.test((await page.locator('[data-figure="lagP50"]').textContent()) ?? ''), {
      what: "the workers' fan-out lag",
    });

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);

    // Failed jobs: counted on the page, listed with their reason, retried and removed in bull-board.
    for (const jobId of ['bogus.1', 'bogus.2'])
      await queue.add('no-such-job', { from: 'e2e' }, { jobId, attempts: 1 });
    await waitFor(async () => (await shown(page, 'failed')) === 2, {
      what: 'the page to count two failures',
    });
    const board = `${baseUrl}/queues/api/queues`;
    const failed = await (await page.request.get(`${board}?activeQueue=fanout&status=failed`)).json();
    const jobs = failed.queues[0].jobs as Array<{ id: string; failedReason: string }>;
    expect(jobs.find((job) => job.id === 'bogus.2')?.failedReason).toContain('unhandled case');
    const firstFailure = (await queue.getJob('bogus.1'))!.finishedOn!;
    expect((await page.request.put(`${board}/fanout/bogus.1/retry`)).status()).toBe(204);
    expect((await page.request.put(`${board}/fanout/bogus.2/clean`)).status()).toBe(204);
    expect(await queue.getJob('bogus.2')).toBeUndefined();
    // Retried, it runs (and fails) again.
    await waitFor(async () => ((await queue.getJob('bogus.1'))?.finishedOn ?? 0) > firstFailure, {
      what: 'the retried job to run again',
    });

    expect(errors).toEqual([]); // no script errors, no CSP violations
    await page.close();
  }, 180_000);
});
