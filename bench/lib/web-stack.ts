/**
 * The web app and its services as real processes on a scratch deployment,
 * for the web benchmark and the screenshot script: the built app (a copy of
 * dist/web with its config.json) served by the static server, post-service,
 * feed-service and a worker with CORS for the app's origin.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { AppProcess } from '@app/testing';
import { createWebServer, DEFAULT_WEB_ROOT } from '../../apps/web/src/web-server';
import { createScratch, Scratch } from './scratch';

export interface WebStack {
  webUrl: string;
  postUrl: string;
  feedUrl: string;
  scratch: Scratch;
  stop(): Promise<void>;
}

export async function startWebStack(name: string, env: Record<string, string> = {}): Promise<WebStack> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `feedline-${name}-`));
  fs.cpSync(DEFAULT_WEB_ROOT, root, { recursive: true });
  const web: FastifyInstance = await createWebServer(root);
  await web.listen({ port: 0, host: '127.0.0.1' });
  const webUrl = `http://127.0.0.1:${(web.server.address() as { port: number }).port}`;
  const scratch = await createScratch(name, { ...env, CORS_ORIGINS: webUrl });
  const apps: AppProcess[] = [];
  try {
    for (const app of ['post-service', 'feed-service', 'fanout-worker'] as const)
      apps.push(await AppProcess.start(app, scratch.env, 180_000));
  } catch (error) {
    // A start that failed (e.g. a slow machine) leaves nothing behind.
    for (const app of apps) await app.signal('SIGTERM');
    await web.close();
    await scratch.drop();
    throw error;
  }
  const [postUrl, feedUrl] = [apps[0].url, apps[1].url];
  fs.writeFileSync(
    path.join(root, 'config.json'),
    JSON.stringify({ postServiceUrl: postUrl, feedServiceUrl: feedUrl, streamingUrl: 'http://127.0.0.1:9' }),
  );
  return {
    webUrl,
    postUrl,
    feedUrl,
    scratch,
    async stop() {
      await web.close();
      for (const app of apps) await app.signal('SIGTERM');
      await scratch.drop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Calls an API with a token; throws on a non-2xx answer. */
export async function call<T>(
  base: string,
  method: string,
  route: string,
  token?: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface Account {
  id: string;
  username: string;
  token: string;
}

export async function account(postUrl: string, username: string, password: string): Promise<Account> {
  const session = await call<{ user: { id: string }; accessToken: string }>(
    postUrl,
    'POST',
    '/auth/signup',
    undefined,
    {
      username,
      password,
      displayName: username.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()),
    },
  );
  return { id: session.user.id, username, token: session.accessToken };
}

/** Waits until the worker has fanned out everything (the queue is empty) by polling the feed of a reader. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
