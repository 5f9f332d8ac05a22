import { follow, signup, TestApp, useTestEnvironment } from '@app/testing';
import { PostServiceModule } from '../../../post-service/src/post-service.module';
import { MastodonApiModule } from '../mastodon-api.module';
import { MASTODON_HTTP_OPTIONS } from '../mastodon-http';

useTestEnvironment({ RATE_LIMIT_POSTS_PER_MINUTE: '12' });

const form = (fields: string) => ({
  body: fields,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

/** Statuses, accounts and the start-up routes, called with the native JWT (which the Mastodon API accepts too). */
describe('mastodon-api statuses and accounts', () => {
  let api: TestApp;
  let posts: TestApp;
  beforeAll(async () => {
    posts = await TestApp.start(PostServiceModule);
    api = await TestApp.start(MastodonApiModule, MASTODON_HTTP_OPTIONS);
  });
  afterAll(async () => {
    await api.close();
    await posts.close();
  });

  it('posts from JSON and form bodies, escapes content, and answers Mastodon’s error shape without a token', async () => {
    const user = await signup(posts);
    const json = await api.request('POST', '/api/v1/statuses', {
      token: user.token,
      body: {
        status: 'a <i>b</i> & c',
        visibility: 'public',
        sensitive: false,
        spoiler_text: '',
        media_ids: [],
        language: 'en',
      },
    });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      content: '<p>a &lt;i&gt;b&lt;/i&gt; &amp; c</p>',
      account: { id: user.id, statuses_count: 1 },
    });
    const viaForm = await api.request('POST', '/api/v1/statuses', {
      token: user.token,
      ...form('status=from+a+form&visibility=public'),
    });
    expect(viaForm.status).toBe(200);
    expect(viaForm.body.content).toBe('<p>from a form</p>');
    const anonymous = await api.request('POST', '/api/v1/statuses', { body: { status: 'x' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ error: 'The access token is invalid' });
  });

  it('refuses what Feedline does not support, and invalid text, with a 422 that says why', async () => {
    const user = await signup(posts);
    const cases: Array<[object, RegExp]> = [
      [{ status: 'x', media_ids: ['1'] }, /media attachments are not supported/],
      [{ status: 'x', poll: { options: ['a', 'b'], expires_in: 60 } }, /polls are not supported/],
      [{ status: 'x', visibility: 'private' }, /only public visibility/],
      [{ status: 'x', in_reply_to_id: '5' }, /replies are not supported/],
      [{ status: 'x', spoiler_text: 'cw' }, /content warnings/],
      [{ status: 'x', mystery: 1 }, /mystery should not exist/],
      [{ status: 'x'.repeat(501) }, /at most 500 characters/],
      [{ status: '   ' }, /must not be empty/],
      [{}, /status/],
    ];
    for (const [body, message] of cases) {
      const response = await api.request('POST', '/api/v1/statuses', { token: user.token, body });
      expect([response.status, response.body.error]).toEqual([422, expect.stringMatching(message)]);
    }
    const media = await api.request('POST', '/api/v1/statuses', {
      token: user.token,
      ...form('status=x&media_ids[]=1'),
    });
    expect(media.status).toBe(422);
  });

  it('honours Idempotency-Key: a retry returns the first status, other content is a 422', async () => {
    const user = await signup(posts);
    const send = (status: string, key = 'client-key-1') =>
      api.request('POST', '/api/v1/statuses', {
        token: user.token,
        body: { status },
        headers: { 'idempotency-key': key },
      });
    const first = await send('once');
    const retry = await send('once');
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await send('different')).status).toBe(422);
    expect((await send('x', 'has space')).status).toBe(422);
  });

  it('gets and deletes a status (with its text); someone else’s is not found; rate limits posting per user', async () => {
    const author = await signup(posts);
    const other = await signup(posts);
    const created = await api.request('POST', '/api/v1/statuses', {
      token: author.token,
      body: { status: 'to delete' },
    });
    expect((await api.request('GET', `/api/v1/statuses/${created.body.id}`)).body.id).toBe(created.body.id);
    expect(
      (await api.request('DELETE', `/api/v1/statuses/${created.body.id}`, { token: other.token })).status,
    ).toBe(404);
    const deleted = await api.request('DELETE', `/api/v1/statuses/${created.body.id}`, {
      token: author.token,
    });
    expect(deleted.body).toMatchObject({ id: created.body.id, text: 'to delete' });
    expect((await api.request('GET', `/api/v1/statuses/${created.body.id}`)).status).toBe(404);

    const statuses: number[] = [];
    for (let i = 0; i < 13; i += 1) {
      statuses.push(
        (await api.request('POST', '/api/v1/statuses', { token: other.token, body: { status: `n${i}` } }))
          .status,
      );
    }
    expect(statuses.slice(0, 12).every((status) => status === 200)).toBe(true);
    expect(statuses[12]).toBe(429);
  });

  it('answers accounts: lookup, relationships with id[], followers with Link headers, paged statuses', async () => {
    const star = await signup(posts, 'star');
    const fans = [await signup(posts, 'fan'), await signup(posts, 'fan'), await signup(posts, 'fan')];
    for (const fan of fans) await follow(posts, fan, star);

    const lookup = await api.request('GET', `/api/v1/accounts/lookup?acct=${star.username}`);
    expect(lookup.body).toMatchObject({ id: star.id, followers_count: 3, following_count: 0 });
    expect((await api.request('GET', '/api/v1/accounts/lookup?acct=nobody_here')).status).toBe(404);
    expect(
      (await api.request('GET', `/api/v1/accounts/lookup?acct=${star.username}@elsewhere.example`)).status,
    ).toBe(404);

    const relationships = await api.request(
      'GET',
      `/api/v1/accounts/relationships?id[]=${star.id}&id[]=${fans[1].id}`,
      {
        token: fans[0].token,
      },
    );
    expect(relationships.body.map((r: { id: string; following: boolean }) => [r.id, r.following])).toEqual([
      [star.id, true],
      [fans[1].id, false],
    ]);

    const page1 = await api.request('GET', `/api/v1/accounts/${star.id}/followers?limit=2`);
    expect(page1.body.map((a: { id: string }) => a.id)).toEqual([fans[2].id, fans[1].id]);
    const next = /<([^>]+)>; rel="next"/.exec(String(page1.headers.link))![1];
    const page2 = await api.request('GET', new URL(next).pathname + new URL(next).search);
    expect(page2.body.map((a: { id: string }) => a.id)).toEqual([fans[0].id]);
    const prev = /<([^>]+)>; rel="prev"/.exec(String(page2.headers.link))![1];
    const back = await api.request('GET', new URL(prev).pathname + new URL(prev).search);
    expect(back.body.map((a: { id: string }) => a.id)).toEqual([fans[2].id, fans[1].id]);

    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.unshift(
        (await api.request('POST', '/api/v1/statuses', { token: star.token, body: { status: `s${i}` } })).body
          .id,
      );
    }
    const statuses = await api.request('GET', `/api/v1/accounts/${star.id}/statuses?limit=2`);
    expect(statuses.body.map((s: { id: string }) => s.id)).toEqual(ids.slice(0, 2));
    const older = await api.request('GET', `/api/v1/accounts/${star.id}/statuses?max_id=${ids[1]}`);
    expect(older.body.map((s: { id: string }) => s.id)).toEqual([ids[2]]);
    const newer = await api.request('GET', `/api/v1/accounts/${star.id}/statuses?min_id=${ids[2]}&limit=1`);
    expect(newer.body.map((s: { id: string }) => s.id)).toEqual([ids[1]]);
    expect((await api.request('GET', `/api/v1/accounts/${star.id}/statuses?only_media=true`)).body).toEqual(
      [],
    );
    expect((await api.request('GET', `/api/v1/accounts/${star.id}/statuses?limit=abc`)).status).toBe(422);
    expect((await api.request('GET', '/api/v1/accounts/999999999/statuses')).status).toBe(404);
  });

  it('answers the start-up routes with valid empty results, behind their scopes', async () => {
    const user = await signup(posts);
    for (const path of ['notifications', 'filters', 'lists', 'follow_requests', 'blocks', 'mutes']) {
      const response = await api.request('GET', `/api/v1/${path}`, { token: user.token });
      expect([path, response.status, response.body]).toEqual([path, 200, []]);
    }
    expect((await api.request('GET', '/api/v2/filters', { token: user.token })).body).toEqual([]);
    expect((await api.request('GET', '/api/v1/markers', { token: user.token })).body).toEqual({});
    expect((await api.request('GET', '/api/v1/preferences', { token: user.token })).body).toMatchObject({
      'posting:default:visibility': 'public',
    });
    expect((await api.request('GET', '/api/v1/custom_emojis')).body).toEqual([]);
    expect((await api.request('GET', '/api/v1/notifications')).status).toBe(401);
  });
});
