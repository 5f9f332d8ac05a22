import { Injectable } from '@nestjs/common';
import type { Prisma } from '@app/database';

type Tx = Prisma.TransactionClient;

export interface CelebrityRule {
  threshold: number;
  demoteBelow: number;
}

/** The follows table and the follower/following counters, written inside the caller's transaction. */
@Injectable()
export class FollowsRepository {
  /** true when the follow is new. `notify` is the bell (off when not given). */
  async insert(tx: Tx, followerId: number, followeeId: number, notify = false): Promise<boolean> {
    const inserted = await tx.$executeRaw`
      INSERT INTO follows (followee_id, follower_id, notify)
      VALUES (${BigInt(followeeId)}, ${BigInt(followerId)}, ${notify})
      ON CONFLICT DO NOTHING`;
    return inserted === 1;
  }

  /** Sets the bell of an existing follow. */
  async setNotify(tx: Tx, followerId: number, followeeId: number, notify: boolean): Promise<void> {
    await tx.$executeRaw`
      UPDATE follows SET notify = ${notify}
      WHERE followee_id = ${BigInt(followeeId)} AND follower_id = ${BigInt(followerId)} AND notify <> ${notify}`;
  }

  /** How `userId` and `otherId` are related; null when `otherId` does not exist. */
  async relationship(
    db: Tx,
    userId: number,
    otherId: number,
  ): Promise<{ following: boolean; followedBy: boolean; notify: boolean } | null> {
    const [row] = await db.$queryRaw<[{ found: boolean; notify: boolean | null; followed_by: boolean }]>`
      SELECT
        EXISTS (SELECT 1 FROM users WHERE id = ${BigInt(otherId)}) AS found,
        (SELECT notify FROM follows WHERE followee_id = ${BigInt(otherId)} AND follower_id = ${BigInt(userId)}) AS notify,
        EXISTS (SELECT 1 FROM follows WHERE followee_id = ${BigInt(userId)} AND follower_id = ${BigInt(otherId)}) AS followed_by`;
    if (!row.found) return null;
    return { following: row.notify !== null, followedBy: row.followed_by, notify: row.notify === true };
  }

  /** true when there was a follow to remove. */
  async remove(tx: Tx, followerId: number, followeeId: number): Promise<boolean> {
    const removed = await tx.$executeRaw`
      DELETE FROM follows WHERE followee_id = ${BigInt(followeeId)} AND follower_id = ${BigInt(followerId)}`;
    return removed === 1;
  }

  /**
   * Moves both counters by `delta` and applies the celebrity rule with
   * hysteresis: a celebrity from `threshold` followers, a regular account
   * again only below `demoteBelow`. Returns the followee's new celebrity flag.
   */
  async adjustCounts(
    tx: Tx,
    followerId: number,
    followeeId: number,
    delta: 1 | -1,
    rule: CelebrityRule,
  ): Promise<boolean> {
    await tx.$executeRaw`UPDATE users SET following_count = following_count + ${delta} WHERE id = ${BigInt(followerId)}`;
    const [row] = await tx.$queryRaw<[{ is_celebrity: boolean }]>`
      UPDATE users SET
        follower_count = follower_count + ${delta},
        is_celebrity = CASE
          WHEN follower_count + ${delta} >= ${rule.threshold} THEN true
          WHEN follower_count + ${delta} < ${rule.demoteBelow} THEN false
          ELSE is_celebrity END
      WHERE id = ${BigInt(followeeId)}
      RETURNING is_celebrity`;
    return row.is_celebrity;
  }
}
