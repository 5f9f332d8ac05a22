import { QueueReading, queueWarnings } from './queue-figures';

const reading = (over: Partial<QueueReading> & { queued?: number } = {}): QueueReading => ({
  name: 'fanout',
  paused: false,
  counts: {
    waiting: 0,
    prioritized: over.queued ?? 0,
    active: 0,
    delayed: 0,
    failed: 0,
    completed: 0,
    waitingChildren: 0,
  },
  totals: { completed: 0, failed: 0 },
  perMinute: { completed: [], failed: [] },
  workers: 1,
  ...over,
});

describe('queue warnings', () => {
  it('warns when jobs wait and no worker is connected', () => {
    expect(queueWarnings(reading({ queued: 5, workers: 0 }))).toEqual([
      { code: 'no-workers', queue: 'fanout', message: '5 jobs are waiting but no worker is connected' },
    ]);
    expect(queueWarnings(reading({ queued: 1, workers: 0 }))[0].message).toBe(
      '1 job is waiting but no worker is connected',
    );
    expect(queueWarnings(reading({ queued: 0, workers: 0 }))).toEqual([]);
    expect(queueWarnings(reading({ queued: 5 }))).toEqual([]);
  });

  it('says when the queue is paused', () => {
    expect(queueWarnings(reading({ queued: 5, paused: true })).map((w) => w.code)).toEqual(['paused']);
  });
});
