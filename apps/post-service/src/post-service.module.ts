import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ObservabilityModule } from '@app/observability';
import { QueueModule } from '@app/queue';
import { RedisModule } from '@app/redis';
import { AccountsModule } from './auth/accounts.module';
import { FollowsModule } from './follows/follows.module';
import { PostsModule } from './posts/posts.module';
import { RateLimitModule } from './rate-limit/rate-limit';
import { UsersModule } from './users/users.module';

/** The write side: accounts and tokens, the follow graph, posts; hands fan-out work to the queue via the outbox. */
@Module({
  imports: [
    ConfigModule,
    ObservabilityModule.forRoot({ app: 'post-service' }),
    DatabaseModule,
    RedisModule,
    QueueModule.register({ role: 'producer', relay: true }),
    AuthModule.register({ issuer: true }),
    RateLimitModule,
    AccountsModule,
    UsersModule,
    FollowsModule,
    PostsModule,
  ],
})
export class PostServiceModule {}
