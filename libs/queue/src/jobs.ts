import type { JobsOptions } from 'bullmq';

/** The one queue the three services share: post- and feed-service produce, fanout-worker consumes. */
export const FANOUT_QUEUE = 'fanout';

/** Ids travel as decimal strings: 64-bit safe in JSON. */
export interface PostRef {
  postId: string;
  authorId: string;
}

/** A slice of an author's followers, by follower id: (after, through]; null = open end. */
export interface FollowerRange {
  after: string | null;
  through: string | null;
}

/** What a fan-out batch does to each follower in its ranges. */
export type FanoutOperation =
  | { kind: 'insert-post'; postId: string } // push a post into followers' home timelines
  | { kind: 'remove-post'; postId: string } // take a deleted post out of them
  | { kind: 'start-pulling' } // author became a celebrity: merge at read time from now on
  | { kind: 'stop-pulling' }; // author is regular again: backfill their posts, stop merging

export interface FanoutChunk {
  batchId: string;
  authorId: string;
  operation: FanoutOperation;
  range: FollowerRange;
}

/**
 * Runs once every chunk of a batch has completed (a BullMQ flow parent). It
 * removes the outbox row of the event that started the batch: only then is
 * that event's work done.
 */
export interface FanoutSettled {
  batchId: string;
  authorId: string;
  operation: FanoutOperation;
  chunks: number;
  outboxId?: string;
}

/**
 * Job name -> payload. A typo in a name or a field is a compile error.
 * Renaming a job needs a migration plan: queued jobs and outbox rows carry
 * the old name until they are processed.
 */
export interface JobPayloads {
  /** From the outbox: a post was created. */
  'post-created': PostRef;
  /** From the outbox: a post was deleted. */
  'post-deleted': PostRef;
  /** From the outbox: `followerId` followed or unfollowed `followeeId` (the job reads which). */
  'follow-changed': { followerId: string; followeeId: string };
  /** From the outbox: `userId` crossed the celebrity line (the job reads which way). */
  'celebrity-changed': { userId: string };
  /** One chunk of a fan-out batch. */
  'timeline-fanout': FanoutChunk;
  /** Parent of a batch's chunks. */
  'fanout-settled': FanoutSettled;
  /** From feed-service: a timeline is missing in Redis; rebuild it from PostgreSQL. */
  'timeline-rebuild': { kind: 'home' | 'author'; userId: string };
}

export type JobName = keyof JobPayloads;

/**
 * Data of outbox-relayed jobs also names the outbox row, deleted once the
 * event's work is settled, and the round: the how-many-th time the outbox
 * sent it. A round has its own job ids, so re-driving an event whose last
 * round failed never collides with the failed jobs BullMQ keeps.
 */
export type JobData<N extends JobName> = JobPayloads[N] & { outboxId?: string; round?: number };

/** `.r<n>` from the second round on: the first keeps the plain ids. */
export function roundSuffix(data: { round?: number }): string {
  return data.round ? `.r${data.round}` : '';
}

/** Names of the jobs that arrive through the transactional outbox. */
export type OutboxJobName = 'post-created' | 'post-deleted' | 'follow-changed' | 'celebrity-changed';

interface JobSpec<N extends JobName> {
  /** Deterministic id: re-sending the same work while it is queued is a no-op. */
  jobId: (data: JobData<N>) => string;
  options: JobsOptions;
}

/** Overridden by FANOUT_JOB_ATTEMPTS / FANOUT_JOB_BACKOFF_MS (see FanoutProducer). */
const retried: JobsOptions = { attempts: 10, backoff: { type: 'exponential', delay: 1000 } };

/**
 * Priorities (BullMQ: jobs without one run first, then 1, 2, ...): rebuilding
 * a reader's timeline beats everything; small changes (one post, one follow)
 * pass ahead of the chunks of a large fan-out, which pass ahead of the
 * once-per-celebrity re-wiring of followers.
 */
export const JOB_SPECS: { [N in JobName]: JobSpec<N> } = {
  'post-created': {
    jobId: (d) => `post-created.${d.postId}${roundSuffix(d)}`,
    options: { ...retried, priority: 1 },
  },
  'post-deleted': {
    jobId: (d) => `post-deleted.${d.postId}${roundSuffix(d)}`,
    options: { ...retried, priority: 1 },
  },
  'follow-changed': {
    jobId: (d) => `follow-changed.${d.outboxId ?? `${d.followerId}-${d.followeeId}`}${roundSuffix(d)}`,
    options: { ...retried, priority: 1 },
  },
  'celebrity-changed': {
    jobId: (d) => `celebrity-changed.${d.outboxId ?? d.userId}${roundSuffix(d)}`,
    options: { ...retried, priority: 3 },
  },
  // A chunk that fails for good fails its batch's settle job, which the outbox relay sees.
  'timeline-fanout': {
    jobId: (d) => `fanout.${d.batchId}.${d.range.after ?? 'start'}`,
    options: { ...retried, priority: 2, failParentOnFailure: true },
  },
  'fanout-settled': { jobId: (d) => `settled.${d.batchId}`, options: { ...retried, priority: 1 } },
  'timeline-rebuild': {
    jobId: (d) => `rebuild.${d.kind}.${d.userId}`,
    // Removed at once when done or failed, so the next miss can schedule a new rebuild.
    options: { ...retried, removeOnComplete: true, removeOnFail: true },
  },
};

/** Completed and failed jobs are trimmed so Redis does not grow without bound. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};

export function jobOptions<N extends JobName>(name: N, data: JobData<N>): JobsOptions & { jobId: string } {
  const spec = JOB_SPECS[name] as JobSpec<N>;
  return { ...spec.options, jobId: spec.jobId(data) };
}
