/**
 * Checks every request's body, query and path values before any pipe or
 * handler sees them, so each rule holds on every route of every app at once:
 * - nesting depth is bounded: class-transformer, class-validator and Nest's
 *   pipes recurse, and ~1,500 levels of `[` overflowed the stack (a 500 for
 *   3 KB, without authentication);
 * - no string carries control characters (other than tab and line breaks)
 *   or unpaired surrogates: PostgreSQL refuses NUL, and the others are never
 *   wanted in a name, a password or a post;
 * - no key is named after an Object.prototype member (`constructor`,
 *   `toString`, `__proto__` ...): class-transformer skips those, so they
 *   would vanish instead of getting the usual 400 for unknown fields (no
 *   field of the API has such a name).
 * The walk is iterative, so it cannot overflow itself.
 */

/** Deeper than any body of the API (they are flat) with room to spare; fails fast on a flood. */
export const MAX_INPUT_DEPTH = 16;

const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** What is wrong with a request's body, query or params, or undefined. `where` names it in the message. */
export function inputProblem(value: unknown, where: string): string | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: current, path, depth } = next;
    if (typeof current === 'string') {
      const name = path || where;
      if (!current.isWellFormed()) return `${name} must be valid Unicode text`;
      if (CONTROL.test(current)) return `${name} must not contain control characters`;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return `${where} is nested too deeply (at most ${MAX_INPUT_DEPTH} levels)`;
    for (const key of Object.keys(current)) {
      const keyPath = path ? `${path}.${key}` : key;
      if (!Array.isArray(current) && PROTOTYPE_NAMES.has(key)) return `property ${keyPath} should not exist`;
      pending.push({ value: (current as Record<string, unknown>)[key], path: keyPath, depth: depth + 1 });
    }
  }
  return undefined;
}
