import { parseArgs } from 'node:util';
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig, LOCAL_REDIS_URL, useQueueBackend } from '@minsheng/infra';
import { prepareDatabase } from '../scripts/prepare-database.js';
import { bareLoopLimit } from './limits/bare-loop.js';
import { dbInsertLimit } from './limits/db-insert.js';
import { queueNoopLimit } from './limits/queue-noop.js';
import { intakeScenario } from './scenarios/intake.js';
import { memoryScenario } from './scenarios/memory.js';
import { peerScenario } from './scenarios/peer-bpmn.js';
import { recoveryScenario } from './scenarios/recovery.js';
import { scaleScenario } from './scenarios/scale.js';
import { timersScenario } from './scenarios/timers.js';
import { clockTimersScenario } from './scenarios/clock-timers.js';
import { calendarRecomputeScenario } from './scenarios/calendar-recompute.js';
import { workflowScenario } from './scenarios/workflow.js';
import { paymentRunScenario } from './scenarios/payment-run.js';
import {
  FULL,
  NotAvailable,
  QUICK,
  type BenchContext,
  type QueueBackend,
  type RatioRow,
  type ResultRow,
  type Scenario,
} from './support/context.js';
import type { PhaseCountsPerUnit } from './support/counts.js';
import { BenchProcesses, freePort, REPO_ROOT } from './support/processes.js';
import { deleteEarlierRuns, deletePrefix, usedMemory } from './support/redis.js';
import { ratios, renderSideBySide, renderTables } from './support/report.js';

/**
 * `npm run bench [-- --quick] [-- --only limit-db,intake] [-- --no-build] [-- --queue-backend both|redis|postgres]`:
 * measures minsheng against the limits of this machine in the same run, on its own database (minsheng_bench,
 * dropped and created for each pass) and queue prefix. With both backends (the default), the scenarios that use
 * queues run once on Redis and once on BullMQ's PostgreSQL backend, and the tables show the two side by side.
 */
const SCENARIOS: readonly Scenario[] = [
  dbInsertLimit,
  queueNoopLimit,
  bareLoopLimit,
  intakeScenario,
  workflowScenario,
  timersScenario,
  clockTimersScenario,
  recoveryScenario,
  calendarRecomputeScenario,
  paymentRunScenario,
  scaleScenario,
  peerScenario,
  memoryScenario,
];

// parseArgs reads `--only a,b` and `--only=a,b` alike, and refuses an unknown option instead of ignoring it.
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    // The queue-dependent scenarios on Redis and on BullMQ's PostgreSQL backend, side by side.
    'queue-backend': { type: 'string', default: 'both' },
  },
});
const QUEUE_BACKEND_CHOICES: Record<string, readonly QueueBackend[]> = {
  both: ['redis', 'postgres'],
  redis: ['redis'],
  postgres: ['postgres'],
};
const backends = QUEUE_BACKEND_CHOICES[args['queue-backend']];
if (backends === undefined) {
  throw new Error(`--queue-backend must be both, redis or postgres, not "${args['queue-backend']}"`);
}
const quick = args.quick;
const only = args.only?.split(',');
const sizes = quick ? QUICK : FULL;
const startedAt = new Date();
/** Its own database (dropped and created each run); `BENCH_DATABASE` names another so two runs on one server do not drop each other's. */
const BENCH_DATABASE = /^[a-z_][a-z0-9_]{0,62}$/.test(process.env['BENCH_DATABASE'] ?? '')
  ? process.env['BENCH_DATABASE']!
  : 'minsheng_bench';

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    cpus: cpus().length,
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    // Other work on the machine skews every figure; the load average says how much there was.
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

async function recreateDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Clocks started now run into next year. Until its notice is published they wait without a due time (fail
 * closed), which skips arming their timers: not the path a deployment takes once the year is out. The bench
 * publishes next year as weekends only, marked provisional, in its own database, so every clock is armed.
 */
async function publishNextYear(db: pg.Pool): Promise<void> {
  const year = new Date().getUTCFullYear() + 1;
  const { rowCount } = await db.query(
    `INSERT INTO calendars (region, year, version, body, published_by, source)
     SELECT DISTINCT ON (region) region, $1::int, 1,
            body || jsonb_build_object('year', $1::int, 'version', 1, 'provisional', true, 'holidays', '[]'::jsonb,
                                       'makeUpWorkdays', '[]'::jsonb, 'restDayOverrides', '[]'::jsonb),
            'system:bench', 'bench fixture: weekends only'
     FROM calendars c WHERE year = $1::int - 1
       AND NOT EXISTS (SELECT 1 FROM calendars n WHERE n.region = c.region AND n.year = $1::int)
     ORDER BY region, version DESC`,
    [year],
  );
  if ((rowCount ?? 0) > 0) console.log(`published ${year} as a weekends-only bench fixture (no notice shipped yet)`);
}

/**
 * A deployment runs autovacuum; some development machines turn it off. Without it the planner keeps the
 * statistics of the empty tables the bench started from, and every table keeps its dead rows: after ten thousand
 * cases the step's statements read whole tables. When autovacuum is off, the bench does its job every 60 s, with
 * autovacuum's default thresholds (PostgreSQL docs, "The Autovacuum Daemon"): a table is vacuumed once its dead
 * rows pass 50 + 20 % of its rows, analysed once its changes since the last analysis pass 50 + 10 %. Vacuuming the
 * whole database every minute instead cost a growing share of the machine as the run's tables grew, which a
 * deployment does not pay.
 */
async function standInForAutovacuum(db: pg.Pool): Promise<() => Promise<void>> {
  const { rows } = await db.query<{ autovacuum: string }>('SHOW autovacuum');
  if (rows[0]?.autovacuum === 'on') return async () => undefined;
  console.log('autovacuum is off on this server: the bench does its work every 60 s, at its default thresholds');
  let running: Promise<void> | undefined;
  const round = async () => {
    const { rows: due } = await db.query<{ name: string; vacuum: boolean }>(
      `SELECT format('%I.%I', schemaname, relname) AS name,
              n_dead_tup > 50 + 0.2 * n_live_tup AS vacuum
       FROM pg_stat_user_tables
       WHERE n_dead_tup > 50 + 0.2 * n_live_tup OR n_mod_since_analyze > 50 + 0.1 * n_live_tup`,
    );
    for (const table of due) await db.query(`${table.vacuum ? 'VACUUM (ANALYZE)' : 'ANALYZE'} ${table.name}`);
  };
  const timer = setInterval(() => {
    if (running !== undefined) return;
    running = round()
      .catch((error: unknown) => console.error('  vacuum:', error))
      .finally(() => (running = undefined));
  }, 60_000);
  timer.unref();
  // Stopping waits for a round in flight: the pass closes the pool right after.
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** One pass of the bench over the selected scenarios, on one queue backend. */
interface Pass {
  readonly backend: QueueBackend;
  readonly queuePrefix: string;
  readonly rows: ResultRow[];
  readonly metrics: Map<string, number>;
  readonly counts: Map<string, PhaseCountsPerUnit>;
  readonly ratios: RatioRow[];
}

async function main(): Promise<void> {
  const base = loadConfig(process.env);
  const databaseUrl = new URL(base.database.url);
  databaseUrl.pathname = `/${BENCH_DATABASE}`;
  const envFor = (backend: QueueBackend): Record<string, string> => ({
    // Production mode with throw-away secrets: the code paths and log volume of a deployment.
    NODE_ENV: 'production',
    GATEWAY_HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl.toString(),
    DATABASE_SCHEMA: 'public',
    DATABASE_POOL_SIZE: String(base.database.poolSize),
    // Without REDIS_URL the apps run their queues on BullMQ's PostgreSQL backend, in the bench database, in the
    // schema of the queue prefix (docs/operations.md "Queue backends"), as the embedded mode does.
    ...(backend === 'redis' ? { REDIS_URL: base.redis.url ?? LOCAL_REDIS_URL } : {}),
    QUEUE_PREFIX: `bench-${startedAt.getTime()}${backend === 'redis' ? '' : '-pg'}`,
    LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
    WORKER_CONCURRENCY: String(base.worker.concurrency),
    HEARTBEAT_EVERY_MS: '60000',
    PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PII_HASH_KEY: randomBytes(32).toString('base64'),
    JWT_SECRET: randomBytes(32).toString('base64'),
  });
  const about = machine();
  console.log(
    `minsheng bench (${quick ? 'quick' : 'full'}): ${about.cpus} × ${about.cpuModel}, ${about.memoryGiB} GiB, Node ${about.node}, load ${about.loadAverageAtStart.join(' ')}`,
  );
  console.log(`queue backends: ${backends.join(', ')}`);

  if (!args['no-build']) {
    console.log('building (npm run build) …');
    execSync('npm run build', { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  BenchProcesses.assertBuilt();

  // Redis is opened only when a pass runs on it: a PostgreSQL-only run needs no Redis at all.
  const redis = backends.includes('redis')
    ? new Redis(base.redis.url ?? LOCAL_REDIS_URL, { maxRetriesPerRequest: null })
    : undefined;
  if (redis !== undefined) {
    const abandoned = await deleteEarlierRuns(redis, `bench-${startedAt.getTime()}`);
    if (abandoned.length > 0) console.log(`deleted the queues of unfinished earlier runs: ${abandoned.join(', ')}`);
  }

  const passes: Pass[] = [];
  // Figures of the scenarios that use no queue (limit-db, scale, peer): measured in the first pass only, and
  // the later passes' ratios divide by them.
  const shared = new Map<string, number>();
  for (const [index, backend] of backends.entries()) {
    const env = { ...envFor(backend), GATEWAY_PORT: String(await freePort()) };
    const config = loadConfig(env);
    // The bench's own queues and workers (limit-queue, bare loop, timers) use the pass's backend too.
    useQueueBackend(config);
    console.log(`\n══ queues on ${backend === 'redis' ? 'Redis' : 'PostgreSQL (BullMQ backend)'} ══`);
    console.log(`database ${BENCH_DATABASE}, queue prefix ${config.redis.queuePrefix}`);
    await recreateDatabase(config.database.url);
    const applied = await prepareDatabase(env);
    console.log(`prepared ${BENCH_DATABASE}: ${applied.length} migrations`);

    const db = new pg.Pool({ connectionString: config.database.url, max: 8 });
    await publishNextYear(db);
    const stopVacuuming = await standInForAutovacuum(db);
    const processes = new BenchProcesses(env, { count: true });
    const rows: ResultRow[] = [];
    const metrics = new Map<string, number>(shared);
    const counts = new Map<string, PhaseCountsPerUnit>();
    if (redis !== undefined && backend === 'redis') metrics.set('redis.usedBefore', await usedMemory(redis));

    let current = '';
    const ctx: BenchContext = {
      quick,
      backend,
      sizes,
      env,
      config,
      db,
      redis,
      processes,
      metrics,
      counts,
      record: (row) => rows.push({ scenario: current, ...row }),
    };

    try {
      for (const scenario of SCENARIOS) {
        if (only && !only.includes(scenario.id)) continue;
        if (scenario.queues === 'none' && index > 0) continue;
        current = scenario.id;
        if (scenario.queues === 'redis' && backend !== 'redis') {
          const note = 'not available: measures Redis itself';
          rows.push({ scenario: scenario.id, metric: scenario.title, value: null, unit: '', note });
          continue;
        }
        console.log(`\n▶ ${scenario.title}`);
        const t0 = performance.now();
        const before = new Set(metrics.keys());
        try {
          await scenario.run(ctx);
        } catch (error) {
          const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
          const note = error instanceof NotAvailable ? `not available: ${reason}` : `failed: ${reason}`;
          console.log(`  ${note}`);
          if (!(error instanceof NotAvailable)) console.error(error);
          rows.push({ scenario: scenario.id, metric: scenario.title, value: null, unit: '', note });
        }
        if (scenario.queues === 'none') {
          for (const [key, value] of metrics) if (!before.has(key)) shared.set(key, value);
        }
        console.log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      }
    } finally {
      await stopVacuuming();
      await processes.stopAll();
      await db.end();
    }
    passes.push({
      backend,
      queuePrefix: config.redis.queuePrefix,
      rows,
      metrics,
      counts,
      ratios: ratios(metrics, sizes.scaleCases),
    });
    if (redis !== undefined && backend === 'redis') await deletePrefix(redis, config.redis.queuePrefix);
  }

  const tables =
    passes.length === 1
      ? renderTables(passes[0]!.ratios, passes[0]!.rows)
      : renderSideBySide(
          passes[0]!,
          passes[1]!,
          new Set(SCENARIOS.filter((scenario) => scenario.queues === 'none').map((scenario) => scenario.id)),
        );
  console.log(`\n${tables}\n`);

  const resultsDir = resolve(import.meta.dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = resolve(resultsDir, `${startedAt.toISOString().slice(0, 10)}${quick ? '-quick' : ''}.json`);
  const first = passes[0]!;
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        mode: quick ? 'quick' : 'full',
        machine: { ...about, loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100) },
        durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
        sizes,
        settings: {
          workerConcurrency: base.worker.concurrency,
          databasePoolSize: base.database.poolSize,
          logLevel: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
          queueBackends: backends,
        },
        // The first pass at the top level, as before there were passes; every pass under `passes`.
        ratios: first.ratios,
        rows: first.rows,
        metrics: Object.fromEntries(first.metrics),
        // Per phase: SQL statements and Redis commands per unit of work, by process and by statement (bench/README.md).
        counts: Object.fromEntries(first.counts),
        passes: passes.map((pass) => ({
          ...pass,
          metrics: Object.fromEntries(pass.metrics),
          counts: Object.fromEntries(pass.counts),
        })),
      },
      null,
      2,
    )}\n`,
  );
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`results written to ${file}`);
  await redis?.quit();
}

// Libraries of the scenarios (bpmn-engine timers, BullMQ connections they own) may keep handles open: the
// results are written, so leave explicitly.
await main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
