import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { PUSH_QUEUE, PushJobData, PushJobName, pushJobOptions } from './push-jobs';

export interface PushJobRequest<N extends PushJobName = PushJobName> {
  name: N;
  data: PushJobData<N>;
}

/** The only way work enters the push queue. Ids and options come from PUSH_JOB_SPECS. */
@Injectable()
export class PushProducer {
  constructor(@InjectQueue(PUSH_QUEUE) private readonly queue: Queue) {}

  enqueue<N extends PushJobName>(name: N, data: PushJobData<N>): Promise<Job> {
    return this.queue.add(name, data, pushJobOptions(name, data));
  }

  enqueueBulk(jobs: PushJobRequest[]): Promise<Job[]> {
    return this.queue.addBulk(
      jobs.map(({ name, data }) => ({ name, data, opts: pushJobOptions(name, data as never) })),
    );
  }
}
