import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { RedisServer } from './redis-server';
import { waitFor } from './wait-for';

const ROOT = path.resolve(__dirname, '../../..');
const PORT_VARIABLE = {
  'post-service': 'POST_SERVICE_PORT',
  'fanout-worker': 'WORKER_PORT',
  'feed-service': 'FEED_SERVICE_PORT',
  'admin-dashboard': 'ADMIN_PORT',
  'mastodon-api': 'MASTODON_PORT',
} as const;

export type AppName = keyof typeof PORT_VARIABLE;

/** Children still running; killed if the test process ends first (a test that timed out). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * A compiled app (dist/, as production runs it) in its own process, with the
 * test file's environment: for tests that kill or signal a process.
 */
export class AppProcess {
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    running.add(child);
    child.once('exit', () => running.delete(child));
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** `timeoutMs`: how long the app may take to answer /ping (a busy machine starts slowly). */
  static async start(
    app: AppName,
    env: Record<string, string> = {},
    timeoutMs = 30_000,
  ): Promise<AppProcess> {
    const main = path.join(ROOT, 'dist/apps', app, 'src/main.js');
    if (!fs.existsSync(main))
      throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
    const port = await RedisServer.freePort();
    const child = spawn(process.execPath, [main], {
      cwd: ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: 'info',
        ...env,
        [PORT_VARIABLE[app]]: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = new AppProcess(child, `http://127.0.0.1:${port}`);
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`${app} exited: ${started.logs()}`);
          return (await fetch(`${started.url}/ping`)).ok;
        },
        { what: `${app} to start`, timeoutMs },
      );
    } catch (error) {
      child.kill('SIGKILL'); // a process that did not start in time is not left behind
      throw error;
    }
    return started;
  }

  /** Sends a signal; resolves with how the process ended once it is gone. */
  async signal(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    return this.exited;
  }

  /** Ends every app process this test file started and has not stopped (for afterAll). */
  static async killAll(): Promise<void> {
    await Promise.all(
      [...running].map((child) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        return exited;
      }),
    );
  }

  /** The process id (benchmarks read its CPU time and memory from /proc). */
  get pid(): number {
    return this.child.pid!;
  }

  logs(): string {
    return this.output;
  }
}
