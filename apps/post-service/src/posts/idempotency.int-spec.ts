import { PrismaService } from '@app/database';
import { Session, signup, TestApp, useTestEnvironment } from '@app/testing';
import { PostServiceModule } from '../post-service.module';

useTestEnvironment({ RATE_LIMIT_POSTS_PER_MINUTE: '1000' });

describe('POST /posts with an Idempotency-Key', () => {
  let app: TestApp;
  let prisma: PrismaService;
  let author: Session;

  beforeAll(async () => {
    app = await TestApp.start(PostServiceModule);
    prisma = app.get(PrismaService);
    author = await signup(app, 'idem');
  });
  afterAll(() => app.close());

  const post = (session: Session, content: string, key?: string) =>
    app.request('POST', '/posts', {
      token: session.token,
      body: { content },
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });
  const postsOf = (session: Session) => prisma.post.count({ where: { authorId: BigInt(session.id) } });
  /** Fan-out events queued for a post: the relay keeps them until a worker handles them (none runs here). */
  const eventsFor = (postId: string) =>
    prisma.outboxEvent.count({
      where: { jobName: 'post-created', payload: { path: ['postId'], equals: postId } },
    });

  it('answers a replay with the first post, marked as replayed, and fans it out once', async () => {
    const first = await post(author, 'only once', 'key-replay-1');
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const again = await post(author, 'only once', 'key-replay-1');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await prisma.post.count({ where: { content: 'only once' } })).toBe(1);
    expect(await eventsFor(first.body.id)).toBe(1);
  });

  it('refuses the same key with other content (422) and stores nothing', async () => {
    const first = await post(author, 'the first text', 'key-conflict');
    const before = await postsOf(author);
    const other = await post(author, 'another text', 'key-conflict');
    expect(other.status).toBe(422);
    expect(other.body.message).toContain('Idempotency-Key');
    expect(await postsOf(author)).toBe(before);
    expect((await post(author, 'the first text', 'key-conflict')).body.id).toBe(first.body.id);
  });

  it('makes one post from concurrent requests with one key (the unique index decides)', async () => {
    const session = await signup(app, 'race');
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => post(session, 'raced', 'key-concurrent')),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(await postsOf(session)).toBe(1);
    expect(await eventsFor(answers[0].body.id)).toBe(1);
  });

  it('scopes keys per author', async () => {
    const other = await signup(app, 'idem2');
    const mine = await post(author, 'same key, my post', 'key-shared');
    const theirs = await post(other, 'same key, their post', 'key-shared');
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.authorId).toBe(other.id);
  });

  it('accepts keys of 1 and 128 visible ASCII characters', async () => {
    for (const key of ['k', '!'.repeat(64) + '~'.repeat(64), '7f0c2a44-0a4e-4c55-9b0c-3f1f3f0e8a11']) {
      expect((await post(author, `key ${key.length}`, key)).status).toBe(201);
    }
  });

  it.each([
    ['empty', ''],
    ['a space inside', 'a b'],
    ['129 characters', 'k'.repeat(129)],
    ['a tab', 'a\tb'],
    ['a non-ASCII letter', 'cl\u00e9'],
    ['a DEL character', 'a\u007f'],
  ])('refuses a key with %s (400) and stores nothing', async (_case, key) => {
    const before = await postsOf(author);
    const response = await post(author, 'never stored', key);
    expect(response.status).toBe(400);
    expect(response.body.message).toContain('Idempotency-Key');
    expect(await postsOf(author)).toBe(before);
  });

  it('still validates the content of a request with a key', async () => {
    expect((await post(author, '', 'key-invalid-content')).status).toBe(400);
    expect((await post(author, 'now valid', 'key-invalid-content')).status).toBe(201);
  });
});
