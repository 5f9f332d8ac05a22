import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { PrismaService } from '@app/database';
import { FANOUT_QUEUE } from '@app/queue';
import { drained, TestApp } from '@app/testing';
import { TimelineStore } from '@app/timelines';
import { FanoutWorkerModule } from '../../apps/fanout-worker/src/fanout-worker.module';
import { FeedServiceModule } from '../../apps/feed-service/src/feed-service.module';
import { PostServiceModule } from '../../apps/post-service/src/post-service.module';

/** The three services of the read/write path, in-process, on the calling test file's database and Redis prefix. */
export class Stack {
  private constructor(
    readonly postService: TestApp,
    readonly worker: TestApp,
    readonly feed: TestApp,
  ) {}

  static async start(): Promise<Stack> {
    return new Stack(
      await TestApp.start(PostServiceModule),
      await TestApp.start(FanoutWorkerModule),
      await TestApp.start(FeedServiceModule),
    );
  }

  get queue(): Queue {
    return this.postService.get(getQueueToken(FANOUT_QUEUE));
  }

  get prisma(): PrismaService {
    return this.postService.get(PrismaService);
  }

  get store(): TimelineStore {
    return this.postService.get(TimelineStore);
  }

  /** Every accepted change has been fanned out. */
  settle(): Promise<void> {
    return drained(this.queue, this.prisma, 120_000);
  }

  /** Walks a feed page by page (calling `between` after each page); returns the post ids in order. */
  async walk(token: string, limit: number, between?: () => Promise<void>): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10_000; pages += 1) {
      const query: string = `/feed?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await this.feed.request('GET', query, { token });
      if (response.status !== 200)
        throw new Error(`GET ${query}: ${response.status} ${JSON.stringify(response.body)}`);
      ids.push(...response.body.items.map((item: { id: string }) => item.id));
      cursor = response.body.nextCursor;
      if (!cursor) return ids;
      await between?.();
    }
    throw new Error('feed did not end');
  }

  async close(): Promise<void> {
    await this.feed.close();
    await this.worker.close();
    await this.postService.close();
  }
}

/** The feed computed straight from PostgreSQL: live posts of the user and of whom they follow, newest first. */
export async function expectedFeed(prisma: PrismaService, userId: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<Array<{ id: bigint }>>`
    SELECT p.id FROM posts p
    WHERE p.deleted_at IS NULL
      AND (p.author_id = ${BigInt(userId)}
        OR p.author_id IN (SELECT followee_id FROM follows WHERE follower_id = ${BigInt(userId)}))
    ORDER BY p.id DESC`;
  return rows.map((row) => String(row.id));
}
