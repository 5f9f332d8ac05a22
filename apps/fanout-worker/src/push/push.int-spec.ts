import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { PrismaService } from '@app/database';
import { FANOUT_QUEUE, PUSH_QUEUE } from '@app/queue';
import {
  drained,
  failures,
  follow,
  post,
  PushEndpoint,
  Session,
  signup,
  TestApp,
  useTestEnvironment,
  waitFor,
} from '@app/testing';
import { TimelineStore } from '@app/timelines';
import { PostServiceModule } from '../../../post-service/src/post-service.module';
import { FanoutWorkerModule } from '../fanout-worker.module';

useTestEnvironment({ PUSH_CHUNK_SIZE: '3', PUSH_CONCURRENCY: '2' });

/**
 * Web Push end to end: post-service and the worker, through the outbox, the
 * fan-out queue and the push queue, to a push service on loopback that
 * checks VAPID and decrypts every message as a browser would.
 */
describe('web push sending', () => {
  let postService: TestApp;
  let worker: TestApp;
  let fanout: Queue;
  let push: Queue;
  let prisma: PrismaService;
  let browsers: PushEndpoint;

  beforeAll(async () => {
    browsers = await PushEndpoint.start();
    postService = await TestApp.start(PostServiceModule);
    worker = await TestApp.start(FanoutWorkerModule);
    fanout = worker.get(getQueueToken(FANOUT_QUEUE));
    push = worker.get(getQueueToken(PUSH_QUEUE));
    prisma = worker.get(PrismaService);
  });
  afterAll(async () => {
    browsers?.release();
    await worker?.close();
    await postService?.close();
    await browsers?.close();
  });
  afterEach(async () => {
    expect(await failures(fanout)).toEqual([]);
  });

  const pushIdle = async () => {
    const counts = await push.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
    return Object.values(counts).every((n) => n === 0);
  };
  /** Everything handled: the outbox, the fan-out, then the push jobs it queued. */
  const settled = async () => {
    await drained(fanout, prisma);
    await waitFor(pushIdle, { what: 'the push queue to drain', timeoutMs: 60_000 });
  };
  const subscribe = async (user: Session, name: string) => {
    const response = await postService.request('POST', '/push/subscriptions', {
      token: user.token,
      body: browsers.subscribe(name),
    });
    expect(response.status).toBe(204);
  };
  const bell = async (fan: Session, author: Session) => {
    const response = await postService.request('PUT', `/users/${author.id}/follow`, {
      token: fan.token,
      body: { notify: true },
    });
    expect(response.status).toBe(204);
  };
  const subscriptions = (name: string) =>
    prisma.pushSubscription.count({ where: { endpoint: { endsWith: `/push/${name}` } } });

  it('tells each of the followee’s browsers about a new follower, encrypted and signed', async () => {
    const [ada, bob] = [await signup(postService, 'ada'), await signup(postService, 'bob')];
    await subscribe(ada, 'ada-phone');
    await subscribe(ada, 'ada-laptop');
    await subscribe(bob, 'bob-phone');
    await follow(postService, bob, ada);
    await settled();

    const expected = {
      type: 'follow',
      title: 'New follower',
      body: `${bob.username} (@${bob.username}) followed you`,
      url: `/@${bob.username}`,
      tag: `follow-${bob.id}`,
    };
    expect(browsers.delivered('ada-phone')).toEqual([expected]);
    expect(browsers.delivered('ada-laptop')).toEqual([expected]);
    expect(browsers.requestsTo('bob-phone')).toEqual([]);
    const [request] = browsers.requestsTo('ada-phone');
    const claims = browsers.verifyVapid(request, process.env.VAPID_PUBLIC_KEY!);
    expect(claims.sub).toMatch(/^mailto:/);
    expect(request.headers).toMatchObject({ ttl: String(24 * 3600), urgency: 'normal' });

    // Following again changes nothing and notifies no one.
    await follow(postService, bob, ada);
    await settled();
    expect(browsers.requestsTo('ada-phone')).toHaveLength(1);
  });

  it('notifies of a new post only those who rang the bell', async () => {
    const author = await signup(postService, 'author');
    const [belled, plain] = [await signup(postService, 'belled'), await signup(postService, 'plain')];
    await bell(belled, author);
    await follow(postService, plain, author);
    await subscribe(belled, 'belled-phone');
    await subscribe(plain, 'plain-phone');
    await subscribe(author, 'author-phone');
    await settled();
    const before = browsers.requestsTo('author-phone').length; // the new-follower notices
    const content = `${'a long post '.repeat(20)}the end`;
    const postId = await post(postService, author, content);
    await settled();

    expect(browsers.delivered('belled-phone')).toEqual([
      {
        type: 'post',
        title: `${author.username} (@${author.username})`,
        body: `${Array.from(content).slice(0, 139).join('')}…`,
        url: `/posts/${postId}`,
        tag: `post-${postId}`,
      },
    ]);
    expect(browsers.requestsTo('belled-phone')[0].headers.urgency).toBe('low');
    expect(browsers.requestsTo('plain-phone')).toEqual([]);
    expect(browsers.requestsTo('author-phone')).toHaveLength(before);
  });

  it('deletes a subscription the push service calls gone (404, 410), keeps one it refuses once', async () => {
    const author = await signup(postService, 'gone');
    const fans = [
      await signup(postService, 'f410'),
      await signup(postService, 'f404'),
      await signup(postService, 'f400'),
    ];
    for (const [fan, name] of fans.map((fan, i) => [fan, ['fan-410', 'fan-404', 'fan-400'][i]] as const)) {
      await bell(fan, author);
      await subscribe(fan, name);
    }
    await settled();
    browsers.answer('fan-410', 410);
    browsers.answer('fan-404', 404);
    browsers.answer('fan-400', 400);
    await post(postService, author);
    await settled();
    expect(await subscriptions('fan-410')).toBe(0);
    expect(await subscriptions('fan-404')).toBe(0);
    expect(await subscriptions('fan-400')).toBe(1);
    // Nothing retried: each was answered once.
    expect(['fan-410', 'fan-404', 'fan-400'].map((n) => browsers.requestsTo(n).length)).toEqual([1, 1, 1]);
  });

  it('retries a chunk after a 5xx or 429, sending again only to the browsers that failed', async () => {
    const author = await signup(postService, 'retry');
    const [flaky, steady] = [await signup(postService, 'flaky'), await signup(postService, 'steady')];
    await bell(flaky, author);
    await bell(steady, author);
    await subscribe(flaky, 'flaky-phone');
    await subscribe(steady, 'steady-phone');
    await settled();
    browsers.answer('flaky-phone', 503, 429);
    const postId = await post(postService, author);
    await settled();

    expect(browsers.requestsTo('flaky-phone').map((r) => r.status)).toEqual([503, 429, 201]);
    expect(browsers.delivered('flaky-phone')).toMatchObject([{ url: `/posts/${postId}` }]);
    expect(browsers.requestsTo('steady-phone').map((r) => r.status)).toEqual([201]);
    const [chunk] = (await push.getCompleted(0, 100)).filter(
      (job) => job.id === `push-send.post-${postId}.start`,
    );
    expect(chunk.attemptsMade).toBe(3); // BullMQ counts the attempt that succeeded
  });

  it('sends a large audience in chunks, paging job by job, at a lower priority', async () => {
    const star = await signup(postService, 'star');
    const fans: Session[] = [];
    for (let i = 0; i < 7; i += 1) {
      const fan = await signup(postService, `fan${i}`);
      await bell(fan, star);
      await subscribe(fan, `star-fan-${i}`);
      fans.push(fan);
    }
    await settled();
    const postId = await post(postService, star);
    await settled();

    for (let i = 0; i < 7; i += 1) expect(browsers.delivered(`star-fan-${i}`)).toHaveLength(1);
    const jobs = (await push.getCompleted(0, 500)).filter(
      (job) => job.data.postId === postId || String(job.id).startsWith(`push-send.post-${postId}.`),
    );
    const sends = jobs.filter((job) => job.name === 'push-send');
    expect(sends.map((job) => job.data.userIds.length).sort()).toEqual([1, 3, 3]);
    expect(sends.every((job) => job.opts.priority === 5)).toBe(true);
    expect(jobs.filter((job) => job.name === 'push-post')).toHaveLength(3);
  });

  it('does not hold up the fan-out while a push service is slow', async () => {
    const star = await signup(postService, 'slowstar');
    for (let i = 0; i < 4; i += 1) {
      const fan = await signup(postService, `slow${i}`);
      await bell(fan, star);
      await subscribe(fan, `slow-fan-${i}`);
    }
    const [writer, reader] = [await signup(postService, 'writer'), await signup(postService, 'reader')];
    await follow(postService, reader, writer);
    await settled();

    browsers.hold('slow-fan-0', 'slow-fan-1', 'slow-fan-2', 'slow-fan-3');
    await post(postService, star);
    // Both push worker slots (PUSH_CONCURRENCY=2) are now stuck on the slow push service.
    await waitFor(async () => browsers.heldRequests >= 2, { what: 'push requests in flight' });
    const postId = await post(postService, writer);
    await drained(fanout, prisma);
    const home = await worker.get(TimelineStore).readHome(Number(reader.id), 0, 10);
    expect(home.entries.map((e) => String(e.postId))).toContain(postId);
    expect(await pushIdle()).toBe(false);

    browsers.release();
    await settled();
    for (let i = 0; i < 4; i += 1) expect(browsers.delivered(`slow-fan-${i}`)).toHaveLength(1);
  });
});
