/**
 * What travels on a stream channel: ids only, so one message is a few dozen
 * bytes however many receive it. The streaming process hydrates a post once
 * per process and serializes it for its clients.
 *
 * - `update`: a post entered the home feed of the channel's user (user
 *   channel) or of every follower of the channel's author (author channel).
 * - `delete`: a post left them.
 * - `follows`: the channel's user followed or unfollowed someone; the
 *   streaming process re-reads which author channels to listen to.
 * - `delivery`: an author moved between push and read-time merge (on the
 *   delivery channel, one message for all their followers); each streaming
 *   process re-reads the channels of its connected users who follow them.
 * The last two are never sent to clients.
 */
export type StreamEvent =
  | { event: 'update'; postId: string; authorId: string }
  | { event: 'delete'; postId: string }
  | { event: 'follows' }
  | { event: 'delivery'; authorId: string };

const ID = /^[1-9]\d{0,18}$/;

export function encodeStreamEvent(event: StreamEvent): string {
  switch (event.event) {
    case 'update':
      return `u:${event.postId}:${event.authorId}`;
    case 'delete':
      return `d:${event.postId}`;
    case 'follows':
      return 'f';
    case 'delivery':
      return `a:${event.authorId}`;
  }
}

/** null for anything malformed (a message from another version, or not ours). */
export function decodeStreamEvent(message: string): StreamEvent | null {
  const parts = message.split(':');
  if (parts.length > 3) return null;
  const [kind, postId, authorId] = parts;
  if (kind === 'f' && postId === undefined) return { event: 'follows' };
  if (kind === 'a' && ID.test(postId ?? '') && authorId === undefined)
    return { event: 'delivery', authorId: postId };
  if (kind === 'd' && ID.test(postId ?? '') && authorId === undefined) return { event: 'delete', postId };
  if (kind === 'u' && ID.test(postId ?? '') && ID.test(authorId ?? ''))
    return { event: 'update', postId, authorId };
  return null;
}
