import { useEffect, useState } from 'preact/hooks';
import { ApiError, FeedItem } from '../api';
import { PostCard } from '../components/post-card';
import { useApp } from '../context';

/** One post (where a notification about it leads). */
export function PostScreen({ id }: { id: string }) {
  const { api, session } = useApp();
  const [item, setItem] = useState<FeedItem>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    void (async () => {
      try {
        const post = await api.post(id);
        const author = await api.user(post.authorId);
        setItem({ ...post, author });
      } catch (e) {
        setError(
          e instanceof ApiError && e.status === 404
            ? 'This post does not exist (or was deleted).'
            : (e as Error).message,
        );
      }
    })();
  }, [api, id]);
  return (
    <main id="main">
      <h1>Post</h1>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {item ? <PostCard item={item} mine={item.author.id === session?.user.id} /> : !error && <p>Loading…</p>}
    </main>
  );
}
