import { Module } from '@nestjs/common';
import { AccountsModule } from '@app/accounts';
import { AuthModule } from '@app/auth';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { FollowsModule } from '@app/follows';
import { ObservabilityModule } from '@app/observability';
import { PostsModule } from '@app/posts';
import { PushModule } from '@app/push';
import { QueueModule } from '@app/queue';
import { RedisModule } from '@app/redis';
import { AuthController } from './auth/auth.controller';
import { FollowsController } from './follows/follows.controller';
import { PostsController } from './posts/posts.controller';
import { PushController } from './push/push.controller';
import { RateLimitModule } from './rate-limit/rate-limit';
import { UsersController } from './users/users.controller';

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
    AccountsModule.register({ ensureAdmin: true }),
    FollowsModule,
    PostsModule,
    PushModule.register(),
  ],
  controllers: [AuthController, UsersController, FollowsController, PostsController, PushController],
})
export class PostServiceModule {}
