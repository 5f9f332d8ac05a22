import { timingSafeEqual } from 'node:crypto';
import type OAuth2Server from '@node-oauth/oauth2-server';
import type { OAuthApplication } from '@app/database';
import { parseScopes, withinScopes } from '../auth/scopes';
import { OAuthRepository } from './oauth.repository';
import { hashSecret, newSecret } from './secrets';

type Model = OAuth2Server.AuthorizationCodeModel & OAuth2Server.ClientCredentialsModel;

/** Grants a registered app may use: the user's consent (with PKCE when the app sends a challenge) or its own token. */
const GRANTS = ['authorization_code', 'client_credentials'];

/** The client as the library sees it, with the app's registered scopes. */
export function toClient(app: OAuthApplication): OAuth2Server.Client {
  return {
    id: String(app.id),
    redirectUris: app.redirectUris,
    grants: GRANTS,
    scopes: app.scopes.split(' '),
  };
}

/**
 * The storage side of @node-oauth/oauth2-server: apps, codes and tokens in
 * PostgreSQL, secrets hashed. The library does the protocol (grant checks,
 * PKCE S256, redirect URI matching, one-use codes, expiry).
 */
export function oauthModel(repository: OAuthRepository): Model {
  return {
    generateAccessToken: () => Promise.resolve(newSecret()),
    generateAuthorizationCode: () => Promise.resolve(newSecret()),

    async getClient(clientId, clientSecret) {
      const app = await repository.findApplication(clientId);
      if (!app) return null;
      // No secret: allowed by the library only for a PKCE exchange (a public client).
      if (clientSecret !== undefined && clientSecret !== null && !sameSecret(app, clientSecret)) return null;
      return toClient(app);
    },

    async saveAuthorizationCode(code, client, user) {
      await repository.saveCode(code.authorizationCode, {
        applicationId: BigInt(client.id),
        userId: BigInt(String(user.id)),
        redirectUri: code.redirectUri,
        scopes: (code.scope ?? []).join(' '),
        codeChallenge: code.codeChallenge ?? null,
        codeChallengeMethod: code.codeChallengeMethod ?? null,
        expiresAt: code.expiresAt,
      });
      return { ...code, client, user };
    },

    async getAuthorizationCode(authorizationCode) {
      const row = await repository.findCode(authorizationCode);
      if (!row) return null;
      return {
        authorizationCode,
        expiresAt: row.expiresAt,
        redirectUri: row.redirectUri,
        scope: row.scopes.split(' '),
        // Its own app: the library refuses the code to any other client.
        client: toClient(row.application),
        user: { id: String(row.userId) },
        codeChallenge: row.codeChallenge ?? undefined,
        codeChallengeMethod: row.codeChallengeMethod ?? undefined,
      };
    },

    revokeAuthorizationCode: (code) => repository.consumeCode(code.authorizationCode),

    async saveToken(token, client, user) {
      await repository.saveToken(token.accessToken, {
        applicationId: BigInt(client.id),
        userId: user.id ? BigInt(String(user.id)) : null,
        scopes: (token.scope ?? []).join(' '),
        expiresAt: token.accessTokenExpiresAt ?? new Date(),
      });
      // No refresh tokens: Mastodon clients keep their access token.
      return { accessToken: token.accessToken, scope: token.scope, client, user };
    },

    /** An app's own token acts for no user. */
    getUserFromClient: () => Promise.resolve({ id: null }),

    /** Scopes must be known and within what the app registered; none asked means `read`. */
    validateScope(_user, client, scope) {
      const requested = parseScopes((scope ?? []).join(' '));
      if (!requested || !withinScopes(client.scopes as string[], requested)) return Promise.resolve(false);
      return Promise.resolve(requested);
    },

    // Tokens are checked by TokenResolver, not through the library.
    getAccessToken: () => Promise.resolve(null),
  };
}

function sameSecret(app: OAuthApplication, secret: string): boolean {
  const given = Buffer.from(hashSecret(secret));
  const stored = Buffer.from(app.clientSecretHash);
  return given.length === stored.length && timingSafeEqual(given, stored);
}
