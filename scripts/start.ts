import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { clockFor, dataSourceOptions, loadConfig, publishDevelopmentDraftYear } from '@minsheng/infra';
import { ensureDevelopmentPortal } from './create-portal.js';
import { prepareDatabase } from './prepare-database.js';

/**
 * `npm start`: applies migrations (creating the database if needed), then runs the gateway and the worker
 * side by side against the local PostgreSQL and Redis, and stops both on Ctrl-C or SIGTERM.
 */
const here = dirname(fileURLToPath(import.meta.url));
const config = loadConfig(process.env);
const applied = await prepareDatabase(process.env);
console.log(
  applied.length ? `[start] migrations applied: ${applied.join(', ')}` : '[start] database schema is up to date',
);
// On an empty development database, a portal to try the API with (its key is printed once).
await ensureDevelopmentPortal(process.env);
// In development only: next year drafted from the statutory rules and published as provisional when it has no
// calendar, so cases started now count across New Year. Production publishes only what an operator entered.
if (config.env === 'development') {
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

const children: ChildProcess[] = [];
let stopping = false;

function run(name: string, entry: string): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', entry], { stdio: 'inherit', env: process.env });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[start] ${name} exited (${signal ?? code}); stopping the others`);
    stop(code ?? 1);
  });
  children.push(child);
  return child;
}

function stop(exitCode: number): void {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const deadline = setTimeout(() => process.exit(exitCode), config.shutdownTimeoutMs + 2_000);
  deadline.unref();
  const exits = children.filter((c) => c.exitCode === null).map((c) => new Promise((r) => c.once('exit', r)));
  void Promise.all(exits).then(() => process.exit(exitCode));
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

run('gateway', resolve(here, '../apps/gateway/src/main.js'));
run('worker', resolve(here, '../apps/worker/src/main.js'));
const base = config.gateway.publicBaseUrl;
console.log(
  `[start] minsheng is starting: API ${base}/v1 · OpenAPI docs ${base}/docs · readiness ${base}/health/ready`,
);
