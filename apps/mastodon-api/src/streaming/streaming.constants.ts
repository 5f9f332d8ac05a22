/** Heartbeat period (Mastodon's is 15 s): keeps idle connections open through proxies, finds dead ones. */
export const HEARTBEAT_MS = 15_000;

/** Unsent bytes a connection may hold before it is dropped (a client that stopped reading). */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
