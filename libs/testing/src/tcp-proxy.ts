import net from 'node:net';

export type ProxyMode = 'forward' | 'silent' | 'refuse';

/**
 * A TCP proxy between an app and PostgreSQL or Redis, to fake a network
 * fault without touching the server (the machine's PostgreSQL is shared):
 *
 * - `silent`: connections stay open but nothing passes either way, as when
 *   packets are dropped in a partition (data waits in the socket buffers
 *   and flows again on `forward`; new connections are accepted and held);
 * - `refuse`: every connection is dropped and new ones are closed at once,
 *   as when the server is down.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private current: ProxyMode = 'forward';
  port = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  get mode(): ProxyMode {
    return this.current;
  }

  /** `url` with its port replaced by the proxy's. */
  rewrite(url: string): string {
    const parsed = new URL(url);
    parsed.host = `127.0.0.1:${this.port}`;
    return parsed.toString();
  }

  async start(): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  setMode(mode: ProxyMode): void {
    this.current = mode;
    for (const pair of this.pairs) {
      if (mode === 'refuse') {
        pair.client.destroy();
        pair.upstream.destroy();
      } else if (mode === 'silent') {
        pair.client.pause();
        pair.upstream.pause();
      } else {
        pair.client.resume();
        pair.upstream.resume();
      }
    }
  }

  async stop(): Promise<void> {
    this.setMode('refuse');
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.current === 'refuse') {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.targetPort, this.targetHost);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const close = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', close);
      socket.on('close', close);
    }
    client.pipe(upstream);
    upstream.pipe(client);
    if (this.current === 'silent') {
      client.pause();
      upstream.pause();
    }
  }
}
