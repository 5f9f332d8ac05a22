import http from 'node:http';
import type { LoadResult } from './load';

export interface OpenLoopResponse {
  /** The request's number: it used tokens[index % tokens.length]. */
  index: number;
  /** When the request was due, ms since the run started. */
  at: number;
  latencyMs: number;
  status: number;
  body: string;
}

/**
 * Open-loop load: requests arrive on a schedule given by `rate(t)` (requests
 * per second at t seconds), evenly spaced, not in per-second bursts as
 * autocannon's rate limit sends them. Each latency is measured from its
 * scheduled start, so queueing in the client or the server counts against
 * the service (no coordinated omission).
 */
export async function openLoop(options: {
  url: string;
  tokens: readonly string[];
  rate: number | ((t: number) => number);
  durationSeconds: number;
  connections?: number;
  onResponse?: (response: OpenLoopResponse) => void;
}): Promise<LoadResult> {
  const { url, tokens, durationSeconds, connections = 32, onResponse } = options;
  const rateAt = typeof options.rate === 'number' ? () => options.rate as number : options.rate;
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const times: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const start = performance.now() + 50;
  const pending: Array<Promise<void>> = [];
  for (let i = 0, due = start; due - start < durationSeconds * 1000; i += 1) {
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    // Timers fire up to a millisecond early: latency counts from whichever is later.
    const scheduled = Math.max(due, performance.now());
    pending.push(
      new Promise<void>((resolve) => {
        const request = http.request(
          {
            agent,
            host: target.hostname,
            port: target.port,
            path: `${target.pathname}${target.search}`,
            headers: { authorization: `Bearer ${tokens[i % tokens.length]}` },
          },
          (response) => {
            const chunks: Buffer[] = [];
            if (onResponse) response.on('data', (chunk: Buffer) => chunks.push(chunk));
            else response.resume();
            response.on('end', () => {
              const latencyMs = performance.now() - scheduled;
              const status = response.statusCode ?? 0;
              times.push(latencyMs);
              if (status < 200 || status >= 300) non2xx += 1;
              onResponse?.({
                index: i,
                at: scheduled - start,
                latencyMs,
                status,
                body: Buffer.concat(chunks).toString(),
              });
              resolve();
            });
          },
        );
        request.on('error', () => {
          errors += 1;
          resolve();
        });
        request.end();
      }),
    );
    due += 1000 / Math.max(1, rateAt((due - start) / 1000));
  }
  await Promise.all(pending);
  agent.destroy();
  return summarize(times, durationSeconds, errors, non2xx);
}

/** A constant arrival rate. */
export function steadyLoad(options: {
  url: string;
  tokens: readonly string[];
  rate: number;
  durationSeconds: number;
  connections?: number;
}): Promise<LoadResult> {
  return openLoop(options);
}

export function summarize(times: number[], durationSeconds: number, errors = 0, non2xx = 0): LoadResult {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    requestsPerSecond: sorted.length / durationSeconds,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    errors,
    non2xx,
  };
}
