import { Injectable } from '@nestjs/common';
import { COUNTED_STATES, QueueReading, QueuesSnapshot, queueWarnings } from './queue-figures';
import { QueueRegistry } from './queue-registry';
import { RedisMemoryStore } from './redis-memory.store';
import { WorkerLagClient } from './worker-lag.client';

/** BullMQ keeps this many minutes of its per-minute counts for the page's throughput chart. */
const MINUTES_SHOWN = 60;

/**
 * The dashboard's figures, each from its one source at the moment of the
 * call: depth, totals, per-minute throughput and workers from BullMQ; fan-out
 * lag from the workers' prom-client registries; memory from Redis INFO.
 * Nothing is sampled or stored here.
 */
@Injectable()
export class QueueStatsService {
  constructor(
    private readonly registry: QueueRegistry,
    private readonly lag: WorkerLagClient,
    private readonly memory: RedisMemoryStore,
  ) {}

  /** Everything about every queue, now (`GET /api/queues`). */
  async snapshot(): Promise<QueuesSnapshot> {
    const [queues, fanoutLag, redis] = await Promise.all([
      Promise.all(this.registry.names().map((name) => this.read(name))),
      this.lag.read(),
      this.memory.read(),
    ]);
    return {
      at: new Date().toISOString(),
      queues,
      fanoutLag,
      redis,
      warnings: queues.flatMap((reading) => queueWarnings(reading)),
    };
  }

  /** One queue as BullMQ counts it: all states in one call, so they belong to one moment. */
  async read(name: string): Promise<QueueReading> {
    const queue = this.registry.get(name);
    const [counts, completed, failed, workers, paused] = await Promise.all([
      queue.getJobCounts(...COUNTED_STATES),
      queue.getMetrics('completed', 0, MINUTES_SHOWN - 1),
      queue.getMetrics('failed', 0, MINUTES_SHOWN - 1),
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
      perMinute: { completed: completed.data, failed: failed.data },
      workers,
    };
  }
}
