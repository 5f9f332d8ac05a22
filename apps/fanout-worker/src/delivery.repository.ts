import { Injectable } from '@nestjs/common';
import { Delivery, Prisma, PrismaService } from '@app/database';

type Tx = Prisma.TransactionClient;

export interface AuthorStatus {
  isCelebrity: boolean;
  delivery: Delivery;
  deliverySince: Date;
}

/** What decides where a post goes: its author's celebrity flag and delivery, and whether the post still exists. */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly prisma: PrismaService) {}

  async status(userId: number, tx: Tx = this.prisma): Promise<AuthorStatus | null> {
    return tx.user.findUnique({
      where: { id: BigInt(userId) },
      select: { isCelebrity: true, delivery: true, deliverySince: true },
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

  async setDelivery(tx: Tx, userId: number, delivery: Delivery): Promise<void> {
    await tx.user.update({
      where: { id: BigInt(userId) },
      data: { delivery, deliverySince: new Date() },
    });
  }
}
