import { BadRequestException } from '@nestjs/common';
import { FeedQueryPipe } from './feed-query.pipe';

describe('FeedQueryPipe', () => {
  const pipe = new FeedQueryPipe();
  const problems = (query: Record<string, unknown>) => {
    try {
      pipe.transform(query);
    } catch (error) {
      return ((error as BadRequestException).getResponse() as { message: string[] }).message;
    }
    return [];
  };

  it('defaults to the newest 20 posts', () => {
    expect(pipe.transform({})).toEqual({ limit: 20, cursor: 0 });
    expect(pipe.transform({ limit: '100', cursor: '1060284764540928' })).toEqual({
      limit: 100,
      cursor: 1060284764540928,
    });
  });

  it('refuses what the class-validator DTO refused, with its messages', () => {
    for (const limit of ['0', '101', 'abc', '2.5', '', '0x10', '1e1', '+16', ' 16', ['1', '2']]) {
      expect(problems({ limit })).toEqual(['limit must be an integer between 1 and 100']);
    }
    for (const cursor of ['abc', '-5', '0', '9'.repeat(17), '', ['1']]) {
      expect(problems({ cursor })).toEqual(['cursor must be the nextCursor of a previous page']);
    }
    expect(problems({ userId: '2', limit: '0' })).toEqual([
      'property userId should not exist',
      'limit must be an integer between 1 and 100',
    ]);
  });
});
