import { InjectFlowProducer, InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { FlowProducer, Job, JobsOptions, JobState, Queue } from 'bullmq';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { FANOUT_QUEUE, FanoutChunk, FanoutSettled, JobData, JobName, jobOptions } from './jobs';

export const FANOUT_FLOWS = 'fanout-flows';

export interface JobRequest<N extends JobName = JobName> {
  name: N;
  data: JobData<N>;
}

/** States in which a job still has work ahead of it (a stalled job sits in `active` until moved). */
const LIVE_STATES: ReadonlySet<JobState | 'unknown'> = new Set([
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
]);

/** What a job that handed its work to a batch returns: the batch's settle job id. */
export interface HandedOver {
  batch: string;
}

/** The only way work enters the fan-out queue. Ids and options come from JOB_SPECS. */
@Injectable()
export class FanoutProducer {
  private readonly logger = new Logger(FanoutProducer.name);
  private lastErrorLog = 0;
  /** Until then the connection is taken for silent (a command timed out): adds fail at once. */
  private suspectUntil = 0;

  constructor(
    @InjectQueue(FANOUT_QUEUE) private readonly queue: Queue,
    @InjectFlowProducer(FANOUT_FLOWS) private readonly flows: FlowProducer,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {
    // Connection errors surface as events; callers see failed adds and retry
    // (the outbox), so log them at most every 10 s instead of per attempt.
    const onError = (error: Error) => {
      if (Date.now() - this.lastErrorLog < 10_000) return;
      this.lastErrorLog = Date.now();
      this.logger.warn({ err: error }, 'queue connection error');
    };
    queue.on('error', onError);
    flows.on('error', onError);
  }

  async enqueue<N extends JobName>(name: N, data: JobData<N>): Promise<Job> {
    await this.ensureConnected();
    return this.watch(this.queue.add(name, data, this.options(name, data)));
  }

  async enqueueBulk(jobs: JobRequest[]): Promise<Job[]> {
    await this.ensureConnected();
    return this.watch(
      this.queue.addBulk(
        jobs.map(({ name, data }) => ({ name, data, opts: this.options(name, data as never) })),
      ),
    );
  }

  /**
   * While Redis is away, or was silent a moment ago, fail at once (the outbox
   * re-sends) rather than wait for a reconnect or another command timeout.
   */
  private async ensureConnected(): Promise<void> {
    if (Date.now() < this.suspectUntil) throw new Error('queue unavailable (redis did not answer)');
    const client = await this.queue.backend.client;
    if (client.status !== 'ready' && client.status !== 'connect')
      throw new Error(`queue unavailable (redis ${client.status})`);
  }

  /** A timed-out command marks the connection silent for a few seconds. */
  private async watch<T>(command: Promise<T>): Promise<T> {
    try {
      return await command;
    } catch (error) {
      if (error instanceof Error && /timed out/i.test(error.message)) this.suspectUntil = Date.now() + 5000;
      throw error;
    }
  }

  /**
   * Adds a batch's chunks and, as their flow parent, the job that runs once
   * all of them have completed. One atomic call: a retry of the caller
   * re-adds the same ids, which BullMQ ignores while they exist.
   */
  async enqueueBatch(settled: FanoutSettled, chunks: FanoutChunk[]): Promise<HandedOver> {
    const opts = this.options('fanout-settled', settled);
    await this.flows.add({
      name: 'fanout-settled',
      queueName: FANOUT_QUEUE,
      data: settled,
      opts,
      children: chunks.map((chunk) => ({
        name: 'timeline-fanout',
        queueName: FANOUT_QUEUE,
        data: chunk,
        opts: this.options('timeline-fanout', chunk),
      })),
    });
    return { batch: opts.jobId };
  }

  /**
   * Whether the work of an event's job still lies ahead: the job itself is
   * queued or running, or it handed its work to a batch whose settle job
   * is. False when it failed for good, vanished (Redis lost it, or it was
   * never added), or completed (its outbox row should be gone then).
   */
  async isLive<N extends JobName>(name: N, data: JobData<N>): Promise<boolean> {
    const id = jobOptions(name, data).jobId;
    const state = await this.queue.getJobState(id);
    if (LIVE_STATES.has(state)) return true;
    if (state !== 'completed') return false;
    const batch = ((await this.queue.getJob(id))?.returnvalue as Partial<HandedOver> | null)?.batch;
    return batch !== undefined && LIVE_STATES.has(await this.queue.getJobState(batch));
  }

  /** The job's spec, with the retry budget from configuration. */
  private options<N extends JobName>(name: N, data: JobData<N>): JobsOptions & { jobId: string } {
    const { attempts, backoffMs } = this.config.fanout.retry;
    return { ...jobOptions(name, data), attempts, backoff: { type: 'exponential', delay: backoffMs } };
  }
}
