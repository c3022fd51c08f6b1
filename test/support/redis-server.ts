import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';
import { eventually } from './given.js';

/**
 * A redis-server of the test's own on a free port, for tests that empty it, evict from it or stop it without
 * touching the machine's shared server. Extra `args` are redis-server options (`--maxmemory-policy`, …).
 */
export class OwnRedisServer {
  private process?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly args: readonly string[],
  ) {}

  static async start(args: readonly string[] = []): Promise<OwnRedisServer> {
    const server = new OwnRedisServer(await freePort(), args);
    await server.restart();
    return server;
  }

  /** Starts the server (again, on the same port, empty) and waits until it answers. */
  async restart(): Promise<void> {
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--save', '', '--appendonly', 'no', ...this.args],
      // A service, not code under test: it keeps the machine's real clock when the suite runs under faketime.
      { stdio: 'ignore', env: { ...process.env, LD_PRELOAD: '', FAKETIME: '' } },
    );
    await eventually(async () => {
      const probe = new Redis({ port: this.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        probe.disconnect();
      }
    });
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Empties the server (FLUSHALL), as an operator's mistake or a replaced Redis would. */
  async flushAll(): Promise<void> {
    const client = new Redis({ port: this.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
    try {
      await client.flushall();
    } finally {
      client.disconnect();
    }
  }

  /** Stops the server and waits until it has exited (its port refuses connections). */
  async stop(): Promise<void> {
    const running = this.process;
    this.process = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
