import { Module } from '@nestjs/common';
import { TimelinesModule } from '@app/timelines';
import { FeedController } from './feed.controller';
import { FeedMetrics } from './feed.metrics';
import { FeedService } from './feed.service';
import { Hydrator } from './hydrator';

@Module({
  imports: [TimelinesModule],
  controllers: [FeedController],
  providers: [FeedService, Hydrator, FeedMetrics],
})
export class FeedModule {}
