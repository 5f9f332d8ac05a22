import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface LoadOptions {
  url: string;
  /** Bearer tokens, rotated per request (each request reads a different user's feed). */
  tokens?: readonly string[];
  connections?: number;
  durationSeconds: number;
  /** A fixed total request rate instead of as fast as possible. */
  rate?: number;
}

/**
 * Drives one URL with autocannon and reports throughput and exact latency
 * percentiles (from every response time, not autocannon's coarser buckets).
 */
export async function load({
  url,
  tokens = [],
  connections = 32,
  durationSeconds,
  rate,
}: LoadOptions): Promise<LoadResult> {
  const times: number[] = [];
  let next = 0;
  let finish: (value: autocannon.Result) => void = () => undefined;
  let fail: (reason: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => ((finish = resolve), (fail = reject)));
  const instance = autocannon(
    {
      url,
      connections,
      duration: durationSeconds,
      overallRate: rate,
      requests: [
        {
          setupRequest: (request) => {
            if (tokens.length === 0) return request;
            const token = tokens[next++ % tokens.length];
            return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
          },
        },
      ],
    },
    (error: unknown, result) => (error ? fail(error) : finish(result)),
  );
  instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  const result = await done;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return {
    requestsPerSecond: times.length / durationSeconds,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export const ms = (value: number) => `${value.toFixed(2)} ms`;
