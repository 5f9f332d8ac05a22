import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@app/database';
import type { FollowerRange } from '@app/queue';
import type { TimelineEntry } from './timeline-entry';

/** Newest-first entries and the id at or below which they are not complete (0: complete). */
export interface EntryPage {
  entries: TimelineEntry[];
  floor: number;
}

export interface HydratedPost {
  id: number;
  authorId: number;
  content: string;
  createdAt: Date;
  deleted: boolean;
  username: string;
  displayName: string;
}

type Tx = Prisma.TransactionClient;
const NO_CURSOR = Number.MAX_SAFE_INTEGER;

/**
 * PostgreSQL, read as timelines: the source every Redis timeline is derived
 * from and falls back to. Each method is one statement.
 */
@Injectable()
export class TimelineSource {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Splits an author's followers into ranges of about `chunkSize`, by follower
   * id, with one index-only scan: the boundaries are every chunkSize-th id.
   */
  async followerRanges(authorId: number, chunkSize: number): Promise<FollowerRange[]> {
    const rows = await this.prisma.$queryRaw<Array<{ follower_id: bigint; total: bigint }>>`
      SELECT follower_id, total FROM (
        SELECT follower_id, row_number() OVER (ORDER BY follower_id) AS n, count(*) OVER () AS total
        FROM follows WHERE followee_id = ${BigInt(authorId)}
      ) numbered
      WHERE n % ${chunkSize} = 0
      ORDER BY follower_id`;
    // The last range is open-ended (it also takes followers added meanwhile);
    // when the count is an exact multiple, the last boundary is that end.
    const exact = rows.length > 0 && Number(rows[0].total) === rows.length * chunkSize;
    const boundaries = rows.map((row) => String(row.follower_id)).slice(0, exact ? -1 : undefined);
    const ranges: FollowerRange[] = [];
    let after: string | null = null;
    for (const through of boundaries) {
      ranges.push({ after, through });
      after = through;
    }
    ranges.push({ after, through: null });
    return ranges;
  }

  /** Followers of an author within a range, in id order. */
  async followersIn(authorId: number, range: FollowerRange): Promise<number[]> {
    const after = range.after === null ? 0n : BigInt(range.after);
    const through = range.through === null ? BigInt(Number.MAX_SAFE_INTEGER) : BigInt(range.through);
    const rows = await this.prisma.$queryRaw<Array<{ follower_id: bigint }>>`
      SELECT follower_id FROM follows
      WHERE followee_id = ${BigInt(authorId)} AND follower_id > ${after} AND follower_id <= ${through}
      ORDER BY follower_id`;
    return rows.map((row) => Number(row.follower_id));
  }

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

  /** Whom a user follows, and which of them are merged at read time (celebrities, or being demoted). */
  async membership(tx: Tx, userId: number): Promise<{ following: number[]; pulled: number[] }> {
    const rows = await tx.$queryRaw<Array<{ followee_id: bigint; pulled: boolean }>>`
      SELECT f.followee_id, (u.fanout_mode = 'PULL' OR u.is_celebrity) AS pulled
      FROM follows f JOIN users u ON u.id = f.followee_id
      WHERE f.follower_id = ${BigInt(userId)}`;
    return {
      following: rows.map((row) => Number(row.followee_id)),
      pulled: rows.filter((row) => row.pulled).map((row) => Number(row.followee_id)),
    };
  }

  /** Which of these authors are merged at read time in hybrid mode (the same rule as `membership`). */
  async pulledAmong(authorIds: readonly number[]): Promise<Set<number>> {
    if (authorIds.length === 0) return new Set();
    const rows = await this.prisma.$queryRaw<Array<{ id: bigint }>>`
      SELECT id FROM users
      WHERE id = ANY(${authorIds.map(BigInt)}::bigint[]) AND (fanout_mode = 'PULL' OR is_celebrity)`;
    return new Set(rows.map((row) => Number(row.id)));
  }

  async userExists(userId: number): Promise<boolean> {
    return (await this.prisma.user.count({ where: { id: BigInt(userId) } })) > 0;
  }

  /** Bodies and authors of posts, deleted ones included (flagged), in one query. */
  async hydrate(postIds: readonly number[]): Promise<HydratedPost[]> {
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

/** Cuts a limit+1 query result to `limit`; the extra row, if any, becomes the floor. */
function toPage(entries: TimelineEntry[], limit: number): EntryPage {
  if (entries.length <= limit) return { entries, floor: 0 };
  return { entries: entries.slice(0, limit), floor: entries[limit].postId };
}
