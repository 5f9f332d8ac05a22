import { createHash, randomBytes } from 'node:crypto';
import { PrismaService } from '@app/database';
import { PASSWORD, signup, TestApp, TestResponse, useTestEnvironment } from '@app/testing';
import { PostServiceModule } from '../../../post-service/src/post-service.module';
import { MastodonApiModule } from '../mastodon-api.module';
import { MASTODON_HTTP_OPTIONS } from '../mastodon-http';

useTestEnvironment();

const REDIRECT = 'https://client.example/callback';
const form = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

describe('mastodon-api OAuth 2', () => {
  let api: TestApp;
  let posts: TestApp;
  beforeAll(async () => {
    posts = await TestApp.start(PostServiceModule);
    api = await TestApp.start(MastodonApiModule, MASTODON_HTTP_OPTIONS);
  });
  afterAll(async () => {
    await api.close();
    await posts.close();
  });

  const registerApp = async (
    scopes = 'read write follow',
    redirect = `${REDIRECT} urn:ietf:wg:oauth:2.0:oob`,
  ) => {
    const response = await api.request('POST', '/api/v1/apps', {
      body: {
        client_name: 'Test client',
        redirect_uris: redirect,
        scopes,
        website: 'https://client.example',
      },
    });
    expect(response.status).toBe(200);
    return response.body as { client_id: string; client_secret: string; id: string };
  };

  /** Drives the login page like a browser: GET the form, POST it back with its cookie and hidden fields. */
  const authorize = async (
    clientId: string,
    params: Record<string, string>,
    username: string,
    decision = 'allow',
  ): Promise<TestResponse> => {
    const query = new URLSearchParams({ client_id: clientId, response_type: 'code', ...params });
    const page = await api.request('GET', `/oauth/authorize?${query.toString()}`);
    expect(page.status).toBe(200);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    const hidden = Object.fromEntries(
      [...String(page.body).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
        m[1],
        m[2]
          .replace(/&amp;/g, '&')
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>'),
      ]),
    );
    const submitted = form({ ...hidden, username, password: PASSWORD, decision });
    return api.request('POST', '/oauth/authorize', {
      ...submitted,
      headers: { ...submitted.headers, cookie },
    });
  };

  const pkce = () => {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  };

  it('registers an app, logs a user in on the consent page, exchanges the code (PKCE S256) for a working token', async () => {
    const user = await signup(posts);
    const app = await registerApp();
    const { verifier, challenge } = pkce();
    const answer = await authorize(
      app.client_id,
      {
        redirect_uri: REDIRECT,
        scope: 'read write',
        state: 'xyz',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      user.username,
    );
    expect(answer.status).toBe(302);
    const location = new URL(String(answer.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code')!;

    const token = await api.request('POST', '/oauth/token', {
      ...form({
        grant_type: 'authorization_code',
        code,
        client_id: app.client_id,
        client_secret: app.client_secret,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      }),
    });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({
      token_type: 'Bearer',
      scope: 'read write',
      access_token: expect.any(String),
    });

    const me = await api.request('GET', '/api/v1/apps/verify_credentials', {
      token: token.body.access_token,
    });
    expect(me.status).toBe(200);
    expect(me.body.name).toBe('Test client');

    // Stored hashed: the token itself is nowhere in the table.
    const rows = await api.get(PrismaService).oAuthAccessToken.findMany();
    expect(rows.some((row) => row.tokenHash === token.body.access_token)).toBe(false);

    // A code is good once.
    const again = await api.request('POST', '/oauth/token', {
      body: {
        grant_type: 'authorization_code',
        code,
        client_id: app.client_id,
        client_secret: app.client_secret,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      },
    });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('refuses a wrong PKCE verifier, and one app’s code to another app', async () => {
    const user = await signup(posts);
    const app = await registerApp();
    const other = await registerApp();
    const { challenge } = pkce();
    const params = { redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256' };
    const code1 = new URL(
      String((await authorize(app.client_id, params, user.username)).headers.location),
    ).searchParams.get('code')!;
    const wrongVerifier = await api.request('POST', '/oauth/token', {
      body: {
        grant_type: 'authorization_code',
        code: code1,
        client_id: app.client_id,
        client_secret: app.client_secret,
        redirect_uri: REDIRECT,
        code_verifier: pkce().verifier,
      },
    });
    expect(wrongVerifier.status).toBe(400);

    const plain = await authorize(app.client_id, { redirect_uri: REDIRECT }, user.username);
    const code2 = new URL(String(plain.headers.location)).searchParams.get('code')!;
    const stolen = await api.request('POST', '/oauth/token', {
      body: {
        grant_type: 'authorization_code',
        code: code2,
        client_id: other.client_id,
        client_secret: other.client_secret,
        redirect_uri: REDIRECT,
      },
    });
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe('invalid_grant');
  });

  it('shows the code for the out-of-band redirect, sends access_denied on deny, and refuses a forged form', async () => {
    const user = await signup(posts);
    const app = await registerApp();
    const oob = await authorize(app.client_id, { redirect_uri: 'urn:ietf:wg:oauth:2.0:oob' }, user.username);
    expect(oob.status).toBe(200);
    expect(String(oob.body)).toMatch(/<code id="code">[\w-]{43}<\/code>/);

    const denied = await authorize(
      app.client_id,
      { redirect_uri: REDIRECT, state: 's' },
      user.username,
      'deny',
    );
    expect(denied.status).toBe(302);
    expect(new URL(String(denied.headers.location)).searchParams.get('error')).toBe('access_denied');

    const forged = await api.request('POST', '/oauth/authorize', {
      ...form({
        client_id: app.client_id,
        redirect_uri: REDIRECT,
        response_type: 'code',
        scope: 'read',
        csrf: 'guess',
        username: user.username,
        password: PASSWORD,
      }),
    });
    expect(forged.status).toBe(403);

    const wrongPassword = await api.request(
      'GET',
      `/oauth/authorize?client_id=${app.client_id}&response_type=code&redirect_uri=${encodeURIComponent('https://evil.example/')}`,
    );
    expect(wrongPassword.status).toBe(400); // an unregistered redirect URI is never followed
  });

  it('issues client-credentials tokens, revokes tokens (then 401), refuses scopes the app did not register', async () => {
    const app = await registerApp('read');
    const token = await api.request('POST', '/oauth/token', {
      body: {
        grant_type: 'client_credentials',
        client_id: app.client_id,
        client_secret: app.client_secret,
        scope: 'read',
      },
    });
    expect(token.status).toBe(200);
    const accessToken = token.body.access_token as string;
    expect((await api.request('GET', '/api/v1/apps/verify_credentials', { token: accessToken })).status).toBe(
      200,
    );

    const tooMuch = await api.request('POST', '/oauth/token', {
      body: {
        grant_type: 'client_credentials',
        client_id: app.client_id,
        client_secret: app.client_secret,
        scope: 'write',
      },
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error).toBe('invalid_scope');

    const badSecret = await api.request('POST', '/oauth/token', {
      body: { grant_type: 'client_credentials', client_id: app.client_id, client_secret: 'nope' },
    });
    expect(badSecret.status).toBe(401);

    const revoked = await api.request('POST', '/oauth/revoke', {
      body: { client_id: app.client_id, client_secret: app.client_secret, token: accessToken },
    });
    expect(revoked.status).toBe(200);
    const after = await api.request('GET', '/api/v1/apps/verify_credentials', { token: accessToken });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ error: 'The access token is invalid' });
  });

  it('validates app registration like Mastodon (422 with an error)', async () => {
    const noName = await api.request('POST', '/api/v1/apps', { body: { redirect_uris: REDIRECT } });
    expect(noName.status).toBe(422);
    expect(typeof noName.body.error).toBe('string');
    const script = await api.request('POST', '/api/v1/apps', {
      body: { client_name: 'x', redirect_uris: 'javascript:alert(1)' },
    });
    expect(script.status).toBe(422);
    const badScope = await api.request('POST', '/api/v1/apps', {
      body: { client_name: 'x', redirect_uris: REDIRECT, scopes: 'read admin:everything' },
    });
    expect([badScope.status, badScope.body]).toEqual([
      422,
      { error: 'Validation failed: scopes are not valid' },
    ]);
  });
});
