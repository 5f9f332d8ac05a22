import type { JobsOptions } from 'bullmq';

/**
 * Web Push has its own queue, consumed by its own BullMQ worker with its own
 * concurrency: notifications for a celebrity's many bell subscribers never
 * wait in front of, or occupy the slots of, timeline fan-out jobs
 * (docs/adr/0010-web-push.md).
 */
export const PUSH_QUEUE = 'push';

/** What the browser shows (apps/web/app/src/sw/messages.ts reads it). */
export interface PushNotification {
  type: 'follow' | 'post';
  title: string;
  body: string;
  /** A path in the web app: /@alice, /posts/123. */
  url: string;
  /** Same tag, same notification: a repeat replaces rather than stacks. */
  tag: string;
}

/**
 * Job name -> payload for the push queue. Renaming a job needs a migration
 * plan: queued jobs carry the old name.
 */
export interface PushJobPayloads {
  /** `followerId` now follows `followeeId`: tell the followee. `eventId` names the follow event. */
  'push-follower': { followerId: string; followeeId: string; eventId: string };
  /**
   * A new post: page the author's bell subscribers from `after` (exclusive;
   * null = the start), queue one `push-send` for the page and this job again
   * for the next page. Paging job by job keeps each job short.
   */
  'push-post': { postId: string; authorId: string; after: string | null };
  /**
   * One chunk: the notification for every subscription of `userIds`.
   * `delivered` lists subscription ids already answered, so a retry sends
   * only to the ones that failed (never twice to the same browser).
   */
  'push-send': {
    key: string;
    notification: PushNotification;
    userIds: string[];
    /** A chunk of a large audience: lower priority, behind small ones. */
    bulk: boolean;
    delivered?: string[];
  };
}

export type PushJobName = keyof PushJobPayloads;
export type PushJobData<N extends PushJobName> = PushJobPayloads[N];

interface PushJobSpec<N extends PushJobName> {
  jobId: (data: PushJobData<N>) => string;
  options: (data: PushJobData<N>) => JobsOptions;
}

/** Push services ask to slow down (429) or fail briefly (5xx): back off for minutes, not seconds. */
const retried: JobsOptions = { attempts: 6, backoff: { type: 'exponential', delay: 2000 } };

/**
 * Priorities (lower first): a new-follower notice and the first page of a
 * post's audience go first; the pages and chunks of a large audience (a
 * celebrity's) come after everything small.
 */
export const PUSH_JOB_SPECS: { [N in PushJobName]: PushJobSpec<N> } = {
  'push-follower': {
    jobId: (d) => `push-follower.${d.eventId}`,
    options: () => ({ ...retried, priority: 1 }),
  },
  'push-post': {
    jobId: (d) => `push-post.${d.postId}.${d.after ?? 'start'}`,
    options: (d) => ({ ...retried, priority: d.after === null ? 1 : 5 }),
  },
  'push-send': {
    jobId: (d) => `push-send.${d.key}`,
    options: (d) => ({ ...retried, priority: d.bulk ? 5 : 2 }),
  },
};

export function pushJobOptions<N extends PushJobName>(name: N, data: PushJobData<N>): JobsOptions {
  const spec = PUSH_JOB_SPECS[name] as PushJobSpec<N>;
  return { ...spec.options(data), jobId: spec.jobId(data) };
}
