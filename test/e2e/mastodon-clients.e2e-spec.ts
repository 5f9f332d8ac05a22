import { createOAuthAPIClient, createRestAPIClient, mastodon } from 'masto';
import generator, { detector } from 'megalodon';
import { follow, PASSWORD, post, Session, signup, useTestEnvironment } from '@app/testing';
import type { TestApp } from '@app/testing';
import { authorizeOverHttp, reservePublicUrl, startMastodonApi } from '../support/mastodon';
import { Stack } from '../support/stack';

const REDIRECT = 'http://127.0.0.1:1/callback';
const env: Record<string, string> = {};
beforeAll(() => reservePublicUrl(env));
useTestEnvironment(Object.assign(env, { CELEBRITY_THRESHOLD: '3', CELEBRITY_DEMOTE_BELOW: '2' }));

/**
 * Real Mastodon client libraries (masto.js 7, megalodon 10) against the
 * Mastodon API of a running stack: app registration, the login page, tokens,
 * accounts, follows of a regular and a celebrity author, posting, the home
 * timeline paged both ways and compared with the native /feed, delete, unfollow.
 */
describe('Mastodon client libraries against Feedline', () => {
  let stack: Stack;
  let api: TestApp;
  let url: string;
  let regular: Session;
  let star: Session;

  beforeAll(async () => {
    stack = await Stack.start();
    ({ api, url } = await startMastodonApi(env));
    regular = await signup(stack.postService, 'regular');
    star = await signup(stack.postService, 'star');
    for (let i = 0; i < 3; i += 1)
      await follow(stack.postService, await signup(stack.postService, 'fan'), star);
    await stack.settle();
  });
  afterAll(async () => {
    await api.close();
    await stack.close();
  });

  /** Registers an app with masto and signs `user` in through the login page; returns a REST client. */
  const mastoLogin = async (user: Session, scopes = 'read write follow') => {
    const anonymous = createRestAPIClient({ url });
    const app = await anonymous.v1.apps.create({
      clientName: 'masto.js test',
      redirectUris: REDIRECT,
      scopes,
    });
    const authorizeUrl = `${url}/oauth/authorize?${new URLSearchParams({
      client_id: app.clientId!,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: scopes,
    }).toString()}`;
    const code = await authorizeOverHttp(authorizeUrl, user.username, PASSWORD);
    const token = await createOAuthAPIClient({ url }).token.create({
      grantType: 'authorization_code',
      clientId: app.clientId!,
      clientSecret: app.clientSecret!,
      redirectUri: REDIRECT,
      code,
    });
    return { app, token, rest: createRestAPIClient({ url, accessToken: token.accessToken }) };
  };

  const collect = async (paginator: AsyncIterable<mastodon.v1.Status[]>) => {
    const ids: string[] = [];
    for await (const page of paginator) ids.push(...page.map((status) => status.id));
    return ids;
  };

  it('masto.js: log in, follow a regular user and a celebrity, post, page the home timeline like /feed, delete, unfollow', async () => {
    const reader = await signup(stack.postService, 'masto');
    const { rest } = await mastoLogin(reader);

    const me = await rest.v1.accounts.verifyCredentials();
    expect(me).toMatchObject({ id: reader.id, username: reader.username, acct: reader.username });
    expect(me.source).toMatchObject({ privacy: 'public' });

    const regularAccount = await rest.v1.accounts.lookup({ acct: regular.username });
    const starAccount = await rest.v1.accounts.lookup({ acct: star.username });
    expect((await rest.v1.accounts.$select(regularAccount.id).follow()).following).toBe(true);
    expect((await rest.v1.accounts.$select(starAccount.id).follow()).following).toBe(true);
    const [relRegular, relStar] = await rest.v1.accounts.relationships.fetch({ id: [regular.id, star.id] });
    expect([relRegular.following, relStar.following]).toEqual([true, true]);
    await stack.settle();
    expect((await stack.postService.request('GET', `/users/${star.id}`)).body.isCelebrity).toBe(true);

    const posted: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      posted.push(await post(stack.postService, regular, `regular ${i}`));
      posted.push(await post(stack.postService, star, `celebrity ${i} <b>&</b>`));
    }
    const own = await rest.v1.statuses.create({ status: 'hello from masto.js' });
    expect(own).toMatchObject({
      content: '<p>hello from masto.js</p>',
      visibility: 'public',
      account: { id: reader.id },
    });
    posted.push(own.id);
    await stack.settle();

    // Older pages through the Link header, two at a time: the same ids as the native feed.
    const native = await stack.walk(reader.token, 2);
    expect(native).toHaveLength(7);
    expect(await collect(rest.v1.timelines.home.list({ limit: 2 }))).toEqual(native);
    const [first] = await rest.v1.timelines.home.list({ limit: 40 });
    expect(first.id).toBe(native[0]);
    const starStatus = (await rest.v1.timelines.home.list({ limit: 40 })).find(
      (s) => s.account.id === star.id,
    )!;
    expect(starStatus.content).toMatch(/^<p>celebrity \d &lt;b&gt;&amp;&lt;\/b&gt;<\/p>$/);

    // Newer pages: from the oldest post up, with min_id.
    const oldest = native[native.length - 1];
    const newer = await rest.v1.timelines.home.list({ minId: oldest, limit: 3 });
    expect(newer.map((s) => s.id)).toEqual(native.slice(-4, -1));
    const sinceNewest = await rest.v1.timelines.home.list({ sinceId: native[1] });
    expect(sinceNewest.map((s) => s.id)).toEqual([native[0]]);

    const deleted = await rest.v1.statuses.$select(own.id).remove();
    expect(deleted).toMatchObject({ id: own.id, text: 'hello from masto.js' });
    await expect(rest.v1.statuses.$select(own.id).fetch()).rejects.toMatchObject({ statusCode: 404 });

    expect((await rest.v1.accounts.$select(regular.id).unfollow()).following).toBe(false);
    const after = await rest.v1.timelines.home.list({ limit: 40 });
    expect(after.map((s) => s.id)).toEqual(
      native.filter(
        (id) =>
          id !== own.id &&
          !posted
            .slice(0, 6)
            .filter((_, i) => i % 2 === 0)
            .includes(id),
      ),
    );
    expect(after.every((s) => s.account.id === star.id)).toBe(true);

    const followers = await rest.v1.accounts.$select(star.id).followers.list({ limit: 2 });
    expect(followers).toHaveLength(2);
  });

  it('megalodon: detects Mastodon, registers, logs in, follows, posts, reads the timeline, deletes, unfollows', async () => {
    await expect(detector(url)).resolves.toBe('mastodon');
    const reader = await signup(stack.postService, 'megalodon');
    const anonymous = generator('mastodon', url);
    const app = await anonymous.registerApp('megalodon test', {
      scopes: ['read', 'write', 'follow'],
      redirect_uris: REDIRECT,
    });
    const code = await authorizeOverHttp(app.url!, reader.username, PASSWORD);
    const token = await anonymous.fetchAccessToken(app.client_id, app.client_secret, code, REDIRECT);
    const client = generator('mastodon', url, token.access_token);

    expect((await client.verifyAccountCredentials()).data.username).toBe(reader.username);
    expect((await client.followAccount(regular.id)).data.following).toBe(true);
    expect((await client.followAccount(star.id)).data.following).toBe(true);
    const regularPost = await post(stack.postService, regular, 'for megalodon (regular)');
    const starPost = await post(stack.postService, star, 'for megalodon (celebrity)');
    const own = await client.postStatus('hello from megalodon');
    const ownId = (own.data as { id: string }).id;
    await stack.settle();

    const home = (await client.getHomeTimeline({ limit: 40 })).data.map((s) => s.id);
    expect(home.slice(0, 3)).toEqual([ownId, starPost, regularPost]);
    expect(home).toEqual(await stack.walk(reader.token, 100));
    const older = (await client.getHomeTimeline({ limit: 2, max_id: home[1] })).data.map((s) => s.id);
    expect(older).toEqual(home.slice(2, 4));

    await client.deleteStatus(ownId);
    expect((await client.unfollowAccount(star.id)).data.following).toBe(false);
    const after = (await client.getHomeTimeline({ limit: 40 })).data.map((s) => s.id);
    expect(after).not.toContain(ownId);
    expect(after).not.toContain(starPost);
    expect(after).toContain(regularPost);
  });

  it('enforces scopes and tokens: a read-only token cannot post, a revoked token gets 401, one app’s code is refused to another', async () => {
    const reader = await signup(stack.postService, 'scopes');
    const { rest, app, token } = await mastoLogin(reader, 'read');
    expect((await rest.v1.accounts.verifyCredentials()).id).toBe(reader.id);
    await expect(rest.v1.statuses.create({ status: 'not allowed' })).rejects.toMatchObject({
      statusCode: 403,
    });
    await expect(rest.v1.accounts.$select(regular.id).follow()).rejects.toMatchObject({ statusCode: 403 });

    await createOAuthAPIClient({ url }).revoke({
      clientId: app.clientId!,
      clientSecret: app.clientSecret!,
      token: token.accessToken,
    });
    await expect(rest.v1.accounts.verifyCredentials()).rejects.toMatchObject({ statusCode: 401 });

    // A code issued to one app, presented by another app with its own valid credentials.
    const anonymous = createRestAPIClient({ url });
    const other = await anonymous.v1.apps.create({
      clientName: 'thief',
      redirectUris: REDIRECT,
      scopes: 'read',
    });
    const victim = await anonymous.v1.apps.create({
      clientName: 'victim',
      redirectUris: REDIRECT,
      scopes: 'read',
    });
    const code = await authorizeOverHttp(
      `${url}/oauth/authorize?client_id=${victim.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code&scope=read`,
      reader.username,
      PASSWORD,
    );
    await expect(
      createOAuthAPIClient({ url }).token.create({
        grantType: 'authorization_code',
        clientId: other.clientId!,
        clientSecret: other.clientSecret!,
        redirectUri: REDIRECT,
        code,
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });
});
