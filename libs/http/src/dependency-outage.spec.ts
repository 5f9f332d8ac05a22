import { dependencyOutage } from './dependency-outage';

function prismaError(message: string, code: string, kind?: string): Error {
  return Object.assign(new Error(message), {
    name: 'PrismaClientKnownRequestError',
    code,
    meta: kind ? { driverAdapterError: { name: 'DriverAdapterError', cause: { kind } } } : undefined,
  });
}

describe('dependencyOutage', () => {
  it.each([
    ['PostgreSQL refused', prismaError("Can't reach database server at 127.0.0.1:1", 'P1001'), 'PostgreSQL'],
    [
      'a raw query on a closed connection',
      prismaError('Raw query failed', 'P2010', 'ConnectionClosed'),
      'PostgreSQL',
    ],
    ['a pool wait timed out', prismaError('Timed out fetching a new connection', 'P2024'), 'PostgreSQL'],
    ['pg read timeout', new Error('Query read timeout'), 'A backing service'],
    ['a silent Redis', new Error('Command timed out'), 'Redis'],
    ['the queue producer', new Error('queue unavailable (redis reconnecting)'), 'Redis'],
    [
      'a wrapped cause',
      new Error('dispatch failed', {
        cause: Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' }),
      }),
      'Redis',
    ],
  ])('%s is an outage', (_, error, who) => {
    expect(dependencyOutage(error)).toBe(who);
  });

  it.each([
    ['a unique violation', prismaError('Unique constraint failed', 'P2002')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'ECONNREFUSED'],
  ])('%s is not', (_, error) => {
    expect(dependencyOutage(error)).toBeUndefined();
  });
});
