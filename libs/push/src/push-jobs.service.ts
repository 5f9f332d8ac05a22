import { Injectable, Logger } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { PushJobData, PushNotification, PushProducer } from '@app/queue';
import { PushAudienceRepository } from './push-audience.repository';
import { PushSubscriptionsRepository } from './push-subscriptions.repository';
import { WebPushSender } from './web-push.sender';

/** What a push job did: work done, or an explicit no-op (kept as its BullMQ return value). */
export type PushOutcome = { done: string } | { skipped: string };

/** Thrown by a chunk that has subscriptions left to retry; the queue retries the job with backoff. */
export class PushRetryError extends Error {
  override readonly name = 'PushRetryError';
}

/** Requests sent at once within a chunk: enough to hide latency, few enough for one process. */
const PARALLEL_SENDS = 50;
/** Characters of a post shown in its notification. */
const PREVIEW = 140;

/**
 * The push queue's jobs. Every step is idempotent or remembers what it did:
 * paging jobs and chunks have fixed ids, and a chunk records which
 * subscriptions were answered before it asks to be retried.
 */
@Injectable()
export class PushJobs {
  private readonly logger = new Logger(PushJobs.name);

  constructor(
    private readonly audience: PushAudienceRepository,
    private readonly subscriptions: PushSubscriptionsRepository,
    private readonly sender: WebPushSender,
    private readonly producer: PushProducer,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  /** Tell the followee about a new follower (unless the follow was undone meanwhile). */
  async follower(data: PushJobData<'push-follower'>): Promise<PushOutcome> {
    if (!this.sender.keys) return { skipped: 'push is not configured' };
    if (!(await this.audience.isFollowing(data.followerId, data.followeeId)))
      return { skipped: 'no longer following' };
    const follower = await this.audience.person(data.followerId);
    if (!follower) return { skipped: 'follower no longer exists' };
    await this.producer.enqueue('push-send', {
      key: `follower.${data.eventId}`,
      notification: {
        type: 'follow',
        title: 'New follower',
        body: `${follower.displayName} (@${follower.username}) followed you`,
        url: `/@${follower.username}`,
        tag: `follow-${data.followerId}`,
      },
      userIds: [data.followeeId],
      bulk: false,
    });
    return { done: 'queued' };
  }

  /** One page of a post's bell subscribers: a chunk to send, and the next page. */
  async post(data: PushJobData<'push-post'>): Promise<PushOutcome> {
    if (!this.sender.keys) return { skipped: 'push is not configured' };
    const post = await this.audience.livePost(data.postId);
    if (!post) return { skipped: 'post deleted or missing' };
    const author = await this.audience.person(data.authorId);
    if (!author) return { skipped: 'author no longer exists' };
    const size = this.config.push.chunkSize;
    const page = await this.audience.bellSubscribers(data.authorId, data.after, size);
    if (page.length === 0) return { skipped: data.after === null ? 'no bell subscribers' : 'last page' };
    const full = page.length === size;
    // A first page that is also the last is a small audience: it keeps the high priority.
    const bulk = full || data.after !== null;
    await this.producer.enqueueBulk([
      {
        name: 'push-send',
        data: {
          key: `post-${data.postId}.${data.after ?? 'start'}`,
          notification: postNotification(data.postId, author, post.content),
          userIds: page,
          bulk,
        },
      },
      ...(full ? [{ name: 'push-post' as const, data: { ...data, after: page[page.length - 1] } }] : []),
    ]);
    return { done: `${page.length} subscribers queued${full ? ', next page queued' : ''}` };
  }

  /**
   * Sends a chunk's notification to every subscription of its users that has
   * not been answered yet. Gone subscriptions (404/410) are deleted. If any
   * asked for a retry, the answered ones are saved with `saveDelivered` and
   * the job throws, so the retry sends only to the rest.
   */
  async send(
    data: PushJobData<'push-send'>,
    saveDelivered: (delivered: string[]) => Promise<void>,
  ): Promise<PushOutcome> {
    if (!this.sender.keys) return { skipped: 'push is not configured' };
    const answered = new Set(data.delivered ?? []);
    const pending = (await this.subscriptions.forUsers(data.userIds)).filter((s) => !answered.has(s.id));
    const counts = { sent: 0, gone: 0, rejected: 0, retry: 0 };
    for (let i = 0; i < pending.length; i += PARALLEL_SENDS) {
      await Promise.all(
        pending.slice(i, i + PARALLEL_SENDS).map(async (subscription) => {
          const result = await this.sender.send(subscription, data.notification);
          counts[result.kind] += 1;
          switch (result.kind) {
            case 'gone':
              await this.subscriptions.remove(subscription.id);
              answered.add(subscription.id);
              return;
            case 'rejected':
              this.logger.warn({ subscriptionId: subscription.id, reason: result.reason }, 'push refused');
              answered.add(subscription.id);
              return;
            case 'sent':
              answered.add(subscription.id);
              return;
            case 'retry':
              this.logger.warn({ subscriptionId: subscription.id, reason: result.reason }, 'push to retry');
              return;
            default:
              return exhaustive(result);
          }
        }),
      );
    }
    const summary = `${counts.sent} sent, ${counts.gone} gone, ${counts.rejected} refused`;
    if (counts.retry > 0) {
      await saveDelivered([...answered]);
      throw new PushRetryError(`${summary}, ${counts.retry} to retry`);
    }
    return pending.length === 0 ? { skipped: 'no subscriptions' } : { done: summary };
  }
}

function postNotification(
  postId: string,
  author: { username: string; displayName: string },
  content: string,
): PushNotification {
  const chars = Array.from(content);
  return {
    type: 'post',
    title: `${author.displayName} (@${author.username})`,
    body: chars.length > PREVIEW ? `${chars.slice(0, PREVIEW - 1).join('')}…` : content,
    url: `/posts/${postId}`,
    tag: `post-${postId}`,
  };
}

function exhaustive(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
