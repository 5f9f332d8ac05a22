import { SseParser } from './sse-parser';

/** What the stream says (Mastodon's user stream: `update` carries a Status, `delete` a status id). */
export type LiveEvent = { type: 'update'; id: string; accountId?: string } | { type: 'delete'; id: string };

export type LiveState = 'connecting' | 'live' | 'retrying' | 'stopped';

export interface LiveStreamOptions {
  /** `${streamingUrl}/api/v1/streaming/user` */
  url: string;
  token: string;
  onEvent: (event: LiveEvent) => void;
  onState?: (state: LiveState, retryInMs?: number) => void;
  /** For tests: the first and the largest wait between attempts. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * The user stream over fetch (so the token goes in a header, not the URL, as
 * EventSource would need). Reconnects with exponential backoff and jitter,
 * starting over once a connection was healthy; stops for good on 401/403.
 */
export class LiveStream {
  private controller = new AbortController();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly options: LiveStreamOptions) {}

  start(): this {
    void this.connect();
    return this;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.controller.abort();
    this.options.onState?.('stopped');
  }

  /** Reconnect at once (e.g. the network came back) instead of waiting out the backoff. */
  retryNow(): void {
    if (this.stopped || this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    void this.connect();
  }

  private async connect(): Promise<void> {
    this.timer = undefined;
    this.controller = new AbortController();
    this.options.onState?.('connecting');
    try {
      const response = await fetch(this.options.url, {
        headers: { Authorization: `Bearer ${this.options.token}`, Accept: 'text/event-stream' },
        signal: this.controller.signal,
        cache: 'no-store',
      });
      if (response.status === 401 || response.status === 403) return this.stop();
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      this.options.onState?.('live');
      const opened = Date.now();
      const parser = new SseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const event of parser.push(value)) this.dispatch(event.event, event.data);
      }
      if (Date.now() - opened > 30_000) this.attempt = 0; // it was healthy: the next wait is short
    } catch {
      if (this.stopped) return;
    }
    this.schedule();
  }

  private dispatch(type: string, data: string): void {
    if (type === 'update') {
      try {
        const status = JSON.parse(data) as { id?: unknown; account?: { id?: unknown } };
        if (typeof status.id === 'string')
          this.options.onEvent({
            type: 'update',
            id: status.id,
            accountId: typeof status.account?.id === 'string' ? status.account.id : undefined,
          });
      } catch {
        // a malformed event is skipped, the stream goes on
      }
    } else if (type === 'delete' && data.trim()) {
      this.options.onEvent({ type: 'delete', id: data.trim() });
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    const min = this.options.minDelayMs ?? 1000;
    const max = this.options.maxDelayMs ?? 60_000;
    const ceiling = Math.min(max, min * 2 ** this.attempt);
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    this.attempt += 1;
    this.options.onState?.('retrying', delay);
    this.timer = setTimeout(() => void this.connect(), delay);
  }
}
