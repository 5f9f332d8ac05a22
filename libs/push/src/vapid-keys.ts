import fs from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
import type { FeedlineConfig } from '@app/config';

const FILE = 'vapid.json';

export interface VapidKeys {
  /** base64url, the uncompressed P-256 point browsers take as `applicationServerKey`. */
  publicKey: string;
  privateKey: string;
}

/**
 * Development VAPID keys in `dir` (next to the development JWT keys), created
 * on first use and never overwritten: every browser subscribed against a key
 * pair, so changing it orphans their subscriptions. Never used in production.
 */
export function ensureDevelopmentVapidKeys(dir: string): VapidKeys & { file: string } {
  const file = path.join(dir, FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      // 'wx': if another process won the race, keep its pair.
      fs.writeFileSync(file, JSON.stringify(webpush.generateVAPIDKeys(), null, 2), {
        flag: 'wx',
        mode: 0o600,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const keys = JSON.parse(fs.readFileSync(file, 'utf8')) as VapidKeys;
  return { publicKey: keys.publicKey, privateKey: keys.privateKey, file };
}

/**
 * The configured keys (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY); outside
 * production, the development pair; in production without keys, null: push
 * is off (GET /push/config answers 404, nothing is sent).
 */
export function loadVapidKeys(config: FeedlineConfig): VapidKeys | null {
  const { vapidPublicKey, vapidPrivateKey } = config.push;
  if (vapidPublicKey && vapidPrivateKey) return { publicKey: vapidPublicKey, privateKey: vapidPrivateKey };
  if (config.nodeEnv === 'production') return null;
  const { publicKey, privateKey } = ensureDevelopmentVapidKeys(config.auth.keysDir);
  return { publicKey, privateKey };
}
