import { randomBytes } from 'node:crypto';
import type { PrismaService } from '@app/database';
import type { TimelineStore } from '@app/timelines';

/**
 * Bulk accounts for tests that need thousands of users (signing each up
 * through argon2 would take minutes). They cannot log in.
 */
export async function createUsers(prisma: PrismaService, count: number, prefix = 'bulk'): Promise<number[]> {
  const tag = `${prefix.slice(0, 8)}_${randomBytes(3).toString('hex')}`;
  const rows = await prisma.$queryRaw<Array<{ id: bigint }>>`
    INSERT INTO users (username, username_key, display_name, password_hash)
    SELECT ${tag} || '_' || n, lower(${tag}) || '_' || n, 'Bulk ' || n, 'not-a-password-hash'
    FROM generate_series(1, ${count}) AS n
    RETURNING id`;
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

/** Makes `followerIds` follow `authorId`, keeping both counters exact. */
export async function addFollowers(
  prisma: PrismaService,
  authorId: number,
  followerIds: readonly number[],
): Promise<void> {
  const ids = followerIds.map(BigInt);
  await prisma.$transaction([
    prisma.$executeRaw`
      INSERT INTO follows (followee_id, follower_id) SELECT ${BigInt(authorId)}, f FROM unnest(${ids}::bigint[]) AS f
      ON CONFLICT DO NOTHING`,
    prisma.$executeRaw`UPDATE users SET following_count = following_count + 1 WHERE id = ANY(${ids}::bigint[])`,
    prisma.$executeRaw`UPDATE users SET follower_count = follower_count + ${ids.length} WHERE id = ${BigInt(authorId)}`,
  ]);
}

/** Gives each user a ready, empty home timeline that accepts posts from `following` (as a first read would). */
export async function readyTimelines(
  store: TimelineStore,
  userIds: readonly number[],
  following: readonly number[],
  pulled: readonly number[] = [],
): Promise<void> {
  for (let i = 0; i < userIds.length; i += 1000) {
    const slice = userIds.slice(i, i + 1000);
    await Promise.all(slice.map((id) => store.claimHome(id, following, pulled)));
    await Promise.all(slice.map((id) => store.finishHome(id, [], 0)));
  }
}
