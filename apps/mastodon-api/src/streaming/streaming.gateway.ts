import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { HEARTBEAT_MS, MAX_BUFFERED_BYTES } from './streaming.constants';
import { StreamAuth, tokenFrom } from './stream-auth';
import { UserStream, UserStreams } from './user-streams.service';

const PATH = /^\/api\/v1\/streaming\/?$/;
/** The largest client message (subscribe/unsubscribe) we read. */
const MAX_MESSAGE_BYTES = 4096;

/**
 * Mastodon's WebSocket streaming API (`/api/v1/streaming`), user stream only:
 * `?stream=user` subscribes at once; `{"type":"subscribe","stream":"user"}`
 * and `unsubscribe` work over the socket. Messages are
 * `{"stream":["user"],"event":"update"|"delete","payload":"..."}`.
 */
@Injectable()
export class StreamingGateway implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StreamingGateway.name);
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    // The token may come as the subprotocol; answer with it, as Mastodon does.
    handleProtocols: (protocols) => (protocols.size > 0 ? [...protocols][0] : false),
  });
  private heartbeat: NodeJS.Timeout | undefined;
  private server: Server | undefined;
  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) =>
    void this.upgrade(request, socket, head);

  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly streams: UserStreams,
    private readonly auth: StreamAuth,
  ) {}

  onApplicationBootstrap(): void {
    this.server = this.adapter.httpAdapter.getHttpServer() as Server;
    this.server.on('upgrade', this.onUpgrade);
    const alive = new WeakSet<WebSocket>();
    this.wss.on('connection', (socket) => {
      alive.add(socket);
      socket.on('pong', () => alive.add(socket));
    });
    this.heartbeat = setInterval(() => {
      for (const socket of this.wss.clients) {
        if (!alive.has(socket)) {
          socket.terminate();
          continue;
        }
        alive.delete(socket);
        socket.ping();
      }
    }, HEARTBEAT_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    this.server?.off('upgrade', this.onUpgrade);
    for (const socket of this.wss.clients) socket.close(1001, 'server shutting down');
    this.wss.close();
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!PATH.test(url.pathname)) return refuse(socket, 404, 'Not Found');
    const protocol = request.headers['sec-websocket-protocol']?.split(',')[0]?.trim();
    let userId: number;
    try {
      userId = await this.auth.userId(tokenFrom(request.headers, url.searchParams) ?? protocol);
    } catch {
      return refuse(socket, 401, 'Unauthorized');
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.wss.emit('connection', ws, request);
      void this.serve(ws, userId, url.searchParams.get('stream'));
    });
  }

  private async serve(ws: WebSocket, userId: number, initial: string | null): Promise<void> {
    let stream: UserStream | undefined;
    let opening: Promise<void> | undefined;
    const send = (message: object) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send(JSON.stringify(message));
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.terminate();
    };
    const subscribe = () =>
      (opening ??= this.streams
        .open(userId, ({ event, payload }) => send({ stream: ['user'], event, payload }))
        .then((opened) => {
          if (ws.readyState === WebSocket.OPEN && opening) stream = opened;
          else opened.close();
        }));
    const unsubscribe = () => {
      stream?.close();
      stream = undefined;
      opening = undefined;
    };
    ws.on('close', unsubscribe);
    const handle = (data: unknown) => {
      let message: { type?: unknown; stream?: unknown };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        return send({ error: 'Invalid JSON' });
      }
      if (message.stream !== 'user') return send({ error: 'Unknown stream type' });
      if (message.type === 'subscribe') subscribe().catch((error: unknown) => this.failed(ws, error));
      else if (message.type === 'unsubscribe') unsubscribe();
    };
    // In order, each after any subscription in progress: a reply proves what came before it is live.
    ws.on('message', (data) => {
      void (opening ?? Promise.resolve()).catch(() => undefined).then(() => handle(data));
    });
    if (initial === 'user') await subscribe().catch((error: unknown) => this.failed(ws, error));
    else if (initial) send({ error: 'Unknown stream type' });
  }

  private failed(ws: WebSocket, error: unknown): void {
    this.logger.warn({ err: error }, 'stream could not be opened');
    ws.close(1011, 'stream unavailable');
  }
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
