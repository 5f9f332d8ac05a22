import fastifyStatic from '@fastify/static';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';

/** apps/admin-dashboard/public: the pages, their scripts and styles. */
export const PUBLIC_DIR = publicDir();

/**
 * Serves /assets/ with @fastify/static (ETags, 304s, no path outside the two
 * folders): the page's scripts and styles, and uPlot from node_modules so the
 * page needs no CDN (it must work offline on a private network).
 */
@Injectable()
export class PageFiles implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async onModuleInit(): Promise<void> {
    await this.adapterHost.httpAdapter.getInstance<FastifyInstance>().register(fastifyStatic, {
      root: [PUBLIC_DIR, path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'))],
      prefix: '/assets/',
      // Under /assets/ only scripts and styles; the pages (sendFile from PageController) are not assets.
      allowedPath: (pathName, _root, request) =>
        !request.url.startsWith('/assets/') || /^\/[\w.-]+\.(js|css)$/.test(pathName),
      // Revalidated on every load, so a new release is picked up at once; unchanged files cost a 304.
      cacheControl: false,
      setHeaders: (reply, file) => {
        // Pages (sent by PageController) keep their own no-store.
        if (!file.endsWith('.html')) void reply.header('Cache-Control', 'no-cache');
        void reply.header('X-Content-Type-Options', 'nosniff');
      },
    });
  }
}

/**
 * Found from the repository root (the nearest directory with a package.json):
 * tsc copies no files to dist/, and this must work from src/ (tests) and
 * dist/apps/admin-dashboard/src (production).
 */
function publicDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')))
      return path.join(dir, 'apps', 'admin-dashboard', 'public');
    if (path.dirname(dir) === dir) throw new Error(`admin-dashboard: no package.json above ${__dirname}`);
  }
}
