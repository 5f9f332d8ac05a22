import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConnectionOptions, Job, Worker } from 'bullmq';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { PushJobs, PushOutcome } from '@app/push';
import { closeQueueConnection, PUSH_QUEUE, PushJobData, PushJobName, queueConnection } from '@app/queue';

type AnyPushJob = { [N in PushJobName]: Job<PushJobData<N>, PushOutcome, N> }[PushJobName];

/**
 * The push queue's consumer: its own BullMQ worker with its own concurrency
 * (PUSH_CONCURRENCY), so notifications never take the fan-out's slots. Thin:
 * the jobs live in @app/push.
 */
@Injectable()
export class PushProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PushProcessor.name);
  private worker?: Worker;

  constructor(
    private readonly jobs: PushJobs,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  onApplicationBootstrap(): void {
    const worker = new Worker(PUSH_QUEUE, (job: Job) => this.process(job as AnyPushJob), {
      connection: queueConnection(this.config, 'worker') as ConnectionOptions,
      prefix: this.config.redis.queuePrefix,
      concurrency: this.config.push.concurrency,
      lockDuration: this.config.fanout.lockDurationMs,
      stalledInterval: this.config.fanout.stalledIntervalMs,
    });
    worker.on('failed', (job, error) =>
      this.logger.warn(
        { jobId: job?.id, job: job?.name, attempt: job?.attemptsMade, err: error },
        `push job failed${job && job.attemptsMade < (job.opts.attempts ?? 1) ? ', will retry' : ', giving up'}`,
      ),
    );
    worker.on('stalled', (jobId) => this.logger.warn({ jobId }, 'push job stalled; it runs again'));
    worker.on('error', (error) => this.logger.error({ err: error }, 'push worker error'));
    this.worker = worker;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await closeQueueConnection(this.worker?.opts.connection);
  }

  process(job: AnyPushJob): Promise<PushOutcome> {
    switch (job.name) {
      case 'push-follower':
        return this.jobs.follower(job.data);
      case 'push-post':
        return this.jobs.post(job.data);
      case 'push-send':
        return this.jobs.send(job.data, (delivered) => job.updateData({ ...job.data, delivered }));
      default:
        return exhaustive(job);
    }
  }
}

function exhaustive(job: never): never {
  throw new Error(`unknown push job ${(job as Job).name}`);
}
