import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { MetricsRegistry } from '@app/observability';
import { FANOUT_QUEUE } from '@app/queue';

/** Fan-out figures, in this replica's Prometheus registry (the admin dashboard reads them there too). */
@Injectable()
export class FanoutMetrics {
  readonly deliveries;
  readonly lag;
  readonly recentLag;
  readonly jobDuration;

  constructor(metrics: MetricsRegistry, @InjectQueue(FANOUT_QUEUE) queue: Queue) {
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
    // The same lag as live percentiles over the last minute, computed by prom-client for the
    // dashboard; across replicas it shows the worst one's (aggregated by max).
    this.recentLag = metrics.summary({
      name: 'feedline_fanout_lag_recent_seconds',
      help: 'Fan-out lag percentiles over the last minute',
      percentiles: [0.5, 0.95, 0.99, 1],
      maxAgeSeconds: 60,
      ageBuckets: 6,
      aggregator: 'max',
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

  /** Records one post's lag. */
  recordLag(lagMs: number, strategy: 'push' | 'pull'): void {
    this.lag.observe({ strategy }, lagMs / 1000);
    this.recentLag.observe(lagMs / 1000);
  }
}
