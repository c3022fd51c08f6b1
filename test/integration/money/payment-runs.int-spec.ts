import { createHash } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { PaymentRunBuilder } from '../../../apps/worker/src/payments/payment-run-builder.js';
import { PaymentRunScheduler } from '../../../apps/worker/src/payments/payment-run-scheduler.js';
import { ManualClock } from '../../../libs/domain/src/index.js';
import { eventually, given, TIANSHAN_STREET } from '../../support/given.js';
import { getJson, listen, staffRequest } from '../../support/http.js';
import { bulkApprovedHouseholds, SAYIBAK_STREET } from '../../support/households.js';
import { staffToken, type StaffToken } from '../../support/staff.js';
import { publishTestYear } from '../../support/test-calendars.js';
import { createTestEnvironment, TEST_CLOCK_START, type TestEnvironment } from '../../support/test-environment.js';
import { clockIdOf, promoteClockTimer } from '../../support/time-travel.js';
import { Receiver, signedWith } from '../../support/webhook-receiver.js';
import { givenPortal } from '../intake/intake-fixtures.js';

/** Households approved through the real path; the rest are written in bulk (approved cases with their records). */
const THROUGH_APPROVAL = 3;
const HOUSEHOLDS = 1_000;
const OLD_STANDARD = 38_000;
const NEW_STANDARD = 43_000;

/** docs/domain.md §3.1's worked example: two adults, one elderly, verified income 400 yuan. */
const HOUSEHOLD = {
  area: 'urban',
  household: {
    members: [
      { id: 'm1', birthDate: '1950-03-01', health: 'healthy', monthlyIncomeFen: 10_000 },
      { id: 'm2', birthDate: '1980-05-05', health: 'healthy', monthlyIncomeFen: 20_000 },
    ],
  },
};

describe('money: entitlements from approvals, monthly payment runs that pay everyone once', () => {
  let env: TestEnvironment;
  let clock: ManualClock;
  let worker: INestApplicationContext;
  let app: NestFastifyApplication;
  let base: string;
  let the: ReturnType<typeof given>;
  let finance: StaffToken;
  let operator: StaffToken;
  const approved: string[] = [];

  const request = (method: string, path: string, token: StaffToken, body?: unknown) =>
    staffRequest(base, method, path, token, body);
  const openTask = async (caseId: string, step: string) =>
    (await env.db.query(`SELECT id FROM tasks WHERE case_id = $1 AND step = $2 AND closed_at IS NULL`, [caseId, step]))
      .rows[0];
  const decide = async (caseId: string, step: string, extra: Record<string, unknown> = {}) => {
    await eventually(() => openTask(caseId, step));
    await the.command(caseId, { type: 'DECIDED', step, outcome: 'approve', actor: 'staff:r1', ...extra }, 'staff:r1');
  };
  const status = async (caseId: string) =>
    (await env.db.query(`SELECT status FROM cases WHERE id = $1`, [caseId])).rows[0]?.status as string;

  /** A 低保 case of HOUSEHOLD walked through every step to its approval. */
  async function approvedMinimumLiving(): Promise<string> {
    const { caseId } = await the.submittedCase({ itemCode: 'BPS-064', facts: { ...HOUSEHOLD, bank: 'ICBC' } });
    await decide(caseId, 'acceptance');
    await decide(caseId, 'investigation', {
      findings: { homeVisitDate: '2026-05-28', dataCheck: 'consistent', verifiedHouseholdIncomeFen: 40_000 },
    });
    await decide(caseId, 'street-review');
    await eventually(async () => (await status(caseId)) === 'public-notice');
    await promoteClockTimer(env, await clockIdOf(env, caseId, 'public-notice'), 'due');
    await decide(caseId, 'approval');
    await eventually(async () => (await status(caseId)) === 'approved');
    return caseId;
  }

  /**
   * Exports every district and bank file of a ready run, checks each file's checksum row, and imports the bank's
   * results: the first `returnCount` lines and those in `alsoReturned` returned (wrong account), the rest paid.
   * Answers the returned line ids and the result file.
   */
  async function payAll(
    run: any,
    returnCount: number,
    alsoReturned: readonly string[] = [],
  ): Promise<{ returned: string[]; file: string }> {
    const results: string[] = [];
    for (const group of run.totals.byDistrictAndBank as {
      district: string;
      bank: string;
      lines: number;
      amountFen: number;
    }[]) {
      const response = await fetch(
        `${base}/v1/payment-runs/${run.id}/export?district=${group.district}&bank=${encodeURIComponent(group.bank)}`,
        { headers: finance.headers },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      const rows = (await response.text()).trim().split('\r\n');
      expect(rows[0]).toBe(
        'line_id,month,case_tracking_number,item_code,district,division,bank,beneficiary_name,account_number,amount_yuan,amount_fen',
      );
      const lines = rows.slice(1, -1).map((row) => row.split(','));
      const total = lines.reduce((sum, cells) => sum + Number(cells[10]), 0);
      const digest = createHash('sha256').update(rows.slice(0, -1).join('\r\n')).digest('hex');
      expect(rows.at(-1)).toBe(`#checksum,lines=${lines.length},total_fen=${total},sha256=${digest}`);
      expect(lines.every((cells) => (Number(cells[10]) / 100).toFixed(2) === cells[9])).toBe(true);
      for (const cells of lines) results.push(cells[0]!);
    }
    const isReturned = (id: string, i: number) => i < returnCount || alsoReturned.includes(id);
    const returned = results.filter(isReturned);
    const file = [
      'line_id,outcome,reason',
      ...results.map((id, i) => (isReturned(id, i) ? `${id},returned,wrong-account` : `${id},paid,`)),
    ].join('\r\n');
    const imported = await request('POST', `/v1/payment-runs/${run.id}/results`, finance, { file });
    expect(imported.body).toEqual({
      paid: results.length - returned.length,
      returned: returned.length,
      alreadySettled: 0,
      confirmed: true,
    });
    // The same file again changes nothing.
    const again = await request('POST', `/v1/payment-runs/${run.id}/results`, finance, { file });
    expect(again.body).toMatchObject({ paid: 0, returned: 0, alreadySettled: results.length });
    return { returned, file };
  }

  const runOf = async (id: string) => (await request('GET', `/v1/payment-runs/${id}`, finance)).body;
  const untilReady = (id: string) =>
    eventually(async () => {
      const run = await runOf(id);
      return run.state === 'ready' ? run : undefined;
    }, 60_000);
  const linesOf = async (month: string) =>
    (
      await env.db.query(
        `SELECT l.entitlement_id, l.amount_fen::int AS amount, e.basis, e.case_id
         FROM payment_lines l JOIN entitlements e ON e.id = l.entitlement_id WHERE l.month = $1`,
        [month],
      )
    ).rows as { entitlement_id: string; amount: number; basis: any; case_id: string }[];

  beforeAll(async () => {
    env = await createTestEnvironment('payment runs', {
      HEARTBEAT_EVERY_MS: '60000',
      // The portals' receivers below listen on 127.0.0.1.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
    clock = new ManualClock(new Date(TEST_CLOCK_START));
    the = given(env.db, clock);
    await publishTestYear(env.db, 2027);
    worker = await createWorker(env.config, { clock });
    app = await createGateway(env.config, { clock });
    base = await listen(app);
    finance = await staffToken(env.env, 'finance-1', { level: 'city', divisions: ['650100'], roles: ['finance'] });
    operator = await staffToken(env.env, 'operator-1', { level: 'city', divisions: ['650100'], roles: ['operator'] });
  });
  afterAll(async () => {
    await app?.close();
    await worker?.close();
    await env?.teardown();
  });

  it('creates an entitlement record on approval, named by the ENTITLEMENT_GRANTED event with the values used', async () => {
    for (let i = 0; i < THROUGH_APPROVAL; i++) approved.push(await approvedMinimumLiving());
    const { body } = await request('GET', `/v1/entitlements?caseId=${approved[0]}`, operator);
    expect(body.items).toHaveLength(1);
    const [entitlement] = body.items;
    // (380 − 200) × 2 + one elderly top-up of 12 yuan, from the month after the approval (June 2026).
    expect(entitlement).toMatchObject({
      kind: 'minimum-living-allowance',
      itemCode: 'BPS-064',
      monthlyAmountFen: 37_200,
      startMonth: '2026-07',
      endMonth: null,
      status: 'active',
      district: '650102',
      bank: 'ICBC',
    });
    expect(entitlement.basis.minimumLiving).toEqual({
      standardKey: 'minimum-living.standard.urban',
      standardFen: OLD_STANDARD,
      memberCount: 2,
      perCapitaIncomeFen: 20_000,
      topUpTotalFen: 1_200,
    });
    const { rows } = await env.db.query(
      `SELECT payload FROM case_events WHERE case_id = $1 AND type = 'ENTITLEMENT_GRANTED'`,
      [approved[0]],
    );
    expect(rows[0].payload).toMatchObject({ entitlementId: entitlement.id, startMonth: '2026-07' });
    expect(rows[0].payload.parameterSources).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'minimum-living.standard.urban', value: OLD_STANDARD })]),
    );
    // Scoped like every staff read: a street office of another district sees none of them.
    const elsewhere = await staffToken(env.env, 'street-x', { divisions: [SAYIBAK_STREET] });
    expect((await request('GET', `/v1/entitlements?caseId=${approved[0]}`, elsewhere)).body.items).toEqual([]);
  });

  it('pays every active entitlement exactly once a month for three months, a new standard from its month only', async () => {
    await bulkApprovedHouseholds(
      env.db,
      HOUSEHOLDS - THROUGH_APPROVAL,
      [TIANSHAN_STREET, SAYIBAK_STREET],
      OLD_STANDARD,
    );

    // Month 1: the scheduler's job opens the business month's run (the injected clock's month).
    clock.advanceTo(new Date('2026-07-10T00:30:00+08:00'));
    const july = (await worker.get(PaymentRunScheduler).openDueMonth())!;
    expect(july.month).toBe('2026-07');
    const julyRun = await untilReady(july.id);
    expect(julyRun.totals.lines).toBe(HOUSEHOLDS);
    expect(julyRun.progress).toMatchObject({ candidates: HOUSEHOLDS, examined: HOUSEHOLDS, batches: 1 });
    expect(julyRun.totals.byDistrictAndBank.map((g: { district: string }) => g.district)).toEqual(
      expect.arrayContaining(['650102', '650103']),
    );

    // The bank's files, one per district and bank, each with its checksum row; the bank returns 1 % of the lines.
    const julyLines = await payAll(julyRun, HOUSEHOLDS / 100);
    const returned = julyLines.returned;
    expect(returned).toHaveLength(HOUSEHOLDS / 100);
    expect((await runOf(july.id)).state).toBe('confirmed');
    // The street office corrects the accounts; the lines are carried into the next run.
    for (const lineId of returned) {
      const corrected = await request('POST', `/v1/payment-lines/${lineId}/correction`, operator);
      expect(corrected.body).toEqual({ id: lineId, status: 'corrected' });
    }

    // Month 2: finance opens it through the API; asking twice answers the same run.
    clock.advanceTo(new Date('2026-08-10T09:00:00+08:00'));
    const opened = await request('POST', '/v1/payment-runs', finance, { month: '2026-08' });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ month: '2026-08', opened: true, state: 'building' });
    const again = await request('POST', '/v1/payment-runs', finance, { month: '2026-08' });
    expect(again.body).toMatchObject({ id: opened.body.id, opened: false });
    const augustRun = await untilReady(opened.body.id);
    // The corrected July lines are in August's run, once each, still July's lines.
    expect(augustRun.totals).toMatchObject({ lines: HOUSEHOLDS + returned.length, carriedLines: returned.length });
    const { rows: carried } = await env.db.query(
      `SELECT id, month, run_id, carried_from_run_id FROM payment_lines WHERE id = ANY($1::uuid[])`,
      [returned],
    );
    expect(
      carried.every((l) => l.month === '2026-07' && l.run_id === opened.body.id && l.carried_from_run_id === july.id),
    ).toBe(true);
    await payAll(augustRun, 0);

    // Between month 2 and 3 the operator publishes a higher 低保 standard from 1 September.
    clock.advanceTo(new Date('2026-08-20T09:00:00+08:00'));
    const published = await request('POST', '/v1/catalog/parameters', operator, {
      key: 'minimum-living.standard.urban',
      value: NEW_STANDARD,
      validFrom: '2026-09-01',
      source: 'test notice',
      evidence: 'S',
      reason: 'the new yearly standard',
    });
    expect(published.status).toBeLessThan(300);

    clock.advanceTo(new Date('2026-09-10T00:30:00+08:00'));
    const september = (await worker.get(PaymentRunScheduler).openDueMonth())!;
    const septemberRun = await untilReady(september.id);
    await payAll(septemberRun, 0);

    const months = ['2026-07', '2026-08', '2026-09'];
    const { rows: perMonth } = await env.db.query(
      `SELECT month, count(*)::int AS lines, count(DISTINCT entitlement_id)::int AS paid
       FROM payment_lines GROUP BY month ORDER BY month`,
    );
    expect(perMonth).toEqual(months.map((month) => ({ month, lines: HOUSEHOLDS, paid: HOUSEHOLDS })));

    // The old standard in July and August, the new one from September: + (430 − 380) × members.
    const [jul, aug, sep] = await Promise.all(months.map(linesOf));
    const amount = (lines: typeof jul, id: string) => lines!.find((l) => l.entitlement_id === id)!.amount;
    for (const line of sep!) {
      const members = line.basis.minimumLiving.memberCount as number;
      expect(amount(jul!, line.entitlement_id)).toBe(amount(aug!, line.entitlement_id));
      expect(line.amount).toBe(amount(aug!, line.entitlement_id) + (NEW_STANDARD - OLD_STANDARD) * members);
      expect(line.basis.minimumLiving.standardFen).toBe(NEW_STANDARD);
    }
    // The change is on the case's chain, with the month and the value used.
    const { rows: adjusted } = await env.db.query(
      `SELECT payload FROM case_events WHERE case_id = $1 AND type = 'ENTITLEMENT_ADJUSTED'`,
      [approved[0]],
    );
    expect(adjusted).toHaveLength(1);
    expect(adjusted[0].payload).toMatchObject({
      reason: 'standard-changed',
      fromMonth: '2026-09',
      fromAmountFen: 37_200,
      toAmountFen: 47_200,
      parameters: [expect.objectContaining({ key: 'minimum-living.standard.urban', value: NEW_STANDARD })],
    });
  });

  it('reports the expenditure paid by item, department, district, month and funding level, equal to the runs', async () => {
    const { rows: paid } = await env.db.query(
      `SELECT count(*)::int AS lines, sum(amount_fen)::bigint AS amount FROM payment_lines WHERE status = 'paid'`,
    );
    const runs = (await request('GET', '/v1/payment-runs', finance)).body.items as { id: string }[];
    expect(runs).toHaveLength(3);
    const runTotals = await Promise.all(runs.map(async (r) => (await runOf(r.id)).totals));
    const paidInRuns = runTotals.reduce((sum, t) => sum + t.paidAmountFen, 0);
    expect(paidInRuns).toBe(Number(paid[0].amount));
    expect(runTotals.reduce((sum, t) => sum + t.lines, 0)).toBe(3 * HOUSEHOLDS);

    const query = 'from=2026-07&to=2026-09&groupBy=district,month,funding,department,item';
    const { status, body } = await request('GET', `/v1/reports/expenditure?${query}`, finance);
    expect(status).toBe(200);
    expect(body.total).toEqual({ lines: 3 * HOUSEHOLDS, amountFen: paidInRuns });
    expect(body.groups).toHaveLength(2 * 3);
    expect(body.groups[0].key).toEqual({
      district: '650102',
      month: '2026-07',
      funding: 'central-local-shared+local',
      department: 'civil-affairs',
      item: 'BPS-064',
    });
    const byMonth = (await request('GET', '/v1/reports/expenditure?from=2026-09&to=2026-09&groupBy=month', finance))
      .body;
    expect(byMonth.groups).toEqual([
      { key: { month: '2026-09' }, lines: HOUSEHOLDS, amountFen: runTotals[0]!.paidAmountFen },
    ]);

    const csv = await fetch(`${base}/v1/reports/expenditure?${query}&format=csv`, { headers: finance.headers });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = (await csv.text()).trim().split('\r\n');
    expect(rows[0]).toBe('district,month,funding,department,item,lines,amount_fen,amount_yuan');
    expect(rows.at(-1)).toBe(`total,,,,,${3 * HOUSEHOLDS},${paidInRuns},${(paidInRuns / 100).toFixed(2)}`);

    const bad = await request('GET', '/v1/reports/expenditure?from=2026-09&to=2026-07&groupBy=item,colour', finance);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['groupBy.1']);
  });

  it('writes no second line when a month is built again from the start', async () => {
    const { rows } = await env.db.query(`SELECT id FROM payment_runs WHERE month = '2026-09'`);
    const runId = rows[0].id as string;
    // As if the build had crashed before its last commit: the run building, its cursor back at the start.
    await env.db.query(
      `UPDATE payment_runs SET state = 'building', after_entitlement_id = NULL, examined = 0 WHERE id = $1`,
      [runId],
    );
    const outcome = await worker.get(PaymentRunBuilder).build(runId, async () => undefined, 300);
    expect(outcome).toMatchObject({ outcome: 'built', progress: { examined: HOUSEHOLDS, lines: 0, adjusted: 0 } });
    const { rows: counts } = await env.db.query(
      `SELECT count(*)::int AS lines, sum(amount_fen)::bigint AS amount FROM payment_lines WHERE month = '2026-09'`,
    );
    expect(counts[0].lines).toBe(HOUSEHOLDS);
    // A finished run is skipped.
    expect(await worker.get(PaymentRunBuilder).build(runId)).toEqual({ outcome: 'skipped', reason: 'already-built' });
  });

  it('refuses a month that is not YYYY-MM, a run that does not exist, and callers without the role', async () => {
    const bad = await request('POST', '/v1/payment-runs', finance, { month: '2026-13' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'month' });
    const missing = await request('GET', '/v1/payment-runs/00000000-0000-4000-8000-000000000000', finance);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('PAYMENT_RUN.NOT_FOUND');
    const reviewer = await staffToken(env.env, 'reviewer-1');
    expect((await request('POST', '/v1/payment-runs', reviewer, { month: '2026-10' })).status).toBe(403);
    const { rows } = await env.db.query(`SELECT count(*)::int AS n FROM payment_runs WHERE month = '2026-10'`);
    expect(rows[0].n).toBe(0);
  });

  it('suspends, resumes and ends entitlements with a reason and effective month, on the case chain; October pays accordingly', async () => {
    const reviewer = await staffToken(env.env, 'street-r', { divisions: [TIANSHAN_STREET] });
    const idOf = async (caseId: string) =>
      (await request('GET', `/v1/entitlements?caseId=${caseId}`, reviewer)).body.items[0].id as string;
    const [suspended, ended] = [await idOf(approved[1]!), await idOf(approved[2]!)];
    const suspend = await request('POST', `/v1/entitlements/${suspended}/suspension`, reviewer, {
      reason: 'no-response-to-review',
      effectiveMonth: '2026-10',
    });
    expect(suspend.body).toEqual({
      id: suspended,
      status: 'suspended',
      event: 'ENTITLEMENT_SUSPENDED',
      effectiveMonth: '2026-10',
    });
    const end = await request('POST', `/v1/entitlements/${ended}/ending`, reviewer, {
      reason: 'deceased',
      effectiveMonth: '2026-10',
    });
    expect(end.body).toMatchObject({ status: 'ended', event: 'ENTITLEMENT_ENDED' });
    const wrong = await request('POST', `/v1/entitlements/${ended}/resumption`, reviewer, {
      reason: 'review-completed',
      effectiveMonth: '2026-10',
    });
    expect(wrong.status).toBe(409);
    expect(wrong.body.code).toBe('ENTITLEMENT.WRONG_STATUS');
    const badReason = await request('POST', `/v1/entitlements/${suspended}/ending`, reviewer, {
      reason: 'bored',
      effectiveMonth: '2026-10',
    });
    expect(badReason.status).toBe(400);
    expect(badReason.body.errors[0]).toMatchObject({ field: 'reason' });
    const { rows: events } = await env.db.query(
      `SELECT type, payload FROM case_events WHERE case_id = $1 AND type = 'ENTITLEMENT_ENDED'`,
      [approved[2]],
    );
    expect(events[0].payload).toMatchObject({
      reason: 'deceased',
      effectiveMonth: '2026-10',
      endMonth: '2026-09',
      from: 'active',
    });

    clock.advanceTo(new Date('2026-10-10T00:30:00+08:00'));
    const october = (await worker.get(PaymentRunScheduler).openDueMonth())!;
    const run = await untilReady(october.id);
    expect(run.totals.lines).toBe(HOUSEHOLDS - 2);
    const { rows } = await env.db.query(
      `SELECT entitlement_id FROM payment_lines WHERE month = '2026-10' AND entitlement_id = ANY($1::uuid[])`,
      [[suspended, ended]],
    );
    expect(rows).toEqual([]);

    // Resumed, it is paid again from the next run.
    const resumed = await request('POST', `/v1/entitlements/${suspended}/resumption`, reviewer, {
      reason: 'review-completed',
      effectiveMonth: '2026-11',
    });
    expect(resumed.body).toMatchObject({ status: 'active', event: 'ENTITLEMENT_RESUMED' });
  });

  it("tells each case's portal once of its paid and returned lines, signed, ids and amounts only; not another portal", async () => {
    const [portalA, portalB] = [await givenPortal(env), await givenPortal(env)];
    const [receiverA, receiverB] = [new Receiver(), new Receiver()];
    await receiverA.start();
    await receiverB.start();
    try {
      const register = async (portal: { apiKey: string }, url: string, events: string[]) => {
        const answer = await getJson(`${base}/v1/portal/webhooks`, {
          method: 'POST',
          headers: { 'x-api-key': portal.apiKey, 'content-type': 'application/json' },
          body: JSON.stringify({ url, events }),
        });
        expect(answer.status).toBe(201);
        return { id: answer.body.id as string, secret: answer.body.secret as string };
      };
      const endpointA = await register(portalA, receiverA.url, ['payment.made', 'payment.returned']);
      const endpointB = await register(portalB, receiverB.url, ['payment.made']);

      // October's run is built; the cases were written without a portal (as given() and the bulk write them):
      // the first approved case and one bulk household become portal A's, another bulk household portal B's.
      const { rows: runs } = await env.db.query(`SELECT id FROM payment_runs WHERE month = '2026-10'`);
      const runId = runs[0].id as string;
      const lineOf = async (caseId: string) =>
        (
          await env.db.query(
            `SELECT l.id FROM payment_lines l JOIN entitlements e ON e.id = l.entitlement_id
             WHERE l.run_id = $1 AND e.case_id = $2`,
            [runId, caseId],
          )
        ).rows[0].id as string;
      const { rows: bulk } = await env.db.query(
        `SELECT c.id FROM payment_lines l JOIN entitlements e ON e.id = l.entitlement_id JOIN cases c ON c.id = e.case_id
         WHERE l.run_id = $1 AND c.tracking_number LIKE 'MS-B-%' ORDER BY c.id LIMIT 2`,
        [runId],
      );
      const [paidA, returnedA, paidB] = [approved[0]!, bulk[0].id as string, bulk[1].id as string];
      await env.db.query(`UPDATE cases SET portal_id = $1 WHERE id = ANY($2::uuid[])`, [
        portalA.portalId,
        [paidA, returnedA],
      ]);
      await env.db.query(`UPDATE cases SET portal_id = $1 WHERE id = $2`, [portalB.portalId, paidB]);
      const [paidLineA, returnedLineA, paidLineB] = [await lineOf(paidA), await lineOf(returnedA), await lineOf(paidB)];

      // The bank pays every line but one of portal A's; the file is imported twice (payAll), then a third time.
      const { file } = await payAll(await runOf(runId), 0, [returnedLineA]);
      const deliveries = async () =>
        (
          await env.db.query(
            `SELECT endpoint_id, case_id, message_id, event_type, status FROM webhook_deliveries ORDER BY id`,
          )
        ).rows as { endpoint_id: string; case_id: string; message_id: string; event_type: string; status: string }[];
      const written = await deliveries();
      expect(written.map((d) => [d.endpoint_id, d.case_id, d.event_type])).toEqual(
        expect.arrayContaining([
          [endpointA.id, paidA, 'payment.made'],
          [endpointA.id, returnedA, 'payment.returned'],
          [endpointB.id, paidB, 'payment.made'],
        ]),
      );
      expect(written).toHaveLength(3);
      const third = await request('POST', `/v1/payment-runs/${runId}/results`, finance, { file });
      expect(third.body).toMatchObject({ paid: 0, returned: 0 });
      expect(await deliveries()).toHaveLength(3);

      // Delivered: each receiver got exactly its portal's messages, one per settled line, signed with its secret.
      await eventually(async () => (await deliveries()).every((d) => d.status === 'delivered'));
      expect(receiverA.received).toHaveLength(2);
      expect(receiverB.received).toHaveLength(1);
      for (const message of receiverA.received) expect(signedWith(endpointA.secret, message)).toBe(true);
      expect(signedWith(endpointB.secret, receiverB.received[0]!)).toBe(true);
      expect(signedWith(endpointA.secret, receiverB.received[0]!)).toBe(false);

      const bodies = (receiver: Receiver) => receiver.received.map((m) => JSON.parse(m.body));
      const amountOf = async (lineId: string) =>
        Number((await env.db.query(`SELECT amount_fen FROM payment_lines WHERE id = $1`, [lineId])).rows[0].amount_fen);
      const [made, returnedMessage] = [
        bodies(receiverA).find((b) => b.type === 'payment.made'),
        bodies(receiverA).find((b) => b.type === 'payment.returned'),
      ];
      expect(made.data).toEqual({
        caseId: paidA,
        itemCode: 'BPS-064',
        status: 'approved',
        paymentLineId: paidLineA,
        paymentRunId: runId,
        entitlementId: expect.any(String),
        month: '2026-10',
        amountFen: await amountOf(paidLineA),
      });
      expect(returnedMessage.data).toMatchObject({
        caseId: returnedA,
        paymentLineId: returnedLineA,
        reason: 'wrong-account',
      });
      expect(bodies(receiverB)).toEqual([
        expect.objectContaining({
          type: 'payment.made',
          data: expect.objectContaining({ caseId: paidB, paymentLineId: paidLineB }),
        }),
      ]);
      // No name, bank or account: the bodies carry ids, the month, the amount and codes.
      for (const message of [...receiverA.received, ...receiverB.received]) {
        expect(message.body).not.toMatch(/ICBC|XJRCU|placeholder|accountNumber|beneficiary/i);
      }
    } finally {
      await receiverA.stop();
      await receiverB.stop();
    }
  });
});
