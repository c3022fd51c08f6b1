/**
 * The gateway's CPU per `POST /v1/applications`, the gateway alone (bench/profiles/intake.md "Request logging and
 * the intake path (2026-12-07)"): prepares a database, starts the built gateway (`npm run build` first; `--entry`
 * runs another build, e.g. a copy of the one before a change), sends 1,000 applications to warm it up, then
 * `--requests` more at `--concurrency` and reads the gateway's CPU time (utime + stime, /proc) around them.
 * The gateway's stdout goes to /dev/null. No worker runs; the outbox rows it writes stay unsent.
 *   node --import tsx bench/profiles/intake-cpu.ts [--database minsheng_intake_cpu] [--runs 3] [--log-level warn]
 *     [--requests 3000] [--concurrency 16] [--cpu-prof <dir>] [--entry dist/apps/gateway/src/main.js]
 * With `--cpu-prof` the gateway writes a V8 CPU profile when it stops (one per run).
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig } from '@minsheng/infra';
import { createPortalFromConfig } from '../../scripts/create-portal.js';
import { prepareDatabase } from '../../scripts/prepare-database.js';
import { applicationBody } from '../support/applications.js';
import { HttpClient } from '../support/http.js';
import { deletePrefix } from '../support/redis.js';
import { MINIMUM_LIVING_ITEM } from '../support/minimum-living-path.js';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    database: { type: 'string', default: 'minsheng_intake_cpu' },
    runs: { type: 'string', default: '3' },
    'log-level': { type: 'string', default: 'warn' },
    requests: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '16' },
    'cpu-prof': { type: 'string' },
    entry: { type: 'string', default: 'dist/apps/gateway/src/main.js' },
  },
});

const CLOCK_TICKS_PER_SECOND = 100;
/** utime + stime of a process, in ms (/proc/<pid>/stat fields 14 and 15). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

const base = loadConfig(process.env);
const databaseUrl = new URL(base.database.url);
databaseUrl.pathname = `/${args.database}`;
const env: Record<string, string> = {
  NODE_ENV: 'production',
  GATEWAY_HOST: '127.0.0.1',
  GATEWAY_PORT: String(20_000 + Math.floor(Math.random() * 20_000)),
  DATABASE_URL: databaseUrl.toString(),
  DATABASE_SCHEMA: 'public',
  REDIS_URL: base.redis.url ?? 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: `intake-cpu-${Date.now()}`,
  LOG_LEVEL: args['log-level'],
  PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  PII_HASH_KEY: randomBytes(32).toString('base64'),
  JWT_SECRET: randomBytes(32).toString('base64'),
};

async function dropDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: new URL('/postgres', databaseUrl).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${args.database} WITH (FORCE)`);
  await admin.end();
}

await dropDatabase();
await prepareDatabase(env);
const { apiKey } = await createPortalFromConfig(
  { name: 'intake cpu portal', items: [MINIMUM_LIVING_ITEM], rateLimitPerMinute: 100_000_000 },
  env,
);

let applicant = 2_000_000;
for (let run = 1; run <= Number(args.runs); run += 1) {
  const profiling = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : [];
  const gateway = spawn(process.execPath, [...profiling, args.entry], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${env['GATEWAY_PORT']}`;
  for (let ready = false; !ready;) {
    ready = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (!ready) await new Promise((r) => setTimeout(r, 200));
  }
  const http = new HttpClient(url, Number(args.concurrency) * 2);
  const submit = async () => {
    const result = await http.send(
      'POST',
      '/v1/applications',
      { 'x-api-key': apiKey, 'idempotency-key': randomUUID() },
      applicationBody(applicant++),
    );
    if (result.status !== 202) throw new Error(`refused: ${result.status} ${JSON.stringify(result.body)}`);
  };
  const load = async (count: number) => {
    let left = count;
    await Promise.all(
      Array.from({ length: Number(args.concurrency) }, async () => {
        while (left-- > 0) await submit();
      }),
    );
  };
  await load(1000);
  const requests = Number(args.requests);
  const before = cpuMsOf(gateway.pid!);
  const started = performance.now();
  await load(requests);
  const cpuMs = cpuMsOf(gateway.pid!) - before;
  const seconds = (performance.now() - started) / 1000;
  http.close();
  gateway.kill('SIGTERM');
  await new Promise((r) => gateway.once('exit', r));
  console.log(
    `run ${run}: ${(cpuMs / requests).toFixed(3)} ms gateway CPU per request, ${(requests / seconds).toFixed(0)} req/s, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
}

// Leave nothing behind on the shared services: the run's database and its queues' keys.
await dropDatabase();
const redis = new Redis(env['REDIS_URL']!);
await deletePrefix(redis, env['QUEUE_PREFIX']!);
await redis.quit();
