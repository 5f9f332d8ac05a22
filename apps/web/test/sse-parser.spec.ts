import { SseParser } from '../app/src/live/sse-parser';

describe('SSE parser', () => {
  it('parses events split anywhere across chunks, with CRLF, comments and multi-line data', () => {
    const stream =
      ':thump\r\nevent: update\r\ndata: {"id":"1",\r\ndata: "x":2}\r\n\r\nevent: delete\ndata: 7\n\ndata: plain\n\n';
    for (let size = 1; size <= stream.length; size += 1) {
      const parser = new SseParser();
      const events = [];
      for (let i = 0; i < stream.length; i += size) events.push(...parser.push(stream.slice(i, i + size)));
      expect(events).toEqual([
        { event: 'update', data: '{"id":"1",\n"x":2}' },
        { event: 'delete', data: '7' },
        { event: 'message', data: 'plain' },
      ]);
    }
  });

  it('ignores events without data and keeps the last id', () => {
    const parser = new SseParser();
    expect(parser.push('event: update\n\nid: 5\nevent: update\ndata: x\n\n')).toEqual([
      { event: 'update', data: 'x', id: '5' },
    ]);
  });
});
