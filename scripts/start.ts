import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, relative, resolve } from 'node:path';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { clockFor, dataSourceOptions, loadConfig, publishDevelopmentDraftYear, queueSchema } from '@minsheng/infra';
import { ensureDevelopmentPortal } from './create-portal.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { prepareDatabase } from './prepare-database.js';

/**
 * `npm start`: applies migrations (creating the database if needed), then runs the gateway and the worker
 * side by side, and stops both on Ctrl-C or SIGTERM. With no DATABASE_URL set it first starts an embedded
 * PostgreSQL with its data in `.data/` and stops it after both (docs/operations.md, "Embedded mode").
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
let embedded: EmbeddedPostgres | undefined;
if (!process.env.DATABASE_URL) {
  const dataDir = resolve(root, loadConfig(process.env).embedded.dataDir);
  embedded = await startEmbeddedPostgres({
    dataDir: resolve(dataDir, 'postgres'),
    logFile: resolve(dataDir, 'postgres.log'),
  });
  process.env.DATABASE_URL = embedded.url('minsheng');
  console.log(
    `[start] database: embedded PostgreSQL (no DATABASE_URL set) on 127.0.0.1:${embedded.port}, data in ${relative(root, embedded.dataDir)}` +
      `${embedded.initialised ? ' (new cluster)' : ''}${embedded.runsAs ? `, running as ${embedded.runsAs}` : ''}, ` +
      `log ${relative(root, dataDir)}/postgres.log; for other commands: DATABASE_URL=${process.env.DATABASE_URL}`,
  );
} else {
  console.log(`[start] database: ${redactedUrl(process.env.DATABASE_URL)} (DATABASE_URL)`);
}
const config = loadConfig(process.env);
console.log(
  config.redis.url === undefined
    ? `[start] queues: BullMQ on PostgreSQL (no REDIS_URL set), schema ${queueSchema(config.redis.queuePrefix)} of that database`
    : `[start] queues: BullMQ on Redis ${redactedUrl(config.redis.url)} (REDIS_URL)`,
);
try {
  await prepare();
} catch (error) {
  // Nothing runs yet: the embedded server must not outlive a failed start.
  await embedded?.stop();
  throw error;
}

async function prepare(): Promise<void> {
  const applied = await prepareDatabase(process.env);
  console.log(
    applied.length ? `[start] migrations applied: ${applied.join(', ')}` : '[start] database schema is up to date',
  );
  // On an empty development database, a portal to try the API with (its key is printed once).
  await ensureDevelopmentPortal(process.env);
  // In development only: next year drafted from the statutory rules and published as provisional when it has no
  // calendar, so cases started now count across New Year. Production publishes only what an operator entered.
  if (config.env !== 'development') return;
  const dataSource = new DataSource(dataSourceOptions(config, { poolSize: 1 }));
  await dataSource.initialize();
  try {
    const drafted = await dataSource.transaction((tx) => publishDevelopmentDraftYear(tx, clockFor(config), config.env));
    if (drafted.outcome === 'published') {
      console.log(
        `[start] development: published the ${drafted.year} calendar drafted from the statutory rules as provisional ` +
          `(${drafted.regions.join(', ')}: not published before; published_by system:development-start)`,
      );
    }
  } finally {
    await dataSource.destroy();
  }
}

function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

/** How long after the children's own deadline (SHUTDOWN_TIMEOUT_MS) whatever is still running is killed. */
const KILL_MARGIN_MS = 2_000;

const children = new Map<string, ChildProcess>();
let stopping = false;

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

function run(name: string, entry: string): void {
  const child = spawn(process.execPath, ['--enable-source-maps', entry], { stdio: 'inherit', env: process.env });
  console.log(`[start] ${name} started (pid ${child.pid})`);
  child.on('exit', (code, signal) => {
    console.log(`[start] ${name} exited (${signal ?? code})`);
    if (!stopping) stop(`${name} exited`, code ?? 1);
  });
  children.set(name, child);
}

/**
 * Passes the stop on to both children (SIGTERM: each closes gracefully within SHUTDOWN_TIMEOUT_MS), waits for both,
 * and kills whatever is still running after that deadline and a margin, so no child outlives `npm start`.
 * Repeated signals change nothing (Ctrl-C reaches this process from the terminal and again from npm).
 */
function stop(reason: string, exitCode: number): void {
  if (stopping) return;
  stopping = true;
  const left = [...children].filter(([, child]) => running(child));
  console.log(`[start] ${reason}: stopping ${left.map(([name]) => name).join(' and ') || 'nothing'}`);
  for (const [, child] of left) child.kill('SIGTERM');
  const killAfter = setTimeout(() => {
    for (const [name, child] of children) {
      if (!running(child)) continue;
      console.error(
        `[start] ${name} still running ${config.shutdownTimeoutMs + KILL_MARGIN_MS} ms after the stop: killed`,
      );
      child.kill('SIGKILL');
    }
  }, config.shutdownTimeoutMs + KILL_MARGIN_MS);
  const exits = left.map(
    ([, child]) => new Promise((exited) => (running(child) ? child.once('exit', exited) : exited(null))),
  );
  void Promise.all(exits).then(async () => {
    clearTimeout(killAfter);
    // The database goes last: the gateway and the worker finish their work with it first.
    if (embedded) {
      await embedded.stop();
      console.log('[start] embedded PostgreSQL stopped');
    }
    console.log('[start] stopped');
    process.exit(exitCode);
  });
}

process.on('SIGINT', () => stop('SIGINT', 0));
process.on('SIGTERM', () => stop('SIGTERM', 0));

void embedded?.exited.then((code) => {
  if (!stopping) stop(`embedded PostgreSQL exited (${code}; see its log in EMBEDDED_DATA_DIR)`, 1);
});
run('gateway', resolve(here, '../apps/gateway/src/main.js'));
run('worker', resolve(here, '../apps/worker/src/main.js'));
const base = config.gateway.publicBaseUrl;
console.log(
  `[start] minsheng is starting: API ${base}/v1 · console ${base}/console/ · OpenAPI docs ${base}/docs · readiness ${base}/health/ready`,
);
