import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/database';

export interface StoredSubscription {
  id: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** The push_subscriptions table: the only code that reads or writes it. */
@Injectable()
export class PushSubscriptionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** By endpoint: the same browser subscribing again (new keys, or another user) takes its row over. */
  async upsert(userId: number, endpoint: string, p256dh: string, auth: string): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth)
      VALUES (${BigInt(userId)}, ${endpoint}, ${p256dh}, ${auth})
      ON CONFLICT (endpoint) DO UPDATE
        SET user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth`;
  }

  /** Only the owner's row: nobody can switch off another person's browser. */
  async removeOwned(userId: number, endpoint: string): Promise<void> {
    await this.prisma.pushSubscription.deleteMany({ where: { userId: BigInt(userId), endpoint } });
  }

  /** A subscription the push service called gone (404/410). */
  async remove(id: string): Promise<void> {
    await this.prisma.pushSubscription.deleteMany({ where: { id: BigInt(id) } });
  }

  async forUsers(userIds: readonly string[]): Promise<StoredSubscription[]> {
    const rows = await this.prisma.pushSubscription.findMany({
      where: { userId: { in: userIds.map(BigInt) } },
      orderBy: { id: 'asc' },
    });
    return rows.map((row) => ({
      id: String(row.id),
      userId: String(row.userId),
      endpoint: row.endpoint,
      p256dh: row.p256dh,
      auth: row.auth,
    }));
  }
}
