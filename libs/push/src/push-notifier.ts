import { Injectable } from '@nestjs/common';
import { PushProducer } from '@app/queue';
import { WebPushSender } from './web-push.sender';

/**
 * Where the fan-out hands notifications over: one small job on the push
 * queue each, whatever the audience. The push queue's own worker pages the
 * audience, so the fan-out never waits on it (docs/adr/0010-web-push.md).
 */
@Injectable()
export class PushNotifier {
  constructor(
    private readonly producer: PushProducer,
    private readonly sender: WebPushSender,
  ) {}

  /** `eventId` names the follow event (its outbox row): a re-sent event queues nothing new. */
  async followed(followerId: string, followeeId: string, eventId: string): Promise<void> {
    if (!this.sender.keys) return;
    await this.producer.enqueue('push-follower', { followerId, followeeId, eventId });
  }

  async postCreated(postId: string, authorId: string): Promise<void> {
    if (!this.sender.keys) return;
    await this.producer.enqueue('push-post', { postId, authorId, after: null });
  }
}
