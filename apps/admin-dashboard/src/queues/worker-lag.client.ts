import { Injectable, Logger } from '@nestjs/common';
import { AggregatorRegistry } from 'prom-client';
import { FeedlineConfig, InjectConfig } from '@app/config';
import type { LagFigures } from './queue-figures';

/** The workers' summary of fan-out lag (apps/fanout-worker/src/fanout.metrics.ts). */
const RECENT_LAG = 'feedline_fanout_lag_recent_seconds';
const WINDOW_SECONDS = 60;
const TIMEOUT_MS = 1000;

/**
 * Fan-out lag as the workers' own prom-client registries hold it: each
 * replica's registry as JSON from its /metrics, merged by prom-client's
 * AggregatorRegistry (the summary declares `max`: the slowest replica's
 * percentiles).
 */
@Injectable()
export class WorkerLagClient {
  private readonly logger = new Logger(WorkerLagClient.name);
  private readonly urls: string[];

  constructor(@InjectConfig() config: FeedlineConfig) {
    this.urls = config.workerMetricsUrls;
  }

  async read(): Promise<LagFigures> {
    const replies = await Promise.all(this.urls.map((url) => this.fetchRegistry(url)));
    const registries = replies.filter((reply): reply is object[] => reply !== undefined);
    const unreachable = this.urls.filter((_url, i) => replies[i] === undefined);
    const summary = AggregatorRegistry.aggregate(registries).getSingleMetric(RECENT_LAG);
    const values = summary ? (await summary.get()).values : [];
    const count =
      (values as Array<{ metricName?: string; value: number }>).find(
        (entry) => entry.metricName === `${RECENT_LAG}_count`,
      )?.value ?? 0;
    const at = (quantile: number) => {
      // An empty summary's quantiles are NaN, which JSON carries as null.
      const value = values.find((entry) => entry.labels.quantile === quantile)?.value as number | null;
      return count === 0 || value === null || !Number.isFinite(value) ? null : Math.round(value * 1000);
    };
    return {
      windowSeconds: WINDOW_SECONDS,
      samples: count,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      p99Ms: at(0.99),
      maxMs: at(1),
      unreachable,
    };
  }

  private async fetchRegistry(url: string): Promise<object[] | undefined> {
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return (await response.json()) as object[];
    } catch (error) {
      this.logger.debug({ url, err: error }, 'worker metrics unreachable');
      return undefined;
    }
  }
}
