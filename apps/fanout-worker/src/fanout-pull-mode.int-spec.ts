import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { PrismaService } from '@app/database';
import { FANOUT_QUEUE } from '@app/queue';
import { drained, failures, follow, post, signup, TestApp, useTestEnvironment } from '@app/testing';
import { TimelineStore } from '@app/timelines';
import { PostServiceModule } from '../../post-service/src/post-service.module';
import { FanoutWorkerModule } from './fanout-worker.module';
import { FanoutMetrics } from './fanout.metrics';

useTestEnvironment({ FANOUT_MODE: 'pull' });

describe('FANOUT_MODE=pull', () => {
  let postService: TestApp;
  let worker: TestApp;
  let queue: Queue;
  let prisma: PrismaService;
  let store: TimelineStore;

  beforeAll(async () => {
    postService = await TestApp.start(PostServiceModule);
    worker = await TestApp.start(FanoutWorkerModule);
    queue = postService.get(getQueueToken(FANOUT_QUEUE));
    prisma = postService.get(PrismaService);
    store = postService.get(TimelineStore);
  });
  afterAll(async () => {
    await worker.close();
    await postService.close();
  });

  it('writes no home timeline at all: posts go to their author timeline, follows to the membership set', async () => {
    const [author, reader] = [await signup(postService, 'pa'), await signup(postService, 'pr')];
    await follow(postService, reader, author);
    const postIds = [Number(await post(postService, author)), Number(await post(postService, author))];
    await drained(queue, prisma);

    const home = await store.readHome(Number(reader.id), 0, 100, true);
    expect(home.entries).toEqual([]);
    expect(home.following).toEqual([Number(author.id)]);
    expect((await store.readHome(Number(author.id), 0, 100)).entries).toEqual([]);
    const [timeline] = await store.readAuthors([Number(author.id)], 0, 100);
    expect(timeline.entries.map((e) => e.postId)).toEqual([...postIds].reverse());
    expect((await worker.get(FanoutMetrics).deliveries.get()).values[0]?.value ?? 0).toBe(0);
    expect(await failures(queue)).toEqual([]);
  });
});
