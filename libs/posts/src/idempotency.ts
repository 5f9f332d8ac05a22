import { BadRequestException } from '@nestjs/common';

/** 1-128 visible ASCII characters (no spaces): UUIDs, ULIDs, hashes, whatever a client makes. */
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,128}$/;

/**
 * The `Idempotency-Key` header as sent (undefined when absent). Anything else
 * is refused rather than ignored: a client that sent a key counts on it.
 * A header sent twice arrives joined by ", " and fails the pattern.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
    throw new BadRequestException('Idempotency-Key must be 1-128 visible ASCII characters');
  }
  return header;
}

export interface CreatePostOptions {
  /** A client's key for this post: a repeat with the same key and content returns the first post. */
  idempotencyKey?: string;
}
