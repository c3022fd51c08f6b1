import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readCounts, type CountReadings, type ProcessCounts } from './counts.js';
import { sleep } from './stats.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const GATEWAY_ENTRY = 'dist/apps/gateway/src/main.js';
const WORKER_ENTRY = 'dist/apps/worker/src/main.js';

export type Role = 'gateway' | 'worker';

interface Child {
  readonly role: Role;
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** The line of a crashed process's output that says why (the first error line), for the results table. */
function reasonOf(output: string): string {
  const line = output.split('\n').find((l) => /error/i.test(l) && !/^\s+at /.test(l));
  return (line ?? output.trim().split('\n').at(-1) ?? 'no output').trim().slice(0, 200);
}

/** Peak resident set size of a live process (VmHWM, the kernel's high-water mark), in bytes. */
export function peakRss(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * The compiled gateway and worker (never through tsx: it emits no decorator metadata, so Nest's injection would
 * break), started as real processes with the bench's own environment. Peak RSS is read just before each stops.
 */
export class BenchProcesses {
  private readonly children: Child[] = [];
  readonly peakRss: Record<Role, number> = { gateway: 0, worker: 0 };
  /** Where each process's counting probe listens (`<pid>.sock`), when the bench counts (`count: true`). */
  private readonly countSockets: string | null;
  /** The last counts of each process stopped by `stop`, read just before it was told to stop. */
  private readonly lastCounts = new Map<number, { role: Role; counts: ProcessCounts }>();

  /**
   * `count`: every process runs the counting probe (statement-counter.mjs), whose counts `readCounts` reads
   * (bench/support/counts.ts). The bench counts; the chaos run does not, unless BENCH_COUNT_STATEMENTS is set.
   */
  constructor(
    private readonly env: Record<string, string>,
    { count = false }: { count?: boolean } = {},
  ) {
    this.countSockets = count ? mkdtempSync(join(tmpdir(), 'minsheng-bench-counts-')) : null;
  }

  static assertBuilt(): void {
    for (const entry of [GATEWAY_ENTRY, WORKER_ENTRY]) {
      if (!existsSync(resolve(REPO_ROOT, entry))) {
        throw new Error(`${entry} is missing: run \`npm run build\` first (the bench runs the compiled apps)`);
      }
    }
  }

  get gatewayUrl(): string {
    return `http://${this.env['GATEWAY_HOST']}:${this.env['GATEWAY_PORT']}`;
  }

  workers(): number {
    return this.children.filter((c) => c.role === 'worker' && c.child.exitCode === null).length;
  }

  pids(role: Role): number[] {
    return this.children.filter((c) => c.role === role && c.child.exitCode === null).map((c) => c.child.pid!);
  }

  /** Starts the gateway unless one is running. */
  async ensureGateway(): Promise<void> {
    if (this.pids('gateway').length === 0) await this.startGateway();
  }

  async startGateway(): Promise<void> {
    const child = this.spawn('gateway', GATEWAY_ENTRY);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.child.exitCode !== null)
        throw new Error(`gateway exited: ${reasonOf(child.output())}\n${child.output().slice(-3000)}`);
      try {
        const response = await fetch(`${this.gatewayUrl}/health/ready`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`gateway not ready after 60 s:\n${child.output().slice(-3000)}`);
  }

  async startWorker(): Promise<void> {
    // Each worker serves its own metrics endpoint, so each needs its own port.
    const child = this.spawn('worker', WORKER_ENTRY, { WORKER_METRICS_PORT: String(await freePort()) });
    // A worker re-arms every running clock before it says it runs: 150,000 clocks take over a minute on a slow
    // 2-core host (the recovery phase times exactly that).
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      if (child.child.exitCode !== null)
        throw new Error(`worker exited: ${reasonOf(child.output())}\n${child.output().slice(-3000)}`);
      if (/minsheng worker running/.test(child.output())) return;
      await sleep(100);
    }
    throw new Error(`worker not ready after 300 s:\n${child.output().slice(-3000)}`);
  }

  /**
   * The counts of every process started so far: a live one asked now, a stopped one as read before it stopped;
   * null when the bench does not count.
   */
  async readCounts(): Promise<CountReadings | null> {
    if (this.countSockets === null) return null;
    const readings = new Map(this.lastCounts);
    await Promise.all(
      this.children
        .filter((c) => c.child.exitCode === null && c.child.signalCode === null)
        .map(async (c) => {
          readings.set(c.child.pid!, { role: c.role, counts: await readCounts(this.socketOf(c)) });
        }),
    );
    return readings;
  }

  private socketOf(c: Child): string {
    return join(this.countSockets!, `${c.child.pid}.sock`);
  }

  /** SIGKILL for the oldest live process of a role (no shutdown hook runs), waiting until it is gone. */
  async kill(role: Role): Promise<void> {
    const victim = this.children.find(
      (c) => c.role === role && c.child.exitCode === null && c.child.signalCode === null,
    );
    if (victim === undefined) throw new Error(`no live ${role} to kill`);
    victim.child.kill('SIGKILL');
    await victim.exited;
  }

  async stopWorkers(): Promise<void> {
    await Promise.all(this.children.filter((c) => c.role === 'worker').map((c) => this.stop(c)));
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.children.map((c) => this.stop(c)));
    if (this.countSockets !== null) rmSync(this.countSockets, { recursive: true, force: true });
  }

  /** The last output of every process of a role, for a failure message. */
  outputOf(role: Role): string {
    return this.children
      .filter((c) => c.role === role)
      .map((c) => c.output().slice(-2000))
      .join('\n---\n');
  }

  private spawn(role: Role, entry: string, extraEnv: Record<string, string> = {}): Child {
    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each process there when it stops (node --cpu-prof);
    // BENCH_COUNT_STATEMENTS=<dir> writes its SQL statements and Redis commands there every second; the bench's
    // own per-phase counts come from the same probe (statement-counter.mjs), over a socket.
    const profileDir = process.env['BENCH_CPU_PROF'];
    const countDir = process.env['BENCH_COUNT_STATEMENTS'];
    const profiling = [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ...(countDir || this.countSockets
        ? ['--import', pathToFileURL(resolve(import.meta.dirname, 'statement-counter.mjs')).href]
        : []),
    ];
    if (this.countSockets !== null) mkdirSync(this.countSockets, { recursive: true });
    const child = spawn(process.execPath, ['--enable-source-maps', ...profiling, resolve(REPO_ROOT, entry)], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        ...this.env,
        ...extraEnv,
        ...(countDir ? { BENCH_COUNT_STATEMENTS: countDir } : {}),
        ...(process.env['BENCH_COUNT_SCRIPTS'] ? { BENCH_COUNT_SCRIPTS: process.env['BENCH_COUNT_SCRIPTS'] } : {}),
        ...(this.countSockets ? { BENCH_COUNT_SOCKETS: this.countSockets } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Keep only the tail: a long run at info level would otherwise grow without bound.
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer = (buffer + chunk.toString()).slice(-64_000);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    if (profileDir || countDir) console.log(`  (${role} pid ${child.pid}: profile in ${profileDir ?? countDir})`);
    const entryChild: Child = { role, child, output: () => buffer, exited };
    this.children.push(entryChild);
    return entryChild;
  }

  private async stop(c: Child): Promise<void> {
    if (c.child.exitCode !== null || c.child.signalCode !== null) return;
    const rss = peakRss(c.child.pid!);
    if (rss !== null) this.peakRss[c.role] = Math.max(this.peakRss[c.role], rss);
    if (this.countSockets !== null) {
      // Its last counts, so a phase that stops it still has every statement it sent.
      const counts = await readCounts(this.socketOf(c)).catch(() => null);
      if (counts !== null) this.lastCounts.set(c.child.pid!, { role: c.role, counts });
    }
    c.child.kill('SIGTERM');
    const timeout = sleep(20_000).then(() => 'timeout' as const);
    if ((await Promise.race([c.exited, timeout])) === 'timeout') c.child.kill('SIGKILL');
    await c.exited;
  }
}
