import type { Redis } from 'ioredis';
import type { PrismaService } from '@app/database';

/**
 * A fingerprint of everything a request may change: every row that matters
 * in PostgreSQL, every key in Redis (the fuzz file's own server). Left out:
 * rate-limit counters (a refused request counts too, by design), metric
 * samples, locks and the queue's event stream (bookkeeping, not state).
 */
export async function stateFingerprint(prisma: PrismaService, redis: Redis): Promise<string> {
  const [[database], keys] = await Promise.all([
    prisma.$queryRaw<Array<{ digest: string }>>`
      SELECT md5(coalesce(string_agg(row, '|' ORDER BY row), '')) AS digest FROM (
        SELECT concat_ws(',', 'u', id, username, display_name, password_hash, role, follower_count,
                         following_count, is_celebrity, delivery) AS row FROM users
        UNION ALL SELECT concat_ws(',', 'f', followee_id, follower_id) FROM follows
        UNION ALL SELECT concat_ws(',', 'p', id, author_id, content, deleted_at, idempotency_key) FROM posts
        UNION ALL SELECT concat_ws(',', 'o', id, job_name, payload::text) FROM outbox
      ) AS everything`,
    redis.eval(REDIS_DIGEST, 0) as Promise<string>,
  ]);
  return `${database.digest}/${keys}`;
}

const REDIS_DIGEST = `
local parts = {}
for _, key in ipairs(redis.call('KEYS', '*')) do
  if not (key:find(':rate:', 1, true) or key:find(':metrics:', 1, true) or key:find(':lock:', 1, true)
      or key:find(':events', 1, true) or key:find(':stalled-check', 1, true)) then
    local value = redis.call('DUMP', key)
    parts[#parts + 1] = key .. '=' .. redis.sha1hex(value or '')
  end
end
table.sort(parts)
return redis.sha1hex(table.concat(parts, '|'))`;
