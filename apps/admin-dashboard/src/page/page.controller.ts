import { Controller, Get, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminSessionGuard } from '../auth/admin-session.guard';
import { AdminSessionService } from '../auth/admin-session.service';
import { LoginRedirectFilter } from '../auth/login-redirect.filter';
import { PUBLIC_DIR } from './page-files';

/** Only this app's own scripts, styles and API; never framed. */
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  // Never cached: a lost session must reach the login redirect.
  'Cache-Control': 'no-store',
};

@Controller()
export class PageController {
  constructor(private readonly sessions: AdminSessionService) {}

  /** The dashboard; visitors without an admin session are sent to /login. */
  @Get()
  @UseGuards(AdminSessionGuard)
  @UseFilters(LoginRedirectFilter)
  dashboard(@Res() reply: FastifyReply): void {
    sendPage(reply, 'index.html');
  }

  @Get('login')
  async login(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const admin = await this.sessions.authenticate(request).catch(() => undefined);
    if (admin) return void reply.header('Cache-Control', 'no-store').redirect('/', 303);
    sendPage(reply, 'login.html');
  }
}

function sendPage(reply: FastifyReply, file: string): void {
  void reply.headers(PAGE_HEADERS).sendFile(file, PUBLIC_DIR, { cacheControl: false, etag: false });
}
