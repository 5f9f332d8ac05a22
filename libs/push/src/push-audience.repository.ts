import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/database';

export interface Person {
  username: string;
  displayName: string;
}

/** What a notification says and who hears it, read from PostgreSQL. */
@Injectable()
export class PushAudienceRepository {
  constructor(private readonly prisma: PrismaService) {}

  async person(userId: string): Promise<Person | null> {
    return this.prisma.user.findUnique({
      where: { id: BigInt(userId) },
      select: { username: true, displayName: true },
    });
  }

  async livePost(postId: string): Promise<{ content: string } | null> {
    return this.prisma.post.findFirst({
      where: { id: BigInt(postId), deletedAt: null },
      select: { content: true },
    });
  }

  async isFollowing(followerId: string, followeeId: string): Promise<boolean> {
    const row = await this.prisma.follow.findUnique({
      where: { followeeId_followerId: { followeeId: BigInt(followeeId), followerId: BigInt(followerId) } },
      select: { followerId: true },
    });
    return row !== null;
  }

  /**
   * One page of the author's bell subscribers who have a push subscription,
   * by follower id after `after`. Walks the follows primary key
   * (followee_id, follower_id), as the timeline fan-out does.
   */
  async bellSubscribers(authorId: string, after: string | null, limit: number): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<Array<{ follower_id: bigint }>>`
      SELECT f.follower_id FROM follows f
      WHERE f.followee_id = ${BigInt(authorId)} AND f.notify
        AND f.follower_id > ${BigInt(after ?? 0)}
        AND EXISTS (SELECT 1 FROM push_subscriptions s WHERE s.user_id = f.follower_id)
      ORDER BY f.follower_id
      LIMIT ${limit}`;
    return rows.map((row) => String(row.follower_id));
  }
}
