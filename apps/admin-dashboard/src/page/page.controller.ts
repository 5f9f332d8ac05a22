import {
  Controller,
  Get,
  Headers,
  NotFoundException,
  Param,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminSessionGuard } from '../auth/admin-session.guard';
import { AdminSessionService } from '../auth/admin-session.service';
import { LoginRedirectFilter } from '../auth/login-redirect.filter';
import { Asset, PageAssets } from './page-assets';

/** Only this app's own scripts, styles and API; never framed. */
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

@Controller()
export class PageController {
  constructor(
    private readonly assets: PageAssets,
    private readonly sessions: AdminSessionService,
  ) {}

  /** The dashboard; visitors without an admin session are sent to /login. */
  @Get()
  @UseGuards(AdminSessionGuard)
  @UseFilters(LoginRedirectFilter)
  dashboard(@Res() reply: FastifyReply): void {
    sendPage(reply, this.assets.page('dashboard'));
  }

  @Get('login')
  async login(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const admin = await this.sessions.authenticate(request).catch(() => undefined);
    if (admin) return void reply.header('Cache-Control', 'no-store').redirect('/', 303);
    sendPage(reply, this.assets.page('login'));
  }

  /** Scripts and styles (public: the login page needs them, and they hold nothing secret). */
  @Get('assets/:name')
  asset(
    @Param('name') name: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    const asset = this.assets.asset(name);
    if (!asset) throw new NotFoundException(`No asset ${name}`);
    // Revalidated on every load, so a new release is picked up at once; unchanged files cost a 304.
    void reply
      .header('ETag', asset.etag)
      .header('Cache-Control', 'no-cache')
      .header('X-Content-Type-Options', 'nosniff');
    if (ifNoneMatch === asset.etag) return void reply.status(304).send();
    void reply.type(asset.contentType).send(asset.body);
  }
}

function sendPage(reply: FastifyReply, page: Asset): void {
  void reply.headers(PAGE_HEADERS).type(page.contentType).send(page.body);
}
