import { plainTextToHtml } from '../html';
import { EntityMapper } from './entities';

describe('Mastodon entities', () => {
  const mapper = new EntityMapper(
    'https://social.example',
    'https://social.example/avatars/original/missing.png',
  );
  const user = {
    id: 42n,
    username: 'alice',
    displayName: 'Alice <3',
    followerCount: 2,
    followingCount: 1,
    createdAt: new Date('2026-01-02T03:04:05.000Z'),
    statusesCount: 7,
  };

  it('escapes content as HTML, keeping paragraphs and line breaks', () => {
    expect(plainTextToHtml('<script>alert("x")</script> & you')).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; you</p>',
    );
    expect(plainTextToHtml('one\ntwo\n\nthree')).toBe('<p>one<br />two</p><p>three</p>');
  });

  it('builds an account with string ids, ISO dates, links and counts', () => {
    expect(mapper.account(user)).toMatchObject({
      id: '42',
      acct: 'alice',
      display_name: 'Alice <3',
      created_at: '2026-01-02T03:04:05.000Z',
      url: 'https://social.example/@alice',
      uri: 'https://social.example/users/alice',
      followers_count: 2,
      following_count: 1,
      statuses_count: 7,
      emojis: [],
      fields: [],
    });
  });

  it('builds a public status with empty media, mentions, tags and emojis, and its text only on request', () => {
    const account = mapper.account(user);
    const status = mapper.status({ id: 99n, content: 'hi <b>', createdAt: new Date(0) }, account);
    expect(status).toMatchObject({
      id: '99',
      content: '<p>hi &lt;b&gt;</p>',
      visibility: 'public',
      uri: 'https://social.example/users/alice/statuses/99',
      url: 'https://social.example/@alice/99',
      media_attachments: [],
      mentions: [],
      tags: [],
      emojis: [],
      created_at: '1970-01-01T00:00:00.000Z',
    });
    expect(status).not.toHaveProperty('text');
    expect(
      mapper.status({ id: 99n, content: 'hi', createdAt: new Date(0) }, account, { withText: true }).text,
    ).toBe('hi');
  });
});
