export { TimelinesModule } from './timelines.module';
export { TimelineStore } from './timeline.store';
export type { HomeWindow, TimelineState, TimelineWindow } from './timeline.store';
export { TimelineSource } from './timeline-source.repository';
export type { EntryPage } from './timeline-source.repository';
export { PostCache } from './post-cache';
export type { CachedPost, HydratedPost, Profile } from './post-cache';
export { mergeWindows } from './timeline-merge';
export type { MergeResult, SourceWindow } from './timeline-merge';
export {
  ENTRY_BYTES,
  MAX_POST_ID,
  MAX_USER_ID,
  packEntries,
  postIdTime,
  unpackEntries,
} from './timeline-entry';
export type { TimelineEntry } from './timeline-entry';
export { mergeAbove, NewerTimelines } from './timeline-newer.store';
export type { AboveMergeResult, AboveWindow } from './timeline-newer.store';
