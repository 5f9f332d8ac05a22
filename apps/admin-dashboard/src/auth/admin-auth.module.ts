import { Module } from '@nestjs/common';
import { AdminAuthController } from './admin-auth.controller';
import { AdminSessionGuard } from './admin-session.guard';
import { AdminSessionService } from './admin-session.service';
import { PostServiceClient } from './post-service.client';
import { SessionCookies } from './session-cookie';

/** Admin login (through post-service) and the check every dashboard route makes. */
@Module({
  controllers: [AdminAuthController],
  providers: [AdminSessionService, AdminSessionGuard, PostServiceClient, SessionCookies],
  exports: [AdminSessionService, AdminSessionGuard],
})
export class AdminAuthModule {}
