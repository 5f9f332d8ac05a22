// Fan-out load: many regular users post while others read. For each post, a
// follower of its author (the seed's "watcher") polls their feed until the
// post shows up: `post_visible_ms` is the time from sending the post to that
// sighting (push path: outbox -> queue -> worker -> Redis timeline). A third
// scenario samples the fan-out queue's depth from the admin dashboard
// (GET /api/queues), when it is there and admin credentials are given.
//
//   npm run seed -- --users 120000 --follows-per-user 25 --reset
//   k6 run -e ADMIN_USERNAME=admin -e ADMIN_PASSWORD=... k6/fanout-load.js
//
// Environment (-e): POST_URL, FEED_URL, ADMIN_URL, DATA, DURATION, POST_RATE,
// READ_RATE, POSTERS, VISIBLE_TIMEOUT_MS, POLL_MS, READ_P95_MS,
// VISIBLE_P95_MS, ADMIN_USERNAME, ADMIN_PASSWORD. See docs/seed-and-load.md.

import http from 'k6/http';
import { check } from 'k6';
import { SharedArray } from 'k6/data';
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';
import {
  body,
  adminToken,
  call,
  createPost,
  DATA_PATH,
  envNumber,
  envString,
  feedPage,
  getFeed,
  parseSeedData,
  pick,
  pollUntil,
  QUEUE_STATES,
  queueReadings,
  summaryOutputs,
  urls,
} from './lib/feedline.js';

const DURATION = envString('DURATION', '2m');
const POST_RATE = envNumber('POST_RATE', 10);
const READ_RATE = envNumber('READ_RATE', 50);
const POSTERS = envNumber('POSTERS', 200);
const VISIBLE_TIMEOUT_MS = envNumber('VISIBLE_TIMEOUT_MS', 10000);
const POLL_MS = envNumber('POLL_MS', 100);

/** Posting users that have a follower in the sample (to watch their posts arrive). */
const posters = new SharedArray('fanout-load posters', () => {
  const users = parseSeedData(open(DATA_PATH)).users.filter((user) => user.watcher !== null);
  if (users.length === 0) throw new Error(`${DATA_PATH} lists no user with a follower: seed a bigger graph`);
  return users.slice(0, POSTERS);
});
/** Everyone in the sample reads: posters, watchers, and the rest. */
const readers = new SharedArray('fanout-load readers', () => {
  const data = parseSeedData(open(DATA_PATH));
  return [
    ...data.users.map(({ id, username, token }) => ({ id, username, token })),
    ...data.celebrityFollowers,
  ];
});

const visibleMs = new Trend('post_visible_ms', true);
const visible = new Rate('post_visible');
const queueBacklog = new Trend('queue_backlog');
const queueLagP95 = new Trend('queue_fanout_lag_p95_ms', true);
const queueUnavailable = new Counter('queue_monitor_unavailable');
/** @type {Record<string, Gauge>} */
const queueGauges = {};
for (const state of QUEUE_STATES)
  queueGauges[state] = new Gauge(`queue_${state.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`);

export const options = {
  scenarios: {
    posters: {
      executor: 'constant-arrival-rate',
      exec: 'postAndWatch',
      rate: POST_RATE,
      timeUnit: '1s',
      duration: DURATION,
      // Each iteration waits for its post to arrive: about rate x (seconds to visible) VUs.
      preAllocatedVUs: Math.max(10, POST_RATE * 2),
      maxVUs: Math.max(50, POST_RATE * Math.ceil(VISIBLE_TIMEOUT_MS / 1000) + 10),
    },
    readers: {
      executor: 'constant-arrival-rate',
      exec: 'readFeed',
      rate: READ_RATE,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: Math.max(10, READ_RATE),
      maxVUs: Math.max(50, READ_RATE * 4),
    },
    queue: {
      executor: 'constant-arrival-rate',
      exec: 'watchQueue',
      rate: 1,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: 1,
      maxVUs: 2,
    },
  },
  thresholds: {
    'http_req_failed{scenario:posters}': ['rate<0.01'],
    'http_req_failed{scenario:readers}': ['rate<0.01'],
    'http_req_duration{scenario:readers}': [`p(95)<${envNumber('READ_P95_MS', 500)}`],
    checks: ['rate>0.99'],
    post_visible: ['rate>0.99'],
    post_visible_ms: [`p(95)<${envNumber('VISIBLE_P95_MS', 5000)}`],
  },
};

/**
 * Logs the admin in (for the queue monitor) and reads each watcher's feed
 * once, so their timelines are rebuilt in Redis before the measurement:
 * post_visible_ms then times the push path, not a first-read rebuild.
 */
export function setup() {
  const token = adminToken();
  let watchQueue = false;
  if (token) {
    const probe = call('GET', `${urls.admin}/api/queues`, undefined, {
      token,
      name: 'GET /api/queues',
      expect: [200, 401, 403, 404],
    });
    watchQueue = probe.status === 200;
    if (!watchQueue)
      console.warn(`GET ${urls.admin}/api/queues answered ${probe.status}: the queue is not watched`);
  }
  // A SharedArray offers length, indexing and for-of (not map).
  /** @type {import('./lib/feedline.js').Account[]} */
  const watchers = [];
  for (const user of posters) if (user.watcher) watchers.push(user.watcher);
  for (let i = 0; i < watchers.length; i += 20) {
    http.batch(
      watchers.slice(i, i + 20).map((watcher) => ({
        method: 'GET',
        url: `${urls.feed}/feed?limit=20`,
        params: {
          headers: { Authorization: `Bearer ${watcher.token}` },
          tags: { name: 'GET /feed (warm-up)' },
        },
      })),
    );
  }
  return { adminToken: watchQueue ? token : null };
}

export function postAndWatch() {
  const author = pick(posters);
  const watcher = /** @type {import('./lib/feedline.js').Account} */ (author.watcher);
  const started = Date.now();
  const res = createPost(
    author.token,
    `Fan-out load from ${author.username} at ${new Date(started).toISOString()}`,
  );
  const created = res.status === 201 ? body(res) : null;
  if (!check(res, { 'post: 201': () => created !== null && typeof created.id === 'string' })) return;

  const seenAt = pollUntil(
    () => {
      const page = feedPage(getFeed(watcher.token, { limit: 20, name: 'GET /feed (watch)' }));
      return page && page.items.some((item) => item.id === created.id) ? Date.now() : null;
    },
    VISIBLE_TIMEOUT_MS,
    POLL_MS,
  );
  visible.add(seenAt !== null);
  check(seenAt, { [`post visible to a follower within ${VISIBLE_TIMEOUT_MS} ms`]: (t) => t !== null });
  if (seenAt !== null) visibleMs.add(seenAt - started);
}

export function readFeed() {
  const reader = pick(readers);
  const res = getFeed(reader.token, { limit: 20 });
  const page = feedPage(res);
  check(res, { 'feed read: 200 with a page': () => page !== null });
  // Now and then a reader scrolls: the next page through the cursor.
  if (page && page.nextCursor && Math.random() < 0.2) {
    const next = getFeed(reader.token, { limit: 20, cursor: page.nextCursor, name: 'GET /feed (next page)' });
    check(next, { 'feed next page: 200 with a page': (r) => feedPage(r) !== null });
  }
}

/** @param {{ adminToken: string | null }} data */
export function watchQueue(data) {
  if (!data.adminToken) return;
  const res = call('GET', `${urls.admin}/api/queues`, undefined, {
    token: data.adminToken,
    name: 'GET /api/queues',
    expect: [200, 401, 403, 404, 500, 502, 503],
  });
  const snapshot = res.status === 200 ? body(res) : null;
  const readings = queueReadings(snapshot);
  if (readings.length === 0) {
    queueUnavailable.add(1);
    return;
  }
  for (const { name, counts } of readings) {
    const tags = { queue: name };
    for (const state of QUEUE_STATES)
      if (counts[state] !== undefined) queueGauges[state].add(counts[state], tags);
    const backlog =
      (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0);
    queueBacklog.add(backlog, tags);
  }
  const lag = snapshot.fanoutLag && snapshot.fanoutLag.p95Ms;
  if (typeof lag === 'number') queueLagP95.add(lag);
}

/** @param {import('./lib/feedline.js').SummaryData} data */
export function handleSummary(data) {
  return summaryOutputs('fanout-load', data);
}
