/** Creates the development JWT key pair in .keys/ (or KEYS_DIR) if it does not exist. */
import { ensureDevelopmentKeys } from '@app/auth';
import { buildConfig } from '@app/config';

const paths = ensureDevelopmentKeys(buildConfig().auth.keysDir);
console.log(`JWT keys: ${paths.privateKey} (post-service only), ${paths.publicKey}`);
