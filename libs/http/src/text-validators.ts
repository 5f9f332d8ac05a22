import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Characters as a person counts them: "👩‍👩‍👧" or "é" (e + combining accent) is one. */
export function graphemeCount(text: string): number {
  let count = 0;
  for (const _ of segmenter.segment(text)) count += 1;
  return count;
}

// Control characters other than tab, line feed and carriage return (NUL would
// also be refused by PostgreSQL), and bidi overrides used to spoof text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;

export interface TextRules {
  min: number;
  max: number;
  /** Upper bound in UTF-16 units, against combining-mark floods that count as one character. */
  maxCodeUnits: number;
  /** Upper bound in code points: what a `VarChar(n)` column counts (it must not be the one to refuse it). */
  maxCodePoints?: number;
  multiline?: boolean;
}

/** Validates human text: well-formed Unicode, not blank, length in graphemes, no control characters. */
export function IsHumanText(rules: TextRules, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isHumanText',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => textProblem(value, rules) === undefined,
        defaultMessage: (args: ValidationArguments) => `${args.property} ${textProblem(args.value, rules)}`,
      },
    });
}

function textProblem(value: unknown, rules: TextRules): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (!value.isWellFormed()) return 'must be valid Unicode text';
  if (FORBIDDEN.test(value) || (!rules.multiline && /[\n\r\t]/.test(value)))
    return 'must not contain control characters';
  if (value.trim().length === 0) return 'must not be empty';
  if (value.length > rules.maxCodeUnits) return `must be at most ${rules.max} characters`;
  const count = graphemeCount(value);
  if (count < rules.min) return `must be at least ${rules.min} characters`;
  if (count > rules.max) return `must be at most ${rules.max} characters (got ${count})`;
  if (rules.maxCodePoints !== undefined && codePointCount(value) > rules.maxCodePoints) {
    return `must be at most ${rules.maxCodePoints} Unicode code points (accents written as separate marks count apart)`;
  }
  return undefined;
}

function codePointCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
