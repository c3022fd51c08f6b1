import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { WorkerMetricsServer } from '../../../apps/worker/src/metrics/metrics-server.js';
import { reconcilerRedrives, timerLatenessSeconds } from '../../../apps/worker/src/metrics/worker-metrics.js';
import { QUEUES } from '../../../libs/infra/src/index.js';
import { eventually, given } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
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
  'minsheng_task_decisions',
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
  let the: ReturnType<typeof given>;

  beforeAll(async () => {
    const port = await freePort();
    env = await createTestEnvironment('ops metrics', {
      HEARTBEAT_EVERY_MS: '60000',
      METRICS_CACHE_MS: '0',
      WORKER_METRICS_PORT: String(port),
    });
    workerMetricsUrl = `http://127.0.0.1:${port}/metrics`;
    the = given(env.db);
    tokens = await staffTokens(env);
    worker = await createWorker(env.config);
    gateway = await createGateway(env.config);
    base = await listen(gateway);
  });
  afterAll(async () => {
    await gateway?.close();
    await worker?.close();
    await env?.teardown();
  });

  const scrape = async (url: string): Promise<Map<string, Family>> => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return parsePrometheusText(await response.text());
  };
  const openTask = async (caseId: string, step: string) =>
    (await env.db.query(`SELECT id FROM tasks WHERE case_id = $1 AND step = $2 AND closed_at IS NULL`, [caseId, step]))
      .rows[0];

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

  it('moves the case, queue, decision, clock and outbox figures when cases are processed', async () => {
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

    // A decided task (as the reviewer path records it) and a clock past due, written directly.
    await env.db.query(
      `UPDATE tasks SET decision = '{"outcome":"approve"}', decided_by = 'rv-1', closed_at = now(), status = 'decided'
       WHERE case_id = $1`,
      [first.caseId],
    );
    await env.db.query(
      `INSERT INTO case_clocks (case_id, clock, kind, limit_amount, unit, source, started_at, due_at)
       VALUES ($1, 'metrics-late', 'deadline', 1, 'working-days', 'test', now() - interval '3 days', now() - interval '1 hour'),
              ($1, 'metrics-soon', 'deadline', 1, 'working-days', 'test', now() - interval '1 day', now() + interval '2 hours'),
              ($1, 'metrics-later', 'deadline', 9, 'working-days', 'test', now() - interval '1 day', now() + interval '9 days')`,
      [second.caseId],
    );
    const decided = await scrape(`${base}/metrics`);
    expect(sampleSum(decided, 'minsheng_task_decisions', { outcome: 'approve', department: 'civil-affairs' })).toBe(1);
    const clock = (name: string) => ({ clock: name, department: 'civil-affairs' });
    expect(sampleSum(decided, 'minsheng_clocks_breached', clock('metrics-late'))).toBe(1);
    expect(sampleSum(decided, 'minsheng_clocks_at_risk', clock('metrics-late'))).toBe(0);
    expect(sampleSum(decided, 'minsheng_clocks_at_risk', clock('metrics-soon'))).toBe(1);
    expect(sampleSum(decided, 'minsheng_clocks_breached', clock('metrics-soon'))).toBe(0);
    expect(sampleSum(decided, 'minsheng_clocks_at_risk', clock('metrics-later'))).toBe(0);

    // An outbox row nobody relays (a kind without a route) is lag.
    await env.db.query(
      `INSERT INTO outbox (kind, case_id, payload, created_at, available_at)
       VALUES ('metrics.test', NULL, '{}', now() - interval '90 seconds', now() - interval '90 seconds')`,
    );
    const lagging = await scrape(`${base}/metrics`);
    expect(sampleSum(lagging, 'minsheng_outbox_lag_seconds')).toBeGreaterThanOrEqual(90);
    expect(sampleSum(lagging, 'minsheng_outbox_unsent')).toBeGreaterThanOrEqual(1);
    await env.db.query(`UPDATE outbox SET sent_at = now() WHERE kind = 'metrics.test'`);

    await getJson(`${base}/v1/ops/queues/case-commands/pause`, post(tokens.operator));
    expect(sampleSum(await scrape(`${base}/metrics`), 'minsheng_queue_paused', { queue: 'case-commands' })).toBe(1);
    await getJson(`${base}/v1/ops/queues/case-commands/resume`, post(tokens.operator));
    expect(sampleSum(await scrape(`${base}/metrics`), 'minsheng_queue_paused', { queue: 'case-commands' })).toBe(0);
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
