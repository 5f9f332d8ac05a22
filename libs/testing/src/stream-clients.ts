import http from 'node:http';
import { WebSocket } from 'ws';
import { waitFor } from './wait-for';

/** One event of a Mastodon user stream, with when it arrived (performance.now()). */
export interface ReceivedEvent {
  event: string;
  payload: string;
  at: number;
}

/** A Mastodon stream client for tests and benchmarks: what arrived, and a way to wait for it. */
export abstract class StreamClient {
  readonly events: ReceivedEvent[] = [];
  onEvent: ((event: ReceivedEvent) => void) | undefined;

  protected received(event: string, payload: string): void {
    const item = { event, payload, at: performance.now() };
    this.events.push(item);
    this.onEvent?.(item);
  }

  /** Ids of the statuses received as `update`. */
  updates(): string[] {
    return this.events
      .filter((e) => e.event === 'update')
      .map((e) => (JSON.parse(e.payload) as { id: string }).id);
  }

  deletes(): string[] {
    return this.events.filter((e) => e.event === 'delete').map((e) => e.payload);
  }

  waitForUpdate(id: string, timeoutMs = 15_000): Promise<true> {
    return waitFor(() => this.updates().includes(id), { timeoutMs, what: `update ${id}` });
  }

  waitForDelete(id: string, timeoutMs = 15_000): Promise<true> {
    return waitFor(() => this.deletes().includes(id), { timeoutMs, what: `delete ${id}` });
  }

  abstract close(): void;
}

/** `GET {base}/api/v1/streaming/user` as text/event-stream; resolves once the server answered 200. */
export class SseStreamClient extends StreamClient {
  private constructor(private readonly request: http.ClientRequest) {
    super();
  }

  static connect(baseUrl: string, token: string, agent?: http.Agent): Promise<SseStreamClient> {
    return new Promise((resolve, reject) => {
      const request = http.get(
        `${baseUrl}/api/v1/streaming/user`,
        { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, agent },
        (response) => {
          if (response.statusCode !== 200) {
            response.resume();
            reject(new Error(`stream answered ${response.statusCode}`));
            return;
          }
          const client = new SseStreamClient(request);
          let buffer = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            buffer += chunk;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              let event = 'message';
              const data: string[] = [];
              for (const line of block.split('\n')) {
                if (line.startsWith('event: ')) event = line.slice(7);
                else if (line.startsWith('data: ')) data.push(line.slice(6));
              }
              if (data.length > 0) client.received(event, data.join('\n'));
            }
          });
          response.on('error', () => undefined);
          resolve(client);
        },
      );
      request.on('error', reject);
    });
  }

  close(): void {
    this.request.destroy();
  }
}

/**
 * `{base}/api/v1/streaming?stream=user` over WebSocket, token in the
 * Sec-WebSocket-Protocol header (as browsers send it). Resolves once
 * subscribed: the server answers a `subscribe` only after the subscription
 * is live, so a ping round trip after it proves it.
 */
export class WsStreamClient extends StreamClient {
  private constructor(private readonly socket: WebSocket) {
    super();
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { event?: string; payload?: string };
      if (message.event && typeof message.payload === 'string') this.received(message.event, message.payload);
    });
  }

  static connect(baseUrl: string, token: string): Promise<WsStreamClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/v1/streaming?stream=user`;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, token);
      const client = new WsStreamClient(socket);
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`stream answered ${response.statusCode}`)),
      );
      socket.once('open', () => {
        // The server subscribes before it reads further messages; its reply to this proves the subscription is live.
        socket.send(JSON.stringify({ type: 'subscribe', stream: 'user' }));
        socket.send(JSON.stringify({ type: 'ready?', stream: 'ping' }));
        socket.once('message', () => resolve(client));
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}
