import { Injectable } from '@nestjs/common';
import { TokenService } from '@app/auth';
import { OAuthRepository } from '../oauth/oauth.repository';
import { hashSecret } from '../oauth/secrets';
import { ALL_SCOPES } from './scopes';

/** Who is calling the Mastodon API, and what the token lets them do. */
export interface MastodonCaller {
  /** The user; null for an app's own token (client credentials). */
  userId: string | null;
  scopes: readonly string[];
  /** The OAuth app the token belongs to; null for a native Feedline token. */
  applicationId: string | null;
}

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const OPAQUE = /^[\w-]{20,128}$/;
/** A resolved OAuth token is trusted this long without asking PostgreSQL again. */
const CACHE_MS = 5_000;
const CACHE_SIZE = 10_000;

/**
 * Resolves a bearer token to its caller: a Mastodon OAuth access token
 * (stored hashed in PostgreSQL) or a native Feedline JWT (the web app's, with
 * every scope). Null for anything else: unknown, revoked, expired, malformed.
 * Plain async code, so the streaming endpoints use it as well as the guard.
 * Revocation takes effect at once in the process that revoked, within
 * CACHE_MS elsewhere.
 */
@Injectable()
export class TokenResolver {
  private readonly cache = new Map<string, { caller: MastodonCaller; until: number }>();

  constructor(
    private readonly jwt: TokenService,
    private readonly oauth: OAuthRepository,
  ) {}

  /** Accepts the token itself or a whole `Bearer <token>` header value. */
  async resolve(bearer: string | undefined | null): Promise<MastodonCaller | null> {
    const token = (bearer ?? '').trim().replace(/^Bearer\s+/i, '');
    if (JWT.test(token)) return this.resolveJwt(token);
    if (OPAQUE.test(token)) return this.resolveOAuth(hashSecret(token));
    return null;
  }

  /** Drops a token from this process's cache (after revoking it). */
  forget(token: string): void {
    this.cache.delete(hashSecret(token));
  }

  private async resolveJwt(token: string): Promise<MastodonCaller | null> {
    try {
      const user = await this.jwt.verify(token);
      return { userId: user.id, scopes: ALL_SCOPES, applicationId: null };
    } catch {
      return null;
    }
  }

  private async resolveOAuth(hash: string): Promise<MastodonCaller | null> {
    const cached = this.cache.get(hash);
    if (cached && Date.now() < cached.until) return cached.caller;
    this.cache.delete(hash);
    const row = await this.oauth.findLiveToken(hash);
    if (!row) return null;
    const caller: MastodonCaller = {
      userId: row.userId === null ? null : String(row.userId),
      scopes: row.scopes.split(' '),
      applicationId: String(row.applicationId),
    };
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    const until = Math.min(Date.now() + CACHE_MS, row.expiresAt.getTime());
    this.cache.set(hash, { caller, until });
    return caller;
  }
}
