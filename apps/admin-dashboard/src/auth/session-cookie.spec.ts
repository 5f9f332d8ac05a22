import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from './session-cookie';

describe('session cookie', () => {
  it.each([
    ['the only cookie', 'feedline_admin=abc.def.ghi', 'abc.def.ghi'],
    ['among others, with spaces', 'a=1;  feedline_admin = abc ; b=2', 'abc'],
    ['quoted', 'feedline_admin="abc"', 'abc'],
    ['percent-encoded', 'feedline_admin=a%20b', 'a b'],
    ['the first of two', 'feedline_admin=first; feedline_admin=second', 'first'],
    ['a value containing =', 'feedline_admin=a=b', 'a=b'],
  ])('reads %s', (_case, header, value) => {
    expect(readCookie(header, SESSION_COOKIE)).toBe(value);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another cookie only', 'other=1'],
    ['a name that merely ends with ours', 'xfeedline_admin=1'],
    ['a name that merely starts with ours', 'feedline_admin2=1'],
    ['a part without =', 'feedline_admin'],
    ['broken percent-encoding', 'feedline_admin=%E0%A4%A'],
  ])('finds nothing in %s', (_case, header) => {
    expect(readCookie(header, SESSION_COOKIE)).toBeUndefined();
  });

  it('writes an HttpOnly, SameSite=Strict cookie, Secure only when asked', () => {
    expect(sessionCookie('t.o.k', { maxAgeSeconds: 3600, secure: false })).toBe(
      'feedline_admin=t.o.k; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600',
    );
    expect(sessionCookie('t.o.k', { secure: true })).toBe(
      'feedline_admin=t.o.k; Path=/; HttpOnly; SameSite=Strict; Secure',
    );
    expect(clearedSessionCookie(false)).toBe('feedline_admin=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
  });
});
