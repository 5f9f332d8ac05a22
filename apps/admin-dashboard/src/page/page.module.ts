import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../auth/admin-auth.module';
import { PageFiles } from './page-files';
import { PageController } from './page.controller';

/** The dashboard and login pages and their scripts, styles and chart library. */
@Module({
  imports: [AdminAuthModule],
  controllers: [PageController],
  providers: [PageFiles],
})
export class PageModule {}
