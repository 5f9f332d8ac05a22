import { plainTextToHtml } from '../html';

/** What the Account entity is built from: a user row and the number of live posts. */
export interface AccountSource {
  id: bigint | string;
  username: string;
  displayName: string;
  followerCount: number;
  followingCount: number;
  isCelebrity?: boolean;
  createdAt: Date;
  statusesCount: number;
}

export interface StatusSource {
  id: bigint | string;
  content: string;
  createdAt: Date | string;
}

export interface MastodonAccount {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  locked: boolean;
  bot: boolean;
  discoverable: boolean;
  group: boolean;
  created_at: string;
  note: string;
  url: string;
  uri: string;
  avatar: string;
  avatar_static: string;
  header: string;
  header_static: string;
  followers_count: number;
  following_count: number;
  statuses_count: number;
  last_status_at: string | null;
  emojis: never[];
  fields: never[];
  roles: never[];
  source?: object;
}

export interface MastodonStatus {
  id: string;
  uri: string;
  url: string;
  created_at: string;
  account: MastodonAccount;
  content: string;
  visibility: 'public';
  sensitive: boolean;
  spoiler_text: string;
  media_attachments: never[];
  application: null;
  mentions: never[];
  tags: never[];
  emojis: never[];
  reblogs_count: number;
  favourites_count: number;
  replies_count: number;
  in_reply_to_id: null;
  in_reply_to_account_id: null;
  reblog: null;
  poll: null;
  card: null;
  language: null;
  edited_at: null;
  favourited: boolean;
  reblogged: boolean;
  muted: boolean;
  bookmarked: boolean;
  pinned: boolean;
  filtered: never[];
  text?: string;
}

export interface MastodonRelationship {
  id: string;
  following: boolean;
  showing_reblogs: boolean;
  notifying: boolean;
  languages: null;
  followed_by: boolean;
  blocking: boolean;
  blocked_by: boolean;
  muting: boolean;
  muting_notifications: boolean;
  requested: boolean;
  requested_by: boolean;
  domain_blocking: boolean;
  endorsed: boolean;
  note: string;
}

/**
 * Feedline's users and posts as Mastodon's entities. Everything is local and
 * public: no media, mentions, tags, emojis, polls, replies or boosts, so
 * those fields are empty; ids are strings, dates ISO 8601, content HTML.
 */
export class EntityMapper {
  constructor(
    private readonly baseUrl: string,
    private readonly pictureUrl: string,
  ) {}

  account(source: AccountSource): MastodonAccount {
    const profile = `${this.baseUrl}/@${source.username}`;
    return {
      id: String(source.id),
      username: source.username,
      acct: source.username,
      display_name: source.displayName,
      locked: false,
      bot: false,
      discoverable: true,
      group: false,
      created_at: source.createdAt.toISOString(),
      note: '',
      url: profile,
      uri: `${this.baseUrl}/users/${source.username}`,
      avatar: this.pictureUrl,
      avatar_static: this.pictureUrl,
      header: this.pictureUrl,
      header_static: this.pictureUrl,
      followers_count: source.followerCount,
      following_count: source.followingCount,
      statuses_count: source.statusesCount,
      last_status_at: null,
      emojis: [],
      fields: [],
      roles: [],
    };
  }

  /** verify_credentials: the account with the settings clients read. */
  credentialAccount(source: AccountSource): MastodonAccount {
    return {
      ...this.account(source),
      source: {
        privacy: 'public',
        sensitive: false,
        language: null,
        note: '',
        fields: [],
        follow_requests_count: 0,
      },
    };
  }

  status(post: StatusSource, account: MastodonAccount, options: { withText?: boolean } = {}): MastodonStatus {
    const id = String(post.id);
    const created = typeof post.createdAt === 'string' ? post.createdAt : post.createdAt.toISOString();
    return {
      id,
      uri: `${account.uri}/statuses/${id}`,
      url: `${account.url}/${id}`,
      created_at: created,
      account,
      content: plainTextToHtml(post.content),
      visibility: 'public',
      sensitive: false,
      spoiler_text: '',
      media_attachments: [],
      application: null,
      mentions: [],
      tags: [],
      emojis: [],
      reblogs_count: 0,
      favourites_count: 0,
      replies_count: 0,
      in_reply_to_id: null,
      in_reply_to_account_id: null,
      reblog: null,
      poll: null,
      card: null,
      language: null,
      edited_at: null,
      favourited: false,
      reblogged: false,
      muted: false,
      bookmarked: false,
      pinned: false,
      filtered: [],
      // DELETE answers with the source text, so a client can offer "delete and redraft".
      ...(options.withText ? { text: post.content } : {}),
    };
  }

  relationship(id: string, following: boolean, followedBy: boolean): MastodonRelationship {
    return {
      id,
      following,
      showing_reblogs: following,
      notifying: false,
      languages: null,
      followed_by: followedBy,
      blocking: false,
      blocked_by: false,
      muting: false,
      muting_notifications: false,
      requested: false,
      requested_by: false,
      domain_blocking: false,
      endorsed: false,
      note: '',
    };
  }
}
