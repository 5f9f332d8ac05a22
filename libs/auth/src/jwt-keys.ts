import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigurationError, FeedlineConfig } from '@app/config';

const PRIVATE_FILE = 'jwt-private.pem';
const PUBLIC_FILE = 'jwt-public.pem';

export interface KeyPaths {
  privateKey: string;
  publicKey: string;
}

/**
 * Development keys: an RSA pair in `dir`, created on first use and never
 * overwritten (so processes starting together agree on one pair). Never used
 * in production, where keys must be configured.
 */
export function ensureDevelopmentKeys(dir: string): KeyPaths {
  const paths = { privateKey: path.join(dir, PRIVATE_FILE), publicKey: path.join(dir, PUBLIC_FILE) };
  if (fs.existsSync(paths.privateKey) && fs.existsSync(paths.publicKey)) return paths;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  try {
    // 'wx': if another process won the race, keep its pair.
    fs.writeFileSync(paths.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      flag: 'wx',
      mode: 0o600,
    });
    fs.writeFileSync(paths.publicKey, publicKey.export({ type: 'spki', format: 'pem' }), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return paths;
}

/** The signing key (post-service only): configured, or a development key in non-production. */
export function loadPrivateKey(config: FeedlineConfig): string {
  const { privateKeyPem, privateKeyFile, keysDir } = config.auth;
  if (privateKeyPem) return privateKeyPem;
  if (privateKeyFile) return readKey(privateKeyFile, 'JWT_PRIVATE_KEY_FILE');
  if (config.nodeEnv === 'production') {
    throw new ConfigurationError(
      'Invalid environment:\n  - JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE is required in production',
    );
  }
  return fs.readFileSync(ensureDevelopmentKeys(keysDir).privateKey, 'utf8');
}

/** The verification key: configured, derived from a configured private key, or the development one. */
export function loadPublicKey(config: FeedlineConfig): string {
  const { publicKeyPem, publicKeyFile, privateKeyPem, privateKeyFile, keysDir } = config.auth;
  if (publicKeyPem) return publicKeyPem;
  if (publicKeyFile) return readKey(publicKeyFile, 'JWT_PUBLIC_KEY_FILE');
  if (privateKeyPem || privateKeyFile) {
    return createPublicKey(loadPrivateKey(config)).export({ type: 'spki', format: 'pem' }).toString();
  }
  const devPublic = path.join(keysDir, PUBLIC_FILE);
  if (config.nodeEnv !== 'production' && fs.existsSync(devPublic)) return fs.readFileSync(devPublic, 'utf8');
  throw new ConfigurationError(
    'Invalid environment:\n  - JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE is required ' +
      `(in development, post-service or \`npm run keys\` creates ${devPublic})`,
  );
}

function readKey(file: string, variable: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      `Invalid environment:\n  - ${variable}: cannot read ${file} (${(error as Error).message})`,
    );
  }
}
