import type { HandedOver } from '@app/queue';

/**
 * What a job did, kept as its BullMQ return value: work done, or an explicit
 * no-op. `batch` names the settle job of a batch the work was handed to: the
 * event is settled (its outbox row removed) only when that job runs.
 */
export type JobOutcome = ({ done: string } | { skipped: string }) & Partial<HandedOver>;
