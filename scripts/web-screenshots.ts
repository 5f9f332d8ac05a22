/**
 * `npm run screenshots:web`: the web app's main screens, for the README
 * (docs/images/web-*.png). Starts its own scratch deployment, fills it with
 * a small demo through the API, and photographs the built app in Chromium.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '@app/testing';
import { createDemo, DEMO_PASSWORD } from '../bench/lib/web-demo';
import { startWebStack } from '../bench/lib/web-stack';

const OUT = path.resolve(__dirname, '../docs/images');
const PHONE = { width: 390, height: 844 };

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  await page.screenshot({ path: path.join(OUT, `web-${name}.png`) });
  console.log(`  docs/images/web-${name}.png`);
}

async function main(): Promise<void> {
  const stack = await startWebStack('shots', { CELEBRITY_THRESHOLD: '3', CELEBRITY_DEMOTE_BELOW: '2' });
  const browser = await launchChromium({ viewport: PHONE, deviceScaleFactor: 2, colorScheme: 'light' });
  try {
    const demo = await createDemo(stack.postUrl, stack.feedUrl, 3);
    const page = await browser.context.newPage();
    await page.goto(`${stack.webUrl}/login`);
    await page.getByLabel('Username').fill(demo.reader.username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await shot(page, 'login');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('.posts .post').first().waitFor();
    await page.waitForFunction('navigator.serviceWorker.controller !== null');
    await shot(page, 'feed');

    await page.getByLabel('What’s happening?').fill(`${'Too much to say. '.repeat(30)}`);
    await page.locator('#compose-error').waitFor();
    await shot(page, 'compose-too-long');
    await page.getByLabel('What’s happening?').fill('');

    await page.goto(`${stack.webUrl}/@${demo.star.username}`);
    await page.locator('#celebrity-badge').waitFor();
    await page.locator('.posts .post').first().waitFor();
    // Following, with the bell rung (the hint says this browser has not opted in yet).
    if ((await page.locator('#follow-button').getAttribute('aria-pressed')) !== 'true') {
      await page.locator('#follow-button').click();
    }
    const bell = page.locator('#bell-button');
    await bell.waitFor();
    if ((await bell.getAttribute('aria-pressed')) !== 'true') await bell.click();
    await page.locator('#bell-hint').waitFor();
    await shot(page, 'profile-celebrity');

    await page.goto(`${stack.webUrl}/@${demo.reader.username}`);
    await page.locator('#notifications-button').waitFor();
    await shot(page, 'profile-notifications');

    await page.goto(`${stack.webUrl}/`);
    await page.locator('.posts .post').first().waitFor();
    await browser.context.setOffline(true);
    await page.reload();
    await page.locator('#offline-banner').waitFor();
    await page.locator('.posts .post').first().waitFor();
    await page.getByLabel('What’s happening?').fill('Written on the train, sent when the signal returns.');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.locator('.queued-post').waitFor();
    await shot(page, 'offline');
    await browser.context.setOffline(false);
    await page.locator('.queued-post').waitFor({ state: 'detached' });

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await page.locator('.posts .post').first().waitFor();
    await shot(page, 'feed-dark');
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
