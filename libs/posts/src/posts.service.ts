import { ForbiddenException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import type { Post } from '@app/database';
import { OutboxRelay } from '@app/queue';
import { PostCache, TimelineEntry, TimelineStore } from '@app/timelines';
import { PostsRepository } from './posts.repository';

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

  /** Accepted once committed: from then on its fan-out is guaranteed by the outbox, Redis up or not. */
  async create(authorId: number, content: string): Promise<Post> {
    const { post, event } = await this.posts.create(authorId, content);
    await this.writeOwnTimelines({ postId: Number(post.id), authorId });
    await this.relay.dispatchNow(event);
    return post;
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
