import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ObservabilityModule } from '@app/observability';
import { PushModule } from '@app/push';
import { QueueModule } from '@app/queue';
import { RedisModule } from '@app/redis';
import { TimelinesModule } from '@app/timelines';
import { DeliveryRepository } from './delivery.repository';
import { FanoutBatches } from './fanout-batches';
import { FanoutMetrics } from './fanout.metrics';
import { FanoutProcessor } from './fanout.processor';
import { FollowGraphRepository } from './follow-graph.repository';
import { CelebrityHandler } from './handlers/celebrity.handler';
import { FollowHandler } from './handlers/follow.handler';
import { PostHandler } from './handlers/post.handler';
import { RebuildHandler } from './handlers/rebuild.handler';
import { PushProcessor } from './push/push.processor';

/** Consumes the fan-out queue (timelines, deletes, follows, celebrity changes) and, with its own worker, the push queue. */
@Module({
  imports: [
    ConfigModule,
    ObservabilityModule.forRoot({ app: 'fanout-worker' }),
    DatabaseModule,
    RedisModule,
    QueueModule.register({ role: 'worker', push: true }),
    TimelinesModule,
    PushModule.register({ sending: true }),
  ],
  providers: [
    FanoutProcessor,
    FanoutBatches,
    FanoutMetrics,
    DeliveryRepository,
    FollowGraphRepository,
    PostHandler,
    FollowHandler,
    CelebrityHandler,
    RebuildHandler,
    PushProcessor,
  ],
})
export class FanoutWorkerModule {}
