import { useEffect, useRef } from 'preact/hooks';
import type { FeedItem } from '../api';
import { PostCard } from './post-card';

/** A newest-first list that asks for older posts when its end scrolls into view (or its button is pressed). */
export function PostList({
  items,
  hasMore,
  loading,
  error,
  label,
  meId,
  onMore,
  onDelete,
  empty,
}: {
  items: FeedItem[];
  hasMore: boolean;
  loading: boolean;
  error?: string;
  label: string;
  meId?: string;
  onMore: () => void;
  onDelete?: (item: FeedItem) => void;
  empty: string;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  const more = useRef(onMore);
  more.current = onMore;
  useEffect(() => {
    if (!sentinel.current || !('IntersectionObserver' in window)) return;
    const observer = new IntersectionObserver(
      (entries) => entries.some((e) => e.isIntersecting) && more.current(),
      {
        rootMargin: '600px 0px',
      },
    );
    observer.observe(sentinel.current);
    return () => observer.disconnect();
  }, [hasMore]);

  return (
    <section aria-label={label} aria-busy={loading}>
      {items.length === 0 && !loading && !error && <p class="empty">{empty}</p>}
      <div class="posts" data-feed-count={items.length}>
        {items.map((item) => (
          <PostCard key={item.id} item={item} mine={item.author.id === meId} onDelete={onDelete} />
        ))}
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="more">
        {hasMore ? (
          <>
            <div ref={sentinel} />
            <button type="button" class="secondary" onClick={onMore} disabled={loading}>
              {loading ? 'Loading…' : 'Load older posts'}
            </button>
          </>
        ) : (
          items.length > 0 && <p class="end">You’re all caught up.</p>
        )}
      </div>
    </section>
  );
}
