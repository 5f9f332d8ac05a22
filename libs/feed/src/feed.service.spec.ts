import { NotFoundException } from '@nestjs/common';
import { buildConfig, FanoutMode } from '@app/config';
import type { FanoutProducer } from '@app/queue';
import type {
  PageReader,
  TimelineEntry,
  TimelineSource,
  TimelineStore,
  TimelineWindow,
} from '@app/timelines';
import type { FeedMetrics } from './feed.metrics';
import { FeedService } from './feed.service';
import type { Hydrator } from './hydrator';

const ME = 1;
const FRIEND = 2;
const STAR = 3;
const entry = (postId: number, authorId: number): TimelineEntry => ({ postId, authorId });
const ready = (entries: TimelineEntry[], floor = 0): TimelineWindow => ({ state: 'ready', floor, entries });

/** FeedService with Redis (the store), PostgreSQL (the source), hydration and the queue faked. */
function setup(mode: FanoutMode) {
  const store = {
    readHome: jest
      .fn()
      .mockResolvedValue({ ...ready([entry(50, FRIEND), entry(40, ME)]), pulledAuthors: [STAR] }),
    readAuthors: jest.fn().mockResolvedValue([ready([entry(45, STAR)])]),
  };
  const source = {
    homePosts: jest.fn().mockResolvedValue({ entries: [entry(50, FRIEND), entry(45, STAR)], floor: 0 }),
    authorPosts: jest.fn().mockResolvedValue({ entries: [entry(45, STAR)], floor: 0 }),
    postsOfAuthors: jest.fn().mockResolvedValue(new Map()),
    pulledAmong: jest.fn().mockResolvedValue(new Set([STAR])),
    userExists: jest.fn().mockResolvedValue(true),
  };
  // Hydration keeps what the page needs to assert: the id and how the post came.
  const hydrator = {
    hydrateJson: jest.fn((entries: Array<TimelineEntry & { via?: string }>) =>
      Promise.resolve(entries.map((e) => JSON.stringify({ id: String(e.postId), via: e.via }))),
    ),
  };
  // The one-script page read needs a standalone Redis; without it the service reads step by step.
  const pages = { available: false };
  const producer = { enqueue: jest.fn().mockResolvedValue(undefined) };
  const metrics = {
    windows: { inc: jest.fn() },
    pulledSources: { observe: jest.fn() },
    pullSeconds: { observe: jest.fn() },
  };
  const service = new FeedService(
    store as unknown as TimelineStore,
    pages as unknown as PageReader,
    source as unknown as TimelineSource,
    hydrator as unknown as Hydrator,
    producer as unknown as FanoutProducer,
    metrics as unknown as FeedMetrics,
    buildConfig({ FANOUT_MODE: mode }),
  );
  const servedFrom = () =>
    metrics.windows.inc.mock.calls.map(([labels]) => (labels as { source: string }).source);
  return { service, store, source, producer, servedFrom };
}

describe('FeedService', () => {
  describe('home feed', () => {
    it('hybrid: merges the home timeline with the followed celebrities, saying how each post came', async () => {
      const { service, store, servedFrom } = setup('hybrid');
      const page = await service.home(ME, 0, 20);
      expect(page).toEqual({
        items: [
          { id: '50', via: 'pushed' },
          { id: '45', via: 'merged' },
          { id: '40', via: 'pushed' },
        ],
        nextCursor: null,
      });
      expect(store.readAuthors).toHaveBeenCalledWith([STAR], 0, 21);
      expect(servedFrom()).toEqual(['redis']);
    });

    it('push: the home timeline alone', async () => {
      const { service, store } = setup('push');
      const page = await service.home(ME, 0, 20);
      expect(page.items.map((item) => item.id)).toEqual(['50', '40']);
      expect(store.readAuthors).not.toHaveBeenCalled();
    });

    it('pull: every followed author (and oneself) merged at read time', async () => {
      const { service, store } = setup('pull');
      store.readHome.mockResolvedValue({ ...ready([]), pulledAuthors: [], following: [FRIEND, STAR] });
      store.readAuthors.mockResolvedValue([ready([entry(50, FRIEND)]), ready([entry(45, STAR)]), ready([])]);
      const page = await service.home(ME, 0, 20);
      expect(store.readHome).toHaveBeenCalledWith(ME, 0, 0, true);
      expect(store.readAuthors).toHaveBeenCalledWith([FRIEND, STAR, ME], 0, 21);
      expect(page.items).toEqual([
        { id: '50', via: 'merged' },
        { id: '45', via: 'merged' },
      ]);
    });

    it('Redis down: the page comes from PostgreSQL, marked as the mode would have delivered it', async () => {
      const { service, store, source, servedFrom } = setup('hybrid');
      store.readHome.mockRejectedValue(new Error('Connection is closed.'));
      const page = await service.home(ME, 0, 20);
      expect(source.homePosts).toHaveBeenCalledWith(ME, 20, undefined);
      expect(page.items).toEqual([
        { id: '50', via: 'pushed' },
        { id: '45', via: 'merged' },
      ]);
      expect(servedFrom()).toEqual(['postgres-redis-unavailable']);
    });

    it.each(['missing', 'building'] as const)(
      'a %s home timeline: PostgreSQL now, and a rebuild queued',
      async (state) => {
        const { service, store, producer, servedFrom } = setup('hybrid');
        store.readHome.mockResolvedValue({ state, floor: 0, entries: [], pulledAuthors: [] });
        await service.home(ME, 0, 20);
        expect(producer.enqueue).toHaveBeenCalledWith('timeline-rebuild', {
          kind: 'home',
          userId: String(ME),
        });
        expect(servedFrom()).toEqual([`postgres-${state}`]);
      },
    );

    it('a page reaching below what Redis holds comes from PostgreSQL', async () => {
      const { service, store, source, servedFrom } = setup('push');
      store.readHome.mockResolvedValue({ ...ready([entry(50, FRIEND)], 49), pulledAuthors: [] });
      await service.home(ME, 0, 20);
      expect(source.homePosts).toHaveBeenCalled();
      expect(servedFrom()).toEqual(['postgres-below-redis-floor']);
    });

    it('Redis failing on the celebrity timelines: PostgreSQL for the page', async () => {
      const { service, store, servedFrom } = setup('hybrid');
      store.readAuthors.mockRejectedValue(new Error('timeout'));
      await service.home(ME, 0, 20);
      expect(servedFrom()).toEqual(['postgres-redis-unavailable']);
    });

    it("a celebrity's lost author timeline is read from PostgreSQL and queued for a rebuild", async () => {
      const { service, store, source, producer } = setup('hybrid');
      store.readAuthors.mockResolvedValue([{ state: 'missing', floor: 0, entries: [] }]);
      source.postsOfAuthors.mockResolvedValue(new Map([[STAR, ready([entry(45, STAR)])]]));
      const page = await service.home(ME, 0, 20);
      expect(source.postsOfAuthors).toHaveBeenCalledWith([STAR], 21, undefined);
      expect(producer.enqueue).toHaveBeenCalledWith('timeline-rebuild', {
        kind: 'author',
        userId: String(STAR),
      });
      expect(page.items.map((item) => item.id)).toEqual(['50', '45', '40']);
    });

    it('pages by cursor: a full window gives the next cursor', async () => {
      const { service } = setup('push');
      const page = await service.home(ME, 0, 1);
      expect(page).toEqual({ items: [{ id: '50', via: 'pushed' }], nextCursor: '50' });
    });
  });

  describe("an author's posts", () => {
    it('Redis down: PostgreSQL', async () => {
      const { service, store, source, servedFrom } = setup('hybrid');
      store.readAuthors.mockRejectedValue(new Error('down'));
      const page = await service.authorPosts(STAR, 0, 20);
      expect(source.authorPosts).toHaveBeenCalledWith(STAR, 20, undefined);
      expect(page.items.map((item) => item.id)).toEqual(['45']);
      expect(servedFrom()).toEqual(['postgres-author']);
    });

    it('404 for a user that does not exist, an empty page for one without posts', async () => {
      const { service, store, source } = setup('hybrid');
      store.readAuthors.mockResolvedValue([ready([])]);
      await expect(service.authorPosts(99, 0, 20)).resolves.toEqual({ items: [], nextCursor: null });
      source.userExists.mockResolvedValue(false);
      await expect(service.authorPosts(99, 0, 20)).rejects.toBeInstanceOf(NotFoundException);
    });
  });
});
