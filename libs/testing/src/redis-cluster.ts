import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { RedisServer } from './redis-server';
import { waitFor } from './wait-for';

/** A real three-master Redis Cluster on loopback, for tests that must run against one. */
export class RedisCluster {
  private readonly processes: ChildProcess[] = [];

  private constructor(
    readonly ports: number[],
    private readonly dir: string,
  ) {}

  static async start(): Promise<RedisCluster> {
    const ports = [await RedisServer.freePort(), await RedisServer.freePort(), await RedisServer.freePort()];
    const cluster = new RedisCluster(ports, fs.mkdtempSync(path.join(os.tmpdir(), 'feedline-cluster-')));
    for (const port of ports) {
      const node = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { cwd: cluster.dir, stdio: 'ignore' },
      );
      cluster.processes.push(node);
    }
    for (const port of ports)
      await waitFor(async () => (await cli(port, 'ping')).trim() === 'PONG', {
        what: `cluster node ${port}`,
      });
    await promisify(execFile)('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitFor(async () => (await cli(ports[0], 'cluster', 'info')).includes('cluster_state:ok'), {
      what: 'the cluster to form',
    });
    return cluster;
  }

  /** The value for REDIS_CLUSTER_NODES. */
  get nodes(): string {
    return this.ports.map((port) => `127.0.0.1:${port}`).join(',');
  }

  /** Client connections open to the nodes, not counting the ones asking. */
  async clientConnections(): Promise<number> {
    const lists = await Promise.all(this.ports.map((port) => cli(port, 'client', 'list', 'type', 'normal')));
    return lists.reduce((sum, list) => sum + list.trim().split('\n').filter(Boolean).length - 1, 0);
  }

  async stop(): Promise<void> {
    for (const node of this.processes) node.kill('SIGKILL');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

async function cli(port: number, ...args: string[]): Promise<string> {
  try {
    return (await promisify(execFile)('redis-cli', ['-p', String(port), ...args])).stdout;
  } catch {
    return '';
  }
}
