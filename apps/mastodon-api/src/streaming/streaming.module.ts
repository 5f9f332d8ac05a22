import { Module } from '@nestjs/common';
import { FeedModule } from '@app/feed';
import { StreamingModule } from '@app/streaming';
import { FollowedChannelsRepository } from './followed-channels.repository';
import { StatusRenderer } from './status-renderer';
import { StreamAuth } from './stream-auth';
import { StreamingController } from './streaming.controller';
import { StreamingGateway } from './streaming.gateway';
import { UserStreams } from './user-streams.service';

/** The user stream over SSE (`/api/v1/streaming/user`) and WebSocket (`/api/v1/streaming`). */
@Module({
  imports: [FeedModule, StreamingModule],
  controllers: [StreamingController],
  providers: [UserStreams, StatusRenderer, FollowedChannelsRepository, StreamAuth, StreamingGateway],
  exports: [UserStreams],
})
export class MastodonStreamingModule {}
