import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { grants } from '../auth/scopes';
import { TokenResolver } from '../auth/token-resolver';

/**
 * Who is connecting. Mastodon clients send the token as
 * `Authorization: Bearer`, as the `access_token` query parameter (EventSource
 * cannot set headers), or in `Sec-WebSocket-Protocol` (browsers' WebSocket
 * cannot set headers either). A Mastodon OAuth token needs `read` (or
 * `read:statuses`) and a user; the web app's native token is accepted too.
 */
@Injectable()
export class StreamAuth {
  constructor(private readonly tokens: TokenResolver) {}

  async userId(token: string | undefined): Promise<number> {
    if (!token) throw new UnauthorizedException('Missing access token');
    const caller = await this.tokens.resolve(token);
    if (!caller) throw new UnauthorizedException('The access token is invalid');
    if (!caller.userId) throw new UnauthorizedException('This method requires an authenticated user');
    if (!grants(caller.scopes, 'read:statuses'))
      throw new ForbiddenException('This action is outside the authorized scopes');
    return Number(caller.userId);
  }
}

/** The token from the Authorization header or the `access_token` query parameter. */
export function tokenFrom(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const header = headers.authorization?.trim();
  const bearer = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  return bearer ?? query.get('access_token') ?? undefined;
}
