import {
  ForbiddenException,
  Injectable,
  Logger,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { Post, Prisma } from '@app/database';
import { OutboxRelay } from '@app/queue';
import { PostCache, TimelineEntry, TimelineStore } from '@app/timelines';
import type { CreatePostOptions } from './idempotency';
import { PostsRepository } from './posts.repository';

/** A created post; `replayed` when an earlier request with the same Idempotency-Key had made it. */
export type CreatedPost = Post & { replayed: boolean };

/** Posts: the write path up to the outbox, reads of one post, deletes. */
@Injectable()
export class PostsService {
  private readonly logger = new Logger(PostsService.name);

  constructor(
    private readonly posts: PostsRepository,
    private readonly relay: OutboxRelay,
    private readonly cache: PostCache,
    private readonly timelines: TimelineStore,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  /**
   * Accepted once committed: from then on its fan-out is guaranteed by the
   * outbox, Redis up or not. Under an idempotency key a repeat returns the
   * first post and queues nothing (its event went out with the first); the
   * unique index, not the lookup, settles two requests racing with one key.
   */
  async create(authorId: number, content: string, options: CreatePostOptions = {}): Promise<CreatedPost> {
    const key = options.idempotencyKey;
    if (key !== undefined) {
      const earlier = await this.posts.findByIdempotencyKey(authorId, key);
      if (earlier) return replay(earlier, content);
    }
    let created: Awaited<ReturnType<PostsRepository['create']>>;
    try {
      created = await this.posts.create(authorId, content, key);
    } catch (error) {
      const earlier =
        key !== undefined && isUniqueViolation(error)
          ? await this.posts.findByIdempotencyKey(authorId, key)
          : null;
      if (earlier) return replay(earlier, content);
      throw error;
    }
    const { post, event } = created;
    await this.writeOwnTimelines({ postId: Number(post.id), authorId });
    await this.relay.dispatchNow(event);
    return { ...post, replayed: false };
  }

  /**
   * The author's own timelines are written before answering (two O(1)
   * writes): a celebrity's followers, who merge that author timeline at read
   * time, see the post on their next read, and the author sees it at once.
   * The worker repeats both writes (idempotent), so a failure here loses nothing.
   */
  private async writeOwnTimelines(entry: TimelineEntry): Promise<void> {
    try {
      await this.timelines.appendOwn(entry);
      if (this.config.fanout.mode !== 'pull') await this.timelines.deliver([entry.authorId], entry);
    } catch (error) {
      this.logger.warn(
        { err: error, postId: entry.postId },
        'own timelines not written now; the worker will',
      );
    }
  }

  /** A live post; 404 once deleted. */
  async get(id: number): Promise<Post> {
    const post = await this.posts.findLive(id);
    if (!post) throw new NotFoundException(`post ${id} not found`);
    return post;
  }

  async delete(userId: number, id: number): Promise<void> {
    const event = await this.posts.withLockedPost(id, async (tx, post) => {
      if (!post || post.deleted) throw new NotFoundException(`post ${id} not found`);
      if (post.authorId !== userId) throw new ForbiddenException('only the author can delete a post');
      return this.posts.markDeleted(tx, id, userId);
    });
    // Before answering, so no feed read after this response can serve it
    // (invariant 3); taking it out of timelines is the worker's job.
    try {
      await this.cache.markDeleted(id);
    } catch (error) {
      this.logger.warn({ err: error, postId: id }, 'cache tombstone not written; the post-deleted job will');
    }
    await this.relay.dispatchNow(event);
  }
}

/** The same key with other content is a client bug, not a retry: say so rather than guess. */
function replay(earlier: Post, content: string): CreatedPost {
  if (earlier.content !== content) {
    throw new UnprocessableEntityException('Idempotency-Key was already used for a different post');
  }
  return { ...earlier, replayed: true };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
