import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConnectionOptions, Job, MetricsTime, Worker } from 'bullmq';
import { FeedlineConfig, InjectConfig } from '@app/config';
import {
  closeQueueConnection,
  FANOUT_QUEUE,
  JobData,
  JobName,
  OutboxRepository,
  queueConnection,
} from '@app/queue';
import { exhaustive, FanoutBatches } from './fanout-batches';
import { FanoutMetrics } from './fanout.metrics';
import { CelebrityHandler } from './handlers/celebrity.handler';
import { FollowHandler } from './handlers/follow.handler';
import type { JobOutcome } from './handlers/job-outcome';
import { PostHandler } from './handlers/post.handler';
import { RebuildHandler } from './handlers/rebuild.handler';

type AnyJob = { [N in JobName]: Job<JobData<N>, JobOutcome, N> }[JobName];

/**
 * The one consumer of the fan-out queue. Delivery is at-least-once: a job may
 * run again after a crash, a stall or a retry, and every handler is
 * idempotent. Throwing retries the job (with backoff); a no-op returns
 * `{ skipped }`. An outbox row is deleted only once its event's work is done
 * (for a batch, by the settle job); a job that fails for good leaves it, and
 * the outbox relay re-drives the event (docs/adr/0005-at-least-once-delivery.md).
 *
 * The BullMQ worker is built here rather than through `@Processor()`: its
 * lock and stall settings come from validated configuration, and BullMQ fixes
 * the lock-renewal timer when the worker is constructed, so they cannot be
 * patched in afterwards.
 */
@Injectable()
export class FanoutProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(FanoutProcessor.name);
  private worker?: Worker;

  constructor(
    private readonly posts: PostHandler,
    private readonly follows: FollowHandler,
    private readonly celebrities: CelebrityHandler,
    private readonly rebuilds: RebuildHandler,
    private readonly batches: FanoutBatches,
    private readonly outbox: OutboxRepository,
    private readonly metrics: FanoutMetrics,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { concurrency, lockDurationMs, stalledIntervalMs, maxStalledCount } = this.config.fanout;
    const worker = new Worker(FANOUT_QUEUE, (job: Job) => this.process(job as AnyJob), {
      connection: queueConnection(this.config, 'worker') as ConnectionOptions,
      prefix: this.config.redis.queuePrefix,
      concurrency,
      lockDuration: lockDurationMs,
      stalledInterval: stalledIntervalMs,
      maxStalledCount,
      // BullMQ's own per-minute completed/failed counts, read by the admin dashboard.
      metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
    });
    worker.on('failed', (job, error) => this.onFailed(job, error));
    worker.on('stalled', (jobId) => this.onStalled(jobId));
    worker.on('error', (error) => this.onError(error));
    this.worker = worker;
  }

  /**
   * On SIGTERM: take no new job and let the running ones finish, while the
   * database and Redis are still open. If that outlasts SHUTDOWN_TIMEOUT_MS
   * the process exits anyway; the unfinished jobs' locks lapse and another
   * replica runs them again (they are idempotent).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.logger.log('shutting down: finishing running jobs');
    await this.worker?.close();
    await closeQueueConnection(this.worker?.opts.connection);
  }

  async process(job: AnyJob): Promise<JobOutcome> {
    const started = performance.now();
    try {
      const outcome = await this.route(job);
      // The event is settled when its work is: now, or when its batch's settle job runs.
      const { outboxId } = job.data as { outboxId?: string };
      if (outboxId && job.name !== 'timeline-fanout' && !outcome.batch)
        await this.outbox.acknowledge(outboxId);
      this.metrics.jobDuration.observe(
        { name: job.name, outcome: 'completed' },
        (performance.now() - started) / 1000,
      );
      return outcome;
    } catch (error) {
      this.metrics.jobDuration.observe(
        { name: job.name, outcome: 'failed' },
        (performance.now() - started) / 1000,
      );
      throw error;
    }
  }

  private async route(job: AnyJob): Promise<JobOutcome> {
    switch (job.name) {
      case 'post-created':
        return this.posts.created(job.data);
      case 'post-deleted':
        return this.posts.deleted(job.data);
      case 'follow-changed':
        return this.follows.changed(job.data);
      case 'celebrity-changed':
        return this.celebrities.changed(job.data);
      case 'timeline-rebuild':
        return this.rebuilds.rebuild(job.data);
      case 'timeline-fanout':
        return { done: `${await this.batches.apply(job.data)} timelines` };
      case 'fanout-settled': {
        const { operation, authorId } = job.data;
        if (operation.kind === 'insert-post') await this.posts.settled(operation.postId);
        if (operation.kind === 'start-pulling') await this.celebrities.promotionSettled(Number(authorId));
        return { done: `${operation.kind} settled` };
      }
      default:
        return exhaustive(job);
    }
  }

  private onFailed(job: Job | undefined, error: Error): void {
    this.logger.error(
      { jobId: job?.id, job: job?.name, attempt: job?.attemptsMade, err: error },
      `job failed${job && job.attemptsMade < (job.opts.attempts ?? 1) ? ', will retry' : ', giving up'}`,
    );
  }

  private onStalled(jobId: string): void {
    this.logger.warn({ jobId }, 'job stalled (its worker stopped renewing the lock); it runs again');
  }

  private onError(error: Error): void {
    this.logger.error({ err: error }, 'worker error');
  }
}
