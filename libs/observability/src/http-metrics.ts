import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { LATENCY_BUCKETS, MetricsRegistry } from './metrics.registry';

/** Request latency by route template, recorded by a Fastify hook (404s and parse errors included). */
@Injectable()
export class HttpMetrics {
  private readonly duration;

  constructor(metrics: MetricsRegistry) {
    this.duration = metrics.histogram({
      name: 'feedline_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
    });
  }

  install(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.duration.observe(
        { method: request.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }
}
