import { RedisServer, TestApp } from '@app/testing';
import { MastodonApiModule } from '../../apps/mastodon-api/src/mastodon-api.module';
import { MASTODON_HTTP_OPTIONS } from '../../apps/mastodon-api/src/mastodon-http';

/**
 * The Mastodon API listening on a real port whose address is also its public
 * URL (links, NodeInfo). Call `reservePublicUrl` in a beforeAll registered
 * before useTestEnvironment, with the same env object.
 */
export async function reservePublicUrl(env: Record<string, string>): Promise<void> {
  env.MASTODON_PORT = String(await RedisServer.freePort());
  env.MASTODON_PUBLIC_URL = `http://127.0.0.1:${env.MASTODON_PORT}`;
}

export async function startMastodonApi(env: Record<string, string>): Promise<{ api: TestApp; url: string }> {
  const api = await TestApp.start(MastodonApiModule, MASTODON_HTTP_OPTIONS);
  await api.app.listen(Number(env.MASTODON_PORT), '127.0.0.1');
  return { api, url: env.MASTODON_PUBLIC_URL };
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&quot;': '"',
  '&#39;': "'",
  '&lt;': '<',
  '&gt;': '>',
};

/**
 * Drives the login and consent page as a browser would: opens the authorize
 * URL an app built, submits the form with its hidden fields and cookie, and
 * returns the code from the redirect (or from the page, for the oob URI).
 */
export async function authorizeOverHttp(
  authorizeUrl: string,
  username: string,
  password: string,
): Promise<string> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`GET authorize: ${page.status} ${html}`);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(
      name,
      value.replace(/&(amp|quot|#39|lt|gt);/g, (entity) => ENTITIES[entity]),
    );
  }
  form.set('username', username);
  form.set('password', password);
  form.set('decision', 'allow');
  const answer = await fetch(new URL('/oauth/authorize', authorizeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: form,
    redirect: 'manual',
  });
  if (answer.status === 302) {
    const code = new URL(answer.headers.get('location')!).searchParams.get('code');
    if (!code) throw new Error(`no code in ${answer.headers.get('location')}`);
    return code;
  }
  const shown = /<code id="code">([^<]+)<\/code>/.exec(await answer.text());
  if (answer.status !== 200 || !shown) throw new Error(`POST authorize: ${answer.status}`);
  return shown[1];
}
