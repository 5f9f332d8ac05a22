import { Injectable, Logger } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { JobData, roundSuffix } from '@app/queue';
import { StreamPublisher } from '@app/streaming';
import { DeliveryRepository } from '../delivery.repository';
import { FollowGraphRepository } from '../follow-graph.repository';
import { FanoutBatches } from '../fanout-batches';
import type { JobOutcome } from './job-outcome';

/**
 * Moves an author between push and pull without losing or doubling a post
 * (docs/adr/0004-hybrid-threshold-and-celebrities.md):
 *
 * - promotion: followers start merging the author at read time (chunked);
 *   only once all have, pushing stops (delivery PULL, in `settled`);
 * - demotion: pushing resumes at once; then each follower gets the author's
 *   recent posts and stops merging them, in one atomic step.
 *
 * Between the two, a post may be both pushed and merged: reads de-duplicate.
 */
@Injectable()
export class CelebrityHandler {
  private readonly logger = new Logger(CelebrityHandler.name);

  constructor(
    private readonly graph: FollowGraphRepository,
    private readonly delivery: DeliveryRepository,
    private readonly batches: FanoutBatches,
    private readonly stream: StreamPublisher,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  async changed(data: JobData<'celebrity-changed'>): Promise<JobOutcome> {
    const userId = Number(data.userId);
    const hybrid = this.config.fanout.mode === 'hybrid';
    const event = `${data.outboxId ?? String(Date.now())}${roundSuffix(data)}`;
    let outcome: JobOutcome = { skipped: 'user no longer exists' };
    await this.graph.withUserLocked(userId, async (tx) => {
      const status = await this.delivery.status(userId, tx);
      if (!status) return;
      if (status.isCelebrity && status.delivery === 'PUSH') {
        if (!hybrid) {
          await this.delivery.setDelivery(tx, userId, 'PULL');
          outcome = { done: 'promoted (no timelines to re-wire in this mode)' };
          return;
        }
        const how = await this.batches.start(
          `pull-on-${userId}-${event}`,
          userId,
          { kind: 'start-pulling' },
          data.outboxId,
        );
        if (how === 'inline') await this.delivery.setDelivery(tx, userId, 'PULL');
        outcome = how === 'inline' ? { done: 'promotion inline' } : { done: 'promotion batched', ...how };
      } else if (!status.isCelebrity && status.delivery === 'PULL') {
        await this.delivery.setDelivery(tx, userId, 'PUSH');
        const how = hybrid
          ? await this.batches.start(
              `pull-off-${userId}-${event}`,
              userId,
              { kind: 'stop-pulling' },
              data.outboxId,
            )
          : 'inline';
        outcome = how === 'inline' ? { done: 'demoted' } : { done: 'demoted', ...how };
      } else {
        outcome = { skipped: 'already in the state the flag asks for' };
      }
    });
    // After the commit: streaming processes re-read the author's delivery.
    if ('done' in outcome) await this.stream.deliveryChanged(userId);
    return outcome;
  }

  /** All followers merge the author at read time now: stop pushing, if still a celebrity. */
  async promotionSettled(userId: number): Promise<void> {
    await this.graph.withUserLocked(userId, async (tx) => {
      const status = await this.delivery.status(userId, tx);
      if (status?.isCelebrity && status.delivery === 'PUSH') {
        await this.delivery.setDelivery(tx, userId, 'PULL');
        this.logger.log({ userId }, 'celebrity: fan-out now at read time');
      }
    });
    await this.stream.deliveryChanged(userId);
  }
}
