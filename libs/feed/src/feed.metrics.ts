import { Injectable } from '@nestjs/common';
import { LATENCY_BUCKETS, MetricsRegistry } from '@app/observability';

@Injectable()
export class FeedMetrics {
  /** Where each page window came from: Redis, or PostgreSQL (and why). */
  readonly windows;
  readonly cache;
  /** Read-time merge cost: author timelines merged into one page, and the time that took. */
  readonly pulledSources;
  readonly pullSeconds;

  constructor(metrics: MetricsRegistry) {
    this.windows = metrics.counter({
      name: 'feedline_feed_windows_total',
      help: 'Feed page windows by source: redis, or postgres with the reason',
      labelNames: ['source'],
    });
    this.cache = metrics.counter({
      name: 'feedline_feed_cache_lookups_total',
      help: 'Post/profile cache lookups during hydration',
      labelNames: ['result'],
    });
    this.pulledSources = metrics.histogram({
      name: 'feedline_feed_pulled_timelines',
      help: 'Author timelines merged at read time per page window',
      buckets: [0, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
    });
    this.pullSeconds = metrics.histogram({
      name: 'feedline_feed_pull_seconds',
      help: 'Time spent reading author timelines for the read-time merge',
      buckets: LATENCY_BUCKETS,
    });
  }
}
