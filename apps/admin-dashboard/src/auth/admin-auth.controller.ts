import { Body, Controller, Get, Header, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthUser, CurrentUser } from '@app/auth';
import { AdminSessionGuard } from './admin-session.guard';
import { AdminSessionService } from './admin-session.service';
import { LoginDto } from './dto/login.dto';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie';

/**
 * Browser sessions. The cookie is SameSite=Strict, and the shared bootstrap
 * refuses any body that is not JSON (415): a cross-site form can neither
 * carry the cookie nor send JSON without a CORS preflight, which this app
 * never grants. That is the CSRF defence of every cookie-authenticated route.
 */
@Controller('auth')
export class AdminAuthController {
  constructor(private readonly sessions: AdminSessionService) {}

  @Post('login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async login(
    @Body() dto: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ user: AuthUser }> {
    const session = await this.sessions.login(dto.username, dto.password);
    void reply.setCookie(
      SESSION_COOKIE,
      session.accessToken,
      sessionCookieOptions(isHttps(request), session.expiresIn),
    );
    return { user: session.user };
  }

  @Post('logout')
  @HttpCode(204)
  logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): void {
    void reply.setCookie(SESSION_COOKIE, '', sessionCookieOptions(isHttps(request), 0));
  }

  /** Who is logged in (the page shows it). */
  @Get('session')
  @UseGuards(AdminSessionGuard)
  @Header('Cache-Control', 'no-store')
  session(@CurrentUser() user: AuthUser): { user: AuthUser } {
    return { user };
  }
}

/**
 * Whether the browser reached us over https. Behind a TLS-terminating proxy
 * only X-Forwarded-Proto says so; trusting it here is harmless (a client that
 * lies only gets a cookie its own browser will not send over http).
 */
function isHttps(request: FastifyRequest): boolean {
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0].trim().toLowerCase();
  return request.protocol === 'https' || first === 'https';
}
