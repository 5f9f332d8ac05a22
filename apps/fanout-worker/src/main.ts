import { createHttpApp, listen, runApp } from '@app/http';
import { FanoutWorkerModule } from './fanout-worker.module';

// HTTP only for /health and /metrics; the work arrives through the queue.
runApp('fanout-worker', async () => {
  const app = await createHttpApp(FanoutWorkerModule);
  await listen(app, 'fanout-worker', (config) => config.ports.worker);
});
