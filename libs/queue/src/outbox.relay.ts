import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { FanoutProducer } from './fanout.producer';
import type { JobData, OutboxJobName } from './jobs';
import { OutboxRepository, OutboxRow } from './outbox.repository';

const MAX_IDLE_BACKOFF_MS = 2000;

/**
 * Moves outbox events to the queue, and is the reconciler that makes sure
 * each one's work gets done. Requests dispatch their own event right after
 * commit (`dispatchNow`, round 0). A row stays until its work is settled;
 * every `recheckSeconds` this poller looks at the current round's jobs and,
 * when none is alive any more (the dispatch failed, Redis lost the job, or
 * the job or a chunk of its batch failed for good after its retries or
 * stalls), sends the event again as a new round with fresh job ids.
 * Several replicas can poll at once (rows are claimed with SKIP LOCKED).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failures = 0;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly producer: FanoutProducer,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  /** Best-effort immediate send; the poller covers a failure. Never throws. */
  async dispatchNow(row: OutboxRow): Promise<void> {
    try {
      await this.producer.enqueue(row.jobName, jobData(row, row.attempts));
    } catch (error) {
      this.logger.warn(
        { outboxId: String(row.id), err: error },
        'dispatch failed; the outbox relay will re-send it',
      );
      // Due now rather than after the grace period meant for dispatches that worked.
      await this.outbox.makeDue(row.id).catch(() => undefined);
    }
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  /** Before the database and Redis connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Checks every due event now, re-sending those with no live job; returns how many were checked. */
  async drain(): Promise<number> {
    const { batchSize, recheckSeconds } = this.config.outbox;
    let total = 0;
    for (;;) {
      const checked = await this.outbox.relayDue(batchSize, recheckSeconds, (rows) => this.redrive(rows));
      total += checked;
      if (checked < batchSize) return total;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = undefined));
    }, delayMs);
  }

  private async tick(): Promise<void> {
    try {
      await this.drain();
      if (this.failures > 0) this.logger.log('outbox relay recovered');
      this.failures = 0;
      this.schedule(this.config.outbox.pollMs);
    } catch (error) {
      this.failures += 1;
      const wait = Math.min(MAX_IDLE_BACKOFF_MS, this.config.outbox.pollMs * 2 ** this.failures);
      if (this.failures === 1)
        this.logger.warn({ err: error }, 'outbox relay cannot reach the queue; retrying');
      this.schedule(wait);
    }
  }

  /** Sends the events whose current round has no live job as the next round; returns their ids. */
  private async redrive(rows: OutboxRow[]): Promise<bigint[]> {
    const live = await Promise.all(
      rows.map((row) => this.producer.isLive(row.jobName, jobData(row, row.attempts))),
    );
    const dead = rows.filter((_, i) => !live[i]);
    if (dead.length === 0) return [];
    await this.producer.enqueueBulk(
      dead.map((row) => ({ name: row.jobName, data: jobData(row, row.attempts + 1) })),
    );
    this.logger.log(
      { events: dead.map((row) => `${row.jobName} ${row.id} round ${row.attempts + 1}`) },
      're-sent outbox events whose jobs were gone or failed',
    );
    return dead.map((row) => row.id);
  }
}

function jobData(row: OutboxRow, round: number): JobData<OutboxJobName> {
  return { ...row.payload, outboxId: String(row.id), round } as JobData<OutboxJobName>;
}
