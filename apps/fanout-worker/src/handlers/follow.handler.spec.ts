import { buildConfig, FanoutMode } from '@app/config';
import type { TimelineSource, TimelineStore } from '@app/timelines';
import type { PushNotifier } from '@app/push';
import type { DeliveryRepository } from '../delivery.repository';
import type { FollowGraphRepository } from '../follow-graph.repository';
import { FollowHandler } from './follow.handler';

const FOLLOWER = 3;
const FOLLOWEE = 9;
const job = { followerId: String(FOLLOWER), followeeId: String(FOLLOWEE) };
const TX = { tx: true };

function setup(
  mode: FanoutMode,
  followee: { isCelebrity: boolean; delivery: 'PUSH' | 'PULL' } | null,
  following = true,
) {
  const graph = {
    // The follower's row lock: runs the work in a transaction, or not at all when the user is gone.
    withUserLocked: jest.fn(async (_id: number, work: (tx: unknown) => Promise<void>) => {
      await work(TX);
      return true;
    }),
    isFollowing: jest.fn().mockResolvedValue(following),
  };
  const delivery = { status: jest.fn().mockResolvedValue(followee) };
  const store = {
    unfollow: jest.fn(),
    follow: jest.fn().mockResolvedValue(true),
    merge: jest.fn(),
  };
  const source = {
    authorPosts: jest.fn().mockResolvedValue({ entries: [{ postId: 1, authorId: FOLLOWEE }], floor: 0 }),
  };
  const handler = new FollowHandler(
    graph as unknown as FollowGraphRepository,
    delivery as unknown as DeliveryRepository,
    store as unknown as TimelineStore,
    source as unknown as TimelineSource,
    { postCreated: jest.fn(), followed: jest.fn() } as unknown as PushNotifier,
    buildConfig({ FANOUT_MODE: mode }),
  );
  return { handler, graph, delivery, store, source };
}

const regular = { isCelebrity: false, delivery: 'PUSH' } as const;
const celebrity = { isCelebrity: true, delivery: 'PULL' } as const;
const promoting = { isCelebrity: true, delivery: 'PUSH' } as const;
const demoting = { isCelebrity: false, delivery: 'PULL' } as const;

describe('FollowHandler', () => {
  it('skips a follower that no longer exists', async () => {
    const { handler, graph, store } = setup('hybrid', regular);
    graph.withUserLocked.mockResolvedValue(false);
    await expect(handler.changed(job)).resolves.toEqual({ skipped: 'follower no longer exists' });
    expect(store.follow).not.toHaveBeenCalled();
  });

  it('follows PostgreSQL as it is now: an unfollow since the event wins', async () => {
    const { handler, graph, store } = setup('hybrid', regular, false);
    await expect(handler.changed(job)).resolves.toEqual({ done: 'unfollowed' });
    expect(graph.isFollowing).toHaveBeenCalledWith(TX, FOLLOWER, FOLLOWEE);
    expect(store.unfollow).toHaveBeenCalledWith(FOLLOWER, FOLLOWEE);
    expect(store.follow).not.toHaveBeenCalled();
  });

  it('skips when the follower has no timeline (a rebuild will include the follow)', async () => {
    const { handler, store, source } = setup('hybrid', regular);
    store.follow.mockResolvedValue(false);
    await expect(handler.changed(job)).resolves.toEqual({
      skipped: 'no timeline (it will be rebuilt with this follow)',
    });
    expect(source.authorPosts).not.toHaveBeenCalled();
  });

  it.each([
    // mode, followee, merged at read time?, backfilled?
    ['hybrid', regular, false, true],
    ['hybrid', celebrity, true, false],
    ['hybrid', promoting, true, true], // still pushed until the promotion settles: backfill too
    ['hybrid', demoting, true, true],
    ['push', celebrity, false, true],
    ['pull', regular, false, false],
    ['pull', celebrity, false, false],
  ] as const)(
    '%s mode, followee %o: pulled %s, backfilled %s',
    async (mode, followee, pulled, backfilled) => {
      const { handler, store, source } = setup(mode, followee);
      const outcome = await handler.changed(job);
      expect(store.follow).toHaveBeenCalledWith(FOLLOWER, FOLLOWEE, pulled);
      if (backfilled) {
        expect(source.authorPosts).toHaveBeenCalledWith(FOLLOWEE, 800);
        expect(store.merge).toHaveBeenCalledWith(FOLLOWER, [{ postId: 1, authorId: FOLLOWEE }], 0);
        expect(outcome).toEqual({ done: 'followed, 1 posts backfilled' });
      } else {
        expect(store.merge).not.toHaveBeenCalled();
        expect(outcome).toEqual({ done: 'followed (read-time merge)' });
      }
    },
  );
});
