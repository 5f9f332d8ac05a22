export { PushModule } from './push.module';
export type { PushModuleOptions } from './push.module';
export { PushSubscriptionsService } from './push-subscriptions.service';
export type { SubscriptionKeys } from './push-subscriptions.service';
export { PushJobs, PushRetryError } from './push-jobs.service';
export type { PushOutcome } from './push-jobs.service';
export { PushNotifier } from './push-notifier';
export { ensureDevelopmentVapidKeys, loadVapidKeys } from './vapid-keys';
export type { VapidKeys } from './vapid-keys';
