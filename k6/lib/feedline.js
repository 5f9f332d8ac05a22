// Shared helpers of the Feedline k6 scenarios: settings from -e variables,
// the REST API as plain functions, the seed data file, and the end-of-test
// summary (a JSON file plus a short text summary on stdout).
//
// Everything here runs inside k6 (goja), not Node: no npm modules, no Node APIs.

import http from 'k6/http';
import { check, sleep } from 'k6';

// ---------------------------------------------------------------- settings

/**
 * @param {string} name
 * @param {string} fallback
 * @returns {string}
 */
export function envString(name, fallback) {
  const value = __ENV[name];
  return value === undefined || value === '' ? fallback : value;
}

/**
 * @param {string} name
 * @param {number} fallback
 * @returns {number}
 */
export function envNumber(name, fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`-e ${name} must be a number, got "${raw}"`);
  return value;
}

/** Where the apps listen (defaults: `npm start` on this machine). */
export const urls = {
  post: trimSlash(envString('POST_URL', 'http://127.0.0.1:3001')),
  feed: trimSlash(envString('FEED_URL', 'http://127.0.0.1:3002')),
  admin: trimSlash(envString('ADMIN_URL', 'http://127.0.0.1:3003')),
  worker: trimSlash(envString('WORKER_URL', 'http://127.0.0.1:3004')),
};

/**
 * The seed's data file (`npm run seed` writes .data/seed.json). A relative
 * path is resolved from the k6/ folder (where the scenario scripts are), so
 * the default works from any working directory; pass an absolute path to be sure.
 */
export const DATA_PATH = envString('DATA', '../.data/seed.json');

/** @param {string} url */
function trimSlash(url) {
  return url.replace(/\/+$/, '');
}

/**
 * A k6 duration ("90s", "1m30s", "2m", "500ms", "1h") in milliseconds.
 * @param {string} text
 * @returns {number}
 */
export function durationMs(text) {
  const units = /** @type {Record<string, number>} */ ({ ms: 1, s: 1000, m: 60000, h: 3600000 });
  const parts = text.match(/(\d+(?:\.\d+)?)(ms|s|m|h)/g);
  if (!parts || parts.join('') !== text) throw new Error(`"${text}" is not a duration like 30s, 2m or 1m30s`);
  return parts.reduce((total, part) => {
    const [, amount, unit] = /** @type {RegExpMatchArray} */ (part.match(/(\d+(?:\.\d+)?)(ms|s|m|h)/));
    return total + Number(amount) * units[unit];
  }, 0);
}

// ---------------------------------------------------------------- seed data

/**
 * @typedef {{ id: string, username: string, token: string }} Account
 * @typedef {Account & { followerCount: number }} Celebrity
 * @typedef {Account & { followerCount: number, followingCount: number, watcher: Account | null }} SeededUser
 * @typedef {{
 *   version: number,
 *   seed: number,
 *   password: string,
 *   celebrityThreshold: number,
 *   counts: { users: number, follows: number, posts: number, celebrities: number },
 *   tokens: { expiresAt: string },
 *   celebrities: Celebrity[],
 *   users: SeededUser[],
 *   celebrityFollowers: Account[],
 * }} SeedData
 */

/**
 * Parses and sanity-checks the data file's text (read with open() in the
 * scenario's init code, inside a SharedArray callback so it happens once).
 * @param {string} text
 * @returns {SeedData}
 */
export function parseSeedData(text) {
  /** @type {SeedData} */
  const data = JSON.parse(text);
  if (data.version !== 1) throw new Error(`${DATA_PATH}: unknown data file version ${data.version}`);
  if (Date.parse(data.tokens.expiresAt) < Date.now() + 10 * 60000) {
    throw new Error(
      `${DATA_PATH}: its tokens expire at ${data.tokens.expiresAt}; seed again (npm run seed -- ... --reset)`,
    );
  }
  return data;
}

/**
 * @template T
 * @param {T[]} items
 * @returns {T}
 */
export function pick(items) {
  return items[Math.floor(Math.random() * items.length)];
}

// ---------------------------------------------------------------- HTTP

/**
 * @typedef {{ token?: string, name?: string, expect?: number[], tags?: Record<string, string>, contentType?: string }} CallOptions
 */

/**
 * One request. `name` groups URLs with ids under one metric tag; `expect`
 * lists statuses that are a success for this call (so deliberate 4xx do not
 * count in http_req_failed).
 * @param {string} method
 * @param {string} url
 * @param {unknown} [body] sent as JSON unless it is a string
 * @param {CallOptions} [options]
 */
export function call(method, url, body, options = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let payload = null;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    headers['Content-Type'] = options.contentType ?? 'application/json';
  }
  /** @type {import('k6/http').Params} */
  const params = { headers, tags: { ...options.tags, name: options.name ?? `${method} ${url}` } };
  if (options.expect) params.responseCallback = http.expectedStatuses(...options.expect);
  return http.request(method, url, payload, params);
}

/**
 * The response's JSON body, or null when there is none or it is not JSON.
 * @param {import('k6/http').Response} res
 * @returns {any}
 */
export function body(res) {
  if (typeof res.body !== 'string' || res.body.length === 0) return null;
  try {
    return JSON.parse(res.body);
  } catch {
    return null;
  }
}

/**
 * A check that the status is `status`, named after the call.
 * @param {import('k6/http').Response} res
 * @param {number} status
 * @param {string} what
 */
export function expectStatus(res, status, what) {
  return check(res, { [`${what}: ${status}`]: (r) => r.status === status });
}

/**
 * Feedline's error body: { statusCode, error, message }.
 * @param {import('k6/http').Response} res
 */
export function isErrorBody(res) {
  const b = body(res);
  return b !== null && b.statusCode === res.status && typeof b.error === 'string' && b.message !== undefined;
}

// ---------------------------------------------------------------- the API

/**
 * @param {string} username
 * @param {string} password
 */
export function login(username, password) {
  return call('POST', `${urls.post}/auth/login`, { username, password }, { name: 'POST /auth/login' });
}

/**
 * @param {string} token
 * @param {string} content
 * @param {Record<string, string>} [tags]
 */
export function createPost(token, content, tags) {
  return call('POST', `${urls.post}/posts`, { content }, { token, name: 'POST /posts', tags });
}

/**
 * @param {string} token
 * @param {{ limit?: number, cursor?: string | null, name?: string, tags?: Record<string, string> }} [page]
 */
export function getFeed(token, page = {}) {
  const query = [`limit=${page.limit ?? 20}`];
  if (page.cursor) query.push(`cursor=${page.cursor}`);
  return call('GET', `${urls.feed}/feed?${query.join('&')}`, undefined, {
    token,
    name: page.name ?? 'GET /feed',
    tags: page.tags,
  });
}

/**
 * @typedef {{ id: string, content: string, createdAt: string, author: { id: string, username: string, displayName: string } }} FeedItem
 * @typedef {{ items: FeedItem[], nextCursor: string | null }} FeedPage
 */

/**
 * The page in a feed response, or null when the response is not a feed page.
 * @param {import('k6/http').Response} res
 * @returns {FeedPage | null}
 */
export function feedPage(res) {
  const b = body(res);
  if (res.status !== 200 || b === null || !Array.isArray(b.items)) return null;
  if (!(b.nextCursor === null || typeof b.nextCursor === 'string')) return null;
  return b;
}

/**
 * Logs the admin in through post-service; null (with a warning) when it cannot.
 * @returns {string | null}
 */
export function adminToken() {
  const username = envString('ADMIN_USERNAME', '');
  const password = envString('ADMIN_PASSWORD', '');
  if (!username || !password) {
    console.warn('ADMIN_USERNAME / ADMIN_PASSWORD not given: the queue is not watched');
    return null;
  }
  const res = call(
    'POST',
    `${urls.post}/auth/login`,
    { username, password },
    { name: 'POST /auth/login (admin)', expect: [200, 401, 429] },
  );
  const b = body(res);
  if (res.status !== 200 || !b || typeof b.accessToken !== 'string') {
    console.warn(`admin login failed (${res.status}): the queue is not watched`);
    return null;
  }
  return b.accessToken;
}

/**
 * @typedef {{ name: string, counts: Record<string, number> }} QueueReading
 */

/**
 * Per-queue job counts from the dashboard's GET /api/queues. Reads
 * `{ queues: [{ name, counts: { waiting, prioritized, active, delayed, failed, ... } }] }`
 * and tolerates counts given directly on each queue.
 * @param {any} snapshot
 * @returns {QueueReading[]}
 */
export function queueReadings(snapshot) {
  const list = Array.isArray(snapshot)
    ? snapshot
    : snapshot && Array.isArray(snapshot.queues)
      ? snapshot.queues
      : [];
  /** @type {QueueReading[]} */
  const readings = [];
  for (const queue of list) {
    if (!queue || typeof queue !== 'object') continue;
    const source = queue.counts && typeof queue.counts === 'object' ? queue.counts : queue;
    /** @type {Record<string, number>} */
    const counts = {};
    for (const state of QUEUE_STATES) if (typeof source[state] === 'number') counts[state] = source[state];
    readings.push({ name: String(queue.name ?? 'queue'), counts });
  }
  return readings;
}

/** The job states the scenarios record (BullMQ's names; waiting-children as the dashboard spells it). */
export const QUEUE_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'waitingChildren'];

// ---------------------------------------------------------------- waiting

/**
 * Calls `probe` every `intervalMs` until it returns a value other than
 * null/undefined, or `timeoutMs` passes (then returns null).
 * @template T
 * @param {() => T | null | undefined} probe
 * @param {number} timeoutMs
 * @param {number} intervalMs
 * @returns {T | null}
 */
export function pollUntil(probe, timeoutMs, intervalMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = probe();
    if (result !== null && result !== undefined) return result;
    if (Date.now() + intervalMs > deadline) return null;
    sleep(intervalMs / 1000);
  }
}

// ---------------------------------------------------------------- summary

/**
 * @typedef {{ type: string, contains: string, values: Record<string, number>, thresholds?: Record<string, { ok: boolean }> }} SummaryMetric
 * @typedef {{ name: string, passes: number, fails: number }} SummaryCheck
 * @typedef {{ name: string, checks: SummaryCheck[], groups: SummaryGroup[] }} SummaryGroup
 * @typedef {{ metrics: Record<string, SummaryMetric>, root_group: SummaryGroup, state?: { testRunDurationMs?: number } }} SummaryData
 */

/**
 * handleSummary's result: the full data as JSON in SUMMARY_DIR (default
 * reports/k6, relative to the working directory; it must exist) and a short
 * text summary on stdout (k6's textSummary lives in a remote jslib).
 * @param {string} scenario
 * @param {SummaryData} data
 * @returns {Record<string, string>}
 */
export function summaryOutputs(scenario, data) {
  const dir = trimSlash(envString('SUMMARY_DIR', 'reports/k6'));
  return {
    stdout: textSummary(scenario, data),
    [`${dir}/${scenario}-summary.json`]: JSON.stringify(data, null, 2),
  };
}

/**
 * @param {string} scenario
 * @param {SummaryData} data
 */
export function textSummary(scenario, data) {
  const lines = [''];
  const seconds =
    data.state && data.state.testRunDurationMs
      ? ` (${(data.state.testRunDurationMs / 1000).toFixed(1)} s)`
      : '';
  lines.push(`feedline k6: ${scenario}${seconds}`);

  const thresholds = [];
  for (const [name, metric] of Object.entries(data.metrics)) {
    for (const [rule, result] of Object.entries(metric.thresholds ?? {})) {
      thresholds.push(`  ${result.ok ? 'ok  ' : 'FAIL'} ${name} ${rule}  (${describe(metric)})`);
    }
  }
  if (thresholds.length > 0) lines.push('', 'thresholds', ...thresholds.sort());

  const checks = collectChecks(data.root_group);
  if (checks.length > 0) {
    const passes = checks.reduce((sum, c) => sum + c.passes, 0);
    const total = checks.reduce((sum, c) => sum + c.passes + c.fails, 0);
    lines.push('', `checks: ${passes} of ${total} passed`);
    for (const c of checks)
      if (c.fails > 0) lines.push(`  FAIL ${c.name}: ${c.fails} of ${c.passes + c.fails} failed`);
  }

  lines.push('', 'metrics');
  for (const name of Object.keys(data.metrics).sort()) {
    if (
      /^(data_|http_req_(blocked|connecting|tls|sending|receiving|waiting)|iteration_duration|vus|vus_max)/.test(
        name,
      )
    )
      continue;
    lines.push(`  ${name.padEnd(44, '.')} ${describe(data.metrics[name])}`);
  }
  return `${lines.join('\n')}\n\n`;
}

/**
 * @param {SummaryGroup} group
 * @returns {SummaryCheck[]}
 */
function collectChecks(group) {
  if (!group) return [];
  return [...(group.checks ?? []), ...(group.groups ?? []).flatMap(collectChecks)];
}

/** @param {SummaryMetric} metric */
function describe(metric) {
  const v = metric.values;
  const time = metric.contains === 'time';
  /** @param {number | undefined} n */
  const f = (n) => (n === undefined ? '-' : time ? `${n.toFixed(1)}ms` : String(Math.round(n * 100) / 100));
  switch (metric.type) {
    case 'trend':
      return `avg=${f(v.avg)} med=${f(v.med)} p(95)=${f(v['p(95)'])} max=${f(v.max)}`;
    case 'rate':
      return `${((v.rate ?? 0) * 100).toFixed(2)}% (${v.passes ?? 0} of ${(v.passes ?? 0) + (v.fails ?? 0)})`;
    case 'counter':
      return `${v.count} (${f(v.rate)}/s)`;
    case 'gauge':
      return `last=${f(v.value)} min=${f(v.min)} max=${f(v.max)}`;
    default:
      return JSON.stringify(v);
  }
}
