import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/database';
import type { TimelineEntry } from './timeline-entry';

/** Newest-first entries and the id at or below which they are not complete (0: complete). */
export interface EntryPage {
  entries: TimelineEntry[];
  floor: number;
}

const NO_CURSOR = Number.MAX_SAFE_INTEGER;

/**
 * PostgreSQL, read as timelines: the source every Redis timeline is derived
 * from and falls back to (newest live posts of one author, of several, of a
 * home feed). Each method is one statement.
 */
@Injectable()
export class TimelineSource {
  constructor(private readonly prisma: PrismaService) {}

  /** An author's newest live posts below `below`. */
  async authorPosts(authorId: number, limit: number, below = NO_CURSOR): Promise<EntryPage> {
    const rows = await this.prisma.$queryRaw<Array<{ id: bigint }>>`
      SELECT id FROM posts
      WHERE author_id = ${BigInt(authorId)} AND deleted_at IS NULL AND id < ${BigInt(below)}
      ORDER BY id DESC LIMIT ${limit + 1}`;
    return toPage(
      rows.map((row) => ({ postId: Number(row.id), authorId })),
      limit,
    );
  }

  /** Newest live posts of several authors, `limit` (+1) per author, in one query. */
  async postsOfAuthors(
    authorIds: readonly number[],
    limit: number,
    below = NO_CURSOR,
  ): Promise<Map<number, EntryPage>> {
    const pages = new Map<number, EntryPage>();
    if (authorIds.length === 0) return pages;
    const rows = await this.prisma.$queryRaw<Array<{ id: bigint; author_id: bigint }>>`
      SELECT p.id, p.author_id
      FROM unnest(${authorIds.map(BigInt)}::bigint[]) AS a(id)
      CROSS JOIN LATERAL (
        SELECT id, author_id FROM posts
        WHERE author_id = a.id AND deleted_at IS NULL AND id < ${BigInt(below)}
        ORDER BY id DESC LIMIT ${limit + 1}
      ) p
      ORDER BY p.id DESC`;
    const byAuthor = new Map<number, TimelineEntry[]>(authorIds.map((id) => [id, []]));
    for (const row of rows)
      byAuthor.get(Number(row.author_id))?.push({ postId: Number(row.id), authorId: Number(row.author_id) });
    for (const [authorId, entries] of byAuthor) pages.set(authorId, toPage(entries, limit));
    return pages;
  }

  /**
   * The home feed computed from scratch (fan-out on read): newest live posts of
   * the accounts `userId` follows and of `userId`, except `excluded` authors.
   */
  async homePosts(
    userId: number,
    limit: number,
    below = NO_CURSOR,
    excluded: readonly number[] = [],
  ): Promise<EntryPage> {
    const rows = await this.prisma.$queryRaw<Array<{ id: bigint; author_id: bigint }>>`
      SELECT p.id, p.author_id
      FROM (
        SELECT followee_id AS id FROM follows
        WHERE follower_id = ${BigInt(userId)} AND NOT (followee_id = ANY(${excluded.map(BigInt)}::bigint[]))
        UNION ALL SELECT ${BigInt(userId)}
      ) a
      CROSS JOIN LATERAL (
        SELECT id, author_id FROM posts
        WHERE author_id = a.id AND deleted_at IS NULL AND id < ${BigInt(below)}
        ORDER BY id DESC LIMIT ${limit + 1}
      ) p
      ORDER BY p.id DESC LIMIT ${limit + 1}`;
    return toPage(
      rows.map((row) => ({ postId: Number(row.id), authorId: Number(row.author_id) })),
      limit,
    );
  }

  /** Which of these authors are merged at read time in hybrid mode (the rule of FollowGraphRepository.membership). */
  async pulledAmong(authorIds: readonly number[]): Promise<Set<number>> {
    if (authorIds.length === 0) return new Set();
    const rows = await this.prisma.$queryRaw<Array<{ id: bigint }>>`
      SELECT id FROM users
      WHERE id = ANY(${authorIds.map(BigInt)}::bigint[]) AND (delivery = 'PULL' OR is_celebrity)`;
    return new Set(rows.map((row) => Number(row.id)));
  }

  /** Tells an author with no posts from no author at all. */
  async userExists(userId: number): Promise<boolean> {
    return (await this.prisma.user.count({ where: { id: BigInt(userId) } })) > 0;
  }
}

/** Cuts a limit+1 query result to `limit`; the extra row, if any, becomes the floor. */
function toPage(entries: TimelineEntry[], limit: number): EntryPage {
  if (entries.length <= limit) return { entries, floor: 0 };
  return { entries: entries.slice(0, limit), floor: entries[limit].postId };
}
