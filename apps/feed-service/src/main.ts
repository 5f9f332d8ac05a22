import { createHttpApp, listen, runApp } from '@app/http';
import { FeedServiceModule } from './feed-service.module';

runApp('feed-service', async () => {
  const app = await createHttpApp(FeedServiceModule, {
    cors: true,
    openApi: {
      title: 'Feedline feed-service',
      description: 'Home feeds (hybrid push/pull) and author timelines (the read side).',
    },
  });
  await listen(app, 'feed-service', (config) => config.ports.feedService);
});
