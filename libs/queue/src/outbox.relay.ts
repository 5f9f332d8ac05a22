import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { FanoutProducer } from './fanout.producer';
import type { JobData, OutboxJobName } from './jobs';
import { OutboxRepository, OutboxRow } from './outbox.repository';

const MAX_IDLE_BACKOFF_MS = 2000;

/**
 * Moves outbox events to the queue. Requests dispatch their own event right
 * after commit (`dispatchNow`); this poller re-sends whatever is still there
 * later: events whose dispatch failed (Redis down), or whose job was lost.
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
      await this.send([row]);
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

  /** Relays every due event now; returns how many were sent. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.outbox.relayDue(this.config.outbox.batchSize, (rows) => this.send(rows));
      total += sent;
      if (sent < this.config.outbox.batchSize) return total;
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
      const sent = await this.drain();
      if (sent > 0) this.logger.log({ sent }, 'relayed outbox events');
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

  private async send(rows: OutboxRow[]): Promise<void> {
    await this.producer.enqueueBulk(
      rows.map((row) => ({
        name: row.jobName,
        data: { ...row.payload, outboxId: String(row.id) } as JobData<OutboxJobName>,
      })),
    );
  }
}
