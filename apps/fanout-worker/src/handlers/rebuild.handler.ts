import { Injectable } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { JobData } from '@app/queue';
import { TimelineSource, TimelineStore } from '@app/timelines';
import { FollowGraphRepository } from '../follow-graph.repository';
import type { JobOutcome } from './job-outcome';

/** Timelines that Redis lost (eviction, restart, a new deployment) are derived again from PostgreSQL. */
@Injectable()
export class RebuildHandler {
  constructor(
    private readonly graph: FollowGraphRepository,
    private readonly store: TimelineStore,
    private readonly source: TimelineSource,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  async rebuild({ kind, userId: id }: JobData<'timeline-rebuild'>): Promise<JobOutcome> {
    const userId = Number(id);
    const { mode, timelineMax } = this.config.fanout;
    if (kind === 'author') {
      const page = await this.source.authorPosts(userId, timelineMax);
      await this.store.loadAuthor(userId, page.entries, page.floor);
      return { done: `author timeline, ${page.entries.length} posts` };
    }
    // The membership sets are written under the user's row lock, so no
    // follow change slips between reading and writing them.
    let pulled: number[] = [];
    let claimed = false;
    const exists = await this.graph.withUserLocked(userId, async (tx) => {
      const membership = await this.graph.membership(tx, userId);
      pulled = mode === 'hybrid' ? membership.pulled : [];
      claimed = await this.store.claimHome(userId, membership.following, pulled);
    });
    if (!exists) return { skipped: 'no such user' };
    if (!claimed) return { skipped: 'timeline already ready' };
    // Deliveries from here on land in the claimed timeline; posts committed
    // before this read are in it.
    const page =
      mode === 'pull'
        ? { entries: [], floor: 0 }
        : await this.source.homePosts(userId, timelineMax, undefined, pulled);
    await this.store.finishHome(userId, page.entries, page.floor);
    return { done: `home timeline, ${page.entries.length} posts` };
  }
}
