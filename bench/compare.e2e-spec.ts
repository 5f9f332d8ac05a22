import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Report } from './lib/report';

/**
 * `npm run bench -- --quick` end to end on a small graph (it builds its own
 * database and redis-server): the report is written and its structure shows
 * the model. No timing is asserted.
 */
describe('push / pull / hybrid benchmark, quick mode', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'feedline-bench-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('writes the report for all three modes', async () => {
    await promisify(execFile)(
      process.execPath,
      [
        require.resolve('tsx/cli'),
        'bench/compare.bench.ts',
        '--quick',
        '--users',
        '500',
        '--duration',
        '1',
        '--out',
        out,
      ],
      {
        cwd: path.resolve(__dirname, '..'),
        env: { ...process.env, LOG_LEVEL: 'warn' },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    for (const file of ['feedline-benchmark.md', 'feedline-benchmark.html', 'feedline-benchmark.json']) {
      expect(fs.existsSync(path.join(out, file))).toBe(true);
    }
    const report = JSON.parse(fs.readFileSync(path.join(out, 'feedline-benchmark.json'), 'utf8')) as Report;
    const byMode = Object.fromEntries(report.results.map((result) => [result.mode, result]));
    expect(Object.keys(byMode).sort()).toEqual(['hybrid', 'pull', 'push']);
    // The model, as measured: pull writes only the author's timeline; a
    // celebrity's post costs hybrid two writes and push one per follower.
    expect(byMode.pull.writesPerPost).toBe(1);
    expect(byMode.pull.celebrityWrites).toBe(1);
    expect(byMode.hybrid.celebrityWrites).toBe(2);
    expect(byMode.push.celebrityWrites).toBeGreaterThan(report.graph.celebrityFollowers / 2);
    expect(byMode.push.writesPerPost).toBeGreaterThan(1);
    for (const result of report.results) expect(result.read.requestsPerSecond).toBeGreaterThan(0);
    const markdown = fs.readFileSync(path.join(out, 'feedline-benchmark.md'), 'utf8');
    expect(markdown).toMatch(/\| push +\|/);
    if (fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
      expect(fs.statSync(path.join(out, 'charts/overview.png')).size).toBeGreaterThan(10_000);
    }
  }, 600_000);
});
