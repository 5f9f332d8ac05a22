import type { StreamPublisher } from '@app/streaming';
import { buildConfig, FanoutMode } from '@app/config';
import { PostCache, postIdTime, TimelineSource, TimelineStore } from '@app/timelines';
import type { PushNotifier } from '@app/push';
import type { DeliveryRepository } from '../delivery.repository';
import type { FanoutBatches } from '../fanout-batches';
import type { FanoutMetrics } from '../fanout.metrics';
import { PostHandler } from './post.handler';

const POST = 4096 * 1_000_000; // created 1,000 s after the id epoch
const AUTHOR = 7;
const job = { postId: String(POST), authorId: String(AUTHOR), outboxId: '42' };

/** The handler with every collaborator faked; `author` is the author's delivery as PostgreSQL has it. */
function setup(mode: FanoutMode, author: { delivery: 'PUSH' | 'PULL'; deliverySince?: Date } | null) {
  const delivery = {
    isDeleted: jest.fn().mockResolvedValue(false),
    status: jest
      .fn()
      .mockResolvedValue(
        author && { isCelebrity: author.delivery === 'PULL', deliverySince: new Date(0), ...author },
      ),
  };
  const store = {
    appendOwn: jest.fn().mockResolvedValue('ok'),
    loadAuthor: jest.fn(),
    deliver: jest.fn().mockResolvedValue(1),
    removeOwnPost: jest.fn(),
    removePost: jest.fn(),
  };
  const source = { authorPosts: jest.fn().mockResolvedValue({ entries: [], floor: 0 }) };
  const cache = { markDeleted: jest.fn() };
  const batches = { start: jest.fn().mockResolvedValue('inline') };
  const metrics = { recordLag: jest.fn() };
  const stream = { toUsers: jest.fn(), toAuthorFollowers: jest.fn() };
  const handler = new PostHandler(
    delivery as unknown as DeliveryRepository,
    store as unknown as TimelineStore,
    source as unknown as TimelineSource,
    cache as unknown as PostCache,
    batches as unknown as FanoutBatches,
    metrics as unknown as FanoutMetrics,
    stream as unknown as StreamPublisher,
    { postCreated: jest.fn(), followed: jest.fn() } as unknown as PushNotifier,
    buildConfig({ FANOUT_MODE: mode }),
  );
  return { handler, delivery, store, source, cache, batches, metrics };
}

describe('PostHandler', () => {
  describe('a new post', () => {
    it('skips a post deleted (or never committed) before the job ran', async () => {
      const { handler, delivery, store } = setup('hybrid', { delivery: 'PUSH' });
      delivery.isDeleted.mockResolvedValue(null);
      await expect(handler.created(job)).resolves.toEqual({ skipped: 'post deleted or missing' });
      expect(store.appendOwn).not.toHaveBeenCalled();
    });

    it("rebuilds the author's timeline from PostgreSQL when Redis lost it", async () => {
      const { handler, store, source } = setup('hybrid', { delivery: 'PUSH' });
      store.appendOwn.mockResolvedValue('missing');
      source.authorPosts.mockResolvedValue({ entries: [{ postId: POST, authorId: AUTHOR }], floor: 5 });
      await handler.created(job);
      expect(store.loadAuthor).toHaveBeenCalledWith(AUTHOR, [{ postId: POST, authorId: AUTHOR }], 5);
    });

    it('pull mode: the author timeline only, no home timeline at all', async () => {
      const { handler, store, batches, metrics } = setup('pull', { delivery: 'PUSH' });
      await expect(handler.created(job)).resolves.toEqual({ done: 'author timeline only (pull mode)' });
      expect(store.appendOwn).toHaveBeenCalledWith({ postId: POST, authorId: AUTHOR });
      expect(store.deliver).not.toHaveBeenCalled();
      expect(batches.start).not.toHaveBeenCalled();
      expect(metrics.recordLag).toHaveBeenCalledWith(expect.any(Number), 'pull');
    });

    it("hybrid mode, a pulled author: the author's own home timeline, merged at read time elsewhere", async () => {
      const { handler, store, batches } = setup('hybrid', { delivery: 'PULL' });
      await expect(handler.created(job)).resolves.toEqual({
        done: 'author timeline only (merged at read time)',
      });
      expect(store.deliver).toHaveBeenCalledWith([AUTHOR], { postId: POST, authorId: AUTHOR });
      expect(batches.start).not.toHaveBeenCalled();
    });

    it.each<[FanoutMode, 'PUSH' | 'PULL']>([
      ['hybrid', 'PUSH'],
      ['push', 'PUSH'],
      ['push', 'PULL'], // push mode pushes every author
    ])('%s mode, a %s author: fanned out to the followers', async (mode, authorDelivery) => {
      const { handler, batches, metrics } = setup(mode, { delivery: authorDelivery });
      await expect(handler.created(job)).resolves.toEqual({ done: 'delivered' });
      expect(batches.start).toHaveBeenCalledWith(
        `post-${POST}`,
        AUTHOR,
        { kind: 'insert-post', postId: String(POST) },
        '42', // the outbox row the batch's settle job removes
      );
      expect(metrics.recordLag).toHaveBeenCalledWith(expect.any(Number), 'push');
    });

    it('a big fan-out goes out in chunk jobs; its lag is recorded when they settle', async () => {
      const { handler, batches, metrics } = setup('hybrid', { delivery: 'PUSH' });
      batches.start.mockResolvedValue({ batch: `post-${POST}` });
      await expect(handler.created(job)).resolves.toEqual({ done: 'chunks queued', batch: `post-${POST}` });
      expect(metrics.recordLag).not.toHaveBeenCalled();
      await handler.settled(String(POST));
      expect(metrics.recordLag).toHaveBeenCalledWith(expect.any(Number), 'push');
    });
  });

  describe('a deleted post', () => {
    it('pull mode: leaves the cache and the author timeline only', async () => {
      const { handler, cache, store, batches } = setup('pull', { delivery: 'PUSH' });
      await expect(handler.deleted(job)).resolves.toEqual({ done: 'author timeline only' });
      expect(cache.markDeleted).toHaveBeenCalledWith(POST);
      expect(store.removeOwnPost).toHaveBeenCalledWith(AUTHOR, POST);
      expect(batches.start).not.toHaveBeenCalled();
    });

    it('hybrid mode: a post written while its author was pulled was never pushed', async () => {
      const { handler, batches } = setup('hybrid', { delivery: 'PULL', deliverySince: new Date(0) });
      await expect(handler.deleted(job)).resolves.toEqual({ done: 'author timeline only' });
      expect(batches.start).not.toHaveBeenCalled();
    });

    it.each<[FanoutMode, 'PUSH' | 'PULL', Date]>([
      ['hybrid', 'PULL', new Date(postIdTime(POST) + 1000)], // pushed before the author became pulled
      ['hybrid', 'PUSH', new Date(0)],
      ['push', 'PULL', new Date(0)],
    ])('%s mode, a %s author: removed from every follower', async (mode, authorDelivery, since) => {
      const { handler, batches } = setup(mode, { delivery: authorDelivery, deliverySince: since });
      await expect(handler.deleted(job)).resolves.toEqual({ done: 'inline' });
      expect(batches.start).toHaveBeenCalledWith(
        `delete-${POST}`,
        AUTHOR,
        { kind: 'remove-post', postId: String(POST) },
        '42',
      );
    });
  });
});
