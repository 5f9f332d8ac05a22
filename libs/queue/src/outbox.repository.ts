import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@app/database';
import type { JobPayloads, OutboxJobName } from './jobs';

/** Grace period before the relay re-sends an event the request already tried to dispatch. */
export const REDISPATCH_AFTER_SECONDS = 10;

export interface OutboxRow {
  id: bigint;
  jobName: OutboxJobName;
  payload: Record<string, string>;
  attempts: number;
}

type Tx = Prisma.TransactionClient;

/** The durable half of "post accepted => fan-out happens": rows live until a worker has handled them. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Records an event inside the caller's transaction. */
  async append<N extends OutboxJobName>(tx: Tx, jobName: N, payload: JobPayloads[N]): Promise<OutboxRow> {
    const row = await tx.outboxEvent.create({
      data: {
        jobName,
        payload: payload as unknown as Prisma.InputJsonObject,
        availableAt: new Date(Date.now() + REDISPATCH_AFTER_SECONDS * 1000),
      },
    });
    return { id: row.id, jobName, payload: payload as unknown as Record<string, string>, attempts: 0 };
  }

  /**
   * Locks up to `limit` due events for the caller's transaction (other relays
   * skip them) and hands them to `send`. When `send` succeeds their next
   * re-send is pushed back with exponential backoff; when it throws, the
   * transaction rolls back and they stay due.
   */
  async relayDue(limit: number, send: (rows: OutboxRow[]) => Promise<void>): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<
        Array<{ id: bigint; job_name: OutboxJobName; payload: Record<string, string>; attempts: number }>
      >`
        SELECT id, job_name, payload, attempts FROM outbox
        WHERE available_at <= now()
        ORDER BY available_at, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`;
      if (rows.length === 0) return 0;
      await send(
        rows.map((r) => ({ id: r.id, jobName: r.job_name, payload: r.payload, attempts: r.attempts })),
      );
      await tx.$executeRaw`
        UPDATE outbox
        SET attempts = attempts + 1,
            available_at = now() + make_interval(secs => LEAST(300, ${REDISPATCH_AFTER_SECONDS} * 2 ^ attempts))
        WHERE id = ANY(${rows.map((r) => r.id)}::bigint[])`;
      return rows.length;
    });
  }

  async makeDue(id: bigint): Promise<void> {
    await this.prisma.$executeRaw`UPDATE outbox SET available_at = now() WHERE id = ${id}`;
  }

  /** Called by the worker once the event's job has done its work. */
  async acknowledge(outboxId: string): Promise<void> {
    await this.prisma.$executeRaw`DELETE FROM outbox WHERE id = ${BigInt(outboxId)}`;
  }
}
