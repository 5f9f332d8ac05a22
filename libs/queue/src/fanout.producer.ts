import { InjectFlowProducer, InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { FlowProducer, Job, Queue } from 'bullmq';
import { FANOUT_QUEUE, FanoutChunk, FanoutSettled, JobData, JobName, jobOptions } from './jobs';

export const FANOUT_FLOWS = 'fanout-flows';

export interface JobRequest<N extends JobName = JobName> {
  name: N;
  data: JobData<N>;
}

/** The only way work enters the fan-out queue. Ids and options come from JOB_SPECS. */
@Injectable()
export class FanoutProducer {
  private readonly logger = new Logger(FanoutProducer.name);
  private lastErrorLog = 0;

  constructor(
    @InjectQueue(FANOUT_QUEUE) private readonly queue: Queue,
    @InjectFlowProducer(FANOUT_FLOWS) private readonly flows: FlowProducer,
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
    return this.queue.add(name, data, jobOptions(name, data));
  }

  async enqueueBulk(jobs: JobRequest[]): Promise<Job[]> {
    await this.ensureConnected();
    return this.queue.addBulk(
      jobs.map(({ name, data }) => ({ name, data, opts: jobOptions(name, data as never) })),
    );
  }

  /** While Redis is away, fail at once (the outbox re-sends) rather than wait for a reconnect. */
  private async ensureConnected(): Promise<void> {
    const client = await this.queue.backend.client;
    if (client.status !== 'ready' && client.status !== 'connect')
      throw new Error(`queue unavailable (redis ${client.status})`);
  }

  /**
   * Adds a batch's chunks and, as their flow parent, the job that runs once
   * all of them have completed. One atomic call: a retry of the caller
   * re-adds the same ids, which BullMQ ignores while they exist.
   */
  async enqueueBatch(settled: FanoutSettled, chunks: FanoutChunk[]): Promise<void> {
    await this.flows.add({
      name: 'fanout-settled',
      queueName: FANOUT_QUEUE,
      data: settled,
      opts: jobOptions('fanout-settled', settled),
      children: chunks.map((chunk) => ({
        name: 'timeline-fanout',
        queueName: FANOUT_QUEUE,
        data: chunk,
        opts: jobOptions('timeline-fanout', chunk),
      })),
    });
  }
}
