import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { TokenService } from '@app/auth';

/**
 * Who is connecting. Mastodon clients send the token as
 * `Authorization: Bearer`, as the `access_token` query parameter (EventSource
 * cannot set headers), or in `Sec-WebSocket-Protocol` (browsers' WebSocket
 * cannot set headers either).
 */
@Injectable()
export class StreamAuth {
  constructor(private readonly tokens: TokenService) {}

  async userId(token: string | undefined): Promise<number> {
    if (!token) throw new UnauthorizedException('Missing access token');
    const user = await this.tokens.verify(token);
    return Number(user.id);
  }
}

/** The token from the Authorization header or the `access_token` query parameter. */
export function tokenFrom(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const header = headers.authorization?.trim();
  const bearer = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  return bearer ?? query.get('access_token') ?? undefined;
}
