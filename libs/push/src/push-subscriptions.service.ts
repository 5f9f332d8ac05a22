import { Injectable, NotFoundException } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { PushSubscriptionsRepository } from './push-subscriptions.repository';
import { loadVapidKeys, VapidKeys } from './vapid-keys';

export interface SubscriptionKeys {
  p256dh: string;
  auth: string;
}

/** A browser's opt-in: the public key it subscribes with, and its stored subscriptions. */
@Injectable()
export class PushSubscriptionsService {
  private readonly keys: VapidKeys | null;

  constructor(
    private readonly subscriptions: PushSubscriptionsRepository,
    @InjectConfig() config: FeedlineConfig,
  ) {
    this.keys = loadVapidKeys(config);
  }

  /** The VAPID public key browsers subscribe with; 404 when push is not configured. */
  vapidPublicKey(): string {
    if (!this.keys) throw new NotFoundException('push notifications are not configured on this server');
    return this.keys.publicKey;
  }

  async subscribe(userId: number, endpoint: string, keys: SubscriptionKeys): Promise<void> {
    this.vapidPublicKey();
    // Stored unpadded, as browsers give them.
    await this.subscriptions.upsert(userId, endpoint, unpad(keys.p256dh), unpad(keys.auth));
  }

  /** Idempotent; only the caller's own subscription. */
  unsubscribe(userId: number, endpoint: string): Promise<void> {
    return this.subscriptions.removeOwned(userId, endpoint);
  }
}

function unpad(base64url: string): string {
  return base64url.replace(/=+$/, '');
}
