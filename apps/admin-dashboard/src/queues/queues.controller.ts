import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { AuthUser, CurrentUser } from '@app/auth';
import { AdminSessionGuard } from '../auth/admin-session.guard';
import { FailedJobsQueryDto } from './dto/failed-jobs-query.dto';
import { HistoryQueryDto } from './dto/history-query.dto';
import { JobActionDto } from './dto/job-action.dto';
import { FailedJobsPage, FailedJobsService } from './failed-jobs.service';
import type { QueuesSnapshot } from './queue-figures';
import { QueueHistory, QueueStatsService } from './queue-stats.service';

/**
 * The dashboard's JSON API (admins only: session cookie or bearer token).
 * Actions take a JSON body, which a cross-site form cannot send (see
 * AdminAuthController on CSRF).
 */
@Controller('api/queues')
@UseGuards(AdminSessionGuard)
export class QueuesController {
  constructor(
    private readonly stats: QueueStatsService,
    private readonly failedJobs: FailedJobsService,
  ) {}

  /** Every queue's counts, totals, throughput and workers, fan-out lag, Redis memory and warnings, now. */
  @Get()
  @Header('Cache-Control', 'no-store')
  snapshot(): Promise<QueuesSnapshot> {
    return this.stats.snapshot();
  }

  /** Sampled history (one point a second, 15 minutes), oldest first. */
  @Get(':name/history')
  @Header('Cache-Control', 'no-store')
  history(@Param('name') name: string, @Query() query: HistoryQueryDto): Promise<QueueHistory> {
    return this.stats.historyOf(name, query.since);
  }

  /** The newest failed jobs, with their reason. */
  @Get(':name/failed')
  @Header('Cache-Control', 'no-store')
  failed(@Param('name') name: string, @Query() query: FailedJobsQueryDto): Promise<FailedJobsPage> {
    return this.failedJobs.list(name, query.limit);
  }

  @Post(':name/failed/retry')
  @HttpCode(204)
  retry(
    @Param('name') name: string,
    @Body() dto: JobActionDto,
    @CurrentUser() admin: AuthUser,
  ): Promise<void> {
    return this.failedJobs.retry(name, dto.jobId, admin.username);
  }

  @Post(':name/failed/remove')
  @HttpCode(204)
  remove(
    @Param('name') name: string,
    @Body() dto: JobActionDto,
    @CurrentUser() admin: AuthUser,
  ): Promise<void> {
    return this.failedJobs.remove(name, dto.jobId, admin.username);
  }
}
