/**
 * `npm run start:web`: serves the built web app (dist/web) on WEB_PORT, as a
 * static host or CDN would. The app finds the APIs through config.json next
 * to index.html, or derives them from its own host name.
 */
import { buildConfig } from '@app/config';
import { runApp } from '@app/http';
import { createWebServer } from './web-server';

runApp('web', async () => {
  const config = buildConfig();
  const server = await createWebServer();
  await server.listen({ port: config.ports.web, host: config.host });
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  console.log(`web listening on http://${host}:${config.ports.web}`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void server.close());
});
