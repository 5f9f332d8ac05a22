import type { Redis } from 'ioredis';
import type { PrismaService } from '@app/database';

/**
 * A fingerprint of everything a request may change: a digest per table of
 * every row that matters in PostgreSQL, and every key in Redis (the fuzz
 * file's own server) with a digest of its value, one per line. Left out:
 * rate-limit counters (a refused request counts too, by design), metric
 * samples, locks, the queue's event stream and job counter (BullMQ counts
 * even an add that a fixed job id turns into a no-op): bookkeeping, not state.
 */
export async function stateFingerprint(prisma: PrismaService, redis: Redis): Promise<string> {
  const [tables, keys] = await Promise.all([
    prisma.$queryRaw<Array<{ digest: string }>>`
      SELECT left(row, 1) || ' ' || md5(string_agg(row, '|' ORDER BY row)) AS digest FROM (
        SELECT concat_ws(',', 'u', id, username, display_name, password_hash, role, follower_count,
                         following_count, is_celebrity, delivery) AS row FROM users
        UNION ALL SELECT concat_ws(',', 'f', followee_id, follower_id) FROM follows
        UNION ALL SELECT concat_ws(',', 'p', id, author_id, content, deleted_at, idempotency_key) FROM posts
        UNION ALL SELECT concat_ws(',', 'o', id, job_name, payload::text) FROM outbox
      ) AS everything GROUP BY left(row, 1) ORDER BY 1`,
    redis.eval(REDIS_DIGEST, 0) as Promise<string>,
  ]);
  return [...tables.map((table) => table.digest), keys].join('\n');
}

/** What differs between two fingerprints: table digests and Redis keys, one per line. */
export function fingerprintDiff(before: string, after: string): string {
  const [was, now] = [new Set(before.split('\n')), new Set(after.split('\n'))];
  const gone = [...was].filter((line) => !now.has(line)).map((line) => `- ${line}`);
  const added = [...now].filter((line) => !was.has(line)).map((line) => `+ ${line}`);
  return [...gone, ...added].join('\n');
}

const REDIS_DIGEST = `
local parts = {}
for _, key in ipairs(redis.call('KEYS', '*')) do
  if not (key:find(':rate:', 1, true) or key:find(':metrics:', 1, true) or key:find(':lock:', 1, true)
      or key:find(':events', 1, true) or key:find(':stalled-check', 1, true) or key:sub(-3) == ':id') then
    local value = redis.call('DUMP', key)
    parts[#parts + 1] = key .. '=' .. redis.sha1hex(value or '')
  end
end
table.sort(parts)
return table.concat(parts, '\\n')`;

/**
 * The fingerprint once it stops changing: what a successful request started
 * without awaiting (a feed read queues a rebuild in the background) lands
 * before the next request is judged.
 */
export async function settledFingerprint(prisma: PrismaService, redis: Redis): Promise<string> {
  let previous = await stateFingerprint(prisma, redis);
  for (let i = 0; i < 20; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const current = await stateFingerprint(prisma, redis);
    if (current === previous) return current;
    previous = current;
  }
  return previous;
}
