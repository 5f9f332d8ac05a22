import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { FeedlineConfig, feedlineConfig } from '@app/config';
import { HealthController } from './health.controller';
import { HttpMetrics } from './http-metrics';
import { loggerOptions } from './logger.options';
import { MetricsController } from './metrics.controller';
import { PingController } from './ping.controller';
import { MetricsRegistry } from './metrics.registry';

/** Logs, `/health` and `/metrics` for one app. */
@Module({})
export class ObservabilityModule {
  static forRoot(options: { app: string }): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        LoggerModule.forRootAsync({
          inject: [feedlineConfig.KEY],
          useFactory: (config: FeedlineConfig) => loggerOptions(options.app, config),
        }),
        TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }),
      ],
      controllers: [HealthController, MetricsController, PingController],
      providers: [
        { provide: MetricsRegistry, useFactory: () => new MetricsRegistry(options.app) },
        HttpMetrics,
      ],
      exports: [MetricsRegistry, HttpMetrics],
    };
  }
}
