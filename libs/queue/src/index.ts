export { QueueModule } from './queue.module';
export type { QueueModuleOptions } from './queue.module';
export { FanoutProducer, FANOUT_FLOWS } from './fanout.producer';
export type { JobRequest } from './fanout.producer';
export { OutboxRepository, REDISPATCH_AFTER_SECONDS } from './outbox.repository';
export type { OutboxRow } from './outbox.repository';
export { OutboxRelay } from './outbox.relay';
export { closeQueueConnection, queueConnection } from './queue-connection';
export { DEFAULT_JOB_OPTIONS, FANOUT_QUEUE, JOB_SPECS, jobOptions } from './jobs';
export type {
  FanoutChunk,
  FanoutOperation,
  FanoutSettled,
  FollowerRange,
  JobData,
  JobName,
  JobPayloads,
  OutboxJobName,
  PostRef,
} from './jobs';
export { PushProducer } from './push.producer';
export type { PushJobRequest } from './push.producer';
export { PUSH_JOB_SPECS, PUSH_QUEUE, pushJobOptions } from './push-jobs';
export type { PushJobData, PushJobName, PushJobPayloads, PushNotification } from './push-jobs';
