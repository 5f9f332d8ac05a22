import { Injectable } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { JobData } from '@app/queue';
import { TimelineSource, TimelineStore } from '@app/timelines';
import { AuthorsRepository } from '../authors.repository';
import type { JobOutcome } from './job-outcome';

@Injectable()
export class FollowHandler {
  constructor(
    private readonly authors: AuthorsRepository,
    private readonly store: TimelineStore,
    private readonly source: TimelineSource,
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
    await this.authors.withUserLocked(followerId, async (tx) => {
      if (!(await this.authors.isFollowing(tx, followerId, followeeId))) {
        await this.store.unfollow(followerId, followeeId);
        outcome = { done: 'unfollowed' };
        return;
      }
      const followee = await this.authors.status(followeeId, tx);
      const pulledNow = followee?.isCelebrity === true || followee?.fanoutMode === 'PULL';
      const pulled = mode === 'hybrid' && pulledNow;
      // Membership first, then the backfill read: a post delivered in between
      // is accepted, one committed before is in the read.
      if (!(await this.store.follow(followerId, followeeId, pulled))) {
        outcome = { skipped: 'no timeline (it will be rebuilt with this follow)' };
        return;
      }
      if (mode === 'pull' || (pulled && followee?.fanoutMode === 'PULL' && followee.isCelebrity)) {
        outcome = { done: 'followed (read-time merge)' };
        return;
      }
      const page = await this.source.authorPosts(followeeId, this.config.fanout.timelineMax);
      await this.store.merge(followerId, page.entries, page.floor);
      outcome = { done: `followed, ${page.entries.length} posts backfilled` };
    });
    return outcome;
  }
}
