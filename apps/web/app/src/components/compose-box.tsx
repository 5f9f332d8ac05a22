import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, Post } from '../api';
import { measurePost, MAX_POST_CHARACTERS } from '../compose/post-length';
import { useApp } from '../context';

/** Writes a post; the counter counts as the server does, the server's refusals show under the text. */
export function ComposeBox({
  onPosted,
  onQueued,
  restore,
}: {
  onPosted: (post: Post) => void;
  onQueued: () => void;
  /** Text handed back (a queued post the server refused). */
  restore?: { content: string; error: string };
}) {
  const { api } = useApp();
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!restore) return;
    setText(restore.content);
    setError(restore.error);
  }, [restore]);
  const length = useMemo(() => measurePost(text), [text]);
  const blank = text.trim().length === 0;
  const problem = blank ? undefined : length.problem;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (blank || length.problem || busy) return;
    setBusy(true);
    setError(undefined);
    setNote(undefined);
    try {
      // One key per post written: a retry of this post (by the app or the service worker) cannot post twice.
      const outcome = await api.createPost(text, crypto.randomUUID());
      setText('');
      if (outcome.queued) {
        setNote('You are offline: your post is saved and will be sent when the connection returns.');
        onQueued();
      } else {
        onPosted(outcome.post);
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 429)
        setError(
          `Too many posts just now${e.retryAfterSeconds ? `: try again in ${e.retryAfterSeconds} s` : ''}.`,
        );
      else setError(e instanceof ApiError ? e.message : 'Could not post.');
    } finally {
      setBusy(false);
    }
  };

  const over = length.remaining < 0;
  return (
    <form class="compose" onSubmit={(e) => void submit(e)} aria-label="Write a post">
      <label for="compose-text" class="visually-hidden">
        What’s happening?
      </label>
      <textarea
        id="compose-text"
        placeholder="What’s happening?"
        rows={3}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        aria-describedby="compose-counter compose-status"
        aria-invalid={Boolean(problem || error)}
      />
      <div class="compose-bar">
        <span id="compose-counter" class={`counter${over ? ' over' : ''}`} data-remaining={length.remaining}>
          {length.remaining}
          <span class="visually-hidden"> of {MAX_POST_CHARACTERS} characters left</span>
        </span>
        <button type="submit" disabled={blank || Boolean(length.problem) || busy}>
          {busy ? 'Posting…' : 'Post'}
        </button>
      </div>
      <div id="compose-status" aria-live="polite">
        {(problem || error) && (
          <p class="error" id="compose-error">
            {problem ?? error}
          </p>
        )}
        {note && (
          <p class="note" id="compose-note">
            {note}
          </p>
        )}
      </div>
    </form>
  );
}
