export { ObservabilityModule } from './observability.module';
export { MetricsRegistry, LATENCY_BUCKETS } from './metrics.registry';
export { HttpMetrics } from './http-metrics';
