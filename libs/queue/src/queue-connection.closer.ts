import { InjectFlowProducer, InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { FlowProducer, Queue } from 'bullmq';
import { FANOUT_FLOWS } from './fanout.producer';
import { FANOUT_QUEUE } from './jobs';
import { closeQueueConnection } from './queue-connection';

/**
 * Closes the queue and the flow producer (a second close is a no-op for
 * BullMQ), then the connection they share: BullMQ leaves a connection instance
 * it was given, as in cluster mode, to its owner.
 */
@Injectable()
export class QueueConnectionCloser implements OnApplicationShutdown {
  constructor(
    @InjectQueue(FANOUT_QUEUE) private readonly queue: Queue,
    @InjectFlowProducer(FANOUT_FLOWS) private readonly flows: FlowProducer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.queue.close(), this.flows.close()]);
    await closeQueueConnection(this.queue.opts.connection);
  }
}
