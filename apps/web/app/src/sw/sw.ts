/// <reference lib="webworker" />
/**
 * Feedline's service worker (built by vite-plugin-pwa, injectManifest):
 * - the app shell is precached, so the app opens offline;
 * - feed pages, profiles and posts are network-first with a cache fallback,
 *   so what was read last can be read offline;
 * - a post written offline is kept (IndexedDB, workbox-background-sync) and
 *   sent when the network is back: on a Background Sync event where the
 *   browser has them, otherwise when the page says it is online again or at
 *   start. Each carries its Idempotency-Key, and it is removed only after
 *   the server answered, so a crash means a resend the server recognises:
 *   never lost, never posted twice;
 * - push messages become notifications; a click opens their page.
 */
import { Queue } from 'workbox-background-sync';
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst, StaleWhileRevalidate } from 'workbox-strategies';
import { API_CACHE, FromWorker, QueuedPost, readPushPayload, ToWorker } from './messages';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<{ url: string; revision: string | null }>;
};

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
clientsClaim();

registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

registerRoute(
  ({ url, sameOrigin }) => sameOrigin && url.pathname === '/config.json',
  new StaleWhileRevalidate({ cacheName: 'feedline-config' }),
);

// The reads worth having offline: feed pages, author pages, profiles, posts, relationships.
const CACHED_READS = [
  /^\/feed$/,
  /^\/users\/\d+$/,
  /^\/users\/\d+\/(posts|relationship)$/,
  /^\/users\/lookup$/,
  /^\/posts\/\d+$/,
];
registerRoute(
  ({ url, request }) => request.mode !== 'navigate' && CACHED_READS.some((path) => path.test(url.pathname)),
  new NetworkFirst({
    cacheName: API_CACHE,
    networkTimeoutSeconds: 6,
    plugins: [new ExpirationPlugin({ maxEntries: 80, maxAgeSeconds: 14 * 24 * 3600 })],
  }),
);

// Posts written offline.
const outbox = new Queue('feedline-posts', {
  maxRetentionTime: 30 * 24 * 60, // minutes: a month, then give up
  onSync: () => flushOutbox(),
});

registerRoute(
  ({ url, request }) => url.pathname === '/posts' && request.headers.has('Idempotency-Key'),
  async ({ request }) => {
    const kept = request.clone();
    try {
      return await fetch(request);
    } catch {
      const body = (await kept.clone().json()) as { content?: unknown };
      const post: QueuedPost = {
        key: request.headers.get('Idempotency-Key') ?? '',
        content: typeof body.content === 'string' ? body.content : '',
        queuedAt: Date.now(),
      };
      await outbox.pushRequest({ request: kept, metadata: post });
      await tellPages({ type: 'outbox', posts: await queuedPosts() });
      return Response.json({ queued: true, idempotencyKey: post.key }, { status: 202 });
    }
  },
  'POST',
);

let flushing: Promise<void> | undefined;

/** One sender at a time (a sync event and the page's "online" may come together). */
function flushOutbox(): Promise<void> {
  flushing ??= sendQueued().finally(() => (flushing = undefined));
  return flushing;
}

async function sendQueued(): Promise<void> {
  for (;;) {
    const [next] = await outbox.getAll(); // peek: removed only once the server has answered
    if (!next) return;
    const post = next.metadata as unknown as QueuedPost;
    const response = await fetch(next.request.clone()); // offline: throws, the post stays for the next try
    if (response.status === 429 || response.status >= 500) {
      throw new Error(`post-service answered ${response.status}; the post stays queued`);
    }
    await outbox.shiftRequest();
    if (response.ok) {
      const created = (await response.json()) as { id: string };
      await tellPages({ type: 'outbox-sent', key: post.key, postId: created.id });
    } else {
      // Refused for good (e.g. 400 invalid, 401 session over): hand the text back to the writer.
      const error = (await response.json().catch(() => ({}))) as { message?: string | string[] };
      const message = Array.isArray(error.message) ? error.message.join('; ') : (error.message ?? '');
      await tellPages({
        type: 'outbox-refused',
        key: post.key,
        content: post.content,
        status: response.status,
        message,
      });
    }
  }
}

async function queuedPosts(): Promise<QueuedPost[]> {
  return (await outbox.getAll()).map((entry) => entry.metadata as unknown as QueuedPost);
}

async function tellPages(message: FromWorker): Promise<void> {
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage(message);
}

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const message = event.data as ToWorker;
  switch (message?.type) {
    case 'SKIP_WAITING': // sent by workbox-window's messageSkipWaiting()
      void self.skipWaiting();
      break;
    case 'flush-outbox':
      event.waitUntil(flushOutbox().catch(() => undefined));
      break;
    case 'list-outbox':
      event.waitUntil(
        queuedPosts().then((posts) =>
          event.source?.postMessage({ type: 'outbox', posts } satisfies FromWorker),
        ),
      );
      break;
  }
});

self.addEventListener('push', (event: PushEvent) => {
  const payload = readPushPayload(event.data?.text());
  event.waitUntil(
    self.registration.showNotification(payload.title, {
      body: payload.body,
      tag: payload.tag,
      icon: '/icons/icon-192.png',
      badge: '/icons/badge-96.png',
      data: { url: payload.url, type: payload.type },
    }),
  );
});

self.addEventListener('notificationclick', (event: NotificationEvent) => {
  event.notification.close();
  const path = readPushPayload(JSON.stringify(event.notification.data ?? {})).url;
  const target = new URL(path, self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open) {
        await open.focus();
        await open.navigate(target).catch(() => self.clients.openWindow(target));
      } else {
        await self.clients.openWindow(target);
      }
    })(),
  );
});
