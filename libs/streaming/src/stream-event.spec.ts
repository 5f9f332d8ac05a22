import { decodeStreamEvent, encodeStreamEvent, StreamEvent } from './stream-event';

describe('stream events', () => {
  it('round-trips every kind', () => {
    const events: StreamEvent[] = [
      { event: 'update', postId: '123', authorId: '7' },
      { event: 'delete', postId: '123' },
      { event: 'follows' },
      { event: 'delivery', authorId: '9' },
    ];
    for (const event of events) expect(decodeStreamEvent(encodeStreamEvent(event))).toEqual(event);
  });

  it('ignores what it does not understand', () => {
    for (const message of ['', 'x', 'u:1', 'u:a:1', 'd:0', 'd:1:2', 'f:1', 'a:', 'a:1:2', 'u:1:2:3'])
      expect(decodeStreamEvent(message)).toBeNull();
  });
});
