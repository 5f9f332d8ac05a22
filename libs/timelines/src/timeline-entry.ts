/**
 * A timeline entry: a post and its author. Post ids are below 2^53 and user
 * ids below 2^40 by design, so both are exact JavaScript numbers and pack into
 * 12 bytes (7 + 5). See docs/adr/0002-ids.md and 0003-timeline-structure.md.
 */
export interface TimelineEntry {
  postId: number;
  authorId: number;
}

export const ENTRY_BYTES = 12;
export const MAX_POST_ID = 2 ** 53 - 1;
export const MAX_USER_ID = 2 ** 40 - 1;
const TWO_48 = 2 ** 48;

/** Packs entries (newest first) in the layout the Lua scripts read. */
export function packEntries(entries: readonly TimelineEntry[]): Buffer {
  const buffer = Buffer.allocUnsafe(entries.length * ENTRY_BYTES);
  entries.forEach(({ postId, authorId }, i) => {
    if (!Number.isSafeInteger(postId) || postId <= 0) throw new RangeError(`post id out of range: ${postId}`);
    if (!Number.isSafeInteger(authorId) || authorId <= 0 || authorId > MAX_USER_ID) {
      throw new RangeError(`user id out of range: ${authorId}`);
    }
    const offset = i * ENTRY_BYTES;
    const high = Math.floor(postId / TWO_48);
    buffer[offset] = high;
    buffer.writeUIntBE(postId - high * TWO_48, offset + 1, 6);
    buffer.writeUIntBE(authorId, offset + 7, 5);
  });
  return buffer;
}

export function unpackEntries(buffer: Buffer): TimelineEntry[] {
  const entries: TimelineEntry[] = new Array(buffer.length / ENTRY_BYTES);
  for (let i = 0, offset = 0; offset < buffer.length; i += 1, offset += ENTRY_BYTES) {
    entries[i] = {
      postId: buffer[offset] * TWO_48 + buffer.readUIntBE(offset + 1, 6),
      authorId: buffer.readUIntBE(offset + 7, 5),
    };
  }
  return entries;
}

/** Post ids carry their creation time: milliseconds since 2025-01-01 in the bits above the low 12. */
export const POST_ID_EPOCH_MS = Date.UTC(2025, 0, 1);

export function postIdTime(postId: number): number {
  return Math.floor(postId / 4096) + POST_ID_EPOCH_MS;
}
