import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { MetricsRegistry } from '@app/observability';
import { FANOUT_QUEUE } from '@app/queue';
import { REDIS_CLIENT, RedisClient, RedisKeys } from '@app/redis';

const LAG_SAMPLES_KEPT = 5000;

/** Fan-out figures: Prometheus for this replica, plus lag samples in Redis shared by all replicas (the dashboard). */
@Injectable()
export class FanoutMetrics {
  readonly deliveries;
  readonly lag;
  readonly jobDuration;

  constructor(
    metrics: MetricsRegistry,
    @InjectQueue(FANOUT_QUEUE) queue: Queue,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    this.deliveries = metrics.counter({
      name: 'feedline_fanout_deliveries_total',
      help: 'Posts written into home timelines by fan-out',
    });
    this.lag = metrics.histogram({
      name: 'feedline_fanout_lag_seconds',
      help: 'From post creation to its last timeline write (or to its author timeline, for pulled authors)',
      labelNames: ['strategy'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    });
    this.jobDuration = metrics.histogram({
      name: 'feedline_job_duration_seconds',
      help: 'Time to process one job',
      labelNames: ['name', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
    metrics.gauge({
      name: 'feedline_queue_depth',
      help: 'Jobs in the fan-out queue by state (read from BullMQ at scrape time)',
      labelNames: ['state'],
      async collect() {
        const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
        for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
      },
    });
  }

  /** Records one post's lag here and in the shared sample list. */
  async recordLag(lagMs: number, strategy: 'push' | 'pull'): Promise<void> {
    this.lag.observe({ strategy }, lagMs / 1000);
    const key = this.keys.fanoutLagSamples();
    await this.redis
      .pipeline()
      .lpush(key, `${Date.now()}:${Math.round(lagMs)}`)
      .ltrim(key, 0, LAG_SAMPLES_KEPT - 1)
      .exec();
  }
}
