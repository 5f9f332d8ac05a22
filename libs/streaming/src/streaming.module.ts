import { Module } from '@nestjs/common';
import { FeedlineConfig, feedlineConfig } from '@app/config';
import { createSubscriberClient } from '@app/redis';
import { StreamPublisher } from './stream.publisher';
import { STREAM_SUBSCRIBER_CLIENT, StreamSubscriber } from './stream.subscriber';

/** Publishing side only: the fan-out worker and the follow service. */
@Module({
  providers: [StreamPublisher],
  exports: [StreamPublisher],
})
export class StreamPublisherModule {}

/** Both sides: the streaming endpoints (one subscriber connection per process). */
@Module({
  providers: [
    StreamPublisher,
    {
      provide: STREAM_SUBSCRIBER_CLIENT,
      inject: [feedlineConfig.KEY],
      useFactory: (config: FeedlineConfig) => createSubscriberClient(config, 'feedline-stream'),
    },
    StreamSubscriber,
  ],
  exports: [StreamPublisher, StreamSubscriber],
})
export class StreamingModule {}
