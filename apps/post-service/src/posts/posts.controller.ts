import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser, CurrentUser, JwtAuthGuard } from '@app/auth';
import { ParseIdPipe } from '@app/http';
import { parseIdempotencyKey, PostsService } from '@app/posts';
import { RateLimit } from '../rate-limit/rate-limit';
import { CreatePostDto } from './dto/create-post.dto';
import { PostResponseDto } from './dto/post-response.dto';

@ApiTags('posts')
@Controller('posts')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Post()
  @RateLimit('posts')
  @ApiBearerAuth()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      '1-128 visible ASCII characters, per author: a retry with the same key and content returns the first post ' +
      '(201, `Idempotent-Replayed: true`) and makes no second one',
  })
  @ApiCreatedResponse({ type: PostResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid content or Idempotency-Key' })
  @ApiUnprocessableEntityResponse({ description: 'The Idempotency-Key was already used for other content' })
  @ApiTooManyRequestsResponse()
  async create(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreatePostDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostResponseDto> {
    const post = await this.posts.create(Number(user.id), dto.content, {
      idempotencyKey: parseIdempotencyKey(idempotencyKey),
    });
    if (post.replayed) void reply.header('idempotent-replayed', 'true');
    return PostResponseDto.from(post);
  }

  @Get(':id')
  @ApiOkResponse({ type: PostResponseDto })
  @ApiNotFoundResponse({ description: 'No such post, or it was deleted' })
  async get(@Param('id', ParseIdPipe) id: number): Promise<PostResponseDto> {
    return PostResponseDto.from(await this.posts.get(id));
  }

  @Delete(':id')
  @HttpCode(204)
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'Not the author' })
  @ApiNotFoundResponse({ description: 'No such post, or already deleted' })
  delete(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.posts.delete(Number(user.id), id);
  }
}
