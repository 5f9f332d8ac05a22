/** The dashboard's figures, as `GET /api/queues` returns them. */

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
  /** BullMQ's own per-minute counts, newest first (its metrics' `data`). */
  perMinute: { completed: number[]; failed: number[] };
  workers: number;
}

/** Fan-out lag over the last minute, as the workers' prom-client summaries compute it. */
export interface LagFigures {
  windowSeconds: number;
  /** Deliveries observed (of the replica with the most). */
  samples: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Worker metrics endpoints that did not answer. */
  unreachable: string[];
}

export interface RedisMemory {
  usedBytes: number;
  peakBytes: number;
  /** Null when Redis has no maxmemory limit. */
  maxBytes: number | null;
}

export type WarningCode = 'no-workers' | 'paused';

export interface QueueWarning {
  code: WarningCode;
  queue: string;
  message: string;
}

export interface QueuesSnapshot {
  at: string;
  queues: QueueReading[];
  fanoutLag: LagFigures;
  redis: RedisMemory;
  warnings: QueueWarning[];
}

/** What an operator must notice about one queue at this moment. */
export function queueWarnings(reading: QueueReading): QueueWarning[] {
  const warnings: QueueWarning[] = [];
  const queued = reading.counts.waiting + reading.counts.prioritized;
  const warn = (code: WarningCode, message: string) => warnings.push({ code, queue: reading.name, message });
  if (reading.paused)
    warn('paused', `Queue ${reading.name} is paused: no worker takes jobs until it is resumed`);
  if (queued > 0 && reading.workers === 0)
    warn('no-workers', `${queued} job${queued === 1 ? ' is' : 's are'} waiting but no worker is connected`);
  return warnings;
}
