import { ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthUser, bearerToken, TokenService } from '@app/auth';
import { PostServiceClient } from './post-service.client';
import { SESSION_COOKIE } from './session-cookie';

export interface AdminSession {
  user: AuthUser;
  accessToken: string;
  /** Seconds until the token expires, when known. */
  expiresIn?: number;
}

/**
 * Who may use the dashboard: admins only, proven by a post-service access
 * token, sent as `Authorization: Bearer` (scripts, k6) or in the session
 * cookie set at login (the browser).
 */
@Injectable()
export class AdminSessionService {
  private readonly logger = new Logger(AdminSessionService.name);

  constructor(
    private readonly tokens: TokenService,
    private readonly postService: PostServiceClient,
  ) {}

  /** The admin making `request`; 401 without a valid token, 403 for a non-admin. */
  async authenticate(request: Pick<FastifyRequest, 'headers' | 'cookies'>): Promise<AuthUser> {
    return requireAdmin(await this.tokens.verify(tokenOf(request)));
  }

  /** Logs in through post-service; only admins get a session. */
  async login(username: string, password: string): Promise<AdminSession> {
    const issued = await this.postService.login(username, password);
    const verified = await this.tokens.verify(issued.accessToken);
    if (verified.role !== 'ADMIN')
      this.logger.warn({ username: verified.username }, 'non-admin refused at dashboard login');
    const user = requireAdmin(verified);
    this.logger.log({ username: user.username }, 'admin logged in to the dashboard');
    return { user, accessToken: issued.accessToken, expiresIn: issued.expiresIn };
  }
}

function tokenOf(request: Pick<FastifyRequest, 'headers' | 'cookies'>): string {
  const bearer = bearerToken(request.headers.authorization);
  if (bearer) return bearer;
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie)
    throw new UnauthorizedException(
      'Log in as an admin (session cookie or Authorization: Bearer <accessToken>)',
    );
  return cookie;
}

function requireAdmin(user: AuthUser): AuthUser {
  if (user.role !== 'ADMIN') throw new ForbiddenException('Admin role required');
  return user;
}
