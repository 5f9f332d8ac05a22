/** Seconds a client is asked to wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * Prisma's codes for "the database did not answer": cannot reach, timed out,
 * connection closed, pool or transaction start timed out, too many connections.
 */
const PRISMA_OUTAGE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2037']);

/** Kinds of Prisma's driver-adapter errors that mean the connection, not the statement, failed. */
const ADAPTER_OUTAGE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);

const POSTGRES_OUTAGE =
  /Server has closed the connection|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Query read timeout|timeout exceeded when trying to connect|Connection terminated|Can't reach database|Transaction already closed|Unable to start a transaction|Transaction API error/i;

const REDIS_OUTAGE =
  /Command timed out|Connection is closed|Stream isn't writeable|max retries per request|queue unavailable|Connection in subscriber mode/i;

/**
 * Which dependency an error says is unreachable or silent ('PostgreSQL',
 * 'Redis', or unnamed), or undefined when it is not an outage. Looks through `cause`
 * chains: Prisma and BullMQ wrap the driver's error.
 */
export function dependencyOutage(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    const { name, message } = e;
    const code = (e as { code?: unknown }).code;
    if (name === 'MaxRetriesPerRequestError' || REDIS_OUTAGE.test(message)) return 'Redis';
    if (typeof code === 'string' && PRISMA_OUTAGE_CODES.has(code)) return 'PostgreSQL';
    if (/^PrismaClient|DriverAdapterError/.test(name) && POSTGRES_OUTAGE.test(message)) return 'PostgreSQL';
    // Prisma names the driver adapter's error in `meta` (raw queries) or as the cause.
    const meta = (e as { meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } }).meta;
    const kind =
      meta?.driverAdapterError?.cause?.kind ??
      (name === 'DriverAdapterError' ? (e.cause as { kind?: unknown } | undefined)?.kind : undefined);
    if (typeof kind === 'string' && ADAPTER_OUTAGE_KINDS.has(kind)) return 'PostgreSQL';
    if (POSTGRES_OUTAGE.test(message)) return 'A backing service';
  }
  return undefined;
}
