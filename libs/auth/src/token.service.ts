import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import { FeedlineConfig, InjectConfig } from '@app/config';
import type { AccessTokenClaims, AuthUser } from './auth-user';

const ID = /^[1-9]\d{0,18}$/;
/** Verified tokens remembered per process; least recently used evicted first. */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * Issues and checks access tokens. Only RS256 is accepted: `alg: none`,
 * HMAC tokens "signed" with the public key, other keys, tampered or expired
 * tokens are all refused.
 */
@Injectable()
export class TokenService {
  /**
   * Tokens whose signature already checked out, each kept until its expiry.
   * Keyed by the whole token string, so any altered token is a different key
   * and gets a full verification; an expired one is gone from the cache and
   * refused by the full check. Saves an RSA verification per request for
   * clients that reuse their token (all do).
   */
  private readonly verified = new LRUCache<string, AuthUser>({ max: VERIFIED_CACHE_SIZE });

  constructor(
    private readonly jwt: JwtService,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  /** Signs a token (post-service only: the others do not hold the private key). */
  async issue(user: AuthUser): Promise<{ accessToken: string; expiresIn: number }> {
    const claims: AccessTokenClaims = { sub: user.id, name: user.username, role: user.role };
    const accessToken = await this.jwt.signAsync(claims);
    return { accessToken, expiresIn: this.config.auth.accessTokenTtlSeconds };
  }

  async verify(token: string): Promise<AuthUser> {
    const known = this.verified.get(token);
    if (known) return known;
    let claims: AccessTokenClaims & { exp?: number };
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims & { exp?: number }>(token);
    } catch (error) {
      const expired = (error as Error).name === 'TokenExpiredError';
      throw new UnauthorizedException(expired ? 'Access token expired' : 'Invalid access token');
    }
    if (
      typeof claims.sub !== 'string' ||
      !ID.test(claims.sub) ||
      (claims.role !== 'USER' && claims.role !== 'ADMIN')
    ) {
      throw new UnauthorizedException('Invalid access token');
    }
    const user: AuthUser = { id: claims.sub, username: String(claims.name ?? ''), role: claims.role };
    const ttl = typeof claims.exp === 'number' ? claims.exp * 1000 - Date.now() : 0;
    if (ttl > 0) this.verified.set(token, user, { ttl }); // (a ttl of 0 would mean "forever")
    return user;
  }
}
