/** Messages between the page and the service worker, and the push payload (ROUND contract). Lib-neutral. */

/** The Cache Storage cache of API reads (emptied at log out). */
export const API_CACHE = 'feedline-api';

/** Page -> worker. */
export type ToWorker = { type: 'flush-outbox' } | { type: 'list-outbox' } | { type: 'SKIP_WAITING' };

/** A post waiting in the worker's queue. */
export interface QueuedPost {
  key: string;
  content: string;
  queuedAt: number;
}

/** Worker -> page. */
export type FromWorker =
  | { type: 'outbox'; posts: QueuedPost[] }
  | { type: 'outbox-sent'; key: string; postId: string }
  | { type: 'outbox-refused'; key: string; content: string; status: number; message: string };

/** What post-service's push jobs send (encrypted aes128gcm by web-push). */
export interface PushPayload {
  type: 'follow' | 'post';
  title: string;
  body: string;
  /** A path in the web app, e.g. /@alice or /posts/123. */
  url: string;
  tag: string;
}

/** Reads a push message defensively: a payload from elsewhere still shows something sensible. */
export function readPushPayload(text: string | undefined): PushPayload {
  let given: Partial<Record<keyof PushPayload, unknown>> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object') given = parsed;
  } catch {
    given = { body: text };
  }
  const string = (value: unknown, fallback: string, max: number) =>
    typeof value === 'string' && value.trim() ? value.slice(0, max) : fallback;
  const url = string(given.url, '/', 2048);
  return {
    type: given.type === 'follow' ? 'follow' : 'post',
    title: string(given.title, 'Feedline', 200),
    body: string(given.body, '', 1000),
    // Only a path inside the app: a payload cannot send the reader elsewhere.
    url: url.startsWith('/') && !url.startsWith('//') ? url : '/',
    tag: string(given.tag, 'feedline', 200),
  };
}
