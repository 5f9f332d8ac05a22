import { execFileSync } from 'node:child_process';
import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  ECDH,
  hkdfSync,
  randomBytes,
  verify,
} from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

export interface PushRequest {
  /** The subscription's name (the endpoint's last path segment). */
  name: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The browser's side of a subscription: what it sends to the server, and its private key. */
export interface TestSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  expirationTime: null;
}

interface BrowserKeys {
  ecdh: ECDH;
  publicKey: Buffer;
  auth: Buffer;
}

/**
 * A push service on loopback for tests: HTTPS (web-push only speaks HTTPS)
 * with a self-signed certificate that this process's default HTTPS agent
 * trusts while it runs. It records every request, answers with scripted
 * statuses (201 by default), checks the VAPID signature and decrypts the
 * aes128gcm payload (RFC 8291) with the subscription's private key, as a
 * browser would.
 */
export class PushEndpoint {
  readonly requests: PushRequest[] = [];
  private readonly browsers = new Map<string, BrowserKeys>();
  private readonly scripts = new Map<string, number[]>();
  private held = new Set<string>();
  private waiting: Array<() => void> = [];

  private constructor(
    private readonly server: https.Server,
    readonly url: string,
    private readonly dir: string,
    private readonly savedCa: unknown,
  ) {}

  static async start(): Promise<PushEndpoint> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedline-push-'));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'pipe' },
    );
    const pem = fs.readFileSync(cert);
    const server = https.createServer({ key: fs.readFileSync(key), cert: pem });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    // web-push calls https.request without an agent: the global agent, trusting our certificate.
    const savedCa = https.globalAgent.options.ca;
    https.globalAgent.options.ca = pem;
    const endpoint = new PushEndpoint(server, `https://127.0.0.1:${port}`, dir, savedCa);
    server.on('request', (request: IncomingMessage, response: ServerResponse) =>
      endpoint.handle(request, response),
    );
    return endpoint;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const name = decodeURIComponent((request.url ?? '').split('/').pop() ?? '');
      const answer = () => {
        const status = this.scripts.get(name)?.shift() ?? 201;
        this.requests.push({ name, status, headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(status).end();
      };
      if (this.held.has(name)) this.waiting.push(answer);
      else answer();
    });
  }

  /** A new browser subscription named `name`, as `PushSubscription.toJSON()` gives it. */
  subscribe(name: string): TestSubscription {
    const ecdh = createECDH('prime256v1');
    const publicKey = ecdh.generateKeys();
    const auth = randomBytes(16);
    this.browsers.set(name, { ecdh, publicKey, auth });
    return {
      endpoint: `${this.url}/push/${encodeURIComponent(name)}`,
      keys: { p256dh: publicKey.toString('base64url'), auth: auth.toString('base64url') },
      expirationTime: null,
    };
  }

  /** The next requests to `name` are answered with these statuses (then 201). */
  answer(name: string, ...statuses: number[]): void {
    this.scripts.set(name, [...(this.scripts.get(name) ?? []), ...statuses]);
  }

  /** Requests to these subscriptions wait, unanswered, until `release()` (a slow push service). */
  hold(...names: string[]): void {
    for (const name of names) this.held.add(name);
  }

  /** How many requests are waiting on `hold`. */
  get heldRequests(): number {
    return this.waiting.length;
  }

  release(): void {
    this.held.clear();
    const waiting = this.waiting;
    this.waiting = [];
    for (const answer of waiting) answer();
  }

  requestsTo(name: string): PushRequest[] {
    return this.requests.filter((request) => request.name === name);
  }

  /** The decrypted payloads `name` received with a 2xx answer. */
  delivered(name: string): unknown[] {
    return this.requestsTo(name)
      .filter((request) => request.status < 300)
      .map((request) => JSON.parse(this.decrypt(request)));
  }

  /** Decrypts an aes128gcm body (RFC 8188 header, one record; RFC 8291 keys) with the browser's key. */
  decrypt(request: PushRequest): string {
    const browser = this.browsers.get(request.name);
    if (!browser) throw new Error(`no subscription named ${request.name}`);
    if (request.headers['content-encoding'] !== 'aes128gcm')
      throw new Error(
        `expected Content-Encoding aes128gcm, got ${String(request.headers['content-encoding'])}`,
      );
    const body = request.body;
    const salt = body.subarray(0, 16);
    const idLength = body[20];
    const serverKey = body.subarray(21, 21 + idLength);
    const record = body.subarray(21 + idLength);
    const secret = browser.ecdh.computeSecret(serverKey);
    const info = Buffer.concat([Buffer.from('WebPush: info\0'), browser.publicKey, serverKey]);
    const ikm = Buffer.from(hkdfSync('sha256', secret, browser.auth, info, 32));
    const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
    const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end -= 1;
    if (plain[end] !== 2) throw new Error('bad padding delimiter (expected 0x02: the last record)');
    return plain.subarray(0, end).toString('utf8');
  }

  /** Checks `Authorization: vapid t=<ES256 JWT>, k=<key>`: signed by `publicKey`, audience this origin. */
  verifyVapid(request: PushRequest, publicKey: string): { aud: string; sub: string; exp: number } {
    const header = String(request.headers.authorization ?? '');
    const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header);
    if (!match) throw new Error(`not a VAPID Authorization header: ${header}`);
    const [, token, key] = match;
    if (key !== publicKey) throw new Error('VAPID key is not the server’s');
    const [head, claims, signature] = token.split('.');
    const raw = Buffer.from(key, 'base64url');
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33, 65).toString('base64url'),
    };
    const valid = verify(
      'sha256',
      Buffer.from(`${head}.${claims}`),
      { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    if (!valid) throw new Error('VAPID signature does not verify');
    const payload = JSON.parse(Buffer.from(claims, 'base64url').toString()) as {
      aud: string;
      sub: string;
      exp: number;
    };
    if (payload.aud !== this.url) throw new Error(`VAPID audience ${payload.aud} is not ${this.url}`);
    return payload;
  }

  async close(): Promise<void> {
    this.release();
    https.globalAgent.options.ca = this.savedCa as string | undefined;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
