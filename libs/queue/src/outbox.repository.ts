import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@app/database';
import type { JobPayloads, OutboxJobName } from './jobs';

/** Grace period before the relay re-sends an event the request already tried to dispatch. */
export const REDISPATCH_AFTER_SECONDS = 10;

export interface OutboxRow {
  id: bigint;
  jobName: OutboxJobName;
  payload: Record<string, string>;
  /** Rounds the relay has re-sent: the current round's jobs carry this number. */
  attempts: number;
}

type Tx = Prisma.TransactionClient;

/**
 * The durable half of "post accepted => fan-out happens": a row lives until
 * its event's work is settled (the job, or the last chunk of its batch, done).
 */
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
   * skip them) and hands them to `handle`, which returns the ids it re-sent.
   * Those start a new round (`attempts` + 1); every handled event is due
   * again after `recheckSeconds`, until a worker deletes it. When `handle`
   * throws, the transaction rolls back and they stay due.
   */
  async relayDue(
    limit: number,
    recheckSeconds: number,
    handle: (rows: OutboxRow[]) => Promise<bigint[]>,
  ): Promise<number> {
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
      const resent = await handle(
        rows.map((r) => ({ id: r.id, jobName: r.job_name, payload: r.payload, attempts: r.attempts })),
      );
      await tx.$executeRaw`
        UPDATE outbox
        SET attempts = attempts + (CASE WHEN id = ANY(${resent}::bigint[]) THEN 1 ELSE 0 END),
            available_at = now() + make_interval(secs => ${recheckSeconds})
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
