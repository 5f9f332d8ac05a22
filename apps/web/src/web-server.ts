import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { FastifyInstance } from 'fastify';

/** Where `npm run build:web` puts the app (dist/web), from this file's place in src/ or dist/. */
export const DEFAULT_WEB_ROOT = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../../web' : '../../../dist/web',
);

/** Hashed file names never change content: cache for a year. The entry points must be revalidated each time. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const ENTRY_POINTS = new Set(['index.html', 'sw.js', 'config.json', 'manifest.webmanifest']);

export function cacheControl(relativePath: string): string {
  const file = relativePath.replace(/\\/g, '/').replace(/^\//, '');
  if (file.startsWith('assets/')) return IMMUTABLE;
  if (ENTRY_POINTS.has(file) || file.endsWith('.html')) return REVALIDATE;
  return 'public, max-age=86400';
}

/**
 * The web app as any static host would serve it: its files (precompressed
 * .br/.gz when the client takes them), index.html for every other page path
 * (the app routes on the client), 404 for missing files.
 */
export async function createWebServer(root = DEFAULT_WEB_ROOT): Promise<FastifyInstance> {
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    throw new Error(`no web app build in ${root}: run \`npm run build:web\` first`);
  }
  const server = Fastify({ logger: false });
  server.addHook('onSend', async (_request, reply) => {
    void reply.header('X-Content-Type-Options', 'nosniff');
    void reply.header('Referrer-Policy', 'strict-origin-when-cross-origin');
  });
  await server.register(fastifyStatic, {
    root,
    preCompressed: true,
    cacheControl: false,
    wildcard: true,
    index: ['index.html'],
    setHeaders: (reply, filePath) => {
      void reply.header('Cache-Control', cacheControl(path.relative(root, filePath)));
      // The worker may control the whole origin, not only /assets.
      if (filePath.endsWith(`${path.sep}sw.js`)) void reply.header('Service-Worker-Allowed', '/');
    },
  });
  server.setNotFoundHandler(async (request, reply) => {
    const pathname = request.url.split('?')[0];
    // A page path (no file extension) is the app's to route; a missing file is a 404.
    if ((request.method === 'GET' || request.method === 'HEAD') && !/\.[a-z0-9]+$/i.test(pathname)) {
      return reply.header('Cache-Control', REVALIDATE).sendFile('index.html');
    }
    return reply.code(404).type('text/plain').send('Not found');
  });
  return server;
}
