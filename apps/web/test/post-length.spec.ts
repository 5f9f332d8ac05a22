import fc from 'fast-check';
import { validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { graphemeCount as serverGraphemeCount, IsHumanText } from '@app/http';
import { POST_TEXT_RULES } from '@app/posts';
import {
  graphemeCount,
  MAX_POST_CHARACTERS,
  MAX_POST_CODE_UNITS,
  measurePost,
} from '../app/src/compose/post-length';

/** A post's content as the API validates it (CreatePostDto: the same decorator and rules). */
class PostContent {
  @IsHumanText(POST_TEXT_RULES) content!: string;
}

/** Does post-service accept this content? */
function serverAccepts(content: string): boolean {
  return validateSync(plainToInstance(PostContent, { content })).length === 0;
}

describe('the compose counter counts as the server does', () => {
  it('counts graphemes: an emoji family, a flag, an accented letter are one each', () => {
    expect(graphemeCount('👩‍👩‍👧')).toBe(1);
    expect(graphemeCount('🇫🇷')).toBe(1);
    expect(graphemeCount('e\u0301')).toBe(1);
    expect(graphemeCount('héllo 👋🏽')).toBe(7);
    expect(measurePost('abc').remaining).toBe(MAX_POST_CHARACTERS - 3);
  });

  it('mirrors the API’s rules', () => {
    expect(MAX_POST_CHARACTERS).toBe(POST_TEXT_RULES.max);
    expect(MAX_POST_CODE_UNITS).toBe(POST_TEXT_RULES.maxCodeUnits);
  });

  it('allows exactly 500 characters, emoji included, and refuses 501', () => {
    expect(measurePost('👍🏽'.repeat(500))).toMatchObject({ count: 500, remaining: 0, problem: undefined });
    expect(serverAccepts('👍🏽'.repeat(500))).toBe(true);
    expect(measurePost('a'.repeat(501))).toMatchObject({ remaining: -1, problem: 'Too long by 1.' });
    expect(serverAccepts('a'.repeat(501))).toBe(false);
  });

  it('applies the UTF-16 bound: few graphemes made of many combining marks are refused', () => {
    const flood = 'a' + '\u0301'.repeat(4000);
    expect(graphemeCount(flood)).toBe(1);
    expect(measurePost(flood).problem).toMatch(/Too long/);
    expect(serverAccepts(flood)).toBe(false);
  });

  it('refuses blank text and control characters as the server does', () => {
    for (const text of ['', '   \n\t', 'a\u0000b', 'bidi \u202E override', 'bell\u0007']) {
      expect(measurePost(text).problem).toBeDefined();
      expect(serverAccepts(text)).toBe(false);
    }
    expect(measurePost('line one\nline two\ttab').problem).toBeUndefined();
  });

  it('agrees with the server on any text (property)', () => {
    const pieces = fc.constantFrom(
      'a',
      'é',
      'e\u0301',
      '👍🏽',
      '👩‍👩‍👧',
      '🇫🇷',
      ' ',
      '\n',
      '\t',
      '\u0301',
      '\u0000',
      '\u202E',
      '\uD800',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 700 }), fc.nat(3), (parts, repeat) => {
        const text = parts.join('').repeat(repeat + 1);
        expect(graphemeCount(text)).toBe(serverGraphemeCount(text));
        expect(measurePost(text).problem === undefined).toBe(serverAccepts(text));
      }),
      { numRuns: 300 },
    );
  });
});
