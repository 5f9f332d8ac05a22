import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { FANOUT_QUEUE } from '@app/queue';
import { signup, TestApp, useTestEnvironment } from '@app/testing';
import { PostServiceModule } from '../post-service.module';

useTestEnvironment();

describe('posts', () => {
  let app: TestApp;
  let queue: Queue;
  beforeAll(async () => {
    app = await TestApp.start(PostServiceModule);
    queue = app.get(getQueueToken(FANOUT_QUEUE));
  });
  afterAll(() => app.close());

  const create = (token: string, body: unknown) => app.request('POST', '/posts', { token, body });

  it('creates a post and queues its fan-out under a deterministic job id', async () => {
    const author = await signup(app, 'au');
    const response = await create(author.token, { content: 'hello world' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^\d+$/),
      authorId: author.id,
      content: 'hello world',
      createdAt: expect.any(String),
    });
    expect(Number(response.body.id)).toBeLessThan(2 ** 53);
    const job = await queue.getJob(`post-created.${response.body.id}`);
    expect(job?.name).toBe('post-created');
    expect(job?.data).toMatchObject({ postId: response.body.id, authorId: author.id });
    expect((await app.request('GET', `/posts/${response.body.id}`)).body).toEqual(response.body);
  });

  it('gives later posts larger ids', async () => {
    const author = await signup(app, 'ord');
    const ids: bigint[] = [];
    for (let i = 0; i < 5; i += 1)
      ids.push(BigInt((await create(author.token, { content: `n${i}` })).body.id));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
  });

  describe('validates content', () => {
    let token: string;
    beforeAll(async () => {
      token = (await signup(app, 'val')).token;
    });

    it.each([
      ['500 characters', 'x'.repeat(500)],
      ['500 emoji (one character each)', '😀'.repeat(500)],
      ['family emoji counted as one', '👩‍👩‍👧'.repeat(500)],
      ['accents written with combining marks', 'e\u0301'.repeat(500)],
      ['several lines', 'first\nsecond\r\nthird\tend'],
    ])('accepts %s', async (_case, content) => {
      const response = await create(token, { content });
      expect(response.status).toBe(201);
      expect(response.body.content).toBe(content);
    });

    it.each([
      ['empty', { content: '' }, 'content must not be empty'],
      ['only spaces', { content: '  \n ' }, 'content must not be empty'],
      ['501 characters', { content: 'x'.repeat(501) }, 'content must be at most 500 characters'],
      ['501 emoji', { content: '😀'.repeat(501) }, 'content must be at most 500 characters'],
      ['missing', {}, 'content is required'],
      ['a number', { content: 42 }, 'content must be a string'],
      ['a NUL byte', { content: 'a\u0000b' }, 'content must not contain control characters'],
      ['a lone surrogate', { content: 'a\ud800b' }, 'content must be valid Unicode text'],
      ['an unknown field', { content: 'ok', authorId: '1' }, 'property authorId should not exist'],
    ])('rejects %s with 400 and stores nothing', async (_case, body, message) => {
      const before = await queue.count();
      const response = await create(token, body);
      expect(response.status).toBe(400);
      expect(response.body.message).toContain(message);
      expect(await queue.count()).toBe(before);
    });

    it('rejects a combining-mark flood that counts as few characters', async () => {
      expect((await create(token, { content: `a${'\u0301'.repeat(5000)}` })).status).toBe(400);
    });
  });

  it('lets only the author delete; a deleted post is 404', async () => {
    const [author, other] = [await signup(app, 'own'), await signup(app, 'oth')];
    const id = (await create(author.token, { content: 'to delete' })).body.id;
    expect((await app.request('DELETE', `/posts/${id}`, { token: other.token })).status).toBe(403);
    expect((await app.request('GET', `/posts/${id}`)).status).toBe(200);
    expect((await app.request('DELETE', `/posts/${id}`)).status).toBe(401);
    expect((await app.request('DELETE', `/posts/${id}`, { token: author.token })).status).toBe(204);
    expect((await app.request('GET', `/posts/${id}`)).status).toBe(404);
    expect((await app.request('DELETE', `/posts/${id}`, { token: author.token })).status).toBe(404);
    expect(await queue.getJob(`post-deleted.${id}`)).toBeDefined();
  });

  it('answers 404 for unknown posts and 400 for malformed ids', async () => {
    expect((await app.request('GET', '/posts/123456789')).status).toBe(404);
    expect((await app.request('GET', '/posts/12abc')).status).toBe(400);
    expect((await app.request('GET', `/posts/${'9'.repeat(30)}`)).status).toBe(400);
  });
});
