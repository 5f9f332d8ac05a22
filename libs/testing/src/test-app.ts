import type { OutgoingHttpHeaders } from 'node:http';
import { getQueueToken } from '@nestjs/bullmq';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import { createHttpApp, HttpAppOptions } from '@app/http';
import { FANOUT_QUEUE } from '@app/queue';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
export interface TestResponse<T = any> {
  status: number;
  body: T;
  headers: OutgoingHttpHeaders;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * An app built by the same bootstrap as production (validation, error filter,
 * hooks), driven in-process through Fastify's inject: real routing, real
 * PostgreSQL and Redis, no sockets.
 */
export class TestApp {
  private constructor(readonly app: NestFastifyApplication) {}

  static async start(module: Type, options: HttpAppOptions = {}): Promise<TestApp> {
    const app = await createHttpApp(module, options);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    // Closing while a queue connection is still handshaking makes ioredis throw outside any promise.
    await app.get<Queue>(getQueueToken(FANOUT_QUEUE), { strict: false }).waitUntilReady();
    return new TestApp(app);
  }

  get<T>(token: Type<T> | string | symbol): T {
    return this.app.get(token, { strict: false });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see TestResponse
  async request<T = any>(
    method: string,
    url: string,
    options: RequestOptions = {},
  ): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const response = await this.app.inject({
      method: method as 'GET',
      url,
      headers,
      payload:
        options.body === undefined
          ? undefined
          : typeof options.body === 'string'
            ? options.body
            : JSON.stringify(options.body),
    });
    const text = response.body;
    let body: unknown = text;
    if (String(response.headers['content-type'] ?? '').includes('json') && text) body = JSON.parse(text);
    return { status: response.statusCode, body: body as T, headers: response.headers };
  }

  /** Listens on a loopback port, a free one by default (for real HTTP clients such as a browser); returns the base URL. */
  async listen(port = 0): Promise<string> {
    await this.app.listen(port, '127.0.0.1');
    const address = this.app.getHttpServer().address() as { port: number };
    return `http://127.0.0.1:${address.port}`;
  }

  close(): Promise<void> {
    return this.app.close();
  }
}
