import { DynamicModule, Module } from '@nestjs/common';
import { PushAudienceRepository } from './push-audience.repository';
import { PushJobs } from './push-jobs.service';
import { PushNotifier } from './push-notifier';
import { PushSubscriptionsRepository } from './push-subscriptions.repository';
import { PushSubscriptionsService } from './push-subscriptions.service';
import { WebPushSender } from './web-push.sender';

export interface PushModuleOptions {
  /** Queue and send notifications (the worker; needs `QueueModule.register({ push: true })`). */
  sending?: boolean;
}

/** Web Push: subscriptions (post-service) and the sending jobs (fanout-worker). */
@Module({})
export class PushModule {
  static register(options: PushModuleOptions = {}): DynamicModule {
    const sending = options.sending ? [PushJobs, PushNotifier, WebPushSender, PushAudienceRepository] : [];
    return {
      module: PushModule,
      providers: [PushSubscriptionsService, PushSubscriptionsRepository, ...sending],
      exports: [PushSubscriptionsService, ...(options.sending ? [PushJobs, PushNotifier] : [])],
    };
  }
}
