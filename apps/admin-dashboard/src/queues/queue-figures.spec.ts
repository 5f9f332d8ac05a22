import {
  historyPoints,
  lagFigures,
  parseLagSample,
  percentile,
  QueueReading,
  QueueSample,
  queueWarnings,
  ratesBetween,
  recentThroughput,
} from './queue-figures';

const sample = (t: number, over: Partial<QueueSample> = {}): QueueSample => ({
  t,
  waiting: 0,
  prioritized: 0,
  active: 0,
  delayed: 0,
  failed: 0,
  completedTotal: 0,
  failedTotal: 0,
  workers: 1,
  lagP50Ms: null,
  lagP95Ms: null,
  lagP99Ms: null,
  redisUsedBytes: null,
  ...over,
});

const reading = (over: Partial<QueueReading> & { queued?: number } = {}): QueueReading => ({
  name: 'fanout',
  paused: false,
  counts: {
    waiting: 0,
    prioritized: over.queued ?? 0,
    active: 0,
    delayed: 0,
    failed: 0,
    completed: 0,
    waitingChildren: 0,
  },
  totals: { completed: 0, failed: 0 },
  workers: 1,
  ...over,
});

describe('queue figures', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });

  it('summarises lag samples, nulls when there are none', () => {
    expect(lagFigures([30, 10, 20], 60)).toEqual({
      windowSeconds: 60,
      samples: 3,
      p50Ms: 20,
      p95Ms: 30,
      p99Ms: 30,
      maxMs: 30,
    });
    expect(lagFigures([], 60)).toEqual({
      windowSeconds: 60,
      samples: 0,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
      maxMs: null,
    });
  });

  it('parses the workers\' "<unixMs>:<lagMs>" samples and ignores anything else', () => {
    expect(parseLagSample('1700000000000:42')).toEqual({ at: 1700000000000, lagMs: 42 });
    expect(parseLagSample('1700000000000:-3')).toEqual({ at: 1700000000000, lagMs: 0 });
    expect(parseLagSample('garbage')).toBeUndefined();
    expect(parseLagSample('1:2:3')).toBeUndefined();
  });

  it('turns running totals into per-second rates', () => {
    const a = sample(1_000, { completedTotal: 100, failedTotal: 1 });
    const b = sample(3_000, { completedTotal: 300, failedTotal: 2 });
    expect(ratesBetween(a, b)).toEqual({ completedPerSecond: 100, failedPerSecond: 0.5 });
    // BullMQ's totals were reset (metrics key removed): no rate rather than a negative one.
    expect(ratesBetween(b, sample(4_000))).toEqual({ completedPerSecond: null, failedPerSecond: null });
  });

  it('gives chart points rates from the previous sample', () => {
    const points = historyPoints(
      [sample(2_000, { completedTotal: 10 }), sample(3_000, { completedTotal: 25 })],
      sample(1_000),
    );
    expect(points.map((point) => point.completedPerSecond)).toEqual([10, 15]);
    expect(points[0]).not.toHaveProperty('completedTotal');
    expect(historyPoints([sample(1_000)])[0].completedPerSecond).toBeNull();
  });

  it('averages throughput over the newest few seconds', () => {
    const samples = [0, 1, 2, 3, 4, 5, 6, 7].map((s) => sample(s * 1000, { completedTotal: s * 10 }));
    expect(recentThroughput(samples)).toEqual({
      completedPerSecond: 10,
      failedPerSecond: 0,
      windowSeconds: 5,
    });
    expect(recentThroughput(samples.slice(0, 1)).completedPerSecond).toBeNull();
    expect(recentThroughput([]).windowSeconds).toBe(0);
  });

  describe('warnings', () => {
    const flat = (queued: number, totals = 0) =>
      Array.from({ length: 31 }, (_, s) => sample(s * 1000, { prioritized: queued, completedTotal: totals }));

    it('warns when jobs wait and no worker is connected', () => {
      expect(queueWarnings(reading({ queued: 5, workers: 0 }), [])).toEqual([
        { code: 'no-workers', queue: 'fanout', message: '5 jobs are waiting but no worker is connected' },
      ]);
      expect(queueWarnings(reading({ queued: 0, workers: 0 }), [])).toEqual([]);
    });

    it('warns when workers are connected but nothing finished for 30 s while jobs waited', () => {
      expect(queueWarnings(reading({ queued: 5 }), flat(5)).map((w) => w.code)).toEqual(['no-progress']);
      const moving = flat(5).map((s, i) => ({ ...s, completedTotal: i }));
      expect(queueWarnings(reading({ queued: 5 }), moving)).toEqual([]);
      // A burst that has only just arrived after a quiet spell is not "stuck".
      const justArrived = flat(0).map((s, i) => (i === 30 ? { ...s, prioritized: 5 } : s));
      expect(queueWarnings(reading({ queued: 5 }), justArrived)).toEqual([]);
      // Too little history to tell.
      expect(queueWarnings(reading({ queued: 5 }), flat(5).slice(20))).toEqual([]);
    });

    it('says when the queue is paused', () => {
      expect(queueWarnings(reading({ queued: 5, paused: true }), flat(5)).map((w) => w.code)).toEqual([
        'paused',
      ]);
    });
  });
});
