import { Module } from '@nestjs/common';
import { AccountsModule } from '@app/accounts';
import { AuthModule } from '@app/auth';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { FeedModule } from '@app/feed';
import { FollowsModule } from '@app/follows';
import { ObservabilityModule } from '@app/observability';
import { PostsModule } from '@app/posts';
import { QueueModule } from '@app/queue';
import { RedisModule } from '@app/redis';
import { StreamingModule } from '@app/streaming';
import { AccountsController } from './accounts/accounts.controller';
import { MastodonRepository } from './accounts/mastodon.repository';
import { PresenterService } from './accounts/presenter.service';
import { MastodonAuthGuard } from './auth/mastodon-auth.guard';
import { TokenResolver } from './auth/token-resolver';
import { InstanceController } from './instance/instance.controller';
import { InstanceService } from './instance/instance.service';
import { OAuthController } from './oauth/oauth.controller';
import { OAuthRepository } from './oauth/oauth.repository';
import { OAuthService } from './oauth/oauth.service';
import { PlaceholdersController } from './placeholders/placeholders.controller';
import { MastodonRateLimitModule } from './rate-limit';
import { StatusesController } from './statuses/statuses.controller';
import { STREAMING_CONTROLLERS, STREAMING_PROVIDERS } from './streaming/streaming.module';
import { HomeTimelineService } from './timelines/home-timeline.service';
import { TimelinesController } from './timelines/timelines.controller';

/**
 * The Mastodon client API under one base URL (docs/adr/0008-mastodon-api.md):
 * OAuth, discovery, accounts, statuses, the home timeline, streaming. It calls
 * the domain libraries directly, as post-service and feed-service do: no
 * extra hop on the read path.
 */
@Module({
  imports: [
    ConfigModule,
    ObservabilityModule.forRoot({ app: 'mastodon-api' }),
    DatabaseModule,
    RedisModule,
    QueueModule.register({ role: 'producer', relay: true }),
    AuthModule.register(),
    AccountsModule.register(),
    FollowsModule,
    PostsModule,
    FeedModule,
    MastodonRateLimitModule,
    StreamingModule,
  ],
  controllers: [
    InstanceController,
    OAuthController,
    AccountsController,
    StatusesController,
    TimelinesController,
    PlaceholdersController,
    ...STREAMING_CONTROLLERS,
  ],
  providers: [
    OAuthRepository,
    OAuthService,
    TokenResolver,
    MastodonAuthGuard,
    InstanceService,
    MastodonRepository,
    PresenterService,
    HomeTimelineService,
    ...STREAMING_PROVIDERS,
  ],
  exports: [TokenResolver],
})
export class MastodonApiModule {}
