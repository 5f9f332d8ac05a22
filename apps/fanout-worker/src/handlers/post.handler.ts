import { Injectable } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { JobData, roundSuffix } from '@app/queue';
import { PushNotifier } from '@app/push';
import { StreamPublisher } from '@app/streaming';
import { PostCache, postIdTime, TimelineSource, TimelineStore } from '@app/timelines';
import { DeliveryRepository } from '../delivery.repository';
import { FanoutBatches } from '../fanout-batches';
import { FanoutMetrics } from '../fanout.metrics';
import type { JobOutcome } from './job-outcome';

@Injectable()
export class PostHandler {
  constructor(
    private readonly delivery: DeliveryRepository,
    private readonly store: TimelineStore,
    private readonly source: TimelineSource,
    private readonly cache: PostCache,
    private readonly batches: FanoutBatches,
    private readonly metrics: FanoutMetrics,
    private readonly stream: StreamPublisher,
    private readonly push: PushNotifier,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  /**
   * A new post: into the author's timeline and their own home timeline
   * (but in pull mode, which keeps no home timelines); into every follower's
   * home timeline unless the author is pulled at read time (a celebrity in
   * hybrid mode).
   */
  async created(data: JobData<'post-created'>): Promise<JobOutcome> {
    const postId = Number(data.postId);
    const authorId = Number(data.authorId);
    if ((await this.delivery.isDeleted(postId)) !== false) return { skipped: 'post deleted or missing' };
    // Bell notifications go through their own queue (fixed job id: a retry of this job adds nothing).
    await this.push.postCreated(data.postId, data.authorId);
    const entry = { postId, authorId };
    const update = { event: 'update', postId: data.postId, authorId: data.authorId } as const;
    if ((await this.store.appendOwn(entry)) === 'missing') {
      const page = await this.source.authorPosts(authorId, this.config.fanout.timelineMax);
      await this.store.loadAuthor(authorId, page.entries, page.floor);
    }
    const mode = this.config.fanout.mode;
    if (mode === 'pull') {
      // Pull mode keeps no home timelines: every read merges author timelines.
      await this.stream.toAuthorFollowers(authorId, update);
      this.metrics.recordLag(Date.now() - postIdTime(postId), 'pull');
      return { done: 'author timeline only (pull mode)' };
    }
    await this.store.deliver([authorId], entry);
    // Announced after the timeline writes (a retry announces again: streams drop what they already sent).
    await this.stream.toUsers([authorId], update);
    const author = await this.delivery.status(authorId);
    const push = mode === 'push' || author?.delivery === 'PUSH';
    if (!push) {
      // Published once, on the author's channel: connected followers listen to it.
      await this.stream.toAuthorFollowers(authorId, update);
      this.metrics.recordLag(Date.now() - postIdTime(postId), 'pull');
      return { done: 'author timeline only (merged at read time)' };
    }
    const how = await this.batches.start(
      `post-${postId}${roundSuffix(data)}`,
      authorId,
      { kind: 'insert-post', postId: data.postId },
      data.outboxId,
    );
    if (how !== 'inline') return { done: 'chunks queued', ...how };
    this.metrics.recordLag(Date.now() - postIdTime(postId), 'push');
    return { done: 'delivered' };
  }

  /** A deleted post leaves every timeline it may have reached, and the cache. */
  async deleted(data: JobData<'post-deleted'>): Promise<JobOutcome> {
    const postId = Number(data.postId);
    const authorId = Number(data.authorId);
    await this.cache.markDeleted(postId);
    await this.store.removeOwnPost(authorId, postId);
    await this.store.removePost([authorId], postId);
    const removal = { event: 'delete', postId: data.postId } as const;
    await this.stream.toUsers([authorId], removal);
    // Followers merging the author at read time hear it here (a pushed author's channel has no listeners).
    await this.stream.toAuthorFollowers(authorId, removal);
    const author = await this.delivery.status(authorId);
    const neverPushed =
      this.config.fanout.mode === 'pull' ||
      (this.config.fanout.mode === 'hybrid' &&
        author?.delivery === 'PULL' &&
        postIdTime(postId) > author.deliverySince.getTime());
    if (neverPushed) return { done: 'author timeline only' };
    const how = await this.batches.start(
      `delete-${postId}${roundSuffix(data)}`,
      authorId,
      { kind: 'remove-post', postId: data.postId },
      data.outboxId,
    );
    return how === 'inline' ? { done: 'inline' } : { done: 'chunks queued', ...how };
  }

  /** All chunks of a post's fan-out are done: that is its delivery time. */
  async settled(postId: string): Promise<void> {
    this.metrics.recordLag(Date.now() - postIdTime(Number(postId)), 'push');
  }
}
