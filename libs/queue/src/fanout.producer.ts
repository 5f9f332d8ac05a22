import { InjectFlowProducer, InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
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
  constructor(
    @InjectQueue(FANOUT_QUEUE) readonly queue: Queue,
    @InjectFlowProducer(FANOUT_FLOWS) private readonly flows: FlowProducer,
  ) {}

  enqueue<N extends JobName>(name: N, data: JobData<N>): Promise<Job> {
    return this.queue.add(name, data, jobOptions(name, data));
  }

  enqueueBulk(jobs: JobRequest[]): Promise<Job[]> {
    return this.queue.addBulk(jobs.map(({ name, data }) => ({ name, data, opts: jobOptions(name, data as never) })));
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
