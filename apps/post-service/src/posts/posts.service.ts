import { ForbiddenException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { OutboxRelay } from '@app/queue';
import { PostCache } from '@app/timelines';
import { PostResponseDto } from './dto/post-response.dto';
import { PostsRepository } from './posts.repository';

@Injectable()
export class PostsService {
  private readonly logger = new Logger(PostsService.name);

  constructor(
    private readonly posts: PostsRepository,
    private readonly relay: OutboxRelay,
    private readonly cache: PostCache,
  ) {}

  /** Accepted once committed: from then on its fan-out is guaranteed by the outbox, Redis up or not. */
  async create(authorId: number, content: string): Promise<PostResponseDto> {
    const { post, event } = await this.posts.create(authorId, content);
    await this.relay.dispatchNow(event);
    return PostResponseDto.from(post);
  }

  async get(id: number): Promise<PostResponseDto> {
    const post = await this.posts.findLive(id);
    if (!post) throw new NotFoundException(`post ${id} not found`);
    return PostResponseDto.from(post);
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
