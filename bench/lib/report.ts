/**
 * The push / pull / hybrid report: a Markdown table, an HTML page with charts
 * (inline SVG, no external assets) and the same charts as PNG (rendered by
 * headless Chromium) for the README.
 */
import fs from 'node:fs';
import path from 'node:path';
import { table } from './scratch';

export const MODES = ['push', 'pull', 'hybrid'] as const;
export type Mode = (typeof MODES)[number];

export interface ModeResult {
  mode: Mode;
  /** Timeline writes per regular post: followers' home timelines + the author's own timelines. */
  writesPerPost: number;
  /** Timeline writes for the celebrity's one post. */
  celebrityWrites: number;
  /** From the celebrity's 201 until a feed read by any sampled follower shows the post. */
  celebrityVisibleSeconds: number;
  /** From the celebrity's 201 until the queue was empty again. */
  celebrityDrainSeconds: number;
  /** The write burst: peak jobs waiting (all states but completed/failed) and time to drain. */
  peakQueueDepth: number;
  burstDrainSeconds: number;
  depthSeries: Array<[number, number]>;
  /** Rebuilding every home timeline from PostgreSQL (all users active). */
  rebuildSeconds: number;
  read: { requestsPerSecond: number; p50: number; p95: number; p99: number };
  /** Redis memory held by this mode's derived state, over an empty baseline. */
  redisBytes: number;
}

export interface Report {
  createdAt: string;
  machine: string;
  graph: { users: number; follows: number; posts: number; celebrities: number; celebrityFollowers: number };
  workload: {
    burstPosts: number;
    readers: number;
    readSeconds: number;
    connections: number;
    workers: number;
  };
  results: ModeResult[];
}

const COLORS: Record<Mode, string> = { push: '#d9480f', pull: '#1971c2', hybrid: '#2f9e44' };

const fmt = {
  n: (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)),
  s: (v: number) => `${v < 1 ? v.toFixed(3) : v.toFixed(2)} s`,
  ms: (v: number) => `${v.toFixed(2)} ms`,
  mb: (v: number) => `${(v / 1024 / 1024).toFixed(1)} MB`,
};

export function markdown(report: Report): string {
  const rows = report.results.map((r) => [
    r.mode,
    fmt.n(r.writesPerPost),
    r.celebrityWrites.toLocaleString('en-US'),
    fmt.s(r.celebrityVisibleSeconds),
    r.peakQueueDepth.toLocaleString('en-US'),
    fmt.s(r.burstDrainSeconds),
    r.read.requestsPerSecond.toFixed(0),
    fmt.ms(r.read.p50),
    fmt.ms(r.read.p95),
    fmt.ms(r.read.p99),
    fmt.mb(r.redisBytes),
  ]);
  const { graph, workload } = report;
  return [
    `# Feedline: push vs pull vs hybrid`,
    '',
    `Run ${report.createdAt} on ${report.machine}. One seeded graph: ${graph.users.toLocaleString('en-US')} users, ` +
      `${graph.follows.toLocaleString('en-US')} follows, ${graph.posts.toLocaleString('en-US')} posts, ${graph.celebrities} celebrities ` +
      `(the biggest followed by ${graph.celebrityFollowers.toLocaleString('en-US')}). Same workload per mode: every user's timeline rebuilt ` +
      `(all active), a burst of ${workload.burstPosts} posts by regular users, one post by the biggest celebrity, then ` +
      `${workload.readSeconds} s of GET /feed by ${workload.readers} readers over ${workload.connections} connections ` +
      `(${workload.workers} worker processes).`,
    '',
    table(
      [
        'mode',
        'timeline writes / post',
        'writes for the celebrity post',
        'celebrity post visible to all',
        'peak queue depth',
        'burst drained in',
        'feed req/s',
        'p50',
        'p95',
        'p99',
        'Redis memory',
      ],
      rows,
    ),
    '',
    '![push vs pull vs hybrid](charts/overview.png)',
    '',
  ].join('\n');
}

function barChart(
  title: string,
  values: Array<{ mode: Mode; value: number; label: string }>,
  note = '',
): string {
  const width = 340;
  const height = 230;
  const top = 66;
  const bottom = 28;
  const max = Math.max(...values.map((v) => v.value), 1e-9);
  const band = (width - 40) / values.length;
  const bars = values
    .map((v, i) => {
      const h = ((height - top - bottom) * v.value) / max;
      const x = 20 + i * band + band * 0.18;
      const y = height - bottom - h;
      return (
        `<rect x="${x}" y="${y}" width="${band * 0.64}" height="${Math.max(h, 1)}" fill="${COLORS[v.mode]}" rx="3"/>` +
        `<text x="${x + band * 0.32}" y="${y - 6}" text-anchor="middle" font-size="12" fill="#222">${v.label}</text>` +
        `<text x="${x + band * 0.32}" y="${height - 10}" text-anchor="middle" font-size="12" fill="#555">${v.mode}</text>`
      );
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<text x="12" y="20" font-size="14" font-weight="bold" fill="#111">${title}</text>` +
    `<text x="12" y="36" font-size="11" fill="#777">${note}</text>${bars}</svg>`
  );
}

function depthChart(results: ModeResult[]): string {
  const width = 340;
  const height = 220;
  const left = 44;
  const top = 40;
  const bottom = 30;
  const maxT = Math.max(...results.flatMap((r) => r.depthSeries.map(([t]) => t)), 0.001);
  const maxD = Math.max(...results.flatMap((r) => r.depthSeries.map(([, d]) => d)), 1);
  const x = (t: number) => left + ((width - left - 12) * t) / maxT;
  const y = (d: number) => height - bottom - ((height - top - bottom) * d) / maxD;
  const lines = results
    .map(
      (r) =>
        `<polyline fill="none" stroke="${COLORS[r.mode]}" stroke-width="2" points="${r.depthSeries
          .map(([t, d]) => `${x(t).toFixed(1)},${y(d).toFixed(1)}`)
          .join(' ')}"/>`,
    )
    .join('');
  const legend = results
    .map(
      (r, i) =>
        `<text x="${left + 8 + i * 80}" y="${top + 4}" font-size="12" fill="${COLORS[r.mode]}">■ ${r.mode}</text>`,
    )
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<text x="12" y="20" font-size="14" font-weight="bold" fill="#111">Queue depth during the write burst</text>` +
    `<line x1="${left}" y1="${height - bottom}" x2="${width - 12}" y2="${height - bottom}" stroke="#ccc"/>` +
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="#ccc"/>` +
    `<text x="${left - 6}" y="${top + 10}" text-anchor="end" font-size="11" fill="#777">${maxD}</text>` +
    `<text x="${left - 6}" y="${height - bottom}" text-anchor="end" font-size="11" fill="#777">0</text>` +
    `<text x="${width - 12}" y="${height - 10}" text-anchor="end" font-size="11" fill="#777">${maxT.toFixed(1)} s</text>` +
    `${lines}${legend}</svg>`
  );
}

export function charts(report: Report): Record<string, string> {
  const r = report.results;
  const bar = (pick: (m: ModeResult) => number, label: (v: number) => string) =>
    r.map((m) => ({ mode: m.mode, value: pick(m), label: label(pick(m)) }));
  return {
    'write-amplification': barChart(
      'Timeline writes per post',
      bar((m) => m.writesPerPost, fmt.n),
      'regular posts; push/hybrid write every follower',
    ),
    'celebrity-writes': barChart(
      'Writes for one celebrity post',
      bar(
        (m) => m.celebrityWrites,
        (v) => v.toLocaleString('en-US'),
      ),
      'the celebrity problem',
    ),
    'celebrity-visible': barChart(
      'Celebrity post visible to all',
      bar((m) => m.celebrityVisibleSeconds, fmt.s),
      'seconds after the 201 until every read shows it',
    ),
    'read-throughput': barChart(
      'GET /feed throughput',
      bar(
        (m) => m.read.requestsPerSecond,
        (v) => `${v.toFixed(0)}/s`,
      ),
      'requests per second',
    ),
    'read-p99': barChart(
      'GET /feed p99 latency',
      bar((m) => m.read.p99, fmt.ms),
      'at peak throughput',
    ),
    'queue-depth': depthChart(r),
    'redis-memory': barChart(
      'Redis memory',
      bar((m) => m.redisBytes, fmt.mb),
      'derived state (timelines, caches, queue)',
    ),
    'peak-depth': barChart(
      'Peak queue depth',
      bar(
        (m) => m.peakQueueDepth,
        (v) => v.toLocaleString('en-US'),
      ),
      'during the write burst',
    ),
  };
}

export function html(report: Report, svgs: Record<string, string>): string {
  const md = markdown(report);
  const tableLines = md.split('\n').filter((line) => line.startsWith('|'));
  const [head, , ...body] = tableLines.map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim()),
  );
  const tableHtml =
    `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>` +
    body.map((row) => `<tr>${row.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('') +
    '</tbody></table>';
  const intro = md.split('\n')[2];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Feedline: push vs pull vs hybrid</title>
<style>body{font-family:Helvetica,Arial,sans-serif;margin:32px;color:#111;max-width:1120px}table{border-collapse:collapse;margin:16px 0}
td,th{border:1px solid #ddd;padding:6px 10px;text-align:right}th{background:#f5f5f5}td:first-child{text-align:left;font-weight:bold}
#charts{display:grid;grid-template-columns:repeat(4,340px);gap:16px}</style></head><body>
<h1>Feedline: push vs pull vs hybrid</h1><p>${intro}</p>${tableHtml}<div id="charts">${Object.values(svgs).join('')}</div>
<script type="application/json" id="data">${JSON.stringify(report)}</script></body></html>`;
}

/** Writes the Markdown, HTML, JSON and, when Chromium is available, PNG charts into `dir`. */
export async function writeReport(dir: string, report: Report): Promise<string[]> {
  fs.mkdirSync(path.join(dir, 'charts'), { recursive: true });
  const svgs = charts(report);
  const files: string[] = [];
  const write = (name: string, content: string | Buffer) => {
    fs.writeFileSync(path.join(dir, name), content);
    files.push(path.join(dir, name));
  };
  write('feedline-benchmark.md', markdown(report));
  write('feedline-benchmark.html', html(report, svgs));
  write('feedline-benchmark.json', `${JSON.stringify(report, null, 2)}\n`);
  for (const [name, svg] of Object.entries(svgs)) write(`charts/${name}.svg`, svg);
  for (const [name, png] of Object.entries(await renderPngs(svgs))) write(`charts/${name}.png`, png);
  return files;
}

async function renderPngs(svgs: Record<string, string>): Promise<Record<string, Buffer>> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    console.warn(
      `no Chromium at ${executablePath}: PNG charts skipped (install Debian's chromium or set CHROMIUM_PATH)`,
    );
    return {};
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath,
    headless: true,
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
  try {
    const page = await browser.newPage({ deviceScaleFactor: 2 });
    const pngs: Record<string, Buffer> = {};
    for (const [name, svg] of Object.entries(svgs)) {
      await page.setContent(`<body style="margin:0">${svg}</body>`);
      pngs[name] = await page.locator('svg').screenshot();
    }
    const grid = [
      'write-amplification',
      'celebrity-writes',
      'celebrity-visible',
      'redis-memory',
      'read-throughput',
      'read-p99',
      'queue-depth',
      'peak-depth',
    ];
    await page.setContent(
      `<body style="margin:0;background:#fff"><div style="display:grid;grid-template-columns:repeat(4,340px);gap:8px;padding:8px;width:max-content">${grid
        .map((name) => svgs[name])
        .join('')}</div></body>`,
    );
    pngs.overview = await page.locator('div').screenshot();
    return pngs;
  } finally {
    await browser.close();
  }
}
