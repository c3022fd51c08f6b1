import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { PaymentRunScheduler } from '../../../apps/worker/src/payments/payment-run-scheduler.js';
import { ManualClock, PAYMENT_RUN_DAY_KEY } from '../../../libs/domain/src/index.js';
import { QUEUES } from '../../../libs/infra/src/index.js';
import { eventually, TIANSHAN_STREET } from '../../support/given.js';
import { listen, staffRequest } from '../../support/http.js';
import { bulkApprovedHouseholds, SAYIBAK_STREET } from '../../support/households.js';
import { staffToken, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, TEST_CLOCK_START, type TestEnvironment } from '../../support/test-environment.js';
import { parsePrometheusText, sampleSum } from '../ops/prometheus-text.js';

// The payment run's day of the month as a published, effective-dated parameter, and the runs' operator metrics
// (docs/money.md "Payment runs", "Operator metrics"). The tests run in order: the metrics count the runs the
// first test opened.
describe('payment runs: the published run day and the operator metrics', () => {
  let env: TestEnvironment;
  let clock: ManualClock;
  let worker: INestApplicationContext;
  let app: NestFastifyApplication;
  let base: string;
  let operator: StaffToken;
  let finance: StaffToken;
  let queue: Queue;

  const request = (method: string, path: string, token: StaffToken, body?: unknown) =>
    staffRequest(base, method, path, token, body);
  const publishDay = (value: number, validFrom: string) =>
    request('POST', '/v1/catalog/parameters', operator, {
      key: PAYMENT_RUN_DAY_KEY,
      value,
      validFrom,
      source: 'test: the city’s payment calendar',
      evidence: 'S',
      reason: 'the bank moved the payment day',
    });
  const months = async () =>
    (await env.db.query(`SELECT month FROM payment_runs ORDER BY month`)).rows.map((r) => r.month as string);
  const openDue = () => worker.get(PaymentRunScheduler).openDueMonth();

  beforeAll(async () => {
    env = await createTestEnvironment('payment run operations', { HEARTBEAT_EVERY_MS: '60000', METRICS_CACHE_MS: '0' });
    clock = new ManualClock(new Date(TEST_CLOCK_START));
    worker = await createWorker(env.config, { clock });
    app = await createGateway(env.config, { clock });
    base = await listen(app);
    operator = await staffToken(env.env, 'operator-1', { level: 'city', divisions: ['650100'], roles: ['operator'] });
    finance = await staffToken(env.env, 'finance-1', { level: 'city', divisions: ['650100'], roles: ['finance'] });
    queue = new Queue(QUEUES.paymentRuns, { connection: env.queueConnection, prefix: env.config.redis.queuePrefix });
  });
  afterAll(async () => {
    await queue?.close();
    await app?.close();
    await worker?.close();
    await env?.teardown();
  });

  it('schedules the job daily at 00:30 Asia/Shanghai; the published day decides which day opens the run', async () => {
    const scheduler = await queue.getJobScheduler('payment-run');
    expect(scheduler).toMatchObject({ pattern: '30 0 * * *', tz: 'Asia/Shanghai' });
    const { rows } = await env.db.query(
      `SELECT value_number::int AS value, valid_from FROM catalog_parameters WHERE key = $1 AND superseded_at IS NULL`,
      [PAYMENT_RUN_DAY_KEY],
    );
    // The seed: the 10th, from no known start.
    expect(rows).toEqual([{ value: 10, valid_from: null }]);
  });

  it('opens the month’s run on the published day in force, a published change from its start date only', async () => {
    // The 9th of July: before the seeded 10th, nothing opens.
    clock.advanceTo(new Date('2026-07-09T00:30:00+08:00'));
    expect(await openDue()).toBeNull();
    expect(await months()).toEqual([]);

    // The 10th, through the queue: the scheduler's `schedule` job opens July with the injected clock's month.
    clock.advanceTo(new Date('2026-07-10T00:30:00+08:00'));
    await queue.add('schedule', { requestedAt: clock.now().toISOString() }, { jobId: 'test-schedule-2026-07-10' });
    await eventually(async () => (await months()).includes('2026-07'));

    // Published on 15 July: the 20th from August. August's 10th opens nothing.
    clock.advanceTo(new Date('2026-07-15T09:00:00+08:00'));
    expect((await publishDay(20, '2026-08-01')).status).toBe(201);
    clock.advanceTo(new Date('2026-08-10T00:30:00+08:00'));
    expect(await openDue()).toBeNull();
    // The day is Asia/Shanghai's: 23:59 on the 19th there (15:59 UTC) is not yet the 20th; 00:30 on the 20th is,
    // while it is still the 19th in UTC.
    clock.advanceTo(new Date('2026-08-19T15:59:00Z'));
    expect(await openDue()).toBeNull();
    clock.advanceTo(new Date('2026-08-19T16:30:00Z'));
    const august = await openDue();
    expect(august).toMatchObject({ month: '2026-08', requestedBy: 'system:scheduler' });
    expect(await months()).toEqual(['2026-07', '2026-08']);

    // Published on 21 August: the 5th from 6 September. On 5 September the 20th is still in force.
    clock.advanceTo(new Date('2026-08-21T09:00:00+08:00'));
    expect((await publishDay(5, '2026-09-06')).status).toBe(201);
    clock.advanceTo(new Date('2026-09-05T00:30:00+08:00'));
    expect(await openDue()).toBeNull();
    // From its start the 5th is in force and already past: September opens that day, not a month later.
    clock.advanceTo(new Date('2026-09-06T00:30:00+08:00'));
    const september = await openDue();
    expect(september).toMatchObject({ month: '2026-09' });
    // Every later day of the month answers the same run: nothing opens twice.
    clock.advanceTo(new Date('2026-09-07T00:30:00+08:00'));
    expect((await openDue())!.id).toBe(september!.id);
    expect(await months()).toEqual(['2026-07', '2026-08', '2026-09']);
  });

  it('refuses a day some month lacks or a fraction, naming the field, and writes nothing', async () => {
    const count = async () =>
      (await env.db.query(`SELECT count(*)::int AS n FROM catalog_parameters WHERE key = $1`, [PAYMENT_RUN_DAY_KEY]))
        .rows[0].n as number;
    const before = await count();
    for (const value of [29, 2.5, 0]) {
      const refused = await publishDay(value, '2026-10-01');
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(JSON.stringify(refused.body)).toContain('"field":"value"');
    }
    expect(await count()).toBe(before);
  });

  it('exports runs, lines, amounts in fen and returns per run state on /metrics', async () => {
    // The earlier tests' runs (July to September, no entitlement yet) finish building first: households added while
    // one still builds would be paid by it.
    await eventually(
      async () =>
        (await env.db.query(`SELECT count(*)::int AS n FROM payment_runs WHERE state = 'building'`)).rows[0].n === 0,
    );
    await bulkApprovedHouseholds(env.db, 8, [TIANSHAN_STREET, SAYIBAK_STREET], 38_000);
    const { rows: entitled } = await env.db.query(
      `SELECT count(*)::int AS n, sum(monthly_amount_fen)::int AS fen FROM entitlements`,
    );
    clock.advanceTo(new Date('2026-10-05T00:30:00+08:00'));
    const october = (await openDue())!;
    await eventually(
      async () => (await request('GET', `/v1/payment-runs/${october.id}`, finance)).body.state === 'ready',
    );

    const scrape = async () =>
      parsePrometheusText(await (await fetch(`${base}/metrics`, { headers: operator.headers })).text());
    const ready = await scrape();
    // July to September had no entitlement payable: runs without lines.
    expect(sampleSum(ready, 'minsheng_payment_runs', { state: 'ready' })).toBe(4);
    expect(sampleSum(ready, 'minsheng_payment_runs', { state: 'building' })).toBe(0);
    expect(sampleSum(ready, 'minsheng_payment_lines', { run_state: 'ready', status: 'pending' })).toBe(entitled[0].n);
    expect(sampleSum(ready, 'minsheng_payment_amount_fen', { run_state: 'ready', status: 'pending' })).toBe(
      entitled[0].fen,
    );
    expect(sampleSum(ready, 'minsheng_payment_returns', { run_state: 'ready' })).toBe(0);

    // One district's ICBC file exported (the run becomes exported), its bank returning one line and paying the rest.
    const file = await fetch(`${base}/v1/payment-runs/${october.id}/export?district=650102&bank=ICBC`, {
      headers: finance.headers,
    });
    expect(file.status).toBe(200);
    const lines = (await file.text())
      .trim()
      .split('\r\n')
      .slice(1, -1)
      .map((row) => row.split(','));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const [returned, ...paid] = lines;
    const results = [
      'line_id,outcome,reason',
      `${returned![0]},returned,wrong-account`,
      ...paid.map((cells) => `${cells[0]},paid,`),
    ].join('\r\n');
    expect((await request('POST', `/v1/payment-runs/${october.id}/results`, finance, { file: results })).status).toBe(
      200,
    );

    const settled = await scrape();
    const fenOf = (rows: string[][]) => rows.reduce((sum, cells) => sum + Number(cells[10]), 0);
    expect(sampleSum(settled, 'minsheng_payment_runs', { state: 'ready' })).toBe(3);
    expect(sampleSum(settled, 'minsheng_payment_runs', { state: 'exported' })).toBe(1);
    expect(sampleSum(settled, 'minsheng_payment_lines', { run_state: 'exported', status: 'paid' })).toBe(paid.length);
    expect(sampleSum(settled, 'minsheng_payment_lines', { run_state: 'exported', status: 'returned' })).toBe(1);
    expect(sampleSum(settled, 'minsheng_payment_lines', { run_state: 'exported', status: 'pending' })).toBe(
      entitled[0].n - lines.length,
    );
    expect(sampleSum(settled, 'minsheng_payment_amount_fen', { run_state: 'exported', status: 'paid' })).toBe(
      fenOf(paid),
    );
    expect(sampleSum(settled, 'minsheng_payment_amount_fen', { run_state: 'exported', status: 'returned' })).toBe(
      fenOf([returned!]),
    );
    expect(sampleSum(settled, 'minsheng_payment_returns', { run_state: 'exported' })).toBe(1);
    expect(sampleSum(settled, 'minsheng_payment_lines', { run_state: 'ready' })).toBe(0);
  });
});
