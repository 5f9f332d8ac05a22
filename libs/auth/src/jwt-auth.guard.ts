import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from './auth-user';
import { bearerToken } from './bearer-token';
import { TokenService } from './token.service';

export type AuthenticatedRequest = FastifyRequest & { user: AuthUser };

/** Requires `Authorization: Bearer <access token>`; the verified user is `request.user`. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new UnauthorizedException('Missing bearer token (Authorization: Bearer <accessToken>)');
    request.user = await this.tokens.verify(token);
    return true;
  }
}
