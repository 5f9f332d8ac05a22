import type { Delivery, Prisma } from '@app/database';

/** A user's row, read under its lock. */
export interface LockedUser {
  id: number;
  followerCount: number;
  isCelebrity: boolean;
  delivery: Delivery;
}

/**
 * The per-user row lock. Every change to a user's follows or delivery, in a
 * request or in the worker, holds the row lock of each user it touches, so
 * such changes never interleave. Rows are locked in id order, so two
 * transactions locking the same users cannot deadlock. Users that do not
 * exist are absent from the result.
 */
export async function lockUsers(
  tx: Prisma.TransactionClient,
  userIds: readonly number[],
): Promise<Map<number, LockedUser>> {
  const rows = await tx.$queryRaw<
    Array<{ id: bigint; follower_count: number; is_celebrity: boolean; delivery: Delivery }>
  >`
    SELECT id, follower_count, is_celebrity, delivery FROM users
    WHERE id = ANY(${userIds.map(BigInt)}::bigint[])
    ORDER BY id FOR UPDATE`;
  return new Map(
    rows.map((row) => [
      Number(row.id),
      {
        id: Number(row.id),
        followerCount: row.follower_count,
        isCelebrity: row.is_celebrity,
        delivery: row.delivery,
      },
    ]),
  );
}
