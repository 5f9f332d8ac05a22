export { TimelinesModule } from './timelines.module';
export { TimelineStore } from './timeline.store';
export type { HomeWindow, TimelineState, TimelineWindow } from './timeline.store';
export { TimelineSource } from './timeline-source.repository';
export type { EntryPage } from './timeline-source.repository';
export { PageReader } from './page-reader';
export type { HomePage } from './page-reader';
export { PostCache, postJson, profileJson } from './post-cache';
export type { HydratedPost, PostJson, ProfileJson } from './post-cache';
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
