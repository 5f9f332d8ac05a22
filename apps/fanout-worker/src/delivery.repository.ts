import { Injectable } from '@nestjs/common';
import { FanoutMode, Prisma, PrismaService } from '@app/database';

type Tx = Prisma.TransactionClient;

export interface AuthorStatus {
  isCelebrity: boolean;
  fanoutMode: FanoutMode;
  fanoutModeSince: Date;
}

/** The worker's reads and writes of accounts, posts and follows in PostgreSQL. */
@Injectable()
export class AuthorsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async status(userId: number, tx: Tx = this.prisma): Promise<AuthorStatus | null> {
    return tx.user.findUnique({
      where: { id: BigInt(userId) },
      select: { isCelebrity: true, fanoutMode: true, fanoutModeSince: true },
    });
  }

  /** null when the post does not exist. */
  async isDeleted(postId: number): Promise<boolean | null> {
    const post = await this.prisma.post.findUnique({
      where: { id: BigInt(postId) },
      select: { deletedAt: true },
    });
    return post ? post.deletedAt !== null : null;
  }

  async isFollowing(tx: Tx, followerId: number, followeeId: number): Promise<boolean> {
    const count = await tx.follow.count({
      where: { followerId: BigInt(followerId), followeeId: BigInt(followeeId) },
    });
    return count > 0;
  }

  async setFanoutMode(tx: Tx, userId: number, fanoutMode: FanoutMode): Promise<void> {
    await tx.user.update({
      where: { id: BigInt(userId) },
      data: { fanoutMode, fanoutModeSince: new Date() },
    });
  }

  /**
   * Runs `work` holding the user's row lock: the same lock post-service takes
   * to change that user's follows, so graph changes to one user never
   * interleave. false when the user does not exist.
   */
  async withUserLocked(userId: number, work: (tx: Tx) => Promise<void>): Promise<boolean> {
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<
          unknown[]
        >`SELECT 1 FROM users WHERE id = ${BigInt(userId)} FOR UPDATE`;
        if (rows.length === 0) return false;
        await work(tx);
        return true;
      },
      { maxWait: 10_000, timeout: 60_000 },
    );
  }
}
