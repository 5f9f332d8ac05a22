/** Creates the development JWT key pair and Web Push (VAPID) keys in .keys/ (or KEYS_DIR) if they do not exist. */
import { ensureDevelopmentKeys } from '@app/auth';
import { buildConfig } from '@app/config';
import { ensureDevelopmentVapidKeys } from '@app/push';

const config = buildConfig();
const paths = ensureDevelopmentKeys(config.auth.keysDir);
console.log(`JWT keys: ${paths.privateKey} (post-service only), ${paths.publicKey}`);
const vapid = ensureDevelopmentVapidKeys(config.auth.keysDir);
console.log(`Web Push (VAPID) keys: ${vapid.file} (public key ${vapid.publicKey})`);
