/**
 * What a load phase cost, from outside the process: CPU time and resident
 * memory from /proc (Linux), Redis' own CPU time from INFO, and an optional
 * CPU profile of one phase (bench/lib/cpu-profile.cjs, preloaded into the app).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU seconds a process has used so far. */
export function processCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
}

export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

export async function redisCpuSeconds(port: number): Promise<number> {
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
  try {
    const info = await redis.info('cpu');
    const read = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
    return read('used_cpu_user') + read('used_cpu_sys');
  } finally {
    redis.disconnect();
  }
}

export interface PhaseCost<T> {
  result: T;
  /** CPU seconds the app and Redis used during the phase. */
  appCpu: number;
  redisCpu: number;
  /** Largest resident set size sampled during the phase. */
  peakRss: number;
}

/** Runs a load phase and measures what it cost the app process and Redis. */
export async function measured<T>(
  pid: number,
  redisPort: number,
  phase: () => Promise<T>,
): Promise<PhaseCost<T>> {
  const [app0, redis0] = [processCpuSeconds(pid), await redisCpuSeconds(redisPort)];
  let peakRss = residentBytes(pid);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, residentBytes(pid))), 250);
  try {
    const result = await phase();
    return {
      result,
      appCpu: processCpuSeconds(pid) - app0,
      redisCpu: (await redisCpuSeconds(redisPort)) - redis0,
      peakRss,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** Environment that preloads the profiler into an app (inert until signalled). */
export function profilerEnv(dir: string): Record<string, string> {
  return {
    NODE_OPTIONS:
      `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(__dirname, 'cpu-profile.cjs')}`.trim(),
    FEEDLINE_CPU_PROFILE_DIR: dir,
  };
}

export function profileDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'feedline-profile-'));
}

/** Profiles the app during one phase; resolves with the .cpuprofile file written. */
export async function profiled(pid: number, dir: string, phase: () => Promise<unknown>): Promise<string> {
  const before = new Set(fs.readdirSync(dir));
  process.kill(pid, 'SIGWINCH');
  await phase();
  process.kill(pid, 'SIGWINCH');
  for (let waited = 0; waited < 30_000; waited += 100) {
    const written = fs.readdirSync(dir).find((name) => name.endsWith('.cpuprofile') && !before.has(name));
    if (written) return path.join(dir, written);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the profile was not written');
}
