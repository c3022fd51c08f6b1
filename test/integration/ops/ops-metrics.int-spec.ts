import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { WorkerMetricsServer } from '../../../apps/worker/src/metrics/metrics-server.js';
import { reconcilerRedrives, timerLatenessSeconds } from '../../../apps/worker/src/metrics/worker-metrics.js';
import { timerJobId, type TimerKind } from '../../../apps/worker/src/clocks/clock-timing.js';
import { ClockReconciler } from '../../../apps/worker/src/clocks/clock-reconciler.js';
import { QUEUES } from '../../../libs/infra/src/index.js';
import { eventually, given } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { bearer, post, staffTokens } from './ops-fixtures.js';
import { type Family, parsePrometheusText, sampleSum } from './prometheus-text.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const GATEWAY_FAMILIES = [
  'minsheng_http_request_duration_seconds',
  'minsheng_cases',
  'minsheng_decisions_total',
  'minsheng_step_duration_seconds',
  'minsheng_clocks_breached',
  'minsheng_clocks_at_risk',
  'minsheng_queue_jobs',
  'minsheng_queue_paused',
  'minsheng_outbox_lag_seconds',
  'minsheng_outbox_unsent',
  'minsheng_process_cpu_seconds_total',
];
const WORKER_FAMILIES = [
  'minsheng_job_duration_seconds',
  'minsheng_reconciler_redrives_total',
  'minsheng_timer_lateness_seconds',
  'minsheng_process_cpu_seconds_total',
];

describe('operators: Prometheus metrics of gateway and worker, and the Bull Board dashboard', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let gateway: NestFastifyApplication;
  let base: string;
  let workerMetricsUrl: string;
  let tokens: { operator: string; reviewer: string };
  let streetReviewer: StaffToken;
  let timers: Queue;
  let the: ReturnType<typeof given>;

  beforeAll(async () => {
    const port = await freePort();
    env = await createTestEnvironment('ops metrics', {
      HEARTBEAT_EVERY_MS: '60000',
      METRICS_CACHE_MS: '0',
      WORKER_METRICS_PORT: String(port),
    });
    workerMetricsUrl = `http://127.0.0.1:${port}/metrics`;
    the = given(env.db, env.clock);
    tokens = await staffTokens(env);
    streetReviewer = await staffToken(env.env, 'street-a');
    timers = new Queue(QUEUES.clockTimers, { connection: env.queueConnection, prefix: env.config.redis.queuePrefix });
    worker = await createWorker(env.config);
    gateway = await createGateway(env.config);
    base = await listen(gateway);
  });
  afterAll(async () => {
    await timers?.close();
    await gateway?.close();
    await worker?.close();
    await env?.teardown();
  });

  /** The gateway's /metrics needs an operator token; the worker's own port needs none (it is not the API port). */
  const scrape = async (url: string): Promise<Map<string, Family>> => {
    const response = await fetch(url, url.startsWith(base) ? bearer(tokens.operator) : {});
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return parsePrometheusText(await response.text());
  };
  const openTask = async (caseId: string, step: string) =>
    (await env.db.query(`SELECT id FROM tasks WHERE case_id = $1 AND step = $2 AND closed_at IS NULL`, [caseId, step]))
      .rows[0];
  const decide = (taskId: string, outcome: string) =>
    getJson(`${base}/v1/tasks/${taskId}/decision`, {
      method: 'POST',
      headers: { ...streetReviewer.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome }),
    });
  /** Waits until every job of the case has completed, so none finishes during a later test's count. */
  const settled = (caseId: string) =>
    eventually(async () => {
      const { body } = await getJson(`${base}/v1/ops/cases/${caseId}/trace`, bearer(tokens.operator));
      const jobs = body.jobs as { name: string; state: string }[];
      return jobs.some((j) => j.name === 'apply') && jobs.every((j) => j.state === 'completed') && body;
    });

  it('serves the gateway’s metrics to operators only, as problem+json refusals', async () => {
    const anonymous = await getJson(`${base}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('AUTH.UNAUTHENTICATED');
    const reviewer = await getJson(`${base}/metrics`, bearer(tokens.reviewer));
    expect(reviewer.status).toBe(403);
    expect(reviewer.headers.get('content-type')).toContain('application/problem+json');
  });

  it('exposes every family on the gateway, parsed as Prometheus text, with bounded labels', async () => {
    await getJson(`${base}/v1/ops/queues`, bearer(tokens.operator));
    const families = await scrape(`${base}/metrics`);
    for (const name of GATEWAY_FAMILIES) expect(families.has(name)).toBe(true);
    expect(families.get('minsheng_http_request_duration_seconds')!.type).toBe('histogram');
    const routes = new Set(
      families.get('minsheng_http_request_duration_seconds')!.samples.map((s) => s.labels['route']),
    );
    expect(routes).toContain('/v1/ops/queues');
    // Queue depth covers every queue of the contract and every state.
    const queueJobs = families.get('minsheng_queue_jobs')!.samples;
    expect(new Set(queueJobs.map((s) => s.labels['queue']))).toEqual(new Set(Object.values(QUEUES)));
    expect(new Set(queueJobs.map((s) => s.labels['state']))).toEqual(
      new Set(['wait', 'prioritized', 'active', 'delayed', 'failed', 'completed']),
    );
  });

  it('labels requests by route pattern, never by the ids in the URL', async () => {
    const caseId = randomUUID();
    await getJson(`${base}/v1/ops/cases/${caseId}/trace`, bearer(tokens.operator));
    await getJson(`${base}/no/such/${caseId}`);
    const families = await scrape(`${base}/metrics`);
    const samples = families.get('minsheng_http_request_duration_seconds')!.samples;
    expect(samples.some((s) => Object.values(s.labels).some((v) => v.includes(caseId)))).toBe(false);
    expect(
      sampleSum(families, 'minsheng_http_request_duration_seconds_count', {
        route: '/v1/ops/cases/:id/trace',
        status: '404',
      }),
    ).toBe(1);
    expect(
      sampleSum(families, 'minsheng_http_request_duration_seconds_count', { route: 'unmatched', status: '404' }),
    ).toBe(1);
  });

  it('moves the case, queue, clock and outbox figures when cases are processed', async () => {
    const before = await scrape(`${base}/metrics`);
    const inReview = { item: 'BPS-064', state: 'in-review', department: 'civil-affairs' };
    const completed = { queue: 'case-commands', state: 'completed' };
    const casesBefore = sampleSum(before, 'minsheng_cases', inReview);
    const completedBefore = sampleSum(before, 'minsheng_queue_jobs', completed);

    const first = await the.submittedCase();
    const second = await the.submittedCase();
    await eventually(() => openTask(first.caseId, 'acceptance'));
    await eventually(() => openTask(second.caseId, 'acceptance'));
    const after = await scrape(`${base}/metrics`);
    expect(sampleSum(after, 'minsheng_cases', inReview)).toBe(casesBefore + 2);
    expect(sampleSum(after, 'minsheng_queue_jobs', completed)).toBe(completedBefore + 2);

    // Clocks past due, near due and far from due, written directly.
    await env.db.query(
      `INSERT INTO case_clocks (case_id, clock, kind, limit_amount, unit, source, started_at, due_at)
       VALUES ($1, 'metrics-late', 'deadline', 1, 'working-days', 'test', $2::timestamptz - interval '3 days', $2::timestamptz - interval '1 hour'),
              ($1, 'metrics-soon', 'deadline', 1, 'working-days', 'test', $2::timestamptz - interval '1 day', $2::timestamptz + interval '2 hours'),
              ($1, 'metrics-later', 'deadline', 9, 'working-days', 'test', $2::timestamptz - interval '1 day', $2::timestamptz + interval '9 days')`,
      [second.caseId, env.clock.now()],
    );
    // A late service target (an assumed limit) is counted apart from the statutory breaches.
    await env.db.query(
      `INSERT INTO case_clocks (case_id, clock, kind, limit_amount, unit, source, evidence, basis, started_at, due_at)
       VALUES ($1, 'metrics-target', 'deadline', 1, 'working-days', 'test', 'G', 'target',
               $2::timestamptz - interval '3 days', $2::timestamptz - interval '1 hour')`,
      [second.caseId, env.clock.now()],
    );
    const decided = await scrape(`${base}/metrics`);
    const clock = (name: string) => ({ clock: name, department: 'civil-affairs' });
    expect(sampleSum(decided, 'minsheng_clocks_breached', clock('metrics-late'))).toBe(1);
    expect(sampleSum(decided, 'minsheng_clocks_at_risk', clock('metrics-late'))).toBe(0);
    expect(sampleSum(decided, 'minsheng_clocks_at_risk', clock('metrics-soon'))).toBe(1);
    expect(sampleSum(decided, 'minsheng_clocks_breached', clock('metrics-soon'))).toBe(0);
    expect(sampleSum(decided, 'minsheng_clocks_at_risk', clock('metrics-later'))).toBe(0);
    expect(sampleSum(decided, 'minsheng_clocks_breached', { ...clock('metrics-late'), basis: 'statutory' })).toBe(1);
    expect(sampleSum(decided, 'minsheng_clocks_breached', { ...clock('metrics-target'), basis: 'target' })).toBe(1);
    expect(sampleSum(decided, 'minsheng_clocks_breached', { ...clock('metrics-target'), basis: 'statutory' })).toBe(0);

    // An outbox row nobody relays (a kind without a route) is lag.
    await env.db.query(
      `INSERT INTO outbox (kind, case_id, payload, created_at, available_at)
       VALUES ('metrics.test', NULL, '{}', now() - interval '90 seconds', now() - interval '90 seconds')`,
    );
    const lagging = await scrape(`${base}/metrics`);
    expect(sampleSum(lagging, 'minsheng_outbox_lag_seconds')).toBeGreaterThanOrEqual(90);
    expect(sampleSum(lagging, 'minsheng_outbox_unsent')).toBeGreaterThanOrEqual(1);
    await env.db.query(`UPDATE outbox SET sent_at = now() WHERE kind = 'metrics.test'`);
    // Stopped, so no later reconciler round arms these clocks and fires the late one into the engine.
    await env.db.query(`UPDATE case_clocks SET stopped_at = now() WHERE clock LIKE 'metrics-%'`);

    await getJson(`${base}/v1/ops/queues/case-commands/pause`, post(tokens.operator));
    expect(sampleSum(await scrape(`${base}/metrics`), 'minsheng_queue_paused', { queue: 'case-commands' })).toBe(1);
    await getJson(`${base}/v1/ops/queues/case-commands/resume`, post(tokens.operator));
    expect(sampleSum(await scrape(`${base}/metrics`), 'minsheng_queue_paused', { queue: 'case-commands' })).toBe(0);
  });

  it('counts a reviewer decision and observes how long its step was open', async () => {
    const { caseId } = await the.submittedCase();
    const { id: taskId } = await eventually(() => openTask(caseId, 'acceptance'));
    // The task opened two hours ago: the observation spans opened_at → decision.
    await env.db.query(`UPDATE tasks SET opened_at = $2::timestamptz - interval '2 hours' WHERE id = $1`, [
      taskId,
      env.clock.now(),
    ]);
    const labels = { procedure: 'minimum-living', step: 'acceptance', outcome: 'approve' };
    const figures = (families: Map<string, Family>) => ({
      decisions: sampleSum(families, 'minsheng_decisions_total', labels),
      count: sampleSum(families, 'minsheng_step_duration_seconds_count', labels),
      sum: sampleSum(families, 'minsheng_step_duration_seconds_sum', labels),
      withinHour: sampleSum(families, 'minsheng_step_duration_seconds_bucket', { ...labels, le: '3600' }),
      withinFourHours: sampleSum(families, 'minsheng_step_duration_seconds_bucket', { ...labels, le: '14400' }),
    });
    const before = figures(await scrape(`${base}/metrics`));

    expect((await decide(taskId, 'approve')).status).toBe(202);
    const after = figures(await scrape(`${base}/metrics`));
    expect(after.decisions).toBe(before.decisions + 1);
    expect(after.count).toBe(before.count + 1);
    expect(after.sum - before.sum).toBeGreaterThanOrEqual(7_200);
    expect(after.sum - before.sum).toBeLessThan(7_200 + 60);
    expect(after.withinHour).toBe(before.withinHour);
    expect(after.withinFourHours).toBe(before.withinFourHours + 1);

    // A second decision on the same task is refused (409) and counts nothing.
    expect((await decide(taskId, 'approve')).status).toBe(409);
    expect(figures(await scrape(`${base}/metrics`))).toEqual(after);
    // Labels name the procedure, step and outcome, never the case, task or reviewer.
    const text = await (await fetch(`${base}/metrics`, bearer(tokens.operator))).text();
    for (const id of [caseId, taskId, 'street-a']) expect(text).not.toContain(id);
    await settled(caseId);
  });

  it('traces the clock timers of a case under review and counts their re-arming after Redis lost them', async () => {
    const { caseId } = await the.submittedCase();
    const { id: taskId } = await eventually(() => openTask(caseId, 'acceptance'));
    expect((await decide(taskId, 'approve')).status).toBe(202);
    // Acceptance starts the review clocks; the relay arms each one from its clock.changed row before it marks
    // the row sent, so once the row is sent its timers are in the queue.
    const clocks = await eventually(async () => {
      const { rows } = await env.db.query(
        `SELECT c.id, c.clock, c.generation, c.due_at IS NOT NULL AS has_due FROM case_clocks c
          WHERE c.case_id = $1 AND c.stopped_at IS NULL
           AND EXISTS (SELECT 1 FROM outbox o WHERE o.case_id = c.case_id AND o.kind = 'clock.changed'
                       AND o.payload->>'clock' = c.clock AND o.sent_at IS NOT NULL)
         ORDER BY c.clock`,
        [caseId],
      );
      return rows.length >= 2 && (rows as { id: string; clock: string; generation: number; has_due: boolean }[]);
    });
    type Timer = { id: string; timer: TimerKind; clock: string; current: boolean; state: string; fireAt: string };
    type Trace = {
      jobs: { id: string; name: string; state: string }[];
      timers: (Timer & { armedAt: string })[];
      timeline: { at: string; kind: string; jobId?: string }[];
    };
    const traceOf = async (): Promise<Trace> =>
      (await getJson(`${base}/v1/ops/cases/${caseId}/trace`, bearer(tokens.operator))).body;
    const trace = await eventually(async () => {
      const body = await traceOf();
      // Every job done: the decision's command (apply); arming took no job of its own.
      return body.jobs.every((j) => j.state === 'completed') && body;
    });
    expect(trace.jobs.filter((j) => j.name === 'arm')).toEqual([]);

    // The timers the relay scheduled, read from the queue under the worker's ids: each clock with a due time has
    // its due timer.
    const expected: Pick<Timer, 'id' | 'timer' | 'clock'>[] = [];
    for (const c of clocks) {
      for (const kind of ['reminder', 'due', 'escalation'] as const) {
        const id = timerJobId(c.id, kind, c.generation);
        if (await timers.getJob(id)) expected.push({ id, timer: kind, clock: c.clock });
      }
      if (c.has_due)
        expect(expected).toContainEqual({ id: timerJobId(c.id, 'due', c.generation), timer: 'due', clock: c.clock });
    }
    // At least the 3-working-day investigation-start clock; a clock due in a year whose holiday calendar is not
    // yet published has no due time and arms nothing until it is.
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const pending = trace.timers;
    expect(pending.map(({ id, timer, clock }) => ({ id, timer, clock }))).toEqual(expect.arrayContaining(expected));
    expect(pending).toHaveLength(expected.length);
    for (const t of pending) {
      expect(t).toMatchObject({ state: 'delayed', current: true });
      expect(new Date(t.fireAt).getTime()).toBeGreaterThan(env.clock.now().getTime());
    }
    // In the timeline at their fire time, in time order: the pending timers come last.
    const times = trace.timeline.map((e) => e.at);
    expect([...times].sort()).toEqual(times);
    const tail = trace.timeline.slice(-pending.length);
    expect(tail.map((e) => e.kind)).toEqual(pending.map(() => 'timer.pending'));
    expect(new Set(tail.map((e) => e.jobId))).toEqual(new Set(pending.map((t) => t.id)));
    expect(trace.timeline.filter((e) => e.kind === 'timer.armed')).toHaveLength(pending.length);
    expect(JSON.stringify(trace)).not.toContain('placeholder'); // the seeded personal fields

    // Redis loses the timers; the clock reconciler re-arms them from PostgreSQL and counts each one.
    const reconciler = worker.get(ClockReconciler);
    await reconciler.reconcile(); // arms what earlier tests wrote straight to the database, so only ours count below
    const redrives = async () =>
      sampleSum(await scrape(workerMetricsUrl), 'minsheng_reconciler_redrives_total', { kind: 'clock-timer' });
    const before = await redrives();
    for (const t of pending) expect(await timers.remove(t.id)).toBe(1);
    expect((await traceOf()).timers).toEqual([]);
    await reconciler.reconcile();
    expect(await redrives()).toBe(before + pending.length);
    const rearmed = (await traceOf()).timers;
    expect(rearmed.map((t) => t.id).sort()).toEqual(pending.map((t) => t.id).sort());
    for (const t of rearmed) {
      expect(t.state).toBe('delayed');
      expect(t.armedAt > pending.find((p) => p.id === t.id)!.armedAt).toBe(true);
    }
    // A round with nothing missing re-drives nothing.
    await reconciler.reconcile();
    expect(await redrives()).toBe(before + pending.length);
  });

  it('exposes job durations, reconciler re-drives and timer lateness on the worker', async () => {
    const before = await scrape(workerMetricsUrl);
    for (const name of WORKER_FAMILIES) expect(before.has(name)).toBe(true);
    const jobs = { queue: 'case-commands', outcome: 'completed' };
    const countBefore = sampleSum(before, 'minsheng_job_duration_seconds_count', jobs);

    const submitted = await the.submittedCase();
    await eventually(() => openTask(submitted.caseId, 'acceptance'));
    const after = await eventually(async () => {
      const families = await scrape(workerMetricsUrl);
      return sampleSum(families, 'minsheng_job_duration_seconds_count', jobs) > countBefore && families;
    });
    expect(sampleSum(after, 'minsheng_job_duration_seconds_count', jobs)).toBe(countBefore + 1);
    expect(sampleSum(after, 'minsheng_job_duration_seconds_sum', jobs)).toBeGreaterThan(0);

    // The shared counters other features increment appear with their labels.
    reconcilerRedrives.inc({ kind: 'command' });
    timerLatenessSeconds.observe({ timer: 'reminder' }, 0.02);
    const shared = await scrape(workerMetricsUrl);
    expect(sampleSum(shared, 'minsheng_reconciler_redrives_total', { kind: 'command' })).toBeGreaterThanOrEqual(1);
    expect(sampleSum(shared, 'minsheng_timer_lateness_seconds_count', { timer: 'reminder' })).toBeGreaterThanOrEqual(1);
    expect((await fetch(workerMetricsUrl.replace('/metrics', '/other'))).status).toBe(404);
    // The container health check of docker-compose.yml.
    const live = await fetch(workerMetricsUrl.replace('/metrics', '/health/live'));
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('starts a second worker whose metrics port is taken, without metrics rather than not at all', async () => {
    expect(worker.get(WorkerMetricsServer).port).toBe(Number(new URL(workerMetricsUrl).port));
    const second = await createWorker(env.config);
    expect(second.get(WorkerMetricsServer).port).toBeUndefined();
    expect((await fetch(workerMetricsUrl)).status).toBe(200);
    await second.close();
  });

  describe('Bull Board at /ops/board', () => {
    it('refuses a caller without a token and a reviewer, as problem+json', async () => {
      const none = await getJson(`${base}/ops/board`);
      expect(none.status).toBe(401);
      expect(none.headers.get('content-type')).toContain('application/problem+json');
      const reviewer = await getJson(`${base}/ops/board/api/queues`, bearer(tokens.reviewer));
      expect(reviewer.status).toBe(403);
      const forged = await getJson(`${base}/ops/board`, { headers: { cookie: 'ms_ops=not-a-token' } });
      expect(forged.status).toBe(401);
    });

    it('serves the dashboard and its API to an operator bearer token', async () => {
      const page = await fetch(`${base}/ops/board`, bearer(tokens.operator));
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('/ops/board');
      const { status, body } = await getJson(`${base}/ops/board/api/queues`, bearer(tokens.operator));
      expect(status).toBe(200);
      expect(body.queues.map((q: { name: string }) => q.name)).toEqual(expect.arrayContaining(['case-commands']));
    });

    it('trades the bearer token for an HttpOnly cookie a browser can use, audited', async () => {
      const requestId = `ops-board-${randomUUID()}`;
      const session = await fetch(`${base}/v1/ops/board/session`, post(tokens.operator, requestId));
      expect(session.status).toBe(204);
      const cookie = session.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^ms_ops=[^;]+; Path=\/ops\/board; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
      const viaCookie = await getJson(`${base}/ops/board/api/queues`, { headers: { cookie: cookie.split(';')[0]! } });
      expect(viaCookie.status).toBe(200);
      const { rows } = await env.db.query(`SELECT action, actor FROM audit_log WHERE request_id = $1`, [requestId]);
      expect(rows).toEqual([{ action: 'board.session', actor: 'staff:op-1' }]);
      expect((await fetch(`${base}/v1/ops/board/session`, post(tokens.reviewer))).status).toBe(403);
    });

    it('audits a change made through the dashboard', async () => {
      const requestId = `ops-board-pause-${randomUUID()}`;
      const paused = await fetch(`${base}/ops/board/api/queues/case-commands/pause`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${tokens.operator}`, 'x-request-id': requestId },
      });
      expect(paused.status).toBe(200);
      const { rows } = await env.db.query(`SELECT action, target, details FROM audit_log WHERE request_id = $1`, [
        requestId,
      ]);
      expect(rows).toEqual([
        {
          action: 'board.action',
          target: 'board:/ops/board/api/queues/:queueName/pause',
          details: { method: 'PUT', url: '/ops/board/api/queues/case-commands/pause', status: 200 },
        },
      ]);
      await fetch(`${base}/ops/board/api/queues/case-commands/resume`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${tokens.operator}` },
      });
    });
  });
});
