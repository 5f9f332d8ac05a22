import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, JwtAuthGuard } from '@app/auth';
import { ParseIdPipe } from '@app/http';
import { PostsService } from '@app/posts';
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
  @ApiCreatedResponse({ type: PostResponseDto })
  @ApiTooManyRequestsResponse()
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreatePostDto): Promise<PostResponseDto> {
    return PostResponseDto.from(await this.posts.create(Number(user.id), dto.content));
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
