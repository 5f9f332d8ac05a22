import type { StreamPublisher } from '@app/streaming';
import { buildConfig, FanoutMode } from '@app/config';
import type { DeliveryRepository } from '../delivery.repository';
import type { FanoutBatches } from '../fanout-batches';
import type { FollowGraphRepository } from '../follow-graph.repository';
import { CelebrityHandler } from './celebrity.handler';

const USER = 5;
const TX = { tx: true };
const job = { userId: String(USER), outboxId: '42' };

function setup(mode: FanoutMode, status: { isCelebrity: boolean; delivery: 'PUSH' | 'PULL' } | null) {
  const graph = {
    withUserLocked: jest.fn(async (_id: number, work: (tx: unknown) => Promise<void>) => {
      await work(TX);
      return true;
    }),
  };
  const delivery = { status: jest.fn().mockResolvedValue(status), setDelivery: jest.fn() };
  const batches = { start: jest.fn().mockResolvedValue('inline') };
  const stream = { deliveryChanged: jest.fn() };
  const handler = new CelebrityHandler(
    graph as unknown as FollowGraphRepository,
    delivery as unknown as DeliveryRepository,
    batches as unknown as FanoutBatches,
    stream as unknown as StreamPublisher,
    buildConfig({ FANOUT_MODE: mode }),
  );
  return { handler, delivery, batches };
}

describe('CelebrityHandler', () => {
  it('skips a user that no longer exists', async () => {
    const { handler, delivery } = setup('hybrid', null);
    await expect(handler.changed(job)).resolves.toEqual({ skipped: 'user no longer exists' });
    expect(delivery.setDelivery).not.toHaveBeenCalled();
  });

  it.each<FanoutMode>(['push', 'pull'])('%s mode: a promotion only records the delivery', async (mode) => {
    const { handler, delivery, batches } = setup(mode, { isCelebrity: true, delivery: 'PUSH' });
    await expect(handler.changed(job)).resolves.toEqual({
      done: 'promoted (no timelines to re-wire in this mode)',
    });
    expect(delivery.setDelivery).toHaveBeenCalledWith(TX, USER, 'PULL');
    expect(batches.start).not.toHaveBeenCalled();
  });

  it('hybrid mode: followers start merging first; pushing stops at once when that was inline', async () => {
    const { handler, delivery, batches } = setup('hybrid', { isCelebrity: true, delivery: 'PUSH' });
    await expect(handler.changed(job)).resolves.toEqual({ done: 'promotion inline' });
    expect(batches.start).toHaveBeenCalledWith(`pull-on-${USER}-42`, USER, { kind: 'start-pulling' }, '42');
    expect(delivery.setDelivery).toHaveBeenCalledWith(TX, USER, 'PULL');
  });

  it('hybrid mode: a chunked promotion keeps pushing until every chunk settled', async () => {
    const { handler, delivery, batches } = setup('hybrid', { isCelebrity: true, delivery: 'PUSH' });
    batches.start.mockResolvedValue({ batch: `pull-on-${USER}-42` });
    await expect(handler.changed(job)).resolves.toEqual({
      done: 'promotion batched',
      batch: `pull-on-${USER}-42`,
    });
    expect(delivery.setDelivery).not.toHaveBeenCalled();
    await handler.promotionSettled(USER);
    expect(delivery.setDelivery).toHaveBeenCalledWith(TX, USER, 'PULL');
  });

  it('a settled promotion of someone demoted meanwhile changes nothing', async () => {
    const { handler, delivery } = setup('hybrid', { isCelebrity: false, delivery: 'PUSH' });
    await handler.promotionSettled(USER);
    expect(delivery.setDelivery).not.toHaveBeenCalled();
  });

  it.each<[FanoutMode, boolean]>([
    ['hybrid', true],
    ['push', false],
    ['pull', false],
  ])('%s mode: a demotion pushes again at once (followers stop merging: %s)', async (mode, rewired) => {
    const { handler, delivery, batches } = setup(mode, { isCelebrity: false, delivery: 'PULL' });
    await expect(handler.changed(job)).resolves.toEqual({ done: 'demoted' });
    expect(delivery.setDelivery).toHaveBeenCalledWith(TX, USER, 'PUSH');
    if (rewired)
      expect(batches.start).toHaveBeenCalledWith(`pull-off-${USER}-42`, USER, { kind: 'stop-pulling' }, '42');
    else expect(batches.start).not.toHaveBeenCalled();
  });

  it.each([
    { isCelebrity: true, delivery: 'PULL' as const },
    { isCelebrity: false, delivery: 'PUSH' as const },
  ])('skips a user already as the flag asks (%o)', async (status) => {
    const { handler, delivery } = setup('hybrid', status);
    await expect(handler.changed(job)).resolves.toEqual({
      skipped: 'already in the state the flag asks for',
    });
    expect(delivery.setDelivery).not.toHaveBeenCalled();
  });
});
