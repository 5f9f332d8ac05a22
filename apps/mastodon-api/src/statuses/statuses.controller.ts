import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Res,
  UnprocessableEntityException,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { UsersRepository } from '@app/accounts';
import type { Post as PostRow } from '@app/database';
import { ParseIdPipe } from '@app/http';
import { parseIdempotencyKey, PostsService } from '@app/posts';
import { CallerUserId, RequireScopes } from '../auth/mastodon-auth.guard';
import { PresenterService } from '../accounts/presenter.service';
import type { MastodonStatus } from '../entities/entities';
import { RateLimit } from '../rate-limit';
import { CreateStatusDto } from './dto/create-status.dto';

const empty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
const isFalse = (value: unknown) => empty(value) || value === false || value === 'false' || value === '0';

@Controller('api/v1/statuses')
export class StatusesController {
  constructor(
    private readonly posts: PostsService,
    private readonly users: UsersRepository,
    private readonly presenter: PresenterService,
  ) {}

  /** Honours Idempotency-Key (per author, stored with the post): a retry returns the first status. */
  @Post()
  @HttpCode(200)
  @RequireScopes('write:statuses')
  @RateLimit('posts')
  async create(
    @CallerUserId() userId: number,
    @Body() dto: CreateStatusDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MastodonStatus> {
    const unsupported = this.unsupported(dto);
    if (unsupported) throw new UnprocessableEntityException(`Validation failed: ${unsupported}`);
    let key: string | undefined;
    try {
      key = parseIdempotencyKey(idempotencyKey);
    } catch (error) {
      if (error instanceof BadRequestException) throw new UnprocessableEntityException(error.message);
      throw error;
    }
    const post = await this.posts.create(userId, dto.status, { idempotencyKey: key });
    if (post.replayed) void reply.header('idempotent-replayed', 'true');
    return this.status(post);
  }

  @Get(':id')
  async get(@Param('id', ParseIdPipe) id: number): Promise<MastodonStatus> {
    return this.status(await this.posts.get(id));
  }

  /** Answers with the deleted status and its `text`, for "delete and redraft". */
  @Delete(':id')
  @RequireScopes('write:statuses')
  async delete(
    @CallerUserId() userId: number,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<MastodonStatus> {
    const post = await this.posts.get(id);
    // Someone else's status is "not found" to the caller, as in Mastodon.
    if (Number(post.authorId) !== userId) throw new NotFoundException('Record not found');
    await this.posts.delete(userId, id);
    return this.status(post, true);
  }

  private async status(post: PostRow, withText = false): Promise<MastodonStatus> {
    const author = await this.users.findById(Number(post.authorId));
    if (!author) throw new NotFoundException('Record not found');
    const account = await this.presenter.account(author);
    return this.presenter.mapper.status(post, account, { withText });
  }

  /** What a client asked for that Feedline does not have, in words; undefined when nothing. */
  private unsupported(dto: CreateStatusDto): string | undefined {
    if (!empty(dto.media_ids)) return 'media attachments are not supported';
    if (!empty(dto.poll)) return 'polls are not supported';
    if (!empty(dto.in_reply_to_id)) return 'replies are not supported';
    if (!empty(dto.quote_id)) return 'quotes are not supported';
    if (!empty(dto.scheduled_at)) return 'scheduled posts are not supported';
    if (!empty(dto.spoiler_text)) return 'content warnings (spoiler_text) are not supported';
    if (!isFalse(dto.sensitive)) return 'sensitive media is not supported';
    if (!empty(dto.visibility) && dto.visibility !== 'public') return 'only public visibility is supported';
    return undefined;
  }
}
