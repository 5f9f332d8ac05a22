import { Module } from '@nestjs/common';
import { TimelinesModule } from '@app/timelines';
import { PostsRepository } from './posts.repository';
import { PostsService } from './posts.service';

/** Posts: create (with its fan-out event in the outbox), read, delete. Needs the outbox relay (`QueueModule.register({ relay: true })`). */
@Module({
  imports: [TimelinesModule],
  providers: [PostsService, PostsRepository],
  exports: [PostsService],
})
export class PostsModule {}
