import { signup, TestApp, useTestEnvironment } from '@app/testing';
import { PostServiceModule } from '../post-service.module';

useTestEnvironment();

describe('users', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start(PostServiceModule);
  });
  afterAll(() => app.close());

  it('looks a user up by username, ignoring letter case, with the same body as by id', async () => {
    const ada = await signup(app, 'Ada');
    const byId = await app.request('GET', `/users/${ada.id}`);
    for (const name of [ada.username, ada.username.toUpperCase(), ada.username.toLowerCase()]) {
      const found = await app.request('GET', `/users/lookup?username=${encodeURIComponent(name)}`);
      expect(found.status).toBe(200);
      expect(found.body).toEqual(byId.body);
    }
  });

  it('answers 404 for an unknown username', async () => {
    const response = await app.request('GET', '/users/lookup?username=nobody_here_at_all');
    expect(response.status).toBe(404);
    expect(response.body.message).toContain('nobody_here_at_all');
  });

  it('refuses a missing or malformed username with 400', async () => {
    for (const query of [
      '',
      '?username=',
      '?username=ab',
      '?username=a%20b',
      `?username=${'x'.repeat(31)}`,
    ]) {
      const response = await app.request('GET', `/users/lookup${query}`);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.message)).toContain('username');
    }
    const twice = await app.request('GET', '/users/lookup?username=ada_one&username=ada_two');
    expect(twice.status).toBe(400);
    const extra = await app.request('GET', '/users/lookup?username=ada_one&id=1');
    expect(extra.status).toBe(400);
  });
});
