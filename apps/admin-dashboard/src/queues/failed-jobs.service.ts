import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { QueueRegistry } from './queue-registry';

/** Job data is shown as a preview: enough to recognise the job, never a wall of JSON. */
const DATA_PREVIEW_CHARS = 300;
const STACK_CHARS = 2000;

export interface FailedJob {
  id: string;
  name: string;
  failedReason: string;
  attemptsMade: number;
  maxAttempts: number;
  createdAt: string;
  failedAt: string | null;
  data: string;
  /** The last attempt's stack trace (trimmed). */
  stacktrace: string | null;
}

export interface FailedJobsPage {
  queue: string;
  total: number;
  jobs: FailedJob[];
}

/** The failed jobs of a queue, newest first, and the two things an operator does with them. */
@Injectable()
export class FailedJobsService {
  private readonly logger = new Logger(FailedJobsService.name);

  constructor(private readonly registry: QueueRegistry) {}

  async list(name: string, limit: number): Promise<FailedJobsPage> {
    const queue = this.registry.get(name);
    const [total, jobs] = await Promise.all([queue.getFailedCount(), queue.getFailed(0, limit - 1)]);
    return { queue: name, total, jobs: jobs.map(describe) };
  }

  /** Moves a failed job back to the queue to run again (attempts start over). */
  async retry(name: string, jobId: string, admin: string): Promise<void> {
    const job = await this.failedJob(this.registry.get(name), jobId);
    try {
      await job.retry('failed');
    } catch (error) {
      // Retried or removed by someone else in the meantime (the script checks the failed set atomically).
      throw new ConflictException(`Job ${jobId} could not be retried: ${(error as Error).message}`);
    }
    this.logger.log({ queue: name, jobId, admin }, 'failed job retried');
  }

  /** Deletes a failed job for good. */
  async remove(name: string, jobId: string, admin: string): Promise<void> {
    const queue = this.registry.get(name);
    await this.failedJob(queue, jobId);
    if ((await queue.remove(jobId)) !== 1)
      throw new ConflictException(`Job ${jobId} is locked by a worker; try again`);
    this.logger.log({ queue: name, jobId, admin }, 'failed job removed');
  }

  /** The job, if it exists and is failed: 404 or 409 otherwise, before anything is changed. */
  private async failedJob(queue: Queue, jobId: string): Promise<Job> {
    // The state first: only an id in one of the queue's job sets is read as a job.
    const state = await queue.getJobState(jobId);
    const job = state === 'failed' ? await queue.getJob(jobId) : undefined;
    if (state === 'unknown' || (state === 'failed' && !job)) {
      throw new NotFoundException(`No job ${jobId} in queue ${queue.name}`);
    }
    if (!job) throw new ConflictException(`Job ${jobId} is ${state}, not failed`);
    return job;
  }
}

function describe(job: Job): FailedJob {
  const data = JSON.stringify(job.data) ?? 'undefined';
  const stack = job.stacktrace?.[job.stacktrace.length - 1];
  return {
    id: String(job.id),
    name: job.name,
    failedReason: job.failedReason ?? '',
    attemptsMade: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    createdAt: new Date(job.timestamp).toISOString(),
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    data: data.length > DATA_PREVIEW_CHARS ? `${data.slice(0, DATA_PREVIEW_CHARS)}…` : data,
    stacktrace: stack ? stack.slice(0, STACK_CHARS) : null,
  };
}
