import { createHmac, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import jwt from 'jsonwebtoken';
import { PASSWORD, signup, TestApp, uniqueUsername, useTestEnvironment } from '@app/testing';
import { PostServiceModule } from '../post-service.module';

useTestEnvironment({ ADMIN_USERNAME: 'root_admin', ADMIN_PASSWORD: 'admin password 1' });

const b64 = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('post-service auth', () => {
  let app: TestApp;
  const privateKey = () => fs.readFileSync(process.env.JWT_PRIVATE_KEY_FILE!, 'utf8');
  const publicKey = () => fs.readFileSync(process.env.JWT_PUBLIC_KEY_FILE!, 'utf8');
  const claims = (sub: string) => ({ sub, name: 'x', role: 'USER', iss: 'feedline', aud: 'feedline' });
  /** A protected route: 401 without a valid token, 404 for a post that does not exist with one. */
  const probe = (token: string) => app.request('DELETE', '/posts/1', { token });

  beforeAll(async () => {
    app = await TestApp.start(PostServiceModule);
  });
  afterAll(() => app.close());

  it('signs up and returns the user with a token', async () => {
    const username = uniqueUsername('ada');
    const response = await app.request('POST', '/auth/signup', {
      body: { username, password: PASSWORD, displayName: 'Ada L.' },
    });
    expect(response.status).toBe(201);
    expect(response.body.user).toEqual({
      id: expect.stringMatching(/^\d+$/),
      username,
      displayName: 'Ada L.',
      followerCount: 0,
      followingCount: 0,
      isCelebrity: false,
      createdAt: expect.any(String),
    });
    expect(response.body.tokenType).toBe('Bearer');
    expect((await probe(response.body.accessToken)).status).toBe(404);
  });

  it('refuses a duplicate username, in any letter case', async () => {
    const username = uniqueUsername('dup');
    expect(
      (await app.request('POST', '/auth/signup', { body: { username, password: PASSWORD } })).status,
    ).toBe(201);
    const again = await app.request('POST', '/auth/signup', {
      body: { username: username.toUpperCase(), password: PASSWORD },
    });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ statusCode: 409, error: 'Conflict', message: 'username is already taken' });
  });

  it('logs in with the right password only, the same 401 for an unknown user', async () => {
    const user = await signup(app, 'login');
    const ok = await app.request('POST', '/auth/login', {
      body: { username: user.username, password: PASSWORD },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.user.id).toBe(user.id);
    const wrong = await app.request('POST', '/auth/login', {
      body: { username: user.username, password: 'not the password' },
    });
    const unknown = await app.request('POST', '/auth/login', {
      body: { username: uniqueUsername('ghost'), password: PASSWORD },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  it.each([
    [
      'an unknown field',
      { username: 'valid_name', password: PASSWORD, admin: true },
      'property admin should not exist',
    ],
    [
      'a short password',
      { username: 'valid_name', password: 'short' },
      'password must be longer than or equal to 8 characters',
    ],
    [
      'a bad username',
      { username: 'no spaces!', password: PASSWORD },
      'username must be 3-30 letters, digits or underscores',
    ],
    ['a missing password', { username: 'valid_name' }, 'password is required'],
    ['a number for a username', { username: 12345, password: PASSWORD }, 'username must be a string'],
  ])('rejects a signup with %s and creates nothing', async (_case, body, message) => {
    const response = await app.request('POST', '/auth/signup', { body });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain(message);
    expect(
      (await app.request('POST', '/auth/login', { body: { username: 'valid_name', password: PASSWORD } }))
        .status,
    ).toBe(401);
  });

  describe('rejects tokens that are', () => {
    let user: Awaited<ReturnType<typeof signup>>;
    beforeAll(async () => {
      user = await signup(app, 'tok');
    });

    it('missing or malformed', async () => {
      const missing = await app.request('DELETE', '/posts/1');
      expect([missing.status, missing.body.message]).toEqual([401, expect.stringMatching(/^Missing bearer/)]);
      const malformed = await probe('not-a-jwt');
      expect([malformed.status, malformed.body.message]).toEqual([401, expect.stringMatching(/^Malformed/)]);
    });

    it('tampered with', async () => {
      const [header, , signature] = user.token.split('.');
      const forged = `${header}.${b64({ ...claims('1'), exp: Math.floor(Date.now() / 1000) + 600 })}.${signature}`;
      expect((await probe(forged)).status).toBe(401);
    });

    it('expired', async () => {
      const expired = jwt.sign(
        { ...claims(user.id), exp: Math.floor(Date.now() / 1000) - 10 },
        privateKey(),
        { algorithm: 'RS256' },
      );
      const response = await probe(expired);
      expect(response.status).toBe(401);
      expect(response.body.message).toBe('Access token expired');
    });

    it('signed by another key', async () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const token = jwt.sign(claims(user.id), other, { algorithm: 'RS256', expiresIn: 600 });
      expect((await probe(token)).status).toBe(401);
    });

    it('unsigned (alg: none)', async () => {
      const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims(user.id), exp: Math.floor(Date.now() / 1000) + 600 })}.`;
      expect((await probe(token)).status).toBe(401);
    });

    it('HMAC-signed with the public key as the secret', async () => {
      const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ ...claims(user.id), exp: Math.floor(Date.now() / 1000) + 600 })}`;
      const token = `${head}.${createHmac('sha256', publicKey()).update(head).digest('base64url')}`;
      expect((await probe(token)).status).toBe(401);
    });

    it('but accepts a genuine one', async () => {
      const token = jwt.sign(claims(user.id), privateKey(), { algorithm: 'RS256', expiresIn: 600 });
      expect((await probe(token)).status).toBe(404);
    });
  });

  it('creates the configured admin at start', async () => {
    const response = await app.request('POST', '/auth/login', {
      body: { username: 'root_admin', password: 'admin password 1' },
    });
    expect(response.status).toBe(200);
    const payload = JSON.parse(Buffer.from(response.body.accessToken.split('.')[1], 'base64url').toString());
    expect(payload.role).toBe('ADMIN');
  });
});
