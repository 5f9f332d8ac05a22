import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { AdminSessionGuard } from '../auth/admin-session.guard';
import type { QueuesSnapshot } from './queue-figures';
import { QueueStatsService } from './queue-stats.service';

/** The dashboard's JSON API (admins only: session cookie or bearer token). Job actions: bull-board. */
@Controller('api/queues')
@UseGuards(AdminSessionGuard)
export class QueuesController {
  constructor(private readonly stats: QueueStatsService) {}

  /** Every queue's counts, totals, per-minute throughput and workers, fan-out lag, Redis memory and warnings, now. */
  @Get()
  @Header('Cache-Control', 'no-store')
  snapshot(): Promise<QueuesSnapshot> {
    return this.stats.snapshot();
  }
}
