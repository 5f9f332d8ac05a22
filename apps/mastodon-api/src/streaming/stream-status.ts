import type { FeedItem } from '@app/feed';

/** Placeholder until the app's Status serializer is wired in: the fields stream clients read. */
export function toStreamStatus(item: FeedItem, base: string): Record<string, unknown> {
  return {
    id: item.id,
    created_at: item.createdAt,
    content: `<p>${escapeHtml(item.content)}</p>`,
    visibility: 'public',
    uri: `${base}/users/${item.author.username}/statuses/${item.id}`,
    url: `${base}/@${item.author.username}/${item.id}`,
    account: {
      id: item.author.id,
      username: item.author.username,
      acct: item.author.username,
      display_name: item.author.displayName,
    },
    media_attachments: [],
    mentions: [],
    tags: [],
    emojis: [],
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
