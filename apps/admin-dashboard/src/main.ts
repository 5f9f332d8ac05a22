import { createHttpApp, listen, runApp } from '@app/http';
import { AdminDashboardModule } from './admin-dashboard.module';

runApp('admin-dashboard', async () => {
  const app = await createHttpApp(AdminDashboardModule);
  await listen(app, 'admin-dashboard', (config) => config.ports.admin);
});
