export { StreamingModule, StreamPublisherModule } from './streaming.module';
export { StreamPublisher } from './stream.publisher';
export { StreamSubscriber } from './stream.subscriber';
export type { StreamListener } from './stream.subscriber';
export { decodeStreamEvent, encodeStreamEvent } from './stream-event';
export type { StreamEvent } from './stream-event';
