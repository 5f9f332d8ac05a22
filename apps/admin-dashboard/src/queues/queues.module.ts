import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../auth/admin-auth.module';
import { FailedJobsService } from './failed-jobs.service';
import { LagSamplesStore } from './lag-samples.store';
import { QueueHistoryStore } from './queue-history.store';
import { QueueRegistry } from './queue-registry';
import { QueueSampler } from './queue-sampler.service';
import { QueueStatsService } from './queue-stats.service';
import { QueuesController } from './queues.controller';
import { RedisMemoryStore } from './redis-memory.store';
import { SamplerLeaseStore } from './sampler-lease.store';

/** Queue figures now and over time, failed jobs, and the sampler that records the history. */
@Module({
  imports: [AdminAuthModule],
  controllers: [QueuesController],
  providers: [
    QueueRegistry,
    QueueStatsService,
    QueueSampler,
    FailedJobsService,
    QueueHistoryStore,
    LagSamplesStore,
    RedisMemoryStore,
    SamplerLeaseStore,
  ],
})
export class QueuesModule {}
