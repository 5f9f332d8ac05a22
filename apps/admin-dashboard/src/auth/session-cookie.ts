import fastifyCookie, { CookieSerializeOptions } from '@fastify/cookie';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/** The dashboard's session cookie: the admin's access token, unreadable by page scripts. */
export const SESSION_COOKIE = 'feedline_admin';

/** Cookie parsing and writing by @fastify/cookie: `request.cookies`, `reply.setCookie`. */
@Injectable()
export class SessionCookies implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async onModuleInit(): Promise<void> {
    await this.adapterHost.httpAdapter.getInstance<FastifyInstance>().register(fastifyCookie);
  }
}

/**
 * The session cookie's attributes: HttpOnly, SameSite=Strict, the whole site,
 * Secure when the browser came over https; `maxAgeSeconds` omitted makes a
 * browser-session cookie, 0 deletes it.
 */
export function sessionCookieOptions(secure: boolean, maxAgeSeconds?: number): CookieSerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure,
    ...(maxAgeSeconds === undefined ? {} : { maxAge: Math.max(0, Math.floor(maxAgeSeconds)) }),
  };
}
