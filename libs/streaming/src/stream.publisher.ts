import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cluster } from 'ioredis';
import { REDIS_CLIENT, RedisClient, RedisKeys } from '@app/redis';
import { encodeStreamEvent, StreamEvent } from './stream-event';

/**
 * Announces timeline changes to connected clients (Redis pub/sub; sharded
 * pub/sub, SPUBLISH, on a cluster). Publishing is best effort: the timeline
 * write it follows is the truth, and a client that missed a message pages
 * for it (GET /api/v1/timelines/home?min_id=...). So a failure is logged,
 * never thrown into the fan-out that called it.
 */
@Injectable()
export class StreamPublisher {
  private readonly logger = new Logger(StreamPublisher.name);

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  /** One event on each user's channel (a pushed post, a removed one), in one round trip. */
  toUsers(userIds: readonly number[], event: StreamEvent): Promise<void> {
    return this.send(
      userIds.map((id) => this.keys.userStream(id)),
      encodeStreamEvent(event),
    );
  }

  /** One event on an author's channel: every connected follower listening to it hears it. */
  toAuthorFollowers(authorId: number, event: StreamEvent): Promise<void> {
    return this.send([this.keys.authorStream(authorId)], encodeStreamEvent(event));
  }

  /** An author moved between push and read-time merge: one message for every streaming process. */
  deliveryChanged(authorId: number): Promise<void> {
    return this.send(
      [this.keys.deliveryStream()],
      encodeStreamEvent({ event: 'delivery', authorId: String(authorId) }),
    );
  }

  private async send(channels: readonly string[], message: string): Promise<void> {
    if (channels.length === 0) return;
    try {
      if (this.redis instanceof Cluster) {
        // Auto-pipelining groups these per node.
        await Promise.all(channels.map((channel) => this.redis.spublish(channel, message)));
        return;
      }
      const pipeline = this.redis.pipeline();
      for (const channel of channels) pipeline.publish(channel, message);
      await pipeline.exec();
    } catch (error) {
      this.logger.warn({ err: error, channels: channels.length }, 'stream event not published');
    }
  }
}
