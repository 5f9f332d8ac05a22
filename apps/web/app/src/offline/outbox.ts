import { useEffect, useState } from 'preact/hooks';
import type { FromWorker, QueuedPost, ToWorker } from '../sw/messages';

/** Asks the service worker (if one controls the page) to do something. */
export function tellWorker(message: ToWorker): void {
  navigator.serviceWorker?.controller?.postMessage(message);
}

/**
 * The fallback for browsers without Background Sync: send the queued posts
 * when the page starts and whenever the browser comes back online. (Where
 * sync exists both may fire; the worker sends one post at a time, and the
 * Idempotency-Key makes a repeat harmless.)
 */
export function startOutboxFallback(): void {
  if (!('serviceWorker' in navigator)) return;
  const flush = () => tellWorker({ type: 'flush-outbox' });
  addEventListener('online', flush);
  void navigator.serviceWorker.ready.then(flush);
}

export interface Outbox {
  pending: QueuedPost[];
  /** A queued post the server refused: its text and why. */
  refused?: { content: string; error: string };
}

/** Posts waiting in the worker's queue, and what happens to them. */
export function useOutbox(onSent: (postId: string) => void): Outbox {
  const [outbox, setOutbox] = useState<Outbox>({ pending: [] });
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    const listener = (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      switch (message?.type) {
        case 'outbox':
          setOutbox((o) => ({ ...o, pending: message.posts }));
          break;
        case 'outbox-sent':
          setOutbox((o) => ({ ...o, pending: o.pending.filter((p) => p.key !== message.key) }));
          onSent(message.postId);
          break;
        case 'outbox-refused':
          setOutbox((o) => ({
            pending: o.pending.filter((p) => p.key !== message.key),
            refused: {
              content: message.content,
              error: `Your saved post was not accepted (${message.status}): ${message.message || 'refused'}.`,
            },
          }));
          break;
      }
    };
    navigator.serviceWorker.addEventListener('message', listener);
    void navigator.serviceWorker.ready.then(() => tellWorker({ type: 'list-outbox' }));
    return () => navigator.serviceWorker.removeEventListener('message', listener);
  }, [onSent]);
  return outbox;
}
