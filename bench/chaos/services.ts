import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { sleep } from '../support/stats.js';

/**
 * The chaos suite's own PostgreSQL and Redis, on their own ports in a temporary folder, so it can crash, stop and
 * empty them without touching the machine's shared servers. PostgreSQL refuses to run as root: when the suite runs
 * as root, initdb and the server run as the `postgres` system user (`runuser`).
 */
const SERVICE_USER = 'postgres';

/** initdb and pg_ctl from PATH, or from the newest Debian package folder (`/usr/lib/postgresql/<n>/bin`). */
function postgresBinary(name: 'initdb' | 'pg_ctl'): string {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return name;
  } catch {
    const root = '/usr/lib/postgresql';
    const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
    const found = versions.map((v) => join(root, v, 'bin', name)).find((path) => existsSync(path));
    if (found === undefined) throw new Error(`${name} not found in PATH nor under ${root}`);
    return found;
  }
}
const asServiceUser = (command: string, args: string[]): [string, string[]] =>
  userInfo().uid === 0 ? ['runuser', ['-u', SERVICE_USER, '--', command, ...args]] : [command, args];

/** A service and its state, for `waitUntil` polls. */
async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms`);
    await sleep(200);
  }
}

export class OwnPostgres {
  private constructor(
    readonly port: number,
    private readonly dataDir: string,
    private readonly socketDir: string,
  ) {}

  /** initdb in `folder`/pg (trust on localhost, fsync off: an immediate stop is a crash of the server, not the host). */
  static async create(folder: string, port: number): Promise<OwnPostgres> {
    const dataDir = join(folder, 'pg');
    const socketDir = join(folder, 'pg-socket');
    mkdirSync(dataDir, { mode: 0o700 });
    mkdirSync(socketDir);
    if (userInfo().uid === 0) {
      const uid = Number(execFileSync('id', ['-u', SERVICE_USER]).toString());
      const gid = Number(execFileSync('id', ['-g', SERVICE_USER]).toString());
      for (const dir of [folder, dataDir, socketDir]) chownSync(dir, uid, gid);
    }
    const [cmd, args] = asServiceUser(postgresBinary('initdb'), [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '-A',
      'trust',
      '--no-sync',
      '-E',
      'UTF8',
    ]);
    execFileSync(cmd, args, { stdio: 'ignore' });
    const server = new OwnPostgres(port, dataDir, socketDir);
    await server.start();
    return server;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    const [cmd, args] = asServiceUser(postgresBinary('pg_ctl'), [
      '-D',
      this.dataDir,
      '-l',
      join(this.dataDir, 'server.log'),
      '-w',
      '-o',
      options,
      'start',
    ]);
    execFileSync(cmd, args, { stdio: 'ignore' });
    await waitUntil(() => this.answers(), 60_000, 'PostgreSQL');
  }

  /** A crash: `pg_ctl stop -m immediate` (no checkpoint; the next start replays the WAL). */
  stopImmediately(): void {
    const [cmd, args] = asServiceUser(postgresBinary('pg_ctl'), ['-D', this.dataDir, '-m', 'immediate', 'stop']);
    execFileSync(cmd, args, { stdio: 'ignore' });
  }

  stopGracefully(): void {
    const [cmd, args] = asServiceUser(postgresBinary('pg_ctl'), ['-D', this.dataDir, '-m', 'fast', 'stop']);
    try {
      execFileSync(cmd, args, { stdio: 'ignore' });
    } catch {
      // already stopped
    }
  }

  private async answers(): Promise<boolean> {
    const client = new pg.Client({ connectionString: `${this.url}/postgres` });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

export class OwnRedis {
  private process?: ChildProcess;

  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server with the append-only file on (every second), reloading what the file holds. */
  async start(): Promise<void> {
    this.process = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
      ],
      { stdio: 'ignore' },
    );
    await waitUntil(
      async () => {
        const probe = new Redis({ port: this.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } finally {
          probe.disconnect();
        }
      },
      60_000,
      'Redis',
    );
  }

  /** FLUSHALL on this server only. */
  async flushAll(): Promise<void> {
    const client = new Redis({ port: this.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
    try {
      await client.flushall();
    } finally {
      client.disconnect();
    }
  }

  /** Stops the server (SIGTERM: it writes its append-only file and exits) and waits for it. */
  async stop(): Promise<void> {
    const running = this.process;
    this.process = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  }
}
