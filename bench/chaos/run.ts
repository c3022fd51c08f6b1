import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { PiiCipher, replayStoredCases, timerJobId, verifyChain, type StoredEventRow } from '@minsheng/infra';
import { createPortalFromConfig } from '../../scripts/create-portal.js';
import { isEntryPoint } from '../../scripts/entry-point.js';
import { mintStaffToken } from '../../scripts/mint-token.js';
import { prepareDatabase } from '../../scripts/prepare-database.js';
import { applicationBody } from '../support/applications.js';
import { HttpClient } from '../support/http.js';
import { FINDINGS, MINIMUM_LIVING_ITEM } from '../support/minimum-living-path.js';
import { BenchProcesses, freePort } from '../support/processes.js';
import { sleep } from '../support/stats.js';
import { OwnPostgres, OwnRedis } from './services.js';

/**
 * `npm run chaos` (docs/operations.md "Chaos suite"): minimum-living cases submitted and decided over HTTP through
 * the compiled gateway and two workers, on the suite's own PostgreSQL and Redis, while it kills workers and the
 * gateway, empties Redis, crashes PostgreSQL, keeps PostgreSQL and then Redis down, and races decisions against
 * breach timers. Then it checks every case: each ends approved, each command applied once, each chain intact, each
 * replay consistent, nothing stuck. Prints one row per fault and exits 1 on any loss, duplicate, stuck case, broken
 * chain or divergence.
 */

interface Sizes {
  readonly cases: number;
  readonly outageMs: number;
  /** How long the cases may take to finish after the last fault. */
  readonly settleMs: number;
}
const FULL: Sizes = { cases: 400, outageMs: 30_000, settleMs: 600_000 };
const SHORT: Sizes = { cases: 80, outageMs: 30_000, settleMs: 150_000 };
/** Of the tasks decided, one in RACE_EVERY has its case's running deadline timers fired at the same moment. */
const RACE_EVERY = 4;
/** The faults below, each preceded by a wave of cases. */
const FAULTS = 7;
const SUBMITTERS = 8;
const REVIEWERS = 12;

interface FaultRow {
  readonly fault: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** From the fault's end until a new application (a probe) reached its first task, end to end. */
  readonly recoveryMs: number;
}

interface CaseCheck {
  readonly id: string;
  readonly closedAt: number | null;
  readonly status: string;
  readonly duplicated: boolean;
  readonly chainOk: boolean;
  readonly diverged: boolean;
}

class Chaos {
  private readonly http: HttpClient;
  /** Each application's idempotency key, when it was first sent, and the case id once acknowledged. */
  private readonly submitted = new Map<number, { key: string; sentAt: number; caseId?: string }>();
  private stopDriving = false;
  readonly httpErrors = new Map<string, number>();
  raced = 0;
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(
    private readonly env: Record<string, string>,
    private readonly db: pg.Pool,
    private readonly processes: BenchProcesses,
    private readonly clocks: Queue,
    private readonly apiKey: string,
    private readonly portalId: string,
  ) {
    this.http = new HttpClient(processes.gatewayUrl, SUBMITTERS + REVIEWERS + 4);
  }

  private count(what: string) {
    this.httpErrors.set(what, (this.httpErrors.get(what) ?? 0) + 1);
  }

  /** Sends until the gateway answers (it may be down, restarting, or answering 503 while a dependency is away). */
  private async send(method: string, path: string, headers: Record<string, string>, body?: unknown) {
    for (;;) {
      try {
        const answer = await this.http.send(method, path, headers, body);
        if (answer.status < 500 && answer.status !== 429) return answer;
        this.count(`${method} ${path.split('/')[2]} ${answer.status}`);
      } catch {
        this.count(`${method} ${path.split('/')[2]} no connection`);
      }
      await sleep(250);
    }
  }

  /** Submits application `n` with one idempotency key for all its attempts; answers its case id. */
  async submit(n: number): Promise<string> {
    const entry = this.submitted.get(n) ?? { key: randomUUID(), sentAt: Date.now() };
    this.submitted.set(n, entry);
    const answer = await this.send(
      'POST',
      '/v1/applications',
      { 'x-api-key': this.apiKey, 'idempotency-key': entry.key },
      applicationBody(n),
    );
    if (answer.status !== 202 && answer.status !== 200) {
      throw new Error(`application ${n} refused: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    }
    entry.caseId = (answer.body as { caseId: string }).caseId;
    return entry.caseId;
  }

  get acknowledged(): { caseId: string; sentAt: number }[] {
    return [...this.submitted.values()].flatMap((e) => (e.caseId ? [{ caseId: e.caseId, sentAt: e.sentAt }] : []));
  }

  async submitAll(first: number, count: number): Promise<void> {
    let next = first;
    await Promise.all(
      Array.from({ length: SUBMITTERS }, async () => {
        while (next < first + count) await this.submit(next++);
      }),
    );
  }

  private token(level: string, division: string, desk: 'a' | 'b'): Promise<string> {
    const key = `${level}-${division}-${desk}`;
    let token = this.tokens.get(key);
    if (!token) {
      token = mintStaffToken(
        {
          sub: `chaos-${key}`,
          name: `Chaos ${key}`,
          department: 'civil-affairs',
          level,
          divisions: [division],
          roles: ['reviewer'],
        },
        this.env,
      );
      this.tokens.set(key, token);
    }
    return token;
  }

  operatorToken(): Promise<string> {
    return mintStaffToken(
      {
        sub: 'chaos-operator',
        name: 'Chaos operator',
        department: 'civil-affairs',
        level: 'city',
        divisions: [],
        roles: ['operator'],
      },
      this.env,
    );
  }

  /**
   * Reviewers and the notice clock until `stop()`: open tasks of the portal's cases are claimed and decided over
   * HTTP (a task this driver claimed before a fault is decided again: a second claim by the same reviewer is
   * accepted), a running public notice is ended by promoting its due timer whenever it is found delayed (a timer
   * promoted just before Redis was emptied comes back delayed from the reconciler, under the same job id, and must be
   * promoted again), and every RACE_EVERY-th decision is
   * sent while the case's running deadline timers are promoted to fire at the same moment.
   */
  async drive(): Promise<void> {
    const busy = new Set<string>();
    let decisions = 0;
    const work: Promise<void>[] = [];
    while (!this.stopDriving) {
      let rows: { tasks: Task[]; notices: { id: string; generation: number }[] };
      try {
        ({
          rows: [rows],
        } = await this.db.query(POLL, [this.portalId]));
      } catch {
        await sleep(500); // PostgreSQL is down: so is everything else
        continue;
      }
      for (const task of rows.tasks) {
        if (busy.has(task.id) || busy.size >= REVIEWERS) continue;
        busy.add(task.id);
        const race = ++decisions % RACE_EVERY === 0;
        work.push(this.decide(task, race).finally(() => busy.delete(task.id)));
      }
      for (const notice of rows.notices) {
        const job = await this.clocks.getJob(timerJobId(notice.id, 'due', notice.generation)).catch(() => undefined);
        if (job && (await job.isDelayed().catch(() => false))) await job.promote().catch(() => undefined);
      }
      await sleep(200);
    }
    await Promise.all(work);
  }

  stop(): void {
    this.stopDriving = true;
  }

  private async decide(task: Task, race: boolean): Promise<void> {
    const desk = task.step === 'investigation' ? 'b' : 'a';
    const auth = { authorization: `Bearer ${await this.token(task.level, task.division_code, desk)}` };
    const claim = await this.send('POST', `/v1/tasks/${task.id}/claim`, auth);
    if (claim.status !== 200) return; // decided meanwhile, or closed: a later poll shows what is left
    const body = task.step === 'investigation' ? { outcome: 'approve', findings: FINDINGS } : { outcome: 'approve' };
    const deciding = this.send('POST', `/v1/tasks/${task.id}/decision`, auth, body);
    if (race) {
      this.raced += 1;
      await this.fireDeadlines(task.case_id);
    }
    await deciding;
  }

  /** Promotes the due timers of the case's running deadline clocks: each breaches now, racing the decision. */
  private async fireDeadlines(caseId: string): Promise<void> {
    const { rows } = await this.db
      .query<{ id: string; generation: number }>(
        `SELECT id, generation FROM case_clocks WHERE case_id = $1 AND stopped_at IS NULL AND clock <> 'public-notice'`,
        [caseId],
      )
      .catch(() => ({ rows: [] as { id: string; generation: number }[] }));
    for (const clock of rows) {
      const job = await this.clocks.getJob(timerJobId(clock.id, 'due', clock.generation)).catch(() => undefined);
      if (job && (await job.isDelayed().catch(() => false))) await job.promote().catch(() => undefined);
    }
  }

  /** Submits one more application and waits until it has its acceptance task: the whole path works again. */
  async probe(n: number): Promise<void> {
    const caseId = await this.submit(n);
    for (;;) {
      const opened = await this.db
        .query(`SELECT 1 FROM tasks WHERE case_id = $1 LIMIT 1`, [caseId])
        .then((r) => r.rowCount! > 0)
        .catch(() => false);
      if (opened) return;
      await sleep(100);
    }
  }
}

interface Task {
  id: string;
  case_id: string;
  step: string;
  level: string;
  division_code: string;
}

/** Open review tasks (escalation tasks are for supervisors, not part of the path) and running notices. */
const POLL = `
  SELECT
    (SELECT coalesce(json_agg(t), '[]') FROM (
       SELECT t.id, t.case_id, t.step, t.level, t.division_code FROM tasks t JOIN cases c ON c.id = t.case_id
       WHERE t.closed_at IS NULL AND t.kind <> 'escalation' AND c.portal_id = $1
       ORDER BY t.opened_at LIMIT 200) t) AS tasks,
    (SELECT coalesce(json_agg(k), '[]') FROM (
       SELECT k.id, k.generation FROM case_clocks k JOIN cases c ON c.id = k.case_id
       WHERE k.clock = 'public-notice' AND k.stopped_at IS NULL AND c.portal_id = $1) k) AS notices`;

/** What each case ended as, from PostgreSQL: status, duplicates among its applied steps, chain, replay. */
async function checkCases(db: pg.Pool, cipher: PiiCipher): Promise<CaseCheck[]> {
  const { rows } = await db.query<{ id: string; status: string; closed_at: Date | null; duplicated: boolean }>(
    `SELECT c.id, c.status, c.closed_at,
            EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id
                      AND e.type IN ('SUBMITTED', 'DECIDED', 'NOTICE_PERIOD_ENDED', 'CASE_CLOSED')
                    GROUP BY e.type, e.payload->'event'->>'step' HAVING count(*) > 1) AS duplicated
     FROM cases c`,
  );
  const { rows: events } = await db.query<StoredEventRow>(`SELECT * FROM case_events ORDER BY case_id, seq`);
  const byCase = new Map<string, StoredEventRow[]>();
  for (const e of events) byCase.set(e.case_id, [...(byCase.get(e.case_id) ?? []), e]);
  const diverged = new Set<string>();
  let afterId: string | undefined;
  for (;;) {
    const page = await replayStoredCases(db, cipher, { afterId, limit: 500 });
    if (page.length === 0) break;
    for (const r of page) if (r.verdict === 'diverged' || r.verdict === 'unreplayable') diverged.add(r.caseId);
    afterId = page.at(-1)!.caseId;
  }
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    closedAt: r.closed_at ? new Date(r.closed_at).getTime() : null,
    duplicated: r.duplicated,
    chainOk: verifyChain(byCase.get(r.id) ?? []).ok,
    diverged: diverged.has(r.id),
  }));
}

interface Totals {
  cases: number;
  lost: number;
  duplicated: number;
  stuck: number;
  chainFailures: number;
  diverged: number;
}

function totalsFor(
  checks: readonly CaseCheck[],
  acknowledged: ReadonlySet<string>,
  lostIds: readonly string[],
): Totals {
  return {
    cases: checks.length,
    lost: lostIds.length,
    duplicated: checks.filter((c) => c.duplicated).length + Math.max(0, checks.length - acknowledged.size),
    stuck: checks.filter((c) => c.status !== 'approved' || c.closedAt === null).length,
    chainFailures: checks.filter((c) => !c.chainOk).length,
    diverged: checks.filter((c) => c.diverged).length,
  };
}

export async function runChaos(sizes: Sizes, label: string): Promise<number> {
  BenchProcesses.assertBuilt();
  const folder = mkdtempSync(join(tmpdir(), 'minsheng-chaos-'));
  const postgres = await OwnPostgres.create(folder, await freePort());
  const redis = new OwnRedis(await freePort(), join(folder, 'redis'));
  await redis.start();
  const admin = new pg.Client({ connectionString: `${postgres.url}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE minsheng_chaos');
  await admin.end();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: String(await freePort()),
    DATABASE_URL: `${postgres.url}/minsheng_chaos`,
    DATABASE_SCHEMA: 'public',
    REDIS_URL: redis.url,
    QUEUE_PREFIX: 'chaos',
    LOG_LEVEL: 'error',
    HEARTBEAT_EVERY_MS: '60000',
    PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PII_HASH_KEY: randomBytes(32).toString('base64'),
    JWT_SECRET: randomBytes(32).toString('base64'),
  };
  await prepareDatabase(env);
  const portal = await createPortalFromConfig(
    { name: 'chaos portal', items: [MINIMUM_LIVING_ITEM], rateLimitPerMinute: 100_000_000 },
    env,
  );
  const db = new pg.Pool({ connectionString: env['DATABASE_URL'], max: 4 });
  db.on('error', () => undefined); // a crashed server ends idle clients; the next query reconnects
  const queueRedis = new Redis(redis.url, { maxRetriesPerRequest: null });
  queueRedis.on('error', () => undefined);
  const clocks = new Queue('clock-timers', { connection: queueRedis, prefix: 'chaos' });
  clocks.on('error', () => undefined);
  const processes = new BenchProcesses(env);
  const started = Date.now();
  const faults: FaultRow[] = [];
  let exitCode = 1;
  try {
    await processes.startGateway();
    await processes.startWorker();
    await processes.startWorker();
    const chaos = new Chaos(env, db, processes, clocks, portal.apiKey, portal.portalId);
    let probeN = 9_000_000;
    const fault = async (name: string, inflict: () => Promise<void>) => {
      const startedAt = Date.now();
      await inflict();
      const endedAt = Date.now();
      await chaos.probe(probeN++);
      faults.push({ fault: name, startedAt, endedAt, recoveryMs: Date.now() - endedAt });
      console.log(`  ${name}: recovered in ${((Date.now() - endedAt) / 1000).toFixed(1)} s`);
    };
    const driving = chaos.drive();
    // The cases come in waves, one before each fault, so every fault hits cases in flight.
    const waves: Promise<void>[] = [];
    const perWave = Math.ceil(sizes.cases / FAULTS);
    let nextCase = 1;
    const pause = async () => {
      const count = Math.min(perWave, sizes.cases + 1 - nextCase);
      if (count > 0) waves.push(chaos.submitAll(nextCase, count));
      nextCase += count;
      // Long enough for the wave to reach the engine, short enough that its cases are mid-way when the fault hits.
      await sleep(1_500);
    };

    await pause();
    await fault('worker SIGKILL (one of two)', async () => {
      await processes.kill('worker');
      await processes.startWorker();
    });
    await pause();
    await fault('gateway SIGKILL', async () => {
      await processes.kill('gateway');
      await processes.startGateway();
    });
    await pause();
    await fault('Redis emptied (FLUSHALL, nothing restarted)', () => redis.flushAll());
    await pause();
    await fault('PostgreSQL crash, restarted at once', async () => {
      postgres.stopImmediately();
      await postgres.start();
    });
    await pause();
    await fault(`PostgreSQL down ${sizes.outageMs / 1000} s`, async () => {
      postgres.stopImmediately();
      await sleep(sizes.outageMs);
      await postgres.start();
    });
    await pause();
    await fault(`Redis down ${sizes.outageMs / 1000} s`, async () => {
      await redis.stop();
      await sleep(sizes.outageMs);
      await redis.start();
    });
    await pause();
    await fault('both workers SIGKILL', async () => {
      await processes.kill('worker');
      await processes.kill('worker');
      await processes.startWorker();
      await processes.startWorker();
    });
    await Promise.all(waves);

    // Every case to its end, or the settle time runs out.
    const total = sizes.cases + (probeN - 9_000_000);
    const deadline = Date.now() + sizes.settleMs;
    for (;;) {
      const { rows } = await db
        .query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE closed_at IS NOT NULL`)
        .catch(() => ({ rows: [{ n: 0 }] }));
      if (rows[0]!.n >= total || Date.now() > deadline) break;
      await sleep(1000);
    }
    chaos.stop();
    await driving;

    const operator = await chaos.operatorToken();
    const stuckView = await new HttpClient(processes.gatewayUrl).send('GET', '/v1/ops/cases/stuck?olderThanSeconds=0', {
      authorization: `Bearer ${operator}`,
    });
    const opsStuck = ((stuckView.body as { items?: unknown[] }).items ?? []).length;

    const checks = await checkCases(db, new PiiCipher(env.PII_ENCRYPTION_KEY, env.PII_HASH_KEY));
    const known = new Set(checks.map((c) => c.id));
    const acknowledged = chaos.acknowledged;
    const lostIds = acknowledged.filter((a) => !known.has(a.caseId)).map((a) => a.caseId);
    const ackIds = new Set(acknowledged.map((a) => a.caseId));
    const sentAt = new Map(acknowledged.map((a) => [a.caseId, a.sentAt]));

    const rows = faults.map((f) => {
      // The cases a fault could touch: first sent before it ended, not closed before it began.
      const touched = checks.filter(
        (c) => (sentAt.get(c.id) ?? 0) <= f.endedAt && (c.closedAt === null || c.closedAt >= f.startedAt),
      );
      return {
        fault: f.fault,
        recovery: `${(f.recoveryMs / 1000).toFixed(1)} s`,
        ...totalsFor(touched, new Set(touched.map((c) => c.id)), []),
      };
    });
    const all = totalsFor(checks, ackIds, lostIds);
    rows.push({ fault: 'whole run', recovery: '', ...all });
    console.log(
      `\nchaos ${label}: ${checks.length} cases, ${chaos.raced} decision attempts raced against breach timers, ` +
        `${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    console.table(
      rows.map((r) => ({
        fault: r.fault,
        'recovery time': r.recovery,
        'cases touched': r.cases,
        lost: r.lost,
        duplicated: r.duplicated,
        stuck: r.stuck,
        'chain failures': r.chainFailures,
        'replay divergences': r.diverged,
      })),
    );
    const stuck = checks.filter((c) => c.status !== 'approved' || c.closedAt === null).slice(0, 5);
    for (const c of stuck) {
      const { rows: detail } = await db.query(
        `SELECT c.status, c.current_steps,
                (SELECT json_agg(json_build_object('step', t.step, 'kind', t.kind, 'status', t.status))
                 FROM tasks t WHERE t.case_id = c.id AND t.closed_at IS NULL) AS open_tasks,
                (SELECT json_agg(json_build_object('clock', k.clock, 'generation', k.generation, 'due', k.due_at))
                 FROM case_clocks k WHERE k.case_id = c.id AND k.stopped_at IS NULL) AS running_clocks,
                (SELECT json_agg(e.type ORDER BY e.seq) FROM case_events e WHERE e.case_id = c.id) AS events
         FROM cases c WHERE c.id = $1`,
        [c.id],
      );
      console.log(`not finished: ${c.id} ${JSON.stringify(detail[0])}`);
    }
    const errors = [...chaos.httpErrors].map(([k, v]) => `${v}× ${k}`).join(', ');
    console.log(`retried HTTP answers (5xx, 429, no connection): ${errors || 'none'}`);
    console.log(`/v1/ops/cases/stuck at the end: ${opsStuck}`);
    const failed = all.lost + all.duplicated + all.stuck + all.chainFailures + all.diverged + opsStuck > 0;
    if (failed) console.error('chaos: FAILED (loss, duplicate, stuck case, broken chain or divergence)');
    exitCode = failed ? 1 : 0;
  } finally {
    await processes.stopAll();
    await clocks.close().catch(() => undefined);
    queueRedis.disconnect();
    await db.end().catch(() => undefined);
    await redis.stop();
    postgres.stopGracefully();
    rmSync(folder, { recursive: true, force: true });
  }
  return exitCode;
}

if (isEntryPoint(import.meta.url)) {
  const { values } = parseArgs({
    options: { short: { type: 'boolean', default: false }, cases: { type: 'string' } },
  });
  const base = values.short ? SHORT : FULL;
  const cases = values.cases === undefined ? base.cases : Number(values.cases);
  if (!Number.isInteger(cases) || cases < 1) {
    console.error('usage: npm run chaos -- [--short] [--cases N]');
    process.exit(2);
  }
  process.exitCode = await runChaos({ ...base, cases }, values.short ? '--short' : 'full');
}
