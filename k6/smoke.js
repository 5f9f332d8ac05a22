// Smoke: one pass over every route of the public contract (/work/shared/API.md)
// against a running stack, in about a minute at most, by one VU. It needs no
// seed data: it signs two fresh accounts up (alice follows bob).
//
//   k6 run k6/smoke.js
//
// Environment (-e): POST_URL, FEED_URL, ADMIN_URL, WORKER_URL, DURATION (the
// time limit, default 1m), VISIBLE_TIMEOUT_MS. Signing up is rate-limited per
// IP (10 a minute by default): run it at most twice a minute.

import { check, group } from 'k6';
import {
  body,
  call,
  envNumber,
  envString,
  expectStatus,
  feedPage,
  getFeed,
  isErrorBody,
  login,
  pollUntil,
  summaryOutputs,
  urls,
} from './lib/feedline.js';

const VISIBLE_TIMEOUT_MS = envNumber('VISIBLE_TIMEOUT_MS', 10000);
const PASSWORD = 'smoke test password';

export const options = {
  scenarios: {
    smoke: { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDuration: envString('DURATION', '1m') },
  },
  thresholds: {
    // Every check passes; the deliberate 4xx are declared expected, so no request fails.
    checks: ['rate==1'],
    http_req_failed: ['rate==0'],
  },
};

/**
 * @typedef {{ id: string, username: string, token: string }} Session
 * @typedef {import('./lib/feedline.js').FeedItem} FeedItem
 */

/**
 * @param {string} username
 * @returns {Session}
 */
function signup(username) {
  const res = call(
    'POST',
    `${urls.post}/auth/signup`,
    { username, password: PASSWORD, displayName: `Smoke ${username}` },
    {
      name: 'POST /auth/signup',
    },
  );
  const b = body(res);
  check(res, {
    'signup: 201 { user, accessToken }': (r) =>
      r.status === 201 && typeof b.accessToken === 'string' && typeof b.user.id === 'string',
  });
  if (res.status !== 201) throw new Error(`signup ${username} failed: ${res.status} ${res.body}`);
  return { id: b.user.id, username, token: b.accessToken };
}

/**
 * @param {Session} author
 * @param {string} content
 * @returns {string} the post's id
 */
function post(author, content) {
  const res = call('POST', `${urls.post}/posts`, { content }, { token: author.token, name: 'POST /posts' });
  const b = body(res);
  check(res, {
    'create post: 201 { id, authorId, content, createdAt }': (r) =>
      r.status === 201 &&
      typeof b.id === 'string' &&
      b.authorId === author.id &&
      b.content === content &&
      typeof b.createdAt === 'string',
  });
  if (res.status !== 201) throw new Error(`post failed: ${res.status} ${res.body}`);
  return b.id;
}

/**
 * Every item of a paged listing, following nextCursor with pages of `limit`.
 * Checks each page's shape and that ids are strictly decreasing across pages.
 * @param {(cursor: string | null) => import('k6/http').Response} fetchPage
 * @param {string} what
 * @returns {FeedItem[]}
 */
function readAllPages(fetchPage, what) {
  /** @type {FeedItem[]} */
  const items = [];
  let cursor = /** @type {string | null} */ (null);
  for (let pages = 0; pages < 20; pages += 1) {
    const page = feedPage(fetchPage(cursor));
    if (!check(page, { [`${what}: 200 { items, nextCursor }`]: (p) => p !== null })) return items;
    items.push(.../** @type {import('./lib/feedline.js').FeedPage} */ (page).items);
    cursor = /** @type {import('./lib/feedline.js').FeedPage} */ (page).nextCursor;
    if (cursor === null) break;
  }
  const ids = items.map((item) => Number(item.id));
  check(ids, {
    [`${what}: pages are newest first, no repeats`]: (list) =>
      list.every((id, i) => i === 0 || id < list[i - 1]),
  });
  return items;
}

/**
 * Polls alice's feed until `wanted` says yes (fan-out is asynchronous).
 * @param {Session} reader
 * @param {(items: FeedItem[]) => boolean} wanted
 * @returns {boolean}
 */
function feedBecomes(reader, wanted) {
  const ok = pollUntil(
    () => {
      const page = feedPage(getFeed(reader.token, { limit: 50 }));
      return page && wanted(page.items) ? true : null;
    },
    VISIBLE_TIMEOUT_MS,
    200,
  );
  return ok === true;
}

export default function () {
  group('health and metrics on every app', () => {
    for (const [app, base] of Object.entries(urls)) {
      expectStatus(
        call('GET', `${base}/health`, undefined, { name: `GET /health (${app})` }),
        200,
        `${app} /health`,
      );
      const metrics = call('GET', `${base}/metrics`, undefined, { name: `GET /metrics (${app})` });
      check(metrics, {
        [`${app} /metrics: 200 Prometheus text`]: (r) =>
          r.status === 200 && typeof r.body === 'string' && r.body.includes('# TYPE'),
      });
    }
  });

  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  /** @type {Session} */
  let alice = { id: '', username: '', token: '' };
  /** @type {Session} */
  let bob = { id: '', username: '', token: '' };

  group('accounts', () => {
    alice = signup(`smoke_a_${suffix}`);
    bob = signup(`smoke_b_${suffix}`);
    const duplicate = call(
      'POST',
      `${urls.post}/auth/signup`,
      { username: bob.username.toUpperCase(), password: PASSWORD },
      {
        name: 'POST /auth/signup',
        expect: [409],
      },
    );
    check(duplicate, {
      'signup with a taken username (any case): 409': (r) => r.status === 409 && isErrorBody(r),
    });
    const invalid = call(
      'POST',
      `${urls.post}/auth/signup`,
      { username: 'x', password: 'short', admin: true },
      {
        name: 'POST /auth/signup',
        expect: [400],
      },
    );
    check(invalid, {
      'signup with bad fields: 400 { statusCode, error, message }': (r) => r.status === 400 && isErrorBody(r),
    });

    const loggedIn = login(alice.username, PASSWORD);
    const b = body(loggedIn);
    check(loggedIn, {
      'login: 200 { accessToken, user }': (r) =>
        r.status === 200 && typeof b.accessToken === 'string' && b.user.id === alice.id,
    });
    const wrong = call(
      'POST',
      `${urls.post}/auth/login`,
      { username: alice.username, password: 'wrong password' },
      {
        name: 'POST /auth/login',
        expect: [401],
      },
    );
    check(wrong, { 'login with a wrong password: 401': (r) => r.status === 401 && isErrorBody(r) });

    const user = call('GET', `${urls.post}/users/${bob.id}`, undefined, { name: 'GET /users/:id' });
    const u = body(user);
    check(user, {
      'get user: 200 with the profile': (r) =>
        r.status === 200 &&
        u.id === bob.id &&
        u.username === bob.username &&
        u.followerCount === 0 &&
        u.followingCount === 0 &&
        u.isCelebrity === false &&
        typeof u.createdAt === 'string',
    });
    const missing = call('GET', `${urls.post}/users/999999999999`, undefined, {
      name: 'GET /users/:id',
      expect: [404],
    });
    expectStatus(missing, 404, 'get an unknown user');
    const badId = call('GET', `${urls.post}/users/abc`, undefined, { name: 'GET /users/:id', expect: [400] });
    expectStatus(badId, 400, 'get a user by a malformed id');
  });

  /** @type {string[]} */
  const postIds = [];
  group('follow, post, fan-out', () => {
    const follow = () =>
      call('PUT', `${urls.post}/users/${bob.id}/follow`, undefined, {
        token: alice.token,
        name: 'PUT /users/:id/follow',
      });
    expectStatus(follow(), 204, 'follow');
    expectStatus(follow(), 204, 'follow again (idempotent)');
    const anonymous = call('PUT', `${urls.post}/users/${bob.id}/follow`, undefined, {
      name: 'PUT /users/:id/follow',
      expect: [401],
    });
    expectStatus(anonymous, 401, 'follow without a token');
    const self = call('PUT', `${urls.post}/users/${alice.id}/follow`, undefined, {
      token: alice.token,
      name: 'PUT /users/:id/follow',
      expect: [400],
    });
    expectStatus(self, 400, 'follow yourself');
    const nobody = call('PUT', `${urls.post}/users/999999999999/follow`, undefined, {
      token: alice.token,
      name: 'PUT /users/:id/follow',
      expect: [404],
    });
    expectStatus(nobody, 404, 'follow an unknown user');
    const counts = body(call('GET', `${urls.post}/users/${bob.id}`, undefined, { name: 'GET /users/:id' }));
    check(counts, { 'follower count moved to 1': (c) => c !== null && c.followerCount === 1 });

    for (let i = 1; i <= 4; i += 1) postIds.push(post(bob, `smoke post ${i} by ${bob.username}`));
    const got = call('GET', `${urls.post}/posts/${postIds[0]}`, undefined, { name: 'GET /posts/:id' });
    check(got, { 'get post: 200': (r) => r.status === 200 && body(r).id === postIds[0] });

    const tooLong = call(
      'POST',
      `${urls.post}/posts`,
      { content: 'x'.repeat(501) },
      { token: bob.token, name: 'POST /posts', expect: [400] },
    );
    check(tooLong, { 'post of 501 characters: 400': (r) => r.status === 400 && isErrorBody(r) });
    const empty = call(
      'POST',
      `${urls.post}/posts`,
      { content: '' },
      { token: bob.token, name: 'POST /posts', expect: [400] },
    );
    expectStatus(empty, 400, 'empty post');
    const extra = call(
      'POST',
      `${urls.post}/posts`,
      { content: 'hi', authorId: alice.id },
      { token: bob.token, name: 'POST /posts', expect: [400] },
    );
    expectStatus(extra, 400, 'post with an unknown field');
    const text = call('POST', `${urls.post}/posts`, 'content=hi', {
      token: bob.token,
      name: 'POST /posts',
      contentType: 'text/plain',
      expect: [415],
    });
    expectStatus(text, 415, 'post as text/plain');
    const noToken = call(
      'POST',
      `${urls.post}/posts`,
      { content: 'hi' },
      { name: 'POST /posts', expect: [401] },
    );
    expectStatus(noToken, 401, 'post without a token');
    const tampered = call(
      'POST',
      `${urls.post}/posts`,
      { content: 'hi' },
      { token: `${bob.token.slice(0, -4)}AAAA`, name: 'POST /posts', expect: [401] },
    );
    expectStatus(tampered, 401, 'post with a tampered token');

    const arrived = feedBecomes(alice, (items) =>
      postIds.every((id) => items.some((item) => item.id === id)),
    );
    check(arrived, { [`bob's posts reach alice's feed within ${VISIBLE_TIMEOUT_MS} ms`]: (ok) => ok });
  });

  group('feed and user posts, page by page', () => {
    const feed = readAllPages((cursor) => getFeed(alice.token, { limit: 2, cursor }), 'feed (limit 2)');
    check(feed, {
      'feed pages hold every post once, with its author': (items) =>
        postIds.every((id) => items.filter((item) => item.id === id).length === 1) &&
        items.every((item) => item.author.id !== bob.id || item.author.username === bob.username),
    });
    const own = readAllPages(
      (cursor) =>
        call(
          'GET',
          `${urls.feed}/users/${bob.id}/posts?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          undefined,
          {
            name: 'GET /users/:id/posts',
          },
        ),
      'user posts (limit 2)',
    );
    check(own, {
      "user posts list bob's 4 posts": (items) =>
        items.length === 4 && items.every((item) => item.author.id === bob.id),
    });

    for (const [query, what] of [
      ['limit=0', 'limit 0'],
      ['limit=101', 'limit 101'],
      ['cursor=abc', 'a malformed cursor'],
    ]) {
      const res = call('GET', `${urls.feed}/feed?${query}`, undefined, {
        token: alice.token,
        name: 'GET /feed',
        expect: [400],
      });
      check(res, { [`feed with ${what}: 400`]: (r) => r.status === 400 && isErrorBody(r) });
    }
    const anonymous = call('GET', `${urls.feed}/feed`, undefined, { name: 'GET /feed', expect: [401] });
    expectStatus(anonymous, 401, 'feed without a token');
    const unknown = call('GET', `${urls.feed}/users/999999999999/posts`, undefined, {
      name: 'GET /users/:id/posts',
      expect: [404],
    });
    expectStatus(unknown, 404, 'posts of an unknown user');
  });

  group('delete and unfollow', () => {
    const [deleted] = postIds;
    const notAuthor = call('DELETE', `${urls.post}/posts/${deleted}`, undefined, {
      token: alice.token,
      name: 'DELETE /posts/:id',
      expect: [403],
    });
    expectStatus(notAuthor, 403, "delete someone else's post");
    expectStatus(
      call('DELETE', `${urls.post}/posts/${deleted}`, undefined, {
        token: bob.token,
        name: 'DELETE /posts/:id',
      }),
      204,
      'delete post',
    );
    expectStatus(
      call('GET', `${urls.post}/posts/${deleted}`, undefined, { name: 'GET /posts/:id', expect: [404] }),
      404,
      'get a deleted post',
    );
    const again = call('DELETE', `${urls.post}/posts/${deleted}`, undefined, {
      token: bob.token,
      name: 'DELETE /posts/:id',
      expect: [404],
    });
    expectStatus(again, 404, 'delete it again');
    // Invariant 3: once DELETE has returned, the post is never served again.
    const page = feedPage(getFeed(alice.token, { limit: 50 }));
    check(page, {
      'a deleted post is gone from the feed at once': (p) =>
        p !== null && !p.items.some((item) => item.id === deleted),
    });

    const unfollow = () =>
      call('DELETE', `${urls.post}/users/${bob.id}/follow`, undefined, {
        token: alice.token,
        name: 'DELETE /users/:id/follow',
      });
    expectStatus(unfollow(), 204, 'unfollow');
    expectStatus(unfollow(), 204, 'unfollow again (idempotent)');
    const gone = feedBecomes(alice, (items) => !items.some((item) => item.author.id === bob.id));
    check(gone, { "after the unfollow, bob's posts leave alice's feed": (ok) => ok });
  });

  group('admin dashboard refuses anonymous callers', () => {
    const res = call('GET', `${urls.admin}/api/queues`, undefined, {
      name: 'GET /api/queues',
      expect: [401],
    });
    expectStatus(res, 401, 'queues without a token');
  });
}

/** @param {import('./lib/feedline.js').SummaryData} data */
export function handleSummary(data) {
  return summaryOutputs('smoke', data);
}
