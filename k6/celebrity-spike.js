// Celebrity spike: followers of the biggest seeded celebrity read their feeds
// at a steady rate; the celebrity posts; the read rate then spikes as
// followers rush in. Every read must succeed, the post must be in every feed
// read after it (hybrid: merged at read time, O(1) writes), and
// `celebrity_post_visible_ms` records how long after the post each VU first
// saw it.
//
//   npm run seed -- --users 120000 --follows-per-user 25 --celebrities 3 --reset
//   k6 run k6/celebrity-spike.js
//
// Environment (-e): POST_URL, FEED_URL, DATA, BASE_RATE, SPIKE_RATE, STEADY,
// RAMP, DURATION (the spike's plateau), COOL, MIN_FOLLOWERS, VISIBLE_WITHIN_MS,
// READ_P95_MS, VISIBLE_P95_MS, MAX_VUS. See docs/seed-and-load.md.

import { check, fail } from 'k6';
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import { Rate, Trend } from 'k6/metrics';
import {
  createPost,
  DATA_PATH,
  durationMs,
  envNumber,
  envString,
  feedPage,
  getFeed,
  parseSeedData,
  pick,
  summaryOutputs,
} from './lib/feedline.js';

const BASE_RATE = envNumber('BASE_RATE', 50);
const SPIKE_RATE = envNumber('SPIKE_RATE', 500);
const STEADY = envString('STEADY', '1m');
const RAMP = envString('RAMP', '10s');
const PLATEAU = envString('DURATION', '1m');
const COOL = envString('COOL', '10s');
const MIN_FOLLOWERS = envNumber('MIN_FOLLOWERS', 100000);
/** After this long, a read that does not show the post is a failure. */
const VISIBLE_WITHIN_MS = envNumber('VISIBLE_WITHIN_MS', 2000);
const POST_AT_MS = durationMs(STEADY);
const MAX_VUS = envNumber('MAX_VUS', Math.max(100, SPIKE_RATE));

// The data file is read once (SharedArray) and shared by every VU.
const seed = new SharedArray('celebrity-spike seed', () => {
  const data = parseSeedData(open(DATA_PATH));
  const celebrity = data.celebrities[0];
  if (!celebrity) throw new Error(`${DATA_PATH} has no celebrity: seed with --celebrities 1 or more`);
  if (celebrity.followerCount < MIN_FOLLOWERS) {
    throw new Error(
      `${celebrity.username} has ${celebrity.followerCount} followers, fewer than MIN_FOLLOWERS=${MIN_FOLLOWERS}: ` +
        'seed a bigger graph (e.g. --users 120000) or lower -e MIN_FOLLOWERS',
    );
  }
  if (data.celebrityFollowers.length === 0)
    throw new Error(`${DATA_PATH} lists no followers of ${celebrity.username}`);
  return [{ celebrity, threshold: data.celebrityThreshold }];
});
const followers = new SharedArray(
  'celebrity-spike followers',
  () => parseSeedData(open(DATA_PATH)).celebrityFollowers,
);

const visibleMs = new Trend('celebrity_post_visible_ms', true);
const seenAfterPost = new Rate('celebrity_post_seen');

export const options = {
  scenarios: {
    readers: {
      executor: 'ramping-arrival-rate',
      exec: 'readFeed',
      startRate: BASE_RATE,
      timeUnit: '1s',
      preAllocatedVUs: Math.min(MAX_VUS, Math.max(20, BASE_RATE)),
      maxVUs: MAX_VUS,
      stages: [
        { target: BASE_RATE, duration: STEADY },
        { target: SPIKE_RATE, duration: RAMP },
        { target: SPIKE_RATE, duration: PLATEAU },
        { target: 0, duration: COOL },
      ],
    },
    celebrity: {
      executor: 'shared-iterations',
      exec: 'celebrityPosts',
      vus: 1,
      iterations: 1,
      startTime: STEADY,
      maxDuration: '30s',
    },
  },
  thresholds: {
    'http_req_failed{scenario:readers}': ['rate<0.01'],
    'http_req_duration{scenario:readers}': [`p(95)<${envNumber('READ_P95_MS', 500)}`],
    checks: ['rate>0.99'],
    celebrity_post_seen: ['rate>0.99'],
    celebrity_post_visible_ms: [`p(95)<${envNumber('VISIBLE_P95_MS', 2000)}`],
  },
};

/** What readers look for: the post's content carries this run's marker. */
export function setup() {
  const { celebrity, threshold } = seed[0];
  console.log(
    `celebrity ${celebrity.username} (id ${celebrity.id}, ${celebrity.followerCount} followers, threshold ${threshold}); ` +
      `${followers.length} followers read; the post comes ${STEADY} in`,
  );
  return { marker: `spike-${Date.now().toString(36)}` };
}

/** @param {{ marker: string }} data */
export function celebrityPosts(data) {
  const { celebrity } = seed[0];
  const res = createPost(celebrity.token, `Big news from ${celebrity.username} (${data.marker})`);
  if (!check(res, { 'celebrity post: 201': (r) => r.status === 201 })) {
    fail(`the celebrity could not post: ${res.status} ${res.body}`);
  }
}

// Per VU: whether this VU has seen the post yet (only its first sighting is timed).
let sighted = false;

/** @param {{ marker: string }} data */
export function readFeed(data) {
  const { celebrity } = seed[0];
  const reader = pick(followers);
  const res = getFeed(reader.token, { limit: 20 });
  const page = feedPage(res);
  check(res, { 'feed read: 200 with a page': () => page !== null });
  if (page === null) return;

  const post = page.items.find(
    (item) => item.author.id === celebrity.id && item.content.includes(data.marker),
  );
  if (post && !sighted) {
    sighted = true;
    visibleMs.add(Date.now() - Date.parse(post.createdAt));
  }
  // Reads started well after the post must show it: the follower's next read sees it.
  const sincePost = Date.now() - (exec.scenario.startTime + POST_AT_MS);
  if (sincePost > VISIBLE_WITHIN_MS) {
    seenAfterPost.add(post !== undefined);
    check(page, { 'celebrity post visible': () => post !== undefined });
  }
}

/** @param {import('./lib/feedline.js').SummaryData} data */
export function handleSummary(data) {
  return summaryOutputs('celebrity-spike', data);
}
