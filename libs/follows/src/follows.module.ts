import { Module } from '@nestjs/common';
import { StreamPublisherModule } from '@app/streaming';
import { TimelinesModule } from '@app/timelines';
import { FollowsRepository } from './follows.repository';
import { FollowsService } from './follows.service';

/** The follow graph's write side. Needs the outbox relay (`QueueModule.register({ relay: true })`). */
@Module({
  imports: [TimelinesModule, StreamPublisherModule],
  providers: [FollowsService, FollowsRepository],
  exports: [FollowsService],
})
export class FollowsModule {}
