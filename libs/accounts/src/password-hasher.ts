import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

// The package's `Algorithm` is a const enum, which isolated modules cannot read: Argon2id is 2.
const ARGON2ID = 2;

/** argon2id with the OWASP-recommended cost (19 MiB, 2 passes); hashing runs off the event loop. */
@Injectable()
export class PasswordHasher {
  // Verified against when the username does not exist, so both failures take as long.
  private readonly decoy = hash('feedline decoy password', { algorithm: ARGON2ID });

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: ARGON2ID });
  }

  async verify(hashed: string | undefined, password: string): Promise<boolean> {
    return verify(hashed ?? (await this.decoy), password).catch(() => false);
  }
}
