import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { FeedItem, Post } from '../api';
import { ComposeBox } from '../components/compose-box';
import { PostList } from '../components/post-list';
import { useApp } from '../context';
import { usePagedFeed } from '../feed/use-paged-feed';
import { LiveState, LiveStream } from '../live/live-stream';
import { useOutbox } from '../offline/outbox';

let firstFeedShown = false;

export function HomeScreen() {
  const { api, config, session, online } = useApp();
  const me = session!.user;
  const load = useCallback((cursor?: string) => api.feed(cursor), [api]);
  const feed = usePagedFeed(load, `home:${me.id}`);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [live, setLive] = useState<LiveState>('connecting');
  const [announce, setAnnounce] = useState('');
  const shown = useRef(new Set<string>());
  shown.current = new Set(feed.items.map((item) => item.id));

  // The moment the first page is on screen (read by the benchmark and the tests).
  useEffect(() => {
    if (firstFeedShown || feed.loading) return;
    firstFeedShown = true;
    performance.mark('feedline:feed-shown');
    document.documentElement.dataset.feedShown = 'true';
  }, [feed.loading]);

  const { loadNewer, remove } = feed;
  const showNew = useCallback(async () => {
    const added = await loadNewer();
    setFresh(new Set());
    setAnnounce(added ? `${added} new post${added === 1 ? '' : 's'} shown` : 'No new posts');
    document.querySelector<HTMLElement>('.posts .post')?.focus?.();
    window.scrollTo({ top: 0 });
  }, [loadNewer]);

  // Live updates: the user stream counts posts not shown yet; never polling.
  useEffect(() => {
    const stream = new LiveStream({
      url: `${config.streamingUrl}/api/v1/streaming/user`,
      token: session!.accessToken,
      onState: setLive,
      onEvent: (event) => {
        if (event.type === 'delete') {
          remove(event.id);
          setFresh((ids) => {
            const next = new Set(ids);
            next.delete(event.id);
            return next;
          });
        } else if (!shown.current.has(event.id) && event.accountId !== me.id) {
          setFresh((ids) => new Set(ids).add(event.id));
        }
      },
    }).start();
    const reconnect = () => stream.retryNow();
    addEventListener('online', reconnect);
    return () => {
      removeEventListener('online', reconnect);
      stream.stop();
    };
  }, [config.streamingUrl, session, me.id, remove]);

  const onSent = useCallback(() => void loadNewer(), [loadNewer]);
  const outbox = useOutbox(onSent);
  const onPosted = useCallback((_post: Post) => void loadNewer(), [loadNewer]);
  const onDelete = useCallback(
    async (item: FeedItem) => {
      if (!confirm('Delete this post?')) return;
      await api.deletePost(item.id);
      remove(item.id);
    },
    [api, remove],
  );

  return (
    <main id="main">
      <h1 class="visually-hidden">Home</h1>
      <ComposeBox onPosted={onPosted} onQueued={() => undefined} restore={outbox.refused} />
      {outbox.pending.length > 0 && (
        <section class="outbox" aria-label="Waiting to be sent">
          <h2>Waiting to be sent</h2>
          <ul>
            {outbox.pending.map((post) => (
              <li key={post.key} class="queued-post">
                {post.content}
              </li>
            ))}
          </ul>
          <p class="hint">{online ? 'Sending…' : 'These go out when you are back online.'}</p>
        </section>
      )}
      <div class="pill-slot" aria-live="polite">
        {fresh.size > 0 && (
          <button type="button" class="pill" id="new-posts" onClick={() => void showNew()}>
            {fresh.size} new post{fresh.size === 1 ? '' : 's'}
          </button>
        )}
      </div>
      <p class="visually-hidden" aria-live="polite">
        {announce}
      </p>
      <h2 class="feed-title">
        Your feed{' '}
        <span class={`live live-${live}`} data-live={live}>
          {live === 'live' ? 'live' : live === 'connecting' ? 'connecting…' : 'not live'}
        </span>
      </h2>
      <PostList
        label="Home feed"
        items={feed.items}
        hasMore={feed.hasMore}
        loading={feed.loading}
        error={feed.error}
        meId={me.id}
        onMore={feed.loadOlder}
        onDelete={(item) => void onDelete(item)}
        empty="Nothing here yet. Follow someone, or write the first post."
      />
    </main>
  );
}
