import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { QueueHistoryStore, SAMPLE_INTERVAL_MS } from './queue-history.store';
import { QueueRegistry } from './queue-registry';
import { QueueStatsService } from './queue-stats.service';
import { SamplerLeaseStore } from './sampler-lease.store';

const LEASE = 'queue-sampler';
/** A sampling replica that stops renewing (crashed, partitioned) is replaced after this. */
const LEASE_MS = 5 * SAMPLE_INTERVAL_MS;

/**
 * Writes each queue's figures into its Redis history once a second. Every
 * dashboard replica runs a sampler, but only the holder of a lease in Redis
 * samples, so replicas do not write duplicate points; when it goes away,
 * another takes over within LEASE_MS.
 */
@Injectable()
export class QueueSampler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(QueueSampler.name);
  private readonly holder = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> = Promise.resolve();
  private stopped = false;
  private leading = false;
  private failing = false;

  constructor(
    private readonly registry: QueueRegistry,
    private readonly stats: QueueStatsService,
    private readonly history: QueueHistoryStore,
    private readonly lease: SamplerLeaseStore,
  ) {}

  /** Whether this replica is the one sampling. */
  get isLeader(): boolean {
    return this.leading;
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.tick;
    if (this.leading) {
      // Hand over at once instead of after the lease expires.
      await this.lease.release(LEASE, this.holder).catch(() => undefined);
      this.leading = false;
    }
  }

  /** Next tick on the next whole interval, so samples of any replica line up. */
  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.tick = this.sampleOnce().finally(() => this.schedule());
      },
      SAMPLE_INTERVAL_MS - (Date.now() % SAMPLE_INTERVAL_MS),
    );
  }

  private async sampleOnce(): Promise<void> {
    try {
      const leading = await this.lease.hold(LEASE, this.holder, LEASE_MS);
      if (leading !== this.leading) {
        this.logger.log(
          { holder: this.holder },
          leading ? 'sampling the queues' : 'another replica samples the queues',
        );
        this.leading = leading;
      }
      if (leading) {
        for (const name of this.registry.names())
          await this.history.append(name, await this.stats.sample(name));
      }
      if (this.failing) this.logger.log('queue sampling works again');
      this.failing = false;
    } catch (error) {
      // Redis away: keep trying every interval, but say so once, not every second.
      if (!this.failing) this.logger.warn({ err: error }, 'queue sampling failed; retrying every interval');
      this.failing = true;
    }
  }
}
