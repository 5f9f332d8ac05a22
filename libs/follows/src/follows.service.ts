import { BadRequestException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { PrismaService } from '@app/database';
import { OutboxRelay, OutboxRepository, OutboxRow } from '@app/queue';
import { TimelineStore } from '@app/timelines';
import { FollowsRepository } from './follows.repository';
import { lockUsers } from './user-lock';

const TX_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

/** Follow and unfollow: exact counters, the celebrity flag (with hysteresis), the follower's timeline, the fan-out event. */
@Injectable()
export class FollowsService {
  private readonly logger = new Logger(FollowsService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly follows: FollowsRepository,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly timelines: TimelineStore,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  /**
   * Idempotent: following someone already followed changes nothing but the
   * bell, when `notify` is given (left out, the bell stays as it is; a new
   * follow starts with it off).
   */
  async follow(followerId: number, followeeId: number, notify?: boolean): Promise<void> {
    const events = await this.change(followerId, followeeId, 1, notify);
    await Promise.all(events.map((event) => this.relay.dispatchNow(event)));
  }

  /** `userId`'s view of `otherId`: following them (with the bell or not), followed by them. */
  async relationship(
    userId: number,
    otherId: number,
  ): Promise<{ following: boolean; followedBy: boolean; notify: boolean }> {
    const found = await this.follows.relationship(this.prisma, userId, otherId);
    if (!found) throw new NotFoundException(`user ${otherId} not found`);
    return found;
  }

  /** Idempotent: unfollowing someone not followed changes nothing. */
  async unfollow(followerId: number, followeeId: number): Promise<void> {
    const events = await this.change(followerId, followeeId, -1);
    await Promise.all(events.map((event) => this.relay.dispatchNow(event)));
  }

  private change(
    followerId: number,
    followeeId: number,
    delta: 1 | -1,
    notify?: boolean,
  ): Promise<OutboxRow[]> {
    if (followerId === followeeId) throw new BadRequestException('you cannot follow yourself');
    return this.prisma.$transaction(async (tx) => {
      const locked = await lockUsers(tx, [followerId, followeeId]);
      const followee = locked.get(followeeId);
      if (!followee) throw new NotFoundException(`user ${followeeId} not found`);
      const changed =
        delta === 1
          ? await this.follows.insert(tx, followerId, followeeId, notify)
          : await this.follows.remove(tx, followerId, followeeId);
      if (!changed) {
        if (delta === 1 && notify !== undefined)
          await this.follows.setNotify(tx, followerId, followeeId, notify);
        return [];
      }

      const { celebrityThreshold: threshold, celebrityDemoteBelow: demoteBelow } = this.config.fanout;
      const isCelebrity = await this.follows.adjustCounts(tx, followerId, followeeId, delta, {
        threshold,
        demoteBelow,
      });
      const events = [
        await this.outbox.append(tx, 'follow-changed', {
          followerId: String(followerId),
          followeeId: String(followeeId),
        }),
      ];
      if (isCelebrity !== followee.isCelebrity) {
        events.push(await this.outbox.append(tx, 'celebrity-changed', { userId: String(followeeId) }));
      }
      // Applied while the follower's row is locked, so the worker's own
      // application of this change (from the outbox) cannot interleave.
      // Unfollows must take effect before we answer: invariant 4.
      const pulled = this.config.fanout.mode === 'hybrid' && (isCelebrity || followee.delivery === 'PULL');
      await this.applyToTimeline(followerId, () =>
        delta === 1
          ? this.timelines.follow(followerId, followeeId, pulled)
          : this.timelines.unfollow(followerId, followeeId),
      );
      return events;
    }, TX_OPTIONS);
  }

  /** Redis being away must not fail the follow: the outbox job applies it again once Redis is back. */
  private async applyToTimeline(userId: number, apply: () => Promise<unknown>): Promise<void> {
    try {
      await apply();
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'timeline not updated now; the follow-changed job will');
    }
  }
}
