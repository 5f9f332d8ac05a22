import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { PrismaService } from '@app/database';
import { FANOUT_QUEUE } from '@app/queue';
import {
  addFollowers,
  createUsers,
  drained,
  failures,
  post,
  readyTimelines,
  signup,
  TestApp,
  useTestEnvironment,
} from '@app/testing';
import { TimelineStore } from '@app/timelines';
import { PostServiceModule } from '../../post-service/src/post-service.module';
import { FanoutWorkerModule } from './fanout-worker.module';
import { FanoutMetrics } from './fanout.metrics';

useTestEnvironment({ FANOUT_MODE: 'push', FANOUT_CHUNK_SIZE: '500' });

describe('FANOUT_MODE=push, two worker replicas', () => {
  let postService: TestApp;
  let replicas: TestApp[];
  let queue: Queue;
  let prisma: PrismaService;
  let store: TimelineStore;

  beforeAll(async () => {
    postService = await TestApp.start(PostServiceModule);
    replicas = [await TestApp.start(FanoutWorkerModule), await TestApp.start(FanoutWorkerModule)];
    queue = postService.get(getQueueToken(FANOUT_QUEUE));
    prisma = postService.get(PrismaService);
    store = postService.get(TimelineStore);
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await postService.close();
  });

  const deliveries = async (app: TestApp) =>
    (await app.get(FanoutMetrics).deliveries.get()).values[0]?.value ?? 0;

  it('pushes even a celebrity’s post to every follower, the chunks shared by both replicas', async () => {
    const star = await signup(postService, 'pstar');
    const fans = await createUsers(prisma, 10_000, 'pfan');
    await addFollowers(prisma, Number(star.id), fans);
    await prisma.user.update({
      where: { id: BigInt(star.id) },
      data: { isCelebrity: true, delivery: 'PULL' },
    });
    await readyTimelines(store, fans, [Number(star.id)]);
    const before = await Promise.all(replicas.map(deliveries));

    const postId = Number(await post(postService, star));
    await drained(queue, prisma);

    const pages = await Promise.all(fans.map((id) => store.readHome(id, 0, 10)));
    expect(pages.every((page) => page.entries.length === 1 && page.entries[0].postId === postId)).toBe(true);
    const byReplica = (await Promise.all(replicas.map(deliveries))).map((total, i) => total - before[i]);
    expect(byReplica[0] + byReplica[1]).toBe(10_000);
    expect(byReplica.every((n) => n > 0)).toBe(true);
    expect(await failures(queue)).toEqual([]);
  });
});
