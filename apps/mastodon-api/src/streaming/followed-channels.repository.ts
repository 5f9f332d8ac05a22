import { Injectable } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { PrismaService } from '@app/database';

/**
 * Which author channels a user's stream listens to: the authors whose posts
 * the worker announces once on their own channel instead of per follower.
 * The rule mirrors the worker's (PostHandler.created): every followed account
 * and oneself in pull mode, followed accounts delivered at read time
 * (`delivery = 'PULL'`) in hybrid, none in push.
 */
@Injectable()
export class FollowedChannelsRepository {
  constructor(
    private readonly prisma: PrismaService,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  async listenedAuthors(userId: number): Promise<number[]> {
    const mode = this.config.fanout.mode;
    if (mode === 'push') return [];
    const rows =
      mode === 'pull'
        ? await this.prisma.$queryRaw<Array<{ id: bigint }>>`
            SELECT followee_id AS id FROM follows WHERE follower_id = ${BigInt(userId)}
            UNION ALL SELECT ${BigInt(userId)}`
        : await this.prisma.$queryRaw<Array<{ id: bigint }>>`
            SELECT f.followee_id AS id FROM follows f JOIN users u ON u.id = f.followee_id
            WHERE f.follower_id = ${BigInt(userId)} AND u.delivery = 'PULL'`;
    return rows.map((row) => Number(row.id));
  }

  /** Which of these (connected) users follow the author. */
  async followersAmong(authorId: number, userIds: readonly number[]): Promise<number[]> {
    if (userIds.length === 0) return [];
    const rows = await this.prisma.$queryRaw<Array<{ id: bigint }>>`
      SELECT follower_id AS id FROM follows
      WHERE followee_id = ${BigInt(authorId)} AND follower_id = ANY(${userIds.map(BigInt)}::bigint[])`;
    return rows.map((row) => Number(row.id));
  }
}
