import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, JwtAuthGuard } from '@app/auth';
import { FeedService } from '@app/feed';
import { ParseIdPipe } from '@app/http';
import { FeedPageDto } from './dto/feed-page.dto';
import { FeedQueryDto } from './dto/feed-query.dto';

@ApiTags('feed')
@Controller()
export class FeedController {
  constructor(private readonly feed: FeedService) {}

  /** The caller's home feed: posts of the accounts they follow and their own, newest first. */
  @Get('feed')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ type: FeedPageDto })
  home(@CurrentUser() user: AuthUser, @Query() query: FeedQueryDto): Promise<FeedPageDto> {
    return this.feed.home(Number(user.id), Number(query.cursor ?? 0), query.limit);
  }

  /** One author's posts, newest first. */
  @Get('users/:id/posts')
  @ApiOkResponse({ type: FeedPageDto })
  @ApiNotFoundResponse()
  authorPosts(@Param('id', ParseIdPipe) id: number, @Query() query: FeedQueryDto): Promise<FeedPageDto> {
    return this.feed.authorPosts(id, Number(query.cursor ?? 0), query.limit);
  }
}
