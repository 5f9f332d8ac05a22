import { Injectable } from '@nestjs/common';
import { LagSamplesStore } from './lag-samples.store';
import {
  COUNTED_STATES,
  HistoryPoint,
  historyPoints,
  LagFigures,
  lagFigures,
  NO_PROGRESS_MS,
  QueueReading,
  QueueSample,
  QueuesSnapshot,
  queueWarnings,
  recentThroughput,
} from './queue-figures';
import { HISTORY_LENGTH, QueueHistoryStore, SAMPLE_INTERVAL_MS } from './queue-history.store';
import { QueueRegistry } from './queue-registry';
import { RedisMemoryStore } from './redis-memory.store';

/** Fan-out lag percentiles are taken over the deliveries of this last window. */
export const LAG_WINDOW_SECONDS = 60;
/** Samples read for throughput and warnings: enough to cover the no-progress window. */
const RECENT_SAMPLES = Math.ceil(NO_PROGRESS_MS / SAMPLE_INTERVAL_MS) + 5;

export interface QueueHistory {
  queue: string;
  intervalMs: number;
  points: HistoryPoint[];
}

/**
 * The dashboard's figures. Depth, totals and workers come from BullMQ itself
 * at the moment of the call; throughput from the sampled history (BullMQ's
 * running totals, differenced); lag from the workers' samples in Redis.
 */
@Injectable()
export class QueueStatsService {
  constructor(
    private readonly registry: QueueRegistry,
    private readonly history: QueueHistoryStore,
    private readonly lagSamples: LagSamplesStore,
    private readonly memory: RedisMemoryStore,
  ) {}

  /** Everything about every queue, now (`GET /api/queues`). */
  async snapshot(): Promise<QueuesSnapshot> {
    const names = this.registry.names();
    const [readings, recents, fanoutLag, redis] = await Promise.all([
      Promise.all(names.map((name) => this.read(name))),
      Promise.all(names.map((name) => this.history.recent(name, RECENT_SAMPLES))),
      this.lag(),
      this.memory.read(),
    ]);
    return {
      at: new Date().toISOString(),
      queues: readings.map((reading, i) => ({ ...reading, throughput: recentThroughput(recents[i]) })),
      fanoutLag,
      redis,
      warnings: readings.flatMap((reading, i) => queueWarnings(reading, recents[i])),
    };
  }

  /** One queue as BullMQ counts it: all states in one call, so they belong to one moment. */
  async read(name: string): Promise<QueueReading> {
    const queue = this.registry.get(name);
    const [counts, completed, failed, workers, paused] = await Promise.all([
      queue.getJobCounts(...COUNTED_STATES),
      queue.getMetrics('completed', 0, 0),
      queue.getMetrics('failed', 0, 0),
      queue.getWorkersCount(),
      queue.isPaused(),
    ]);
    return {
      name,
      paused,
      counts: {
        waiting: counts.waiting ?? 0,
        prioritized: counts.prioritized ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        completed: counts.completed ?? 0,
        waitingChildren: counts['waiting-children'] ?? 0,
      },
      totals: { completed: completed.meta.count, failed: failed.meta.count },
      workers,
    };
  }

  async lag(): Promise<LagFigures> {
    return lagFigures(
      await this.lagSamples.since(Date.now() - LAG_WINDOW_SECONDS * 1000),
      LAG_WINDOW_SECONDS,
    );
  }

  /** What the sampler stores for one queue. */
  async sample(name: string): Promise<QueueSample> {
    const [reading, lag, memory] = await Promise.all([this.read(name), this.lag(), this.memory.read()]);
    return {
      t: Date.now(),
      waiting: reading.counts.waiting,
      prioritized: reading.counts.prioritized,
      active: reading.counts.active,
      delayed: reading.counts.delayed,
      failed: reading.counts.failed,
      completedTotal: reading.totals.completed,
      failedTotal: reading.totals.failed,
      workers: reading.workers,
      lagP50Ms: lag.p50Ms,
      lagP95Ms: lag.p95Ms,
      lagP99Ms: lag.p99Ms,
      redisUsedBytes: memory.usedBytes,
    };
  }

  /** Sampled history of one queue, oldest first; only the points after `sinceMs` when given. */
  async historyOf(name: string, sinceMs?: number): Promise<QueueHistory> {
    this.registry.get(name); // 404 for an unknown queue
    // Read only about as many samples as were taken since `sinceMs` (plus one for the first rate, and slack).
    const count =
      sinceMs === undefined
        ? HISTORY_LENGTH
        : Math.min(HISTORY_LENGTH, Math.max(0, Math.ceil((Date.now() - sinceMs) / SAMPLE_INTERVAL_MS)) + 10);
    const samples = await this.history.recent(name, count);
    const first = sinceMs === undefined ? 0 : samples.findIndex((sample) => sample.t > sinceMs);
    const shown = first < 0 ? [] : samples.slice(first);
    return {
      queue: name,
      intervalMs: SAMPLE_INTERVAL_MS,
      points: historyPoints(shown, first > 0 ? samples[first - 1] : undefined),
    };
  }
}
