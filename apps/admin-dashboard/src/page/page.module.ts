import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../auth/admin-auth.module';
import { PageAssets } from './page-assets';
import { PageController } from './page.controller';

/** The dashboard and login pages and their scripts, styles and chart library. */
@Module({
  imports: [AdminAuthModule],
  controllers: [PageController],
  providers: [PageAssets],
})
export class PageModule {}
