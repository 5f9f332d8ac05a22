import { Module } from '@nestjs/common';
import { PageReader } from './page-reader';
import { PostCache } from './post-cache';
import { TimelineSource } from './timeline-source.repository';
import { TimelineStore } from './timeline.store';

/** Timelines: the Redis store, its PostgreSQL source, and the post cache used to hydrate them. */
@Module({
  providers: [TimelineStore, TimelineSource, PostCache, PageReader],
  exports: [TimelineStore, TimelineSource, PostCache, PageReader],
})
export class TimelinesModule {}
