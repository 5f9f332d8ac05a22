import { createHttpApp, listen, runApp } from '@app/http';
import { PostServiceModule } from './post-service.module';

runApp('post-service', async () => {
  const app = await createHttpApp(PostServiceModule, {
    cors: true,
    openApi: {
      title: 'Feedline post-service',
      description: 'Accounts, tokens, follows and posts (the write side).',
    },
  });
  await listen(app, 'post-service', (config) => config.ports.postService);
});
