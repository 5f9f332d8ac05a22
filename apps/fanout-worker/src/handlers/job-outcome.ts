/** What a job did, kept as its BullMQ return value: work done, or an explicit no-op. */
export type JobOutcome = { done: string } | { skipped: string };
