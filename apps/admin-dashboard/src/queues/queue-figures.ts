/**
 * The dashboard's figures and the pure arithmetic behind them (percentiles,
 * rates from BullMQ's running totals, warnings), kept apart from Redis so it
 * can be tested alone.
 */

/** The states the dashboard shows, as BullMQ counts them. */
export const COUNTED_STATES = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'failed',
  'completed',
  'waiting-children',
] as const;

export interface JobCounts {
  waiting: number;
  /** Jobs with a priority wait here rather than in `waiting`: most fan-out jobs. */
  prioritized: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  /** Flow parents waiting for their chunk jobs. */
  waitingChildren: number;
}

/** One queue read from BullMQ at one moment. */
export interface QueueReading {
  name: string;
  paused: boolean;
  counts: JobCounts;
  /** BullMQ's running totals (its metrics' `meta.count`), shared by every worker replica. */
  totals: { completed: number; failed: number };
  workers: number;
}

export interface LagFigures {
  windowSeconds: number;
  samples: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

export interface Throughput {
  completedPerSecond: number | null;
  failedPerSecond: number | null;
  /** Seconds of sampled history the rates average over (0 when not known yet). */
  windowSeconds: number;
}

export interface RedisMemory {
  usedBytes: number;
  peakBytes: number;
  /** Null when Redis has no maxmemory limit. */
  maxBytes: number | null;
}

/** What the sampler stores once per interval (in a Redis list, newest first). */
export interface QueueSample {
  /** Sampling time, Unix ms. */
  t: number;
  waiting: number;
  prioritized: number;
  active: number;
  delayed: number;
  failed: number;
  completedTotal: number;
  failedTotal: number;
  workers: number;
  lagP50Ms: number | null;
  lagP95Ms: number | null;
  lagP99Ms: number | null;
  redisUsedBytes: number | null;
}

/** A sample as the history endpoint returns it: rates instead of running totals. */
export type HistoryPoint = Omit<QueueSample, 'completedTotal' | 'failedTotal'> & {
  completedPerSecond: number | null;
  failedPerSecond: number | null;
};

export type WarningCode = 'no-workers' | 'paused' | 'no-progress';

export interface QueueWarning {
  code: WarningCode;
  queue: string;
  message: string;
}

export interface QueueSnapshot extends QueueReading {
  throughput: Throughput;
}

export interface QueuesSnapshot {
  at: string;
  queues: QueueSnapshot[];
  fanoutLag: LagFigures;
  redis: RedisMemory;
  warnings: QueueWarning[];
}

/** Throughput is averaged over this much sampled history: steady to read, quick to react. */
export const THROUGHPUT_WINDOW_MS = 5_000;
/** Jobs waiting with workers connected, yet nothing finished for this long: something is stuck. */
export const NO_PROGRESS_MS = 30_000;

/** Nearest-rank percentile of an ascending list (undefined when empty). */
export function percentile(ascending: readonly number[], p: number): number | undefined {
  if (ascending.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * ascending.length);
  return ascending[Math.min(ascending.length, Math.max(1, rank)) - 1];
}

export function lagFigures(lagsMs: readonly number[], windowSeconds: number): LagFigures {
  const sorted = [...lagsMs].sort((a, b) => a - b);
  const at = (p: number) => percentile(sorted, p) ?? null;
  return {
    windowSeconds,
    samples: sorted.length,
    p50Ms: at(50),
    p95Ms: at(95),
    p99Ms: at(99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : null,
  };
}

/** Parses a worker's lag sample, `"<unixMs>:<lagMs>"`. */
export function parseLagSample(entry: string): { at: number; lagMs: number } | undefined {
  const match = /^(\d{1,15}):(-?\d{1,12})$/.exec(entry);
  if (!match) return undefined;
  // A post stamped slightly in the future by another machine's clock has lag 0, not negative.
  return { at: Number(match[1]), lagMs: Math.max(0, Number(match[2])) };
}

/** Per-second rates between two samples; null across a reset of BullMQ's totals or a clock step. */
export function ratesBetween(
  older: QueueSample,
  newer: QueueSample,
): Pick<Throughput, 'completedPerSecond' | 'failedPerSecond'> {
  const seconds = (newer.t - older.t) / 1000;
  const rate = (from: number, to: number) =>
    seconds > 0 && to >= from ? round((to - from) / seconds, 2) : null;
  return {
    completedPerSecond: rate(older.completedTotal, newer.completedTotal),
    failedPerSecond: rate(older.failedTotal, newer.failedTotal),
  };
}

/** Samples (oldest first) as chart points; the first has no rate unless `before` precedes it. */
export function historyPoints(samples: readonly QueueSample[], before?: QueueSample): HistoryPoint[] {
  return samples.map((sample, index) => {
    const previous = index > 0 ? samples[index - 1] : before;
    const rates = previous
      ? ratesBetween(previous, sample)
      : { completedPerSecond: null, failedPerSecond: null };
    return {
      t: sample.t,
      waiting: sample.waiting,
      prioritized: sample.prioritized,
      active: sample.active,
      delayed: sample.delayed,
      failed: sample.failed,
      ...rates,
      workers: sample.workers,
      lagP50Ms: sample.lagP50Ms,
      lagP95Ms: sample.lagP95Ms,
      lagP99Ms: sample.lagP99Ms,
      redisUsedBytes: sample.redisUsedBytes,
    };
  });
}

/** Average rates over the newest `windowMs` of samples (oldest first). */
export function recentThroughput(
  samples: readonly QueueSample[],
  windowMs = THROUGHPUT_WINDOW_MS,
): Throughput {
  const newest = samples[samples.length - 1];
  const oldest = newest && samples.find((sample) => sample.t >= newest.t - windowMs && sample.t < newest.t);
  if (!newest || !oldest) return { completedPerSecond: null, failedPerSecond: null, windowSeconds: 0 };
  return { ...ratesBetween(oldest, newest), windowSeconds: round((newest.t - oldest.t) / 1000, 1) };
}

/** What an operator must notice about one queue, from its reading and recent samples (oldest first). */
export function queueWarnings(reading: QueueReading, samples: readonly QueueSample[]): QueueWarning[] {
  const warnings: QueueWarning[] = [];
  const queued = reading.counts.waiting + reading.counts.prioritized;
  const warn = (code: WarningCode, message: string) => warnings.push({ code, queue: reading.name, message });
  if (reading.paused)
    warn('paused', `Queue ${reading.name} is paused: no worker takes jobs until it is resumed`);
  if (queued > 0 && reading.workers === 0) {
    warn('no-workers', `${queued} job${queued === 1 ? ' is' : 's are'} waiting but no worker is connected`);
  } else if (queued > 0 && !reading.paused && stuck(samples)) {
    warn(
      'no-progress',
      `${queued} jobs are waiting but none finished in the last ${NO_PROGRESS_MS / 1000} s`,
    );
  }
  return warnings;
}

/**
 * True when the samples cover the last NO_PROGRESS_MS, jobs were queued all
 * that time, and BullMQ's totals did not move.
 */
function stuck(samples: readonly QueueSample[]): boolean {
  const newest = samples[samples.length - 1];
  if (!newest) return false;
  const since = newest.t - NO_PROGRESS_MS;
  const window = samples.filter((sample) => sample.t >= since);
  if (samples[0].t > since || window.length < 2) return false;
  const first = window[0];
  const queuedThroughout = window.every((sample) => sample.waiting + sample.prioritized > 0);
  return (
    queuedThroughout &&
    first.completedTotal === newest.completedTotal &&
    first.failedTotal === newest.failedTotal
  );
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
