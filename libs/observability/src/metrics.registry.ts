import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics } from 'prom-client';
import type {
  CounterConfiguration,
  GaugeConfiguration,
  HistogramConfiguration,
  SummaryConfiguration,
} from 'prom-client';

/**
 * One Prometheus registry per app instance (not prom-client's global one), so
 * several apps can run in one process, as the end-to-end tests do.
 */
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor(readonly app: string) {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry, prefix: 'feedline_' });
  }

  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return this.reuse(config.name) ?? new Counter({ ...config, registers: [this.registry] });
  }

  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return this.reuse(config.name) ?? new Gauge({ ...config, registers: [this.registry] });
  }

  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return this.reuse(config.name) ?? new Histogram({ ...config, registers: [this.registry] });
  }

  summary<L extends string>(config: Omit<SummaryConfiguration<L>, 'registers'>): Summary<L> {
    return this.reuse(config.name) ?? new Summary({ ...config, registers: [this.registry] });
  }

  private reuse<M>(name: string): M | undefined {
    return this.registry.getSingleMetric(name) as M | undefined;
  }
}

/** Latency buckets (seconds) fine enough for sub-millisecond Redis-backed reads. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
