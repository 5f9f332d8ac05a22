import { buildConfig } from '@app/config';
import type { FanoutProducer } from './fanout.producer';
import { OutboxRelay } from './outbox.relay';
import type { OutboxRepository, OutboxRow } from './outbox.repository';

/** The relay with its repository and producer faked, on Jest's fake clock; polls every 500 ms. */
function setup() {
  const outbox = { relayDue: jest.fn(), makeDue: jest.fn().mockResolvedValue(undefined) };
  const producer = { enqueue: jest.fn().mockResolvedValue(undefined) };
  const relay = new OutboxRelay(
    outbox as unknown as OutboxRepository,
    producer as unknown as FanoutProducer,
    buildConfig({ OUTBOX_POLL_MS: '500', OUTBOX_BATCH_SIZE: '10' }),
  );
  return { relay, outbox, producer };
}

describe('OutboxRelay', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('backs off exponentially while the queue is unreachable, capped at 2 s, then polls normally again', async () => {
    const { relay, outbox } = setup();
    outbox.relayDue.mockRejectedValue(new Error('Connection is closed.'));
    relay.onApplicationBootstrap();
    const callsAfter = async (ms: number) => {
      await jest.advanceTimersByTimeAsync(ms);
      return outbox.relayDue.mock.calls.length;
    };
    expect(await callsAfter(0)).toBe(1); // first attempt at once: fails
    expect(await callsAfter(999)).toBe(1); // then 500 ms x 2
    expect(await callsAfter(1)).toBe(2);
    expect(await callsAfter(1999)).toBe(2); // x 4 = 2000 ms
    expect(await callsAfter(1)).toBe(3);
    expect(await callsAfter(1999)).toBe(3); // x 8, capped at 2000 ms
    expect(await callsAfter(1)).toBe(4);

    outbox.relayDue.mockResolvedValue(0); // the queue is back
    expect(await callsAfter(2000)).toBe(5);
    expect(await callsAfter(499)).toBe(5); // the normal poll interval again
    expect(await callsAfter(1)).toBe(6);
    await relay.beforeApplicationShutdown();
    expect(await callsAfter(5000)).toBe(6); // stopped
  });

  it('drains in full batches until a short one', async () => {
    const { relay, outbox } = setup();
    outbox.relayDue.mockResolvedValueOnce(10).mockResolvedValueOnce(10).mockResolvedValueOnce(3);
    await expect(relay.drain()).resolves.toBe(23);
    expect(outbox.relayDue).toHaveBeenCalledTimes(3);
  });

  it('sends an event at once, and leaves a failed dispatch due for the poller', async () => {
    const { relay, outbox, producer } = setup();
    const row = { id: 12n, jobName: 'post-created', payload: { postId: '1', authorId: '2' }, attempts: 0 };
    await relay.dispatchNow(row as unknown as OutboxRow);
    expect(producer.enqueue).toHaveBeenCalledWith('post-created', {
      postId: '1',
      authorId: '2',
      outboxId: '12',
      round: 0,
    });
    expect(outbox.makeDue).not.toHaveBeenCalled();

    producer.enqueue.mockRejectedValue(new Error('Redis down'));
    await expect(relay.dispatchNow(row as unknown as OutboxRow)).resolves.toBeUndefined();
    expect(outbox.makeDue).toHaveBeenCalledWith(12n);
  });
});
