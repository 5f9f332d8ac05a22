import { createHttpApp, listen, runApp } from '@app/http';
import { MASTODON_HTTP_OPTIONS } from './mastodon-http';
import { MastodonApiModule } from './mastodon-api.module';

runApp('mastodon-api', async () => {
  const app = await createHttpApp(MastodonApiModule, MASTODON_HTTP_OPTIONS);
  await listen(app, 'mastodon-api', (config) => config.ports.mastodon);
});
