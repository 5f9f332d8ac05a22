import { Module } from '@nestjs/common';
import { PageReader } from './page-reader';
import { PostCache } from './post-cache';
import { TimelineSource } from './timeline-source.repository';
import { NewerTimelines } from './timeline-newer.store';
import { TimelineStore } from './timeline.store';

/** Timelines: the Redis store, its PostgreSQL source, and the post cache used to hydrate them. */
@Module({
  providers: [TimelineStore, TimelineSource, PostCache, NewerTimelines, PageReader],
  exports: [TimelineStore, TimelineSource, PostCache, NewerTimelines, PageReader],
})
export class TimelinesModule {}
