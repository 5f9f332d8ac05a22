import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, NotFoundException } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { FANOUT_QUEUE } from '@app/queue';

/** The queues the dashboard watches, by name (one today: the fan-out queue). */
@Injectable()
export class QueueRegistry {
  private readonly queues: ReadonlyMap<string, Queue>;

  constructor(@InjectQueue(FANOUT_QUEUE) fanout: Queue) {
    this.queues = new Map([[FANOUT_QUEUE, fanout]]);
  }

  names(): string[] {
    return [...this.queues.keys()];
  }

  /** The queue called `name`; 404 for any other name. */
  get(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new NotFoundException(`No queue named ${name} (known: ${this.names().join(', ')})`);
    return queue;
  }
}
