import { Transform } from 'class-transformer';

const CANONICAL_INT = /^(0|-?[1-9]\d{0,15})$/;

/**
 * Converts a query value to a number only when it is spelled as a plain
 * decimal integer; anything else (`0x10`, `1e1`, `010`, `+16`, ` 16`) stays a
 * string and fails the field's `@IsInt`. `@Type(() => Number)` would accept
 * every spelling `Number()` does.
 */
export function DecimalInt(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && CANONICAL_INT.test(value) ? Number(value) : value,
  );
}
