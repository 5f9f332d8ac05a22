import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@app/database';
import { lockUsers } from '@app/follows';
import type { FollowerRange } from '@app/queue';

type Tx = Prisma.TransactionClient;

/**
 * The follow graph as the worker reads it: an author's followers by id range
 * (chunked fan-out), one user's follows (timeline rebuilds, follow events),
 * and the user row lock under which those reads meet the writes.
 */
@Injectable()
export class FollowGraphRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Splits an author's followers into ranges of about `chunkSize`, by follower
   * id, with one index-only scan: the boundaries are every chunkSize-th id.
   */
  async followerRanges(authorId: number, chunkSize: number): Promise<FollowerRange[]> {
    const rows = await this.prisma.$queryRaw<Array<{ follower_id: bigint; total: bigint }>>`
      SELECT follower_id, total FROM (
        SELECT follower_id, row_number() OVER (ORDER BY follower_id) AS n, count(*) OVER () AS total
        FROM follows WHERE followee_id = ${BigInt(authorId)}
      ) numbered
      WHERE n % ${chunkSize} = 0
      ORDER BY follower_id`;
    // The last range is open-ended (it also takes followers added meanwhile);
    // when the count is an exact multiple, the last boundary is that end.
    const exact = rows.length > 0 && Number(rows[0].total) === rows.length * chunkSize;
    const boundaries = rows.map((row) => String(row.follower_id)).slice(0, exact ? -1 : undefined);
    const ranges: FollowerRange[] = [];
    let after: string | null = null;
    for (const through of boundaries) {
      ranges.push({ after, through });
      after = through;
    }
    ranges.push({ after, through: null });
    return ranges;
  }

  /** Followers of an author within a range, in id order. */
  async followersIn(authorId: number, range: FollowerRange): Promise<number[]> {
    const after = range.after === null ? 0n : BigInt(range.after);
    const through = range.through === null ? BigInt(Number.MAX_SAFE_INTEGER) : BigInt(range.through);
    const rows = await this.prisma.$queryRaw<Array<{ follower_id: bigint }>>`
      SELECT follower_id FROM follows
      WHERE followee_id = ${BigInt(authorId)} AND follower_id > ${after} AND follower_id <= ${through}
      ORDER BY follower_id`;
    return rows.map((row) => Number(row.follower_id));
  }

  /** Whom a user follows, and which of them are merged at read time (celebrities, or being demoted). */
  async membership(tx: Tx, userId: number): Promise<{ following: number[]; pulled: number[] }> {
    const rows = await tx.$queryRaw<Array<{ followee_id: bigint; pulled: boolean }>>`
      SELECT f.followee_id, (u.delivery = 'PULL' OR u.is_celebrity) AS pulled
      FROM follows f JOIN users u ON u.id = f.followee_id
      WHERE f.follower_id = ${BigInt(userId)}`;
    return {
      following: rows.map((row) => Number(row.followee_id)),
      pulled: rows.filter((row) => row.pulled).map((row) => Number(row.followee_id)),
    };
  }

  async isFollowing(tx: Tx, followerId: number, followeeId: number): Promise<boolean> {
    const count = await tx.follow.count({
      where: { followerId: BigInt(followerId), followeeId: BigInt(followeeId) },
    });
    return count > 0;
  }

  /**
   * Runs `work` holding the user's row lock (`lockUsers`): the same lock
   * post-service takes to change that user's follows, so graph changes to
   * one user never interleave. false when the user does not exist.
   */
  async withUserLocked(userId: number, work: (tx: Tx) => Promise<void>): Promise<boolean> {
    return this.prisma.$transaction(
      async (tx) => {
        if ((await lockUsers(tx, [userId])).size === 0) return false;
        await work(tx);
        return true;
      },
      { maxWait: 10_000, timeout: 60_000 },
    );
  }
}
