import { Controller, Get, Header, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, JwtAuthGuard } from '@app/auth';
import { FeedService } from '@app/feed';
import { ParseIdPipe } from '@app/http';
import { FeedPageDto } from './dto/feed-page.dto';
import { ApiFeedQuery, type FeedQueryDto } from './dto/feed-query.dto';
import { FeedQueryPipe } from './feed-query.pipe';

/** Pages are sent as the JSON text FeedService joins from cached fragments (see docs/adr/0006-read-path.md). */
const JSON_TYPE = 'application/json; charset=utf-8';

@ApiTags('feed')
@Controller()
export class FeedController {
  constructor(private readonly feed: FeedService) {}

  /** The caller's home feed: posts of the accounts they follow and their own, newest first. */
  @Get('feed')
  @UseGuards(JwtAuthGuard)
  @Header('Content-Type', JSON_TYPE)
  @ApiBearerAuth()
  @ApiFeedQuery()
  @ApiOkResponse({ type: FeedPageDto })
  home(@CurrentUser() user: AuthUser, @Query(FeedQueryPipe) query: FeedQueryDto): Promise<string> {
    return this.feed.homeJson(Number(user.id), query.cursor, query.limit);
  }

  /** One author's posts, newest first. */
  @Get('users/:id/posts')
  @Header('Content-Type', JSON_TYPE)
  @ApiFeedQuery()
  @ApiOkResponse({ type: FeedPageDto })
  @ApiNotFoundResponse()
  authorPosts(
    @Param('id', ParseIdPipe) id: number,
    @Query(FeedQueryPipe) query: FeedQueryDto,
  ): Promise<string> {
    return this.feed.authorPostsJson(id, query.cursor, query.limit);
  }
}
