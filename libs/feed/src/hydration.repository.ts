import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/database';
import type { HydratedPost } from '@app/timelines';

/** Post bodies and their authors from PostgreSQL, for what the post cache lacked. */
@Injectable()
export class HydrationRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Bodies and authors of posts, deleted ones included (flagged), in one query. */
  async postsWithAuthors(postIds: readonly number[]): Promise<HydratedPost[]> {
    if (postIds.length === 0) return [];
    const rows = await this.prisma.$queryRaw<
      Array<{
        id: bigint;
        author_id: bigint;
        content: string;
        created_at: Date;
        deleted: boolean;
        username: string;
        display_name: string;
      }>
    >`
      SELECT p.id, p.author_id, p.content, p.created_at, p.deleted_at IS NOT NULL AS deleted, u.username, u.display_name
      FROM posts p JOIN users u ON u.id = p.author_id
      WHERE p.id = ANY(${postIds.map(BigInt)}::bigint[])`;
    return rows.map((row) => ({
      id: Number(row.id),
      authorId: Number(row.author_id),
      content: row.content,
      createdAt: row.created_at,
      deleted: row.deleted,
      username: row.username,
      displayName: row.display_name,
    }));
  }
}
