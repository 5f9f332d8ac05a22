import { Module } from '@nestjs/common';
import { TimelinesModule } from '@app/timelines';
import { FeedMetrics } from './feed.metrics';
import { FeedService } from './feed.service';
import { HydrationRepository } from './hydration.repository';
import { HomePaging } from './home-paging.service';
import { Hydrator } from './hydrator';
import { NewerPostsRepository } from './newer-posts.repository';

/** The read path: home feeds and author pages (merge, paging, PostgreSQL fallback, hydration). Queues rebuilds through `FanoutProducer`. */
@Module({
  imports: [TimelinesModule],
  providers: [FeedService, HomePaging, NewerPostsRepository, Hydrator, HydrationRepository, FeedMetrics],
  exports: [FeedService, HomePaging, Hydrator],
})
export class FeedModule {}
