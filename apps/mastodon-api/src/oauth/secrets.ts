import { createHash, randomBytes } from 'node:crypto';

/** A fresh secret (client secret, code, token): 256 random bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** How a secret is stored: SHA-256, hex. Secrets are random, so a slow hash would add nothing. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
