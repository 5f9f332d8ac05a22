import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { FeedlineConfig, InjectConfig } from '@app/config';
import type { AccessTokenClaims, AuthUser } from './auth-user';

const ID = /^[1-9]\d{0,18}$/;

/**
 * Issues and checks access tokens. Only RS256 is accepted: `alg: none`,
 * HMAC tokens "signed" with the public key, other keys, tampered or expired
 * tokens are all refused.
 */
@Injectable()
export class TokenService {
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
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims & object>(token);
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
    return { id: claims.sub, username: String(claims.name ?? ''), role: claims.role };
  }
}
