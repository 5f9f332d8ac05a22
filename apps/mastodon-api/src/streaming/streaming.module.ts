import { FollowedChannelsRepository } from './followed-channels.repository';
import { StatusRenderer } from './status-renderer';
import { StreamAuth } from './stream-auth';
import { StreamingController } from './streaming.controller';
import { StreamingGateway } from './streaming.gateway';
import { UserStreams } from './user-streams.service';

/**
 * The user stream over SSE (`/api/v1/streaming/user`) and WebSocket
 * (`/api/v1/streaming`), part of the app's root module (it shares the app's
 * TokenResolver); needs `StreamingModule` from @app/streaming and `FeedModule`.
 */
export const STREAMING_CONTROLLERS = [StreamingController];
export const STREAMING_PROVIDERS = [
  UserStreams,
  StatusRenderer,
  FollowedChannelsRepository,
  StreamAuth,
  StreamingGateway,
];
