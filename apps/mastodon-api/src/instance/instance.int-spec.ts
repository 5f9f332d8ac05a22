import { detector } from 'megalodon';
import { RedisServer, signup, TestApp, useTestEnvironment } from '@app/testing';
import { PostServiceModule } from '../../../post-service/src/post-service.module';
import { TokenResolver } from '../auth/token-resolver';
import { MastodonApiModule } from '../mastodon-api.module';
import { MASTODON_HTTP_OPTIONS } from '../mastodon-http';

// The public URL is the address this test's app listens on (NodeInfo links point there).
const env: Record<string, string> = {};
let port = 0;
beforeAll(async () => {
  port = await RedisServer.freePort();
  env.MASTODON_PUBLIC_URL = `http://127.0.0.1:${port}`;
});
useTestEnvironment(env);

describe('mastodon-api: discovery and the token resolver', () => {
  let api: TestApp;
  let posts: TestApp;
  beforeAll(async () => {
    posts = await TestApp.start(PostServiceModule);
    api = await TestApp.start(MastodonApiModule, MASTODON_HTTP_OPTIONS);
    await api.app.listen(port, '127.0.0.1');
  });
  afterAll(async () => {
    await api.close();
    await posts.close();
  });

  it('describes the instance (v1 and v2) with the limits and the streaming URL clients read', async () => {
    const v1 = await api.request('GET', '/api/v1/instance');
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({
      uri: `127.0.0.1:${port}`,
      urls: { streaming_api: `ws://127.0.0.1:${port}` },
      configuration: { statuses: { max_characters: 500 } },
      registrations: false,
    });
    expect(v1.body.version).toMatch(/^4\.\d+\.\d+ \(compatible; Feedline/);
    const v2 = await api.request('GET', '/api/v2/instance');
    expect(v2.body).toMatchObject({
      domain: `127.0.0.1:${port}`,
      configuration: { urls: { streaming: `ws://127.0.0.1:${port}` }, statuses: { max_characters: 500 } },
    });
  });

  it('answers NodeInfo so that megalodon detects a Mastodon-compatible server', async () => {
    const links = await api.request('GET', '/.well-known/nodeinfo');
    expect(links.body.links[0].href).toBe(`http://127.0.0.1:${port}/nodeinfo/2.0`);
    const nodeinfo = (await api.request('GET', '/nodeinfo/2.0')).body;
    expect(nodeinfo.software.name).toBe('feedline');
    expect(nodeinfo.metadata.upstream.name).toBe('mastodon');
    await expect(detector(`http://127.0.0.1:${port}`)).resolves.toBe('mastodon');
  });

  it('errors in Mastodon’s shape', async () => {
    const response = await api.request('GET', '/api/v1/nope');
    expect(response.status).toBe(404);
    expect(Object.keys(response.body)).toEqual(['error']);
  });

  it('resolves a native JWT to its user with every scope, and refuses junk', async () => {
    const user = await signup(posts);
    const resolver = api.get(TokenResolver);
    expect(await resolver.resolve(`Bearer ${user.token}`)).toMatchObject({ userId: user.id });
    expect((await resolver.resolve(user.token))?.scopes).toContain('write');
    expect(await resolver.resolve(`${user.token}x`)).toBeNull();
    expect(await resolver.resolve('nonsense-token-that-is-long-enough')).toBeNull();
    expect(await resolver.resolve('')).toBeNull();
  });
});
