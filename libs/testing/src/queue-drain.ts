import type { Queue } from 'bullmq';
import type { PrismaService } from '@app/database';
import { waitFor } from './wait-for';

/**
 * Waits until the fan-out queue has nothing left to do (no waiting,
 * prioritized, delayed, active or parent-waiting jobs) and the outbox is
 * empty, i.e. every accepted change has been handled.
 */
export async function drained(queue: Queue, prisma: PrismaService, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      const counts = await queue.getJobCounts(
        'waiting',
        'prioritized',
        'delayed',
        'active',
        'waiting-children',
      );
      const busy = Object.values(counts).reduce((sum, n) => sum + n, 0);
      return busy === 0 && (await prisma.outboxEvent.count()) === 0;
    },
    { timeoutMs, what: 'the fan-out queue to drain' },
  );
}

/** Failed jobs with their reasons, for assertions that nothing failed. */
export async function failures(queue: Queue): Promise<string[]> {
  const failed = await queue.getFailed(0, 50);
  return failed.map((job) => `${job.name} ${job.id}: ${job.failedReason}`);
}
