import { Injectable } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { PushNotifier } from '@app/push';
import { JobData } from '@app/queue';
import { TimelineSource, TimelineStore } from '@app/timelines';
import { DeliveryRepository } from '../delivery.repository';
import { FollowGraphRepository } from '../follow-graph.repository';
import type { JobOutcome } from './job-outcome';

@Injectable()
export class FollowHandler {
  constructor(
    private readonly graph: FollowGraphRepository,
    private readonly delivery: DeliveryRepository,
    private readonly store: TimelineStore,
    private readonly source: TimelineSource,
    private readonly push: PushNotifier,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  /**
   * Brings the follower's timeline in line with the follow as it is *now* in
   * PostgreSQL (not as it was when the event was written), under the
   * follower's row lock: late, repeated or reordered events all converge.
   */
  async changed(data: JobData<'follow-changed'>): Promise<JobOutcome> {
    const followerId = Number(data.followerId);
    const followeeId = Number(data.followeeId);
    const mode = this.config.fanout.mode;
    let outcome: JobOutcome = { skipped: 'follower no longer exists' };
    let following = false;
    await this.graph.withUserLocked(followerId, async (tx) => {
      if (!(await this.graph.isFollowing(tx, followerId, followeeId))) {
        await this.store.unfollow(followerId, followeeId);
        outcome = { done: 'unfollowed' };
        return;
      }
      following = true;
      const followee = await this.delivery.status(followeeId, tx);
      const pulledNow = followee?.isCelebrity === true || followee?.delivery === 'PULL';
      const pulled = mode === 'hybrid' && pulledNow;
      // Membership first, then the backfill read: a post delivered in between
      // is accepted, one committed before is in the read.
      if (!(await this.store.follow(followerId, followeeId, pulled))) {
        outcome = { skipped: 'no timeline (it will be rebuilt with this follow)' };
        return;
      }
      if (mode === 'pull' || (pulled && followee?.delivery === 'PULL' && followee.isCelebrity)) {
        outcome = { done: 'followed (read-time merge)' };
        return;
      }
      const page = await this.source.authorPosts(followeeId, this.config.fanout.timelineMax);
      await this.store.merge(followerId, page.entries, page.floor);
      outcome = { done: `followed, ${page.entries.length} posts backfilled` };
    });
    // The followee hears of a new follower (the event's id keeps a re-sent event from notifying twice).
    if (following)
      await this.push.followed(
        data.followerId,
        data.followeeId,
        data.outboxId ?? `${followerId}-${followeeId}`,
      );
    return outcome;
  }
}
