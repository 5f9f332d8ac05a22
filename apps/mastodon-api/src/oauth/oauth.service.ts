import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import OAuth2Server, { OAuthError, Request, Response } from '@node-oauth/oauth2-server';
import { parseScopes, withinScopes } from '../auth/scopes';
import type { CreateAppDto } from './dto/create-app.dto';
import { oauthModel } from './oauth.model';
import { OAuthRepository } from './oauth.repository';
import { newSecret } from './secrets';

/** Mastodon tokens do not expire in practice; ours do after a year (a fresh login renews). */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 365 * 24 * 3600;
const CODE_LIFETIME_SECONDS = 600;

/** The Application entity of POST /api/v1/apps. */
export interface ApplicationEntity {
  id: string;
  name: string;
  website: string | null;
  scopes: string[];
  redirect_uri: string;
  redirect_uris: string[];
  vapid_key: string;
  client_id?: string;
  client_secret?: string;
  client_secret_expires_at?: number;
}

/** What an authorization request asks for, checked before the login page is shown. */
export interface AuthorizationRequest {
  clientId: string;
  appName: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

/** A protocol error in OAuth's terms: `{ error, error_description }` with its status. */
export class OAuthProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

/** App registration and the OAuth 2 endpoints, on @node-oauth/oauth2-server. */
@Injectable()
export class OAuthService {
  private readonly server: OAuth2Server;

  constructor(private readonly repository: OAuthRepository) {
    this.server = new OAuth2Server({
      model: oauthModel(repository),
      accessTokenLifetime: ACCESS_TOKEN_LIFETIME_SECONDS,
      authorizationCodeLifetime: CODE_LIFETIME_SECONDS,
      allowEmptyState: true,
      allowBearerTokensInQueryString: false,
      // Public clients may exchange a code with PKCE instead of the secret.
      requireClientAuthentication: { authorization_code: true, client_credentials: true },
    });
  }

  async register(dto: CreateAppDto): Promise<ApplicationEntity> {
    const scopes = parseScopes(dto.scopes);
    if (!scopes) throw new UnprocessableEntityException('Validation failed: scopes are not valid');
    const clientSecret = newSecret();
    const app = await this.repository.createApplication({
      name: dto.client_name,
      website: dto.website || null,
      redirectUris: dto.redirect_uris,
      scopes: scopes.join(' '),
      clientId: newSecret(),
      clientSecret,
    });
    return {
      ...this.describe(app),
      client_id: app.clientId,
      client_secret: clientSecret,
      client_secret_expires_at: 0,
    };
  }

  async describeById(applicationId: string): Promise<ApplicationEntity | null> {
    const app = await this.repository.findApplicationById(BigInt(applicationId));
    return app && this.describe(app);
  }

  /** Validates an authorization request; errors here are shown to the user, never redirected. */
  async checkAuthorization(query: Record<string, unknown>): Promise<AuthorizationRequest> {
    const text = (name: string) => {
      const value = query[name];
      if (value === undefined || value === '') return undefined;
      if (typeof value !== 'string')
        throw new OAuthProtocolError(400, 'invalid_request', `${name} is invalid`);
      return value;
    };
    const clientId = text('client_id');
    if (!clientId) throw new OAuthProtocolError(400, 'invalid_request', 'client_id is missing');
    const app = await this.repository.findApplication(clientId);
    if (!app) throw new OAuthProtocolError(401, 'invalid_client', 'Unknown application');
    const redirectUri = text('redirect_uri') ?? app.redirectUris[0];
    if (!app.redirectUris.includes(redirectUri))
      throw new OAuthProtocolError(
        400,
        'invalid_request',
        'redirect_uri is not registered for this application',
      );
    if (text('response_type') !== 'code')
      throw new OAuthProtocolError(400, 'unsupported_response_type', 'response_type must be code');
    const scopes = parseScopes(text('scope'));
    if (!scopes || !withinScopes(app.scopes.split(' '), scopes))
      throw new OAuthProtocolError(
        400,
        'invalid_scope',
        'The requested scope is invalid, unknown, or malformed',
      );
    const codeChallenge = text('code_challenge');
    const codeChallengeMethod = text('code_challenge_method');
    if (codeChallenge && codeChallengeMethod !== 'S256')
      throw new OAuthProtocolError(400, 'invalid_request', 'code_challenge_method must be S256');
    if (!codeChallenge && codeChallengeMethod)
      throw new OAuthProtocolError(400, 'invalid_request', 'code_challenge is missing');
    return {
      clientId,
      appName: app.name,
      redirectUri,
      scopes,
      state: text('state'),
      codeChallenge,
      codeChallengeMethod,
    };
  }

  /**
   * Issues a code for a user who consented (or the access_denied answer):
   * the URI to send the browser to, and the code itself.
   */
  async authorize(
    request: AuthorizationRequest,
    userId: string | null,
  ): Promise<{ location: string; code?: string }> {
    const body: Record<string, string> = {
      client_id: request.clientId,
      redirect_uri: request.redirectUri,
      response_type: 'code',
      scope: request.scopes.join(' '),
    };
    if (request.state) body.state = request.state;
    if (request.codeChallenge) {
      body.code_challenge = request.codeChallenge;
      body.code_challenge_method = request.codeChallengeMethod ?? 'S256';
    }
    if (userId === null) body.allowed = 'false';
    const response = new Response();
    try {
      const code = await this.server.authorize(libraryRequest(body), response, {
        authenticateHandler: { handle: () => ({ id: userId }) },
      });
      return { location: String(response.get('location')), code: code.authorizationCode };
    } catch (error) {
      const location = response.get('location') as string | undefined;
      if (error instanceof OAuthError && location) return { location };
      throw toProtocolError(error);
    }
  }

  /** POST /oauth/token: authorization_code (with PKCE) or client_credentials. */
  async token(body: Record<string, unknown>, authorization?: string): Promise<object> {
    const grant = body.grant_type;
    if (grant !== 'authorization_code' && grant !== 'client_credentials') {
      throw new OAuthProtocolError(
        400,
        'unsupported_grant_type',
        'grant_type must be authorization_code or client_credentials',
      );
    }
    try {
      const token = await this.server.token(libraryRequest(body, authorization), new Response());
      return {
        access_token: token.accessToken,
        token_type: 'Bearer',
        scope: (token.scope ?? []).join(' '),
        created_at: Math.floor(Date.now() / 1000),
      };
    } catch (error) {
      throw toProtocolError(error);
    }
  }

  /** POST /oauth/revoke (RFC 7009): the app's own token only; an unknown token is not an error. */
  async revoke(body: Record<string, unknown>): Promise<string | null> {
    const { client_id: clientId, client_secret: clientSecret, token } = body;
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || typeof token !== 'string') {
      throw new OAuthProtocolError(400, 'invalid_request', 'client_id, client_secret and token are required');
    }
    const client = await oauthModel(this.repository).getClient(clientId, clientSecret);
    if (!client)
      throw new OAuthProtocolError(403, 'unauthorized_client', 'You are not authorized to revoke this token');
    await this.repository.revokeToken(token, BigInt(client.id));
    return token;
  }

  private describe(app: {
    id: bigint;
    name: string;
    website: string | null;
    scopes: string;
    redirectUris: string[];
  }): ApplicationEntity {
    return {
      id: String(app.id),
      name: app.name,
      website: app.website,
      scopes: app.scopes.split(' '),
      redirect_uri: app.redirectUris.join('\n'),
      redirect_uris: app.redirectUris,
      vapid_key: '',
    };
  }
}

/**
 * The library's request: the body is already parsed (JSON or form), and the
 * library insists on a form content type, so it is told that.
 */
function libraryRequest(body: Record<string, unknown>, authorization?: string): Request {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': '1',
  };
  if (authorization?.startsWith('Basic ')) headers.authorization = authorization;
  return new Request({ method: 'POST', headers, query: {}, body });
}

function toProtocolError(error: unknown): Error {
  if (error instanceof OAuthError) {
    if (error.code >= 500) return error;
    // Mastodon (Doorkeeper) answers a failed client authentication with 401.
    const status = error.name === 'invalid_client' ? 401 : error.code;
    return new OAuthProtocolError(status, error.name, error.message);
  }
  return error as Error;
}
