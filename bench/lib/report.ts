/**
 * The push / pull / hybrid report: a Markdown table, an HTML page with charts
 * (inline SVG, no external assets) and the same charts as PNG for the README.
 * Charts are vega-lite specs, drawn to SVG by vega and to PNG by resvg.
 */
import { execFileSync } from 'node:child_process';
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

/** A vega-lite bar chart of one figure per mode. */
function barChart(
  title: string,
  values: Array<{ mode: Mode; value: number; label: string }>,
  note = '',
): VegaLiteSpec {
  const bar = { field: 'mode', type: 'nominal', sort: [...MODES], title: null, axis: { labelAngle: 0 } };
  return {
    title: { text: title, subtitle: note, anchor: 'start' },
    width: 280,
    height: 140,
    data: { values },
    encoding: { x: bar, y: { field: 'value', type: 'quantitative', title: null, axis: { format: '~s' } } },
    layer: [
      { mark: { type: 'bar', cornerRadiusEnd: 3 }, encoding: { color: modeColor(false) } },
      { mark: { type: 'text', dy: -6, fontSize: 11 }, encoding: { text: { field: 'label' } } },
    ],
  };
}

/** Queue depth over time during the write burst, a line per mode. */
function depthChart(results: ModeResult[]): VegaLiteSpec {
  const values = results.flatMap((r) => r.depthSeries.map(([t, depth]) => ({ mode: r.mode, t, depth })));
  return {
    title: { text: 'Queue depth during the write burst', anchor: 'start' },
    width: 280,
    height: 140,
    data: { values },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'seconds' },
      y: { field: 'depth', type: 'quantitative', title: null },
      color: modeColor(true),
    },
  };
}

function modeColor(legend: boolean): Record<string, unknown> {
  return {
    field: 'mode',
    type: 'nominal',
    scale: { domain: [...MODES], range: MODES.map((mode) => COLORS[mode]) },
    legend: legend ? { orient: 'top', title: null } : null,
  };
}

type VegaLiteSpec = Record<string, unknown>;

export function chartSpecs(report: Report): Record<string, VegaLiteSpec> {
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

/**
 * The charts drawn from their vega-lite specs: SVG by vega, PNG (2x) by resvg;
 * `overview` is all of them in a grid. In a child process (render-charts.ts):
 * vega is ES-module-only, which Jest's CommonJS runtime cannot load.
 */
export function renderCharts(report: Report): { svgs: Record<string, string>; pngs: Record<string, Buffer> } {
  const specs = chartSpecs(report);
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
  const input = JSON.stringify({
    ...specs,
    overview: { columns: 4, concat: grid.map((name) => specs[name]) },
  });
  const output = execFileSync(
    process.execPath,
    [require.resolve('tsx/cli'), path.join(__dirname, 'render-charts.ts')],
    {
      input,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const drawn = JSON.parse(output.toString()) as Record<string, { svg: string; png: string }>;
  const svgs: Record<string, string> = {};
  const pngs: Record<string, Buffer> = {};
  for (const [name, { svg, png }] of Object.entries(drawn)) {
    if (name !== 'overview') svgs[name] = svg;
    pngs[name] = Buffer.from(png, 'base64');
  }
  return { svgs, pngs };
}

/** Writes the Markdown, HTML, JSON, and the charts as SVG and PNG into `dir`. */
export function writeReport(dir: string, report: Report): string[] {
  fs.mkdirSync(path.join(dir, 'charts'), { recursive: true });
  const { svgs, pngs } = renderCharts(report);
  const files: string[] = [];
  const write = (name: string, content: string | Buffer) => {
    fs.writeFileSync(path.join(dir, name), content);
    files.push(path.join(dir, name));
  };
  write('feedline-benchmark.md', markdown(report));
  write('feedline-benchmark.html', html(report, svgs));
  write('feedline-benchmark.json', `${JSON.stringify(report, null, 2)}\n`);
  for (const [name, svg] of Object.entries(svgs)) write(`charts/${name}.svg`, svg);
  for (const [name, png] of Object.entries(pngs)) write(`charts/${name}.png`, png);
  return files;
}
