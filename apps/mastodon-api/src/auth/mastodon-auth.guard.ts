import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  UnprocessableEntityException,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { grants, Scope } from './scopes';
import { MastodonCaller, TokenResolver } from './token-resolver';

const SCOPES_KEY = 'mastodon:scopes';

export type MastodonRequest = FastifyRequest & { mastodon?: MastodonCaller };

/**
 * Requires a valid token (Mastodon OAuth or native JWT) that grants at least
 * one of `anyOf` (by Mastodon's hierarchy: `read` covers `read:statuses`).
 * No token or a bad one: 401; a token without the scope: 403.
 */
export function RequireScopes(...anyOf: Scope[]): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(SCOPES_KEY, anyOf), UseGuards(MastodonAuthGuard));
}

@Injectable()
export class MastodonAuthGuard implements CanActivate {
  constructor(
    private readonly resolver: TokenResolver,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<MastodonRequest>();
    const header = request.headers.authorization;
    if (!header) throw new UnauthorizedException('The access token is invalid');
    const caller = await this.resolver.resolve(header);
    if (!caller) throw new UnauthorizedException('The access token is invalid');
    const anyOf =
      this.reflector.getAllAndOverride<Scope[] | undefined>(SCOPES_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? [];
    if (anyOf.length > 0 && !anyOf.some((scope) => grants(caller.scopes, scope))) {
      throw new ForbiddenException('This action is outside the authorized scopes');
    }
    request.mastodon = caller;
    return true;
  }
}

/** The caller of a route guarded by RequireScopes. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): MastodonCaller => {
  const caller = context.switchToHttp().getRequest<MastodonRequest>().mastodon;
  if (!caller) throw new UnauthorizedException('The access token is invalid');
  return caller;
});

/** The calling user's id, for routes that act as a user (an app-only token gets Mastodon's 422). */
export const CallerUserId = createParamDecorator((_data: unknown, context: ExecutionContext): number => {
  const caller = context.switchToHttp().getRequest<MastodonRequest>().mastodon;
  if (!caller) throw new UnauthorizedException('The access token is invalid');
  if (caller.userId === null)
    throw new UnprocessableEntityException('This method requires an authenticated user');
  return Number(caller.userId);
});
