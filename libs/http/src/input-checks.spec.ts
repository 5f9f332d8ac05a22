import { inputProblem, MAX_INPUT_DEPTH } from './input-checks';

describe('inputProblem', () => {
  const nest = (depth: number): unknown => (depth === 0 ? 'leaf' : [nest(depth - 1)]);

  it('passes ordinary input, with tabs and line breaks in text', () => {
    expect(
      inputProblem({ content: 'two\nlines\tand\r\n😀 é', tags: ['a', 1, null] }, 'request body'),
    ).toBeUndefined();
    expect(inputProblem(undefined, 'request body')).toBeUndefined();
    expect(inputProblem(nest(MAX_INPUT_DEPTH - 1), 'request body')).toBeUndefined();
  });

  it('bounds the depth without recursing (100,000 levels)', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(inputProblem({ a: deep }, 'request body')).toMatch(/nested too deeply/);
  });

  it.each([
    [{ username: 'a\u0000b' }, 'username must not contain control characters'],
    [{ user: { name: '\u001b[31m' } }, 'user.name must not contain control characters'],
    [{ content: 'x\ud800' }, 'content must be valid Unicode text'],
    [JSON.parse('{"constructor":1}'), 'property constructor should not exist'],
    [JSON.parse('{"a":{"__proto__":1}}'), 'property a.__proto__ should not exist'],
    [{ toString: 'x' }, 'property toString should not exist'],
  ])('refuses %j', (value, message) => {
    expect(inputProblem(value, 'request body')).toBe(message);
  });
});
