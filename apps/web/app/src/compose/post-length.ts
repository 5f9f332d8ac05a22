/**
 * The post rules as post-service applies them (libs/http/src/text-validators.ts,
 * CreatePostDto): 1-500 characters as a person counts them (grapheme clusters:
 * an emoji with its modifiers is one), at most 4000 UTF-16 units (a bound
 * against combining-mark floods), no control characters but line breaks and
 * tabs, no bidi overrides, not blank. A spec checks this against the server's
 * own code.
 */
export const MAX_POST_CHARACTERS = 500;
export const MAX_POST_CODE_UNITS = 4000;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;

let segmenter: Intl.Segmenter | undefined;

export function graphemeCount(text: string): number {
  if (text === '') return 0; // no segmenter (and its ICU data) until someone types
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let count = 0;
  for (const _ of segmenter.segment(text)) count += 1;
  return count;
}

export interface PostLength {
  /** Characters as the server counts them. */
  count: number;
  /** 500 minus count (negative when over). */
  remaining: number;
  /** Why the server would refuse this text, in words for a person; undefined when it would accept it. */
  problem?: string;
}

export function measurePost(text: string): PostLength {
  const count = graphemeCount(text);
  return { count, remaining: MAX_POST_CHARACTERS - count, problem: postProblem(text, count) };
}

function postProblem(text: string, count: number): string | undefined {
  if (!text.isWellFormed()) return 'The text has a broken character (an unpaired surrogate).';
  if (FORBIDDEN.test(text)) return 'The text has an invisible control character; remove it.';
  if (text.trim().length === 0) return 'Write something first.';
  if (text.length > MAX_POST_CODE_UNITS)
    return `Too long for a post: it takes more than ${MAX_POST_CODE_UNITS} units of storage (many combining marks).`;
  if (count > MAX_POST_CHARACTERS) return `Too long by ${count - MAX_POST_CHARACTERS}.`;
  return undefined;
}
