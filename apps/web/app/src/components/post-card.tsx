import type { FeedItem } from '../api';
import { TimeAgo } from './time-ago';

const VIA = {
  pushed: {
    label: 'Pushed into your timeline',
    detail: 'Delivered into your home timeline when it was posted (fan-out on write).',
  },
  merged: {
    label: 'Merged at read time from a celebrity',
    detail:
      'Read from the author’s own timeline and merged into your feed as you loaded it (fan-out on read).',
  },
} as const;

export function PostCard({
  item,
  mine,
  onDelete,
}: {
  item: FeedItem;
  mine: boolean;
  onDelete?: (item: FeedItem) => void;
}) {
  const via = item.via && VIA[item.via];
  return (
    <article class="post" aria-labelledby={`post-${item.id}-author`} data-post-id={item.id}>
      <header class="post-head">
        <a id={`post-${item.id}-author`} class="author" href={`/@${item.author.username}`}>
          <span class="display-name">{item.author.displayName}</span>{' '}
          <span class="username">@{item.author.username}</span>
        </a>
        <a class="permalink" href={`/posts/${item.id}`}>
          <TimeAgo iso={item.createdAt} />
        </a>
      </header>
      <p class="content">{item.content}</p>
      <footer class="post-foot">
        {via && (
          <span class={`via via-${item.via}`} title={via.detail} data-via={item.via}>
            {via.label}
          </span>
        )}
        {mine && onDelete && (
          <button type="button" class="link-button" onClick={() => onDelete(item)}>
            Delete<span class="visually-hidden"> this post</span>
          </button>
        )}
      </footer>
    </article>
  );
}
