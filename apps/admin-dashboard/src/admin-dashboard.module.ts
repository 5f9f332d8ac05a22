import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ObservabilityModule } from '@app/observability';
import { QueueModule } from '@app/queue';
import { RedisModule } from '@app/redis';

/** Operators' view of the fan-out queue. */
@Module({
  imports: [
    ConfigModule,
    ObservabilityModule.forRoot({ app: 'admin-dashboard' }),
    DatabaseModule,
    RedisModule,
    QueueModule.register({ role: 'producer' }),
    AuthModule.register(),
  ],
})
export class AdminDashboardModule {}
