import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ObservabilityModule } from '@app/observability';
import { QueueModule } from '@app/queue';
import { RedisModule } from '@app/redis';
import { AdminAuthModule } from './auth/admin-auth.module';
import { JobBrowserModule } from './job-browser/job-browser.module';
import { PageModule } from './page/page.module';
import { QueuesModule } from './queues/queues.module';

/** Operators' view of the fan-out queue: a live page, its JSON API and a job browser, for admins only. */
@Module({
  imports: [
    ConfigModule,
    ObservabilityModule.forRoot({ app: 'admin-dashboard' }),
    DatabaseModule,
    RedisModule,
    QueueModule.register({ role: 'producer' }),
    AuthModule.register(),
    AdminAuthModule,
    QueuesModule,
    PageModule,
    JobBrowserModule,
  ],
})
export class AdminDashboardModule {}
