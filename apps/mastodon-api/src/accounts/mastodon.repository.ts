import { Injectable } from '@nestjs/common';
import { PrismaService, User } from '@app/database';

/** A page of ids by Mastodon's rules: below `maxId`, above `sinceId`, or the ones just above `minId`. */
export interface IdWindow {
  maxId?: number;
  sinceId?: number;
  minId?: number;
  limit: number;
}

/** Reads the Mastodon API needs beyond the domain libraries: batches of accounts, counts, the follow lists. */
@Injectable()
export class MastodonRepository {
  constructor(private readonly prisma: PrismaService) {}

  usersByIds(ids: number[]): Promise<User[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.prisma.user.findMany({ where: { id: { in: ids.map((id) => BigInt(id)) } } });
  }

  /** Live posts per author (deleted ones do not count). */
  async statusesCounts(ids: number[]): Promise<Map<number, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.$queryRaw<Array<{ author_id: bigint; count: number }>>`
      SELECT author_id, count(*)::int AS count FROM posts
      WHERE author_id = ANY(${ids.map((id) => BigInt(id))}::bigint[]) AND deleted_at IS NULL
      GROUP BY author_id`;
    return new Map(rows.map((row) => [Number(row.author_id), row.count]));
  }

  /** Which of `ids` the user follows, and which follow the user. */
  async relationships(
    userId: number,
    ids: number[],
  ): Promise<{ following: Set<number>; followedBy: Set<number> }> {
    const others = ids.map((id) => BigInt(id));
    const [following, followedBy] = await Promise.all([
      this.prisma.follow.findMany({
        where: { followerId: BigInt(userId), followeeId: { in: others } },
        select: { followeeId: true },
      }),
      this.prisma.follow.findMany({
        where: { followeeId: BigInt(userId), followerId: { in: others } },
        select: { followerId: true },
      }),
    ]);
    return {
      following: new Set(following.map((row) => Number(row.followeeId))),
      followedBy: new Set(followedBy.map((row) => Number(row.followerId))),
    };
  }

  /** Followers (or followed accounts) of a user, paged by the other account's id, newest id first. */
  async followList(
    userId: number,
    direction: 'followers' | 'following',
    window: IdWindow,
  ): Promise<number[]> {
    const own = direction === 'followers' ? 'followeeId' : 'followerId';
    const other = direction === 'followers' ? 'followerId' : 'followeeId';
    const rows = await this.prisma.follow.findMany({
      where: { [own]: BigInt(userId), [other]: idRange(window) },
      orderBy: { [other]: window.minId !== undefined ? 'asc' : 'desc' },
      take: window.limit,
      select: { followerId: true, followeeId: true },
    });
    const ids = rows.map((row) => Number(row[other]));
    return window.minId !== undefined ? ids.reverse() : ids;
  }

  /** An author's live posts newer than `sinceId`/`minId` (the newest page, or the one just above minId). */
  async authorPostsAbove(
    authorId: number,
    window: IdWindow,
  ): Promise<Array<{ id: bigint; content: string; createdAt: Date }>> {
    const rows = await this.prisma.post.findMany({
      where: { authorId: BigInt(authorId), deletedAt: null, id: idRange(window) },
      orderBy: { id: window.minId !== undefined ? 'asc' : 'desc' },
      take: window.limit,
      select: { id: true, content: true, createdAt: true },
    });
    return window.minId !== undefined ? rows.reverse() : rows;
  }
}

function idRange(window: IdWindow): { lt?: bigint; gt?: bigint } {
  const range: { lt?: bigint; gt?: bigint } = {};
  if (window.maxId !== undefined) range.lt = BigInt(window.maxId);
  const above = window.minId ?? window.sinceId;
  if (above !== undefined) range.gt = BigInt(above);
  return range;
}
