import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { MetricsRegistry } from './metrics.registry';

@ApiExcludeController()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  /** Prometheus' text format; prom-client's JSON (`Accept: application/json`) for the admin dashboard. */
  @Get()
  async scrape(@Headers('accept') accept: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const { registry } = this.metrics;
    if (accept?.includes('application/json')) return void reply.send(await registry.getMetricsAsJSON());
    void reply.type(registry.contentType).send(await registry.metrics());
  }
}
