import { UnauthorizedException } from '@nestjs/common';

const BEARER = /^Bearer ([\w-]+\.[\w-]*\.[\w-]*)$/;

/**
 * The access token of an `Authorization: Bearer <jwt>` header; undefined
 * when there is no header, 401 when it is not of that form.
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = BEARER.exec(header.trim());
  if (!match)
    throw new UnauthorizedException('Malformed Authorization header: expected Bearer <accessToken>');
  return match[1];
}
