import { buildConfig } from '@app/config';
import type { PushNotification, PushProducer } from '@app/queue';
import type { PushAudienceRepository } from './push-audience.repository';
import { PushJobs, PushRetryError } from './push-jobs.service';
import type { PushSubscriptionsRepository, StoredSubscription } from './push-subscriptions.repository';
import type { SendResult, WebPushSender } from './web-push.sender';

const notification: PushNotification = {
  type: 'post',
  title: 't',
  body: 'b',
  url: '/posts/1',
  tag: 'post-1',
};
const subscription = (id: string): StoredSubscription => ({
  id,
  userId: '7',
  endpoint: `https://push.example/${id}`,
  p256dh: 'k',
  auth: 'a',
});

/** PushJobs with its repositories and sender faked: the branching of a chunk and of a page. */
function setup(answers: Record<string, SendResult>, bell: string[] = []) {
  const removed: string[] = [];
  const sent: string[] = [];
  const queued: unknown[] = [];
  const subscriptions = {
    forUsers: async () => Object.keys(answers).map(subscription),
    remove: async (id: string) => void removed.push(id),
  } as unknown as PushSubscriptionsRepository;
  const sender = {
    keys: { publicKey: 'p', privateKey: 'q' },
    send: async (s: StoredSubscription) => (sent.push(s.id), answers[s.id]),
  } as unknown as WebPushSender;
  const audience = {
    livePost: async () => ({ content: 'hello' }),
    person: async () => ({ username: 'ada', displayName: 'Ada' }),
    bellSubscribers: async (_author: string, after: string | null, limit: number) =>
      bell.filter((id) => after === null || Number(id) > Number(after)).slice(0, limit),
  } as unknown as PushAudienceRepository;
  const producer = {
    enqueueBulk: async (jobs: unknown[]) => void queued.push(...jobs),
  } as unknown as PushProducer;
  const config = buildConfig({ PUSH_CHUNK_SIZE: '2' });
  return { jobs: new PushJobs(audience, subscriptions, sender, producer, config), removed, sent, queued };
}

describe('PushJobs', () => {
  const data = { key: 'k', notification, userIds: ['7'], bulk: false };

  it('deletes gone subscriptions, keeps refused ones, and completes', async () => {
    const { jobs, removed } = setup({
      '1': { kind: 'sent' },
      '2': { kind: 'gone' },
      '3': { kind: 'rejected', reason: '400' },
    });
    await expect(jobs.send(data, async () => undefined)).resolves.toEqual({
      done: '1 sent, 1 gone, 1 refused',
    });
    expect(removed).toEqual(['2']);
  });

  it('saves what was answered and throws when any browser must be retried', async () => {
    const { jobs } = setup({
      '1': { kind: 'sent' },
      '2': { kind: 'retry', reason: '503' },
      '3': { kind: 'gone' },
    });
    let saved: string[] = [];
    await expect(jobs.send(data, async (ids) => void (saved = ids))).rejects.toBeInstanceOf(PushRetryError);
    expect(saved.sort()).toEqual(['1', '3']);
  });

  it('sends a retry only to the browsers not yet answered', async () => {
    const { jobs, sent } = setup({ '1': { kind: 'sent' }, '2': { kind: 'sent' }, '3': { kind: 'sent' } });
    await jobs.send({ ...data, delivered: ['1', '3'] }, async () => undefined);
    expect(sent).toEqual(['2']);
  });

  it('pages a post’s bell subscribers: a chunk per page and the next page while pages are full', async () => {
    const { jobs, queued } = setup({}, ['10', '11', '12']);
    await jobs.post({ postId: '5', authorId: '1', after: null });
    expect(queued).toMatchObject([
      { name: 'push-send', data: { key: 'post-5.start', userIds: ['10', '11'], bulk: true } },
      { name: 'push-post', data: { postId: '5', after: '11' } },
    ]);
    queued.length = 0;
    await jobs.post({ postId: '5', authorId: '1', after: '11' });
    expect(queued).toMatchObject([
      { name: 'push-send', data: { key: 'post-5.11', userIds: ['12'], bulk: true } },
    ]);
  });

  it('keeps a small audience at the higher priority', async () => {
    const { jobs, queued } = setup({}, ['10']);
    await jobs.post({ postId: '6', authorId: '1', after: null });
    expect(queued).toMatchObject([{ name: 'push-send', data: { userIds: ['10'], bulk: false } }]);
  });
});
