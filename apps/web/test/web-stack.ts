import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { TestApp } from '@app/testing';
import { FanoutWorkerModule } from '../../fanout-worker/src/fanout-worker.module';
import { FeedServiceModule } from '../../feed-service/src/feed-service.module';
import { PostServiceModule } from '../../post-service/src/post-service.module';
import { createWebServer, DEFAULT_WEB_ROOT } from '../src/web-server';

/**
 * The built web app (a copy of dist/web with its config.json, as a deployment
 * would have it) on a free port, and the three services it talks to,
 * listening on real sockets with CORS for the app's origin.
 */
export class WebStack {
  private constructor(
    readonly web: FastifyInstance,
    readonly webUrl: string,
    readonly postService: TestApp,
    readonly feed: TestApp,
    readonly worker: TestApp,
    private readonly root: string,
    private readonly savedOrigins: string | undefined,
  ) {}

  static async start(): Promise<WebStack> {
    if (!fs.existsSync(path.join(DEFAULT_WEB_ROOT, 'index.html')))
      throw new Error(`${DEFAULT_WEB_ROOT} is missing: run \`npm run build:web\` first (npm test does)`);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'feedline-web-'));
    fs.cpSync(DEFAULT_WEB_ROOT, root, { recursive: true });
    const web = await createWebServer(root);
    await web.listen({ port: 0, host: '127.0.0.1' });
    const { port } = web.server.address() as { port: number };
    const webUrl = `http://127.0.0.1:${port}`;
    const savedOrigins = process.env.CORS_ORIGINS;
    process.env.CORS_ORIGINS = webUrl;
    const postService = await TestApp.start(PostServiceModule, { cors: true });
    const feed = await TestApp.start(FeedServiceModule, { cors: true });
    const worker = await TestApp.start(FanoutWorkerModule);
    const config = {
      postServiceUrl: await postService.listen(),
      feedServiceUrl: await feed.listen(),
      // No streaming server yet (the Mastodon API brings it): a closed port, so the client keeps retrying.
      streamingUrl: 'http://127.0.0.1:9',
    };
    fs.writeFileSync(path.join(root, 'config.json'), JSON.stringify(config));
    return new WebStack(web, webUrl, postService, feed, worker, root, savedOrigins);
  }

  async close(): Promise<void> {
    await this.web.close();
    await this.worker.close();
    await this.feed.close();
    await this.postService.close();
    fs.rmSync(this.root, { recursive: true, force: true });
    if (this.savedOrigins === undefined) delete process.env.CORS_ORIGINS;
    else process.env.CORS_ORIGINS = this.savedOrigins;
  }
}
