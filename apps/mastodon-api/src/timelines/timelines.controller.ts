import { Controller, Get, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CallerUserId, RequireScopes } from '../auth/mastodon-auth.guard';
import { PresenterService } from '../accounts/presenter.service';
import type { MastodonStatus } from '../entities/entities';
import { InstanceService } from '../instance/instance.service';
import { linkHeader } from '../link-header';
import { PageQueryDto, pageWindow } from './dto/page-query.dto';
import { HomeTimelineService } from './home-timeline.service';

@Controller('api/v1/timelines')
export class TimelinesController {
  constructor(
    private readonly home: HomeTimelineService,
    private readonly presenter: PresenterService,
    private readonly instance: InstanceService,
  ) {}

  /** The caller's home feed: the same hybrid feed as the native GET /feed, newest first, with Link paging. */
  @Get('home')
  @RequireScopes('read:statuses')
  async homeTimeline(
    @CallerUserId() userId: number,
    @Query() query: PageQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MastodonStatus[]> {
    const items = await this.home.page(userId, pageWindow(query));
    const statuses = await this.presenter.feedStatuses(items);
    const link = linkHeader(
      `${this.instance.baseUrl}/api/v1/timelines/home`,
      items.map((item) => item.id),
      {
        limit: String(query.limit),
      },
    );
    if (link) void reply.header('link', link);
    return statuses;
  }
}
