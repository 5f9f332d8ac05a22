import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { FeedModule } from '@app/feed';
import { ObservabilityModule } from '@app/observability';
import { QueueModule } from '@app/queue';
import { RedisModule } from '@app/redis';
import { FeedController } from './feed/feed.controller';

/** The read side: home feeds (hybrid merge) and author timelines; asks the worker to rebuild what Redis lost. */
@Module({
  imports: [
    ConfigModule,
    ObservabilityModule.forRoot({ app: 'feed-service' }),
    DatabaseModule,
    RedisModule,
    QueueModule.register({ role: 'producer' }),
    AuthModule.register(),
    FeedModule,
  ],
  controllers: [FeedController],
})
export class FeedServiceModule {}
