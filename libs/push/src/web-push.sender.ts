import { Injectable } from '@nestjs/common';
import webpush, { WebPushError } from 'web-push';
import { FeedlineConfig, InjectConfig } from '@app/config';
import type { PushNotification } from '@app/queue';
import type { StoredSubscription } from './push-subscriptions.repository';
import { loadVapidKeys, VapidKeys } from './vapid-keys';

/** What the push service said about one subscription. */
export type SendResult =
  | { kind: 'sent' }
  /** 404/410: the browser unsubscribed or the subscription expired; delete it. */
  | { kind: 'gone' }
  /** 429, 5xx, timeout, network: try again later. */
  | { kind: 'retry'; reason: string }
  /** Any other refusal (e.g. 400, 403, 413): retrying would not help. */
  | { kind: 'rejected'; reason: string };

const TIMEOUT_MS = 10_000;

/** Sends one encrypted (aes128gcm) notification with VAPID through the `web-push` library. */
@Injectable()
export class WebPushSender {
  readonly keys: VapidKeys | null;

  constructor(@InjectConfig() private readonly config: FeedlineConfig) {
    this.keys = loadVapidKeys(config);
  }

  async send(subscription: StoredSubscription, notification: PushNotification): Promise<SendResult> {
    if (!this.keys) return { kind: 'rejected', reason: 'push is not configured (no VAPID keys)' };
    try {
      await webpush.sendNotification(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        JSON.stringify(notification),
        {
          vapidDetails: { subject: this.config.push.vapidSubject, ...this.keys },
          TTL: this.config.push.ttlSeconds,
          urgency: notification.type === 'follow' ? 'normal' : 'low',
          // Push services keep one pending message per topic: a repeat replaces, never stacks.
          topic: topic(notification.tag),
          timeout: TIMEOUT_MS,
        },
      );
      return { kind: 'sent' };
    } catch (error) {
      if (!(error instanceof WebPushError)) return { kind: 'retry', reason: (error as Error).message };
      const status = error.statusCode;
      if (status === 404 || status === 410) return { kind: 'gone' };
      if (status === 429 || status >= 500)
        return { kind: 'retry', reason: `push service answered ${status}` };
      return { kind: 'rejected', reason: `push service answered ${status}: ${error.body.slice(0, 200)}` };
    }
  }
}

/** A topic is at most 32 URL-safe base64 characters (RFC 8030). */
function topic(tag: string): string {
  return tag.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 32);
}
