import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { Module } from '@nestjs/common';
import { FANOUT_QUEUE } from '@app/queue';
import { AdminAuthModule } from '../auth/admin-auth.module';
import { JOB_BROWSER_ROUTE, JobBrowserAuth } from './job-browser-auth.hook';

/** A job browser (bull-board) for deeper inspection, at /queues, admins only. */
@Module({
  imports: [
    AdminAuthModule,
    BullBoardModule.forRoot({
      route: JOB_BROWSER_ROUTE,
      adapter: FastifyAdapter,
      boardOptions: {
        uiConfig: {
          boardTitle: 'Feedline jobs',
          hideDocsLink: true,
          miscLinks: [{ text: 'Dashboard', url: '/' }],
        },
      },
    }),
    BullBoardModule.forFeature({ name: FANOUT_QUEUE, adapter: BullMQAdapter }),
  ],
  providers: [JobBrowserAuth],
})
export class JobBrowserModule {}
