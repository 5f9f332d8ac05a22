import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { FeedlineConfig, feedlineConfig } from '@app/config';
import { FANOUT_FLOWS, FanoutProducer } from './fanout.producer';
import { DEFAULT_JOB_OPTIONS, FANOUT_QUEUE } from './jobs';
import { OutboxRelay } from './outbox.relay';
import { OutboxRepository } from './outbox.repository';
import { PUSH_QUEUE } from './push-jobs';
import { PushProducer } from './push.producer';
import { queueConnection } from './queue-connection';
import { QueueConnectionCloser } from './queue-connection.closer';

export interface QueueModuleOptions {
  /** Producers fail fast while Redis is away; workers wait for it. */
  role: 'producer' | 'worker';
  /** Run the outbox relay poller in this app (post-service). */
  relay?: boolean;
  /** Register the push queue and its producer (the worker, which queues notifications). */
  push?: boolean;
}

@Module({})
export class QueueModule {
  static register(options: QueueModuleOptions): DynamicModule {
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [feedlineConfig.KEY],
          useFactory: (config: FeedlineConfig) => ({
            connection: queueConnection(config, options.role) as ConnectionOptions,
            prefix: config.redis.queuePrefix,
            defaultJobOptions: DEFAULT_JOB_OPTIONS,
          }),
        }),
        BullModule.registerQueue({ name: FANOUT_QUEUE }),
        BullModule.registerFlowProducer({ name: FANOUT_FLOWS }),
        ...(options.push ? [BullModule.registerQueue({ name: PUSH_QUEUE })] : []),
      ],
      providers: [
        FanoutProducer,
        OutboxRepository,
        QueueConnectionCloser,
        ...(options.relay ? [OutboxRelay] : []),
        ...(options.push ? [PushProducer] : []),
      ],
      exports: [
        BullModule,
        FanoutProducer,
        OutboxRepository,
        ...(options.relay ? [OutboxRelay] : []),
        ...(options.push ? [PushProducer] : []),
      ],
    };
  }
}
