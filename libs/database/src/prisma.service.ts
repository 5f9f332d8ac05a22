import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { PrismaClient } from './generated/prisma/client';

type Options = { adapter: PrismaPg; log: [{ emit: 'event'; level: 'query' }] };

/**
 * The Prisma client over node-postgres (Prisma 7's Rust-free client). The only
 * way any Feedline code talks to PostgreSQL.
 */
@Injectable()
export class PrismaService extends PrismaClient<Options> implements OnApplicationShutdown {
  private readonly logger = new Logger(PrismaService.name);
  private queryCount = 0;

  constructor(@InjectConfig() config: FeedlineConfig) {
    super({
      // Deadlines on every call: connecting (or waiting for a pooled
      // connection), and each statement, even on a connection gone silent.
      adapter: new PrismaPg({
        connectionString: config.database.url,
        max: config.database.poolSize,
        connectionTimeoutMillis: config.dependencyTimeoutMs,
        query_timeout: config.database.queryTimeoutMs,
        keepAlive: true,
      }),
      log: [{ emit: 'event', level: 'query' }] as Options['log'],
    });
    this.$on('query', () => {
      this.queryCount += 1;
    });
  }

  /** Statements sent so far; tests use it to prove a read costs at most N queries. */
  get queriesSent(): number {
    return this.queryCount;
  }

  /** Last in the shutdown: queue consumers stop in beforeApplicationShutdown and may still need the database until then. */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    this.logger.log('disconnected from PostgreSQL');
  }
}
