import fastifyCookie from '@fastify/cookie';
import Fastify from 'fastify';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie';

/** The cookie as @fastify/cookie reads and writes it, in a bare Fastify app. */
async function roundTrip(cookieHeader?: string, set?: { token: string; secure: boolean; maxAge?: number }) {
  const app = Fastify();
  await app.register(fastifyCookie);
  app.get('/', (request, reply) => {
    if (set) void reply.setCookie(SESSION_COOKIE, set.token, sessionCookieOptions(set.secure, set.maxAge));
    return { value: request.cookies[SESSION_COOKIE] ?? null };
  });
  const response = await app.inject({ url: '/', headers: cookieHeader ? { cookie: cookieHeader } : {} });
  await app.close();
  return {
    value: response.json<{ value: string | null }>().value,
    setCookie: response.headers['set-cookie'],
  };
}

describe('session cookie', () => {
  it.each([
    ['the only cookie', 'feedline_admin=abc.def.ghi', 'abc.def.ghi'],
    ['among others, with spaces', 'a=1;  feedline_admin = abc ; b=2', 'abc'],
    ['quoted, quotes kept (RFC 6265: they are part of the value)', 'feedline_admin="abc"', '"abc"'],
    ['percent-encoded', 'feedline_admin=a%20b', 'a b'],
    ['the first of two', 'feedline_admin=first; feedline_admin=second', 'first'],
    ['a value containing =', 'feedline_admin=a=b', 'a=b'],
  ])('reads %s', async (_case, header, value) => {
    expect((await roundTrip(header)).value).toBe(value);
  });

  it.each([
    ['no header', undefined],
    ['another cookie only', 'other=1'],
    ['a name that merely ends with ours', 'xfeedline_admin=1'],
    ['a name that merely starts with ours', 'feedline_admin2=1'],
    ['a part without =', 'feedline_admin'],
  ])('finds nothing in %s', async (_case, header) => {
    expect((await roundTrip(header)).value).toBeNull();
  });

  it('writes an HttpOnly, SameSite=Strict cookie, Secure only when asked', async () => {
    expect((await roundTrip(undefined, { token: 't.o.k', secure: false, maxAge: 3600 })).setCookie).toBe(
      'feedline_admin=t.o.k; Max-Age=3600; Path=/; HttpOnly; SameSite=Strict',
    );
    expect((await roundTrip(undefined, { token: 't.o.k', secure: true })).setCookie).toBe(
      'feedline_admin=t.o.k; Path=/; HttpOnly; Secure; SameSite=Strict',
    );
    expect((await roundTrip(undefined, { token: '', secure: false, maxAge: 0 })).setCookie).toBe(
      'feedline_admin=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict',
    );
  });
});
