import { Injectable } from '@nestjs/common';
import { Post, Prisma, PrismaService } from '@app/database';
import { OutboxRepository, OutboxRow } from '@app/queue';

type Tx = Prisma.TransactionClient;

@Injectable()
export class PostsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxRepository,
  ) {}

  /**
   * The post and its fan-out event commit together, or not at all. With a
   * key, a concurrent insert under the same (author, key) waits for this one
   * and then fails on the unique index (Prisma's P2002).
   */
  create(
    authorId: number,
    content: string,
    idempotencyKey?: string,
  ): Promise<{ post: Post; event: OutboxRow }> {
    return this.prisma.$transaction(async (tx) => {
      const post = await tx.post.create({ data: { authorId: BigInt(authorId), content, idempotencyKey } });
      const event = await this.outbox.append(tx, 'post-created', {
        postId: String(post.id),
        authorId: String(authorId),
      });
      return { post, event };
    });
  }

  /** The post made under this key, deleted or not. */
  findByIdempotencyKey(authorId: number, idempotencyKey: string): Promise<Post | null> {
    return this.prisma.post.findUnique({
      where: { authorId_idempotencyKey: { authorId: BigInt(authorId), idempotencyKey } },
    });
  }

  findLive(id: number): Promise<Post | null> {
    return this.prisma.post.findFirst({ where: { id: BigInt(id), deletedAt: null } });
  }

  /** Locks the post row for a delete decision inside `work`'s transaction. */
  withLockedPost<T>(
    id: number,
    work: (tx: Tx, post: { authorId: number; deleted: boolean } | null) => Promise<T>,
  ): Promise<T> {
    return this.prisma.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<Array<{ author_id: bigint; deleted: boolean }>>`
        SELECT author_id, deleted_at IS NOT NULL AS deleted FROM posts WHERE id = ${BigInt(id)} FOR UPDATE`;
      return work(tx, row ? { authorId: Number(row.author_id), deleted: row.deleted } : null);
    });
  }

  /** Soft delete (the row stays for history; every read filters it out) plus its fan-out event. */
  async markDeleted(tx: Tx, id: number, authorId: number): Promise<OutboxRow> {
    await tx.post.update({ where: { id: BigInt(id) }, data: { deletedAt: new Date() } });
    return this.outbox.append(tx, 'post-deleted', { postId: String(id), authorId: String(authorId) });
  }
}
