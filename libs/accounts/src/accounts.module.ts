import { Module } from '@nestjs/common';
import { TimelinesModule } from '@app/timelines';
import { UsersModule } from '../users/users.module';
import { AdminBootstrap } from './admin-bootstrap.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { PasswordHasher } from './password-hasher';

@Module({
  imports: [UsersModule, TimelinesModule],
  controllers: [AuthController],
  providers: [AuthService, PasswordHasher, AdminBootstrap],
})
export class AccountsModule {}
