import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The page's files, read once at start from a fixed list: no path from a
 * request ever reaches the file system. uPlot comes from node_modules so the
 * page needs no CDN (it must work offline on a private network).
 */
@Injectable()
export class PageAssets {
  private readonly pages: ReadonlyMap<'dashboard' | 'login', Asset>;
  private readonly assets: ReadonlyMap<string, Asset>;

  constructor() {
    const own = (file: string) => load(path.join(publicDir(), file));
    this.pages = new Map([
      ['dashboard', own('index.html')],
      ['login', own('login.html')],
    ]);
    this.assets = new Map([
      ['dashboard.css', own('dashboard.css')],
      ['dashboard.js', own('dashboard.js')],
      ['login.js', own('login.js')],
      ['uplot.min.js', load(require.resolve('uplot/dist/uPlot.iife.min.js'))],
      ['uplot.min.css', load(require.resolve('uplot/dist/uPlot.min.css'))],
    ]);
  }

  page(name: 'dashboard' | 'login'): Asset {
    return this.pages.get(name)!;
  }

  /** A file under /assets/, or undefined. */
  asset(name: string): Asset | undefined {
    return this.assets.get(name);
  }
}

function load(file: string): Asset {
  const body = fs.readFileSync(file);
  return {
    body,
    contentType: TYPES[path.extname(file)] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
  };
}

/**
 * apps/admin-dashboard/public, found from the repository root (the nearest
 * directory with a package.json): tsc copies no files to dist/, and this must
 * work from src/ (tests) and dist/apps/admin-dashboard/src (production).
 */
function publicDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')))
      return path.join(dir, 'apps', 'admin-dashboard', 'public');
    if (path.dirname(dir) === dir) throw new Error(`admin-dashboard: no package.json above ${__dirname}`);
  }
}
