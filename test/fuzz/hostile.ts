import fc from 'fast-check';
import type { Operation } from './operations';

/** Field names the API knows somewhere: hostile bodies and queries borrow them so validation is reached. */
const KNOWN_FIELDS = [
  'content',
  'username',
  'password',
  'displayName',
  'jobId',
  'limit',
  'cursor',
  'since',
  'notify',
];
const PROTOTYPE_KEYS = [
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__proto__',
  'isPrototypeOf',
  'prototype',
];

const nested = (depth: number, open: string, close: string) => `${open.repeat(depth)}${close.repeat(depth)}`;

/** Text that has broken parsers, validators, databases and loggers. */
const nastyText = fc.constantFrom(
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\u0007\u001b[31m',
  '\ud800',
  'x\udfffy',
  '\u202eevil',
  '\ufeff',
  'e\u0301'.repeat(40),
  'a' + '\u0301'.repeat(3000),
  '😀'.repeat(300),
  '%00',
  '%',
  '%zz',
  '../../etc/passwd',
  "' OR 1=1 --",
  '${7*7}',
  '<script>alert(1)</script>',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  'true',
  '[]',
  '{}',
  'x'.repeat(5000),
  ...PROTOTYPE_KEYS,
);

/** Number-like spellings: only canonical decimal may be read as an id or integer. */
const numberish = fc.constantFrom(
  '0',
  '-1',
  '1',
  '16',
  '0x10',
  '1e1',
  '010',
  '+16',
  '16.0',
  '0b10000',
  '0o20',
  ' 16',
  '16 ',
  '1_6',
  '9'.repeat(30),
  '9007199254740993',
  '-0',
  '1.5',
  '٣',
);

export function hostileString(ids: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    nastyText,
    numberish,
    fc.constantFrom(...ids),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
  );
}

/** Any JSON value, with hostile strings and numbers at the leaves. */
function hostileJson(ids: string[]): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    hostileString(ids),
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -1, 2 ** 53, 1e308, -0),
    fc.boolean(),
    fc.constant(null),
  );
  return fc.oneof(
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(leaf, { maxLength: 4 }) },
    {
      weight: 1,
      arbitrary: fc.dictionary(fc.constantFrom(...KNOWN_FIELDS, ...PROTOTYPE_KEYS, 'x'), leaf, {
        maxKeys: 3,
      }),
    },
  );
}

/** A request body as sent on the wire (a string), or none. */
export function hostileBody(op: Operation, ids: string[]): fc.Arbitrary<string | undefined> {
  const fields = [...(op.bodyProps ?? []), ...KNOWN_FIELDS];
  const keys = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...fields) },
    { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  );
  const object = fc.dictionary(keys, hostileJson(ids), { maxKeys: 4 }).map((value) => JSON.stringify(value));
  // JSON.stringify drops a `__proto__` key made by fc.dictionary (it sets the prototype): write some by hand.
  const protoKeyed = fc
    .tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.constantFrom(...fields), hostileString(ids))
    .map(([proto, field, value]) => `{"${field}":${JSON.stringify(value)},"${proto}":{"polluted":true}}`);
  const raw = fc.constantFrom(
    '',
    'not json',
    '{',
    '{"content":',
    'null',
    '[]',
    '"string"',
    '42',
    '{"content":"a"}{"content":"b"}',
    '{"content":"\\u0000"}',
    '{"content":"\\ud800"}',
    `{"content":${nested(1500, '[', ']')}}`,
    `${'{"a":'.repeat(200)}0${'}'.repeat(200)}`,
    nested(5000, '[', ']'),
    `{"content":"${'x'.repeat(20_000)}"}`,
    '{"content":"ok","content":"again"}',
  );
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 5, arbitrary: object },
    { weight: 2, arbitrary: protoKeyed },
    { weight: 2, arbitrary: raw },
    { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
  );
}

export const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  'application/octet-stream',
  '',
  undefined,
);

/** A query string (with its `?`), or none: known, prototype and random names, repeated names, broken escapes. */
export function hostileQuery(op: Operation, ids: string[]): fc.Arbitrary<string> {
  const name = fc.oneof(
    fc.constantFrom(...op.queryParams, ...KNOWN_FIELDS),
    fc.constantFrom(...PROTOTYPE_KEYS),
    fc.string({ maxLength: 8 }),
  );
  const pair = fc.tuple(name, hostileString(ids)).map(([key, value]) => `${encode(key)}=${encode(value)}`);
  return fc.oneof(
    fc.constant(''),
    fc.array(pair, { minLength: 1, maxLength: 4 }).map((pairs) => `?${pairs.join('&')}`),
    fc.constantFrom(
      '?',
      '?&&',
      '?=',
      '?limit',
      '?limit=%',
      '?limit=%zz',
      '?a[b]=1',
      '?a[__proto__][x]=1',
      '?limit=1&limit=2',
    ),
  );
}

/** A path with each `{param}` filled with a hostile (or valid) value. */
export function hostilePath(op: Operation, ids: string[]): fc.Arbitrary<string> {
  const values = op.pathParams.map(() =>
    fc.oneof(
      { weight: 3, arbitrary: hostileString(ids) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('fanout', 'failed', 'completed', 'waiting', 'delayed', 'latest'),
      },
    ),
  );
  return fc
    .tuple(...values)
    .map((filled) =>
      op.pathParams.reduce((path, param, i) => path.replace(`{${param}}`, encode(filled[i])), op.path),
    );
}

/** Percent-encodes like a client; a lone surrogate (which encodeURIComponent refuses) goes out as its raw UTF-8 bytes. */
export function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...Buffer.from(value, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  }
}
