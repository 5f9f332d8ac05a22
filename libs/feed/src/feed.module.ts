import { Module } from '@nestjs/common';
import { TimelinesModule } from '@app/timelines';
import { FeedMetrics } from './feed.metrics';
import { FeedService } from './feed.service';
import { HydrationRepository } from './hydration.repository';
import { Hydrator } from './hydrator';

/** The read path: home feeds and author pages (merge, paging, PostgreSQL fallback, hydration). Queues rebuilds through `FanoutProducer`. */
@Module({
  imports: [TimelinesModule],
  providers: [FeedService, Hydrator, HydrationRepository, FeedMetrics],
  exports: [FeedService, Hydrator],
})
export class FeedModule {}
