import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/database';
import type { TimelineEntry } from '@app/timelines';

const NO_BOUND = Number.MAX_SAFE_INTEGER;

/** The home feed read upwards from PostgreSQL: the fallback of newer-than reads. */
@Injectable()
export class NewerPostsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The `limit` live posts just above `above` (below `below`) of the accounts followed and one's own, newest first; `full`: more may follow. */
  async homeAbove(
    userId: number,
    above: number,
    below: number,
    limit: number,
  ): Promise<{ entries: TimelineEntry[]; full: boolean }> {
    const rows = await this.prisma.$queryRaw<Array<{ id: bigint; author_id: bigint }>>`
      SELECT p.id, p.author_id
      FROM (
        SELECT followee_id AS id FROM follows WHERE follower_id = ${BigInt(userId)}
        UNION ALL SELECT ${BigInt(userId)}
      ) a
      CROSS JOIN LATERAL (
        SELECT id, author_id FROM posts
        WHERE author_id = a.id AND deleted_at IS NULL AND id > ${BigInt(above)} AND id < ${BigInt(below || NO_BOUND)}
        ORDER BY id ASC LIMIT ${limit + 1}
      ) p
      ORDER BY p.id ASC LIMIT ${limit + 1}`;
    const entries = rows
      .slice(0, limit)
      .map((row) => ({ postId: Number(row.id), authorId: Number(row.author_id) }))
      .reverse();
    return { entries, full: rows.length > limit };
  }
}
