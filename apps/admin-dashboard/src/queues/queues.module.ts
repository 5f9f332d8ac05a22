import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../auth/admin-auth.module';
import { QueueRegistry } from './queue-registry';
import { QueueStatsService } from './queue-stats.service';
import { QueuesController } from './queues.controller';
import { RedisMemoryStore } from './redis-memory.store';
import { WorkerLagClient } from './worker-lag.client';

/** The queue figures, read from their sources on each request. */
@Module({
  imports: [AdminAuthModule],
  controllers: [QueuesController],
  providers: [QueueRegistry, QueueStatsService, RedisMemoryStore, WorkerLagClient],
})
export class QueuesModule {}
