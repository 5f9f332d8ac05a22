import { Injectable } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { FanoutChunk, FanoutOperation, FanoutProducer, HandedOver } from '@app/queue';
import { StreamPublisher } from '@app/streaming';
import { TimelineSource, TimelineStore } from '@app/timelines';
import { DeliveryRepository } from './delivery.repository';
import { FanoutMetrics } from './fanout.metrics';
import { FollowGraphRepository } from './follow-graph.repository';

/** How many followers share one Redis pipeline inside a chunk. */
const PIPELINE_SIZE = 1000;

/**
 * Applies an operation to every follower of an author. Small audiences are
 * done inside the calling job; large ones become chunk jobs (follower id
 * ranges with fixed ids) that any worker replica can take, each retried on
 * its own, with one settle job after the last.
 */
@Injectable()
export class FanoutBatches {
  constructor(
    private readonly graph: FollowGraphRepository,
    private readonly source: TimelineSource,
    private readonly store: TimelineStore,
    private readonly producer: FanoutProducer,
    private readonly delivery: DeliveryRepository,
    private readonly metrics: FanoutMetrics,
    private readonly stream: StreamPublisher,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  /**
   * 'inline' when already applied to everyone; otherwise chunk jobs and a
   * settle job were queued, and the settle job (returned) removes the
   * event's outbox row `outboxId` once every chunk is done.
   */
  async start(
    batchId: string,
    authorId: number,
    operation: FanoutOperation,
    outboxId?: string,
  ): Promise<'inline' | HandedOver> {
    const ranges = await this.graph.followerRanges(authorId, this.config.fanout.chunkSize);
    if (ranges.length === 1) {
      await this.apply({ batchId, authorId: String(authorId), operation, range: ranges[0] });
      return 'inline';
    }
    const author = String(authorId);
    const chunks: FanoutChunk[] = ranges.map((range) => ({ batchId, authorId: author, operation, range }));
    return this.producer.enqueueBatch(
      { batchId, authorId: author, operation, chunks: chunks.length, outboxId },
      chunks,
    );
  }

  /** One chunk: the followers in its range, read once, written in pipelines. Idempotent. */
  async apply(chunk: FanoutChunk): Promise<number> {
    const { operation } = chunk;
    const authorId = Number(chunk.authorId);
    const followers = await this.graph.followersIn(authorId, chunk.range);
    let affected = 0;
    switch (operation.kind) {
      case 'insert-post': {
        // A post deleted while its fan-out was queued is not delivered.
        if ((await this.delivery.isDeleted(Number(operation.postId))) !== false) return 0;
        const entry = { postId: Number(operation.postId), authorId };
        const event = { event: 'update', postId: operation.postId, authorId: chunk.authorId } as const;
        for (const slice of slices(followers)) {
          affected += await this.store.deliver(slice, entry);
          // To every follower, also those whose timeline is not in Redis (their feed has it, from
          // PostgreSQL); a retried chunk announces again, and streams drop what they already sent.
          await this.stream.toUsers(slice, event);
        }
        this.metrics.deliveries.inc(affected);
        return affected;
      }
      case 'remove-post':
        for (const slice of slices(followers)) {
          affected += await this.store.removePost(slice, Number(operation.postId));
          await this.stream.toUsers(slice, { event: 'delete', postId: operation.postId });
        }
        return affected;
      case 'start-pulling':
        for (const slice of slices(followers)) affected += await this.store.startPulling(slice, authorId);
        return affected;
      case 'stop-pulling': {
        // The author's posts from their celebrity days reach each follower's
        // home timeline in the same step that ends the read-time merge.
        const page = await this.source.authorPosts(authorId, this.config.fanout.timelineMax);
        for (const follower of followers) {
          if (await this.store.merge(follower, page.entries, page.floor, authorId)) affected += 1;
        }
        return affected;
      }
      default:
        return exhaustive(operation);
    }
  }
}

function* slices<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += PIPELINE_SIZE) yield items.slice(i, i + PIPELINE_SIZE);
}

export function exhaustive(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
