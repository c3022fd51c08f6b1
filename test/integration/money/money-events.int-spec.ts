import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { PaymentRunBuilder } from '../../../apps/worker/src/payments/payment-run-builder.js';
import { ManualClock, withCheckDigit } from '../../../libs/domain/src/index.js';
import { PiiCipher } from '../../../libs/infra/src/index.js';
import { eventually, TIANSHAN_STREET } from '../../support/given.js';
import { listen, staffRequest } from '../../support/http.js';
import { bulkApprovedHouseholds, SAYIBAK_STREET } from '../../support/households.js';
import { staffToken, type StaffToken } from '../../support/staff.js';
import { publishTestYear } from '../../support/test-calendars.js';
import { createTestEnvironment, TEST_CLOCK_START, type TestEnvironment } from '../../support/test-environment.js';

const STANDARD = 38_000;
const NEW_STANDARD = 43_000;
const HOUSEHOLDS = 8;

/** A household of the bulk write: its case, entitlement, street, amount and member count. */
interface Household {
  caseId: string;
  entitlementId: string;
  applicantId: string;
  division: string;
  amount: number;
  members: number;
}

describe('money driven by events: returned payments, household events, arrears on resumption', () => {
  let env: TestEnvironment;
  let clock: ManualClock;
  let worker: INestApplicationContext;
  let app: NestFastifyApplication;
  let base: string;
  let finance: StaffToken;
  let operator: StaffToken;
  let tianshan: StaffToken;
  let sayibak: StaffToken;
  let households: Household[];
  const tianshanHouseholds = () => households.filter((h) => h.division === TIANSHAN_STREET);
  const sayibakHouseholds = () => households.filter((h) => h.division === SAYIBAK_STREET);

  const request = (method: string, path: string, token: StaffToken, body?: unknown) =>
    staffRequest(base, method, path, token, body);
  const runOf = async (id: string) => (await request('GET', `/v1/payment-runs/${id}`, finance)).body;
  /** Opens the month's run and waits until it is built. */
  async function builtRun(month: string): Promise<any> {
    const opened = await request('POST', '/v1/payment-runs', finance, { month });
    expect(opened.status).toBe(200);
    return eventually(async () => {
      const run = await runOf(opened.body.id);
      return run.state === 'ready' ? run : undefined;
    }, 60_000);
  }
  /** Exports every file of the run (it becomes exported) and answers the file of the bank's results. */
  async function resultFile(run: any, returned: Readonly<Record<string, string>>): Promise<string> {
    const rows = ['line_id,outcome,reason'];
    for (const group of run.totals.byDistrictAndBank as { district: string; bank: string }[]) {
      const response = await fetch(
        `${base}/v1/payment-runs/${run.id}/export?district=${group.district}&bank=${encodeURIComponent(group.bank)}`,
        { headers: finance.headers },
      );
      expect(response.status).toBe(200);
      for (const row of (await response.text()).trim().split('\r\n').slice(1, -1)) {
        const id = row.split(',')[0]!;
        rows.push(returned[id] === undefined ? `${id},paid,` : `${id},returned,${returned[id]}`);
      }
    }
    return rows.join('\r\n');
  }
  const lineOf = async (entitlementId: string, month: string) =>
    (
      await env.db.query(
        `SELECT id, run_id, status, amount_fen::int AS amount, carried_from_run_id FROM payment_lines
         WHERE entitlement_id = $1 AND month = $2`,
        [entitlementId, month],
      )
    ).rows[0];
  const entitlementOf = async (id: string) =>
    (
      await env.db.query(`SELECT status, status_reason, end_month, suspended_from FROM entitlements WHERE id = $1`, [
        id,
      ])
    ).rows[0];
  const eventsOf = async (caseId: string, type: string) =>
    (
      await env.db.query(`SELECT payload FROM case_events WHERE case_id = $1 AND type = $2 ORDER BY seq`, [
        caseId,
        type,
      ])
    ).rows.map((r) => r.payload);
  const returnedTasks = async () =>
    (
      await env.db.query(
        `SELECT id, case_id, step, level, division_code, department_code, details, closed_at, status
         FROM tasks WHERE kind = 'returned-payment' ORDER BY opened_at, id`,
      )
    ).rows;
  /** The case's hash chain verified by a reviewer of its street: every event appended in order. */
  const chainIntact = async (h: Household) =>
    (await request('GET', `/v1/staff/cases/${h.caseId}/verify`, h.division === TIANSHAN_STREET ? tianshan : sayibak))
      .body;

  beforeAll(async () => {
    env = await createTestEnvironment('money events', { HEARTBEAT_EVERY_MS: '60000' });
    clock = new ManualClock(new Date(TEST_CLOCK_START));
    await publishTestYear(env.db, 2027);
    worker = await createWorker(env.config, { clock });
    app = await createGateway(env.config, { clock });
    base = await listen(app);
    finance = await staffToken(env.env, 'finance-1', { level: 'city', divisions: ['650100'], roles: ['finance'] });
    operator = await staffToken(env.env, 'operator-1', { level: 'city', divisions: ['650100'], roles: ['operator'] });
    tianshan = await staffToken(env.env, 'tianshan-r', { divisions: [TIANSHAN_STREET] });
    sayibak = await staffToken(env.env, 'sayibak-r', { divisions: [SAYIBAK_STREET] });
    await bulkApprovedHouseholds(env.db, HOUSEHOLDS, [TIANSHAN_STREET, SAYIBAK_STREET], STANDARD);
    households = (
      await env.db.query(
        `SELECT e.case_id, e.id, e.applicant_id, e.division, e.monthly_amount_fen::int AS amount,
                (e.basis->'minimumLiving'->>'memberCount')::int AS members
         FROM entitlements e ORDER BY e.division, e.id`,
      )
    ).rows.map((r) => ({
      caseId: r.case_id,
      entitlementId: r.id,
      applicantId: r.applicant_id,
      division: r.division,
      amount: r.amount,
      members: r.members,
    }));
  });
  afterAll(async () => {
    await app?.close();
    await worker?.close();
    await env?.teardown();
  });

  it('opens a task at the household’s street for each returned line; a death ends the entitlement; the correction closes it', async () => {
    clock.advanceTo(new Date('2026-07-10T09:00:00+08:00'));
    const july = await builtRun('2026-07');
    expect(july.totals.lines).toBe(HOUSEHOLDS);
    const [wrong, dead] = [tianshanHouseholds()[0]!, tianshanHouseholds()[1]!];
    const [wrongLine, deadLine] = [
      await lineOf(wrong.entitlementId, '2026-07'),
      await lineOf(dead.entitlementId, '2026-07'),
    ];
    const file = await resultFile(july, { [wrongLine.id]: 'wrong-account', [deadLine.id]: 'deceased' });
    const imported = await request('POST', `/v1/payment-runs/${july.id}/results`, finance, { file });
    expect(imported.body).toEqual({ paid: HOUSEHOLDS - 2, returned: 2, alreadySettled: 0, confirmed: true });

    // One task per returned line, at the household's street office (level street, its department), in the same
    // transaction as the import.
    const tasks = await returnedTasks();
    expect(tasks).toHaveLength(2);
    const taskOf = (caseId: string) => tasks.find((t) => t.case_id === caseId)!;
    expect(taskOf(wrong.caseId)).toMatchObject({
      step: `returned-payment-${wrongLine.id}`,
      level: 'street',
      division_code: TIANSHAN_STREET,
      department_code: 'civil-affairs',
      closed_at: null,
    });
    expect(taskOf(wrong.caseId).details).toMatchObject({
      paymentLineId: wrongLine.id,
      month: '2026-07',
      amountFen: wrong.amount,
      reason: 'wrong-account',
    });
    expect(taskOf(wrong.caseId).details.entitlementEnded).toBeUndefined();
    // Deceased: the entitlement ends, effective the month after the line's month, and the task says so.
    expect(taskOf(dead.caseId).details).toMatchObject({
      reason: 'deceased',
      entitlementEnded: { reason: 'deceased', effectiveMonth: '2026-08', endMonth: '2026-07' },
    });
    expect(await entitlementOf(dead.entitlementId)).toMatchObject({
      status: 'ended',
      status_reason: 'deceased',
      end_month: '2026-07',
    });
    expect(await eventsOf(dead.caseId, 'ENTITLEMENT_ENDED')).toEqual([
      expect.objectContaining({ reason: 'deceased', effectiveMonth: '2026-08', paymentLineId: deadLine.id }),
    ]);
    expect(await entitlementOf(wrong.entitlementId)).toMatchObject({ status: 'active' });
    expect(await eventsOf(wrong.caseId, 'PAYMENT_RETURNED')).toEqual([
      expect.objectContaining({
        paymentLineId: wrongLine.id,
        taskId: taskOf(wrong.caseId).id,
        reason: 'wrong-account',
      }),
    ]);

    // The same file again opens nothing and ends nothing twice.
    const again = await request('POST', `/v1/payment-runs/${july.id}/results`, finance, { file });
    expect(again.body).toMatchObject({ paid: 0, returned: 0, alreadySettled: HOUSEHOLDS });
    expect(await returnedTasks()).toHaveLength(2);
    expect(await eventsOf(dead.caseId, 'ENTITLEMENT_ENDED')).toHaveLength(1);

    // In the Tianshan street's inbox, with the line's facts; another street sees neither task.
    const inbox = (await request('GET', '/v1/tasks', tianshan)).body.items.map((t: { id: string }) => t.id);
    expect(inbox).toEqual(expect.arrayContaining([taskOf(wrong.caseId).id, taskOf(dead.caseId).id]));
    const detail = await request('GET', `/v1/tasks/${taskOf(wrong.caseId).id}`, tianshan);
    expect(detail.status).toBe(200);
    expect(detail.body.task).toMatchObject({ kind: 'returned-payment', divisionCode: TIANSHAN_STREET });
    expect(detail.body.task.details).toMatchObject({ month: '2026-07', amountFen: wrong.amount });
    const elsewhere = (await request('GET', '/v1/tasks', sayibak)).body.items.map((t: { id: string }) => t.id);
    expect(elsewhere).not.toContain(taskOf(wrong.caseId).id);
    expect((await request('GET', `/v1/tasks/${taskOf(wrong.caseId).id}`, sayibak)).status).toBe(404);

    // No decision closes it: the correction does. Another street may not correct the line.
    const decided = await request('POST', `/v1/tasks/${taskOf(wrong.caseId).id}/decision`, tianshan, {
      outcome: 'approve',
    });
    expect(decided.status).toBe(422);
    expect(decided.body).toMatchObject({ code: 'DECISION.INVALID' });
    const foreign = await request('POST', `/v1/payment-lines/${wrongLine.id}/correction`, sayibak);
    expect(foreign.status).toBe(409);
    expect((await returnedTasks()).find((t) => t.case_id === wrong.caseId).closed_at).toBeNull();
    const corrected = await request('POST', `/v1/payment-lines/${wrongLine.id}/correction`, tianshan);
    expect(corrected.body).toEqual({ id: wrongLine.id, status: 'corrected' });
    const closed = (await returnedTasks()).find((t) => t.case_id === wrong.caseId);
    expect(closed.closed_at).not.toBeNull();
    expect(closed.details.closedBecause).toBe('payment-corrected');
    expect((await request('GET', '/v1/tasks', tianshan)).body.items.map((t: { id: string }) => t.id)).not.toContain(
      closed.id,
    );
    expect(await eventsOf(wrong.caseId, 'PAYMENT_CORRECTED')).toEqual([
      expect.objectContaining({ paymentLineId: wrongLine.id, taskId: closed.id }),
    ]);
    // Correcting twice: the line is no longer returned.
    expect((await request('POST', `/v1/payment-lines/${wrongLine.id}/correction`, tianshan)).status).toBe(409);

    // August: the corrected line is carried once; the deceased's entitlement is not paid.
    clock.advanceTo(new Date('2026-08-10T09:00:00+08:00'));
    const august = await builtRun('2026-08');
    expect(august.totals).toMatchObject({ lines: HOUSEHOLDS - 1 + 1, carriedLines: 1 });
    expect(await lineOf(wrong.entitlementId, '2026-07')).toMatchObject({
      run_id: august.id,
      carried_from_run_id: july.id,
    });
    expect(await lineOf(dead.entitlementId, '2026-08')).toBeUndefined();
    const augustFile = await resultFile(august, {});
    expect((await request('POST', `/v1/payment-runs/${august.id}/results`, finance, { file: augustFile })).status).toBe(
      200,
    );
    for (const h of [wrong, dead]) expect(await chainIntact(h)).toMatchObject({ ok: true, headMatches: true });
  });

  const ID_OF = (n: number) => withCheckDigit(`65010219700101${String(n).padStart(3, '0')}`);
  const cipher = () => new PiiCipher(env.config.pii.encryptionKey, env.config.pii.hashKey);
  /** Gives a bulk household's applicant a real resident ID number (the bulk write leaves a placeholder hash). */
  async function identify(h: Household, n: number): Promise<string> {
    const idNumber = ID_OF(n);
    await env.db.query(`UPDATE applicants SET id_number_hash = $2 WHERE id = $1`, [
      h.applicantId,
      cipher().lookupHash(idNumber, 'applicant.id_number'),
    ]);
    return idNumber;
  }

  it('ends or suspends a person’s entitlements on a household event, once per event id; bad input writes nothing', async () => {
    const [deceased, moved, richer] = sayibakHouseholds();
    const [deceasedId, movedId, richerId] = [
      await identify(deceased!, 1),
      await identify(moved!, 2),
      await identify(richer!, 3),
    ];
    const event = (eventId: string, kind: string, idNumber: string, occurredOn: string) => ({
      eventId,
      kind,
      idNumber,
      occurredOn,
      source: 'public security household register',
    });
    // The registers report at the start of September, about August.
    clock.advanceTo(new Date('2026-09-01T10:00:00+08:00'));
    const good = ID_OF(4);
    const badCheck = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
    const count = async () => Number((await env.db.query(`SELECT count(*) FROM household_events`)).rows[0].count);

    // Refused whole, naming the field: nothing recorded, nothing changed.
    const badNumber = await request(
      'POST',
      '/v1/household-events',
      operator,
      event('e-0', 'death-registration', badCheck, '2026-08-15'),
    );
    expect(badNumber.status).toBe(400);
    expect(badNumber.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(badNumber.body.code).toBe('ID_NUMBER.BAD_CHECK_DIGIT');
    const badKind = await request(
      'POST',
      '/v1/household-events',
      operator,
      event('e-0', 'married', deceasedId, '2026-08-15'),
    );
    expect(badKind.status).toBe(400);
    expect(badKind.body.errors[0]).toMatchObject({ field: 'kind' });
    const future = await request(
      'POST',
      '/v1/household-events',
      operator,
      event('e-0', 'death-registration', deceasedId, '2026-09-15'),
    );
    expect(future.status).toBe(400);
    expect(future.body.errors[0]).toMatchObject({ field: 'occurredOn' });
    const reviewer = await request(
      'POST',
      '/v1/household-events',
      tianshan,
      event('e-0', 'death-registration', deceasedId, '2026-08-15'),
    );
    expect(reviewer.status).toBe(403);
    expect(await count()).toBe(0);
    expect(await entitlementOf(deceased!.entitlementId)).toMatchObject({ status: 'active' });

    const death = event('hukou-1', 'death-registration', deceasedId, '2026-08-15');
    const first = await request('POST', '/v1/household-events', operator, death);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      eventId: 'hukou-1',
      kind: 'death-registration',
      change: 'ending',
      reason: 'deceased',
      effectiveMonth: '2026-09',
      changed: [
        {
          entitlementId: deceased!.entitlementId,
          caseId: deceased!.caseId,
          from: 'active',
          to: 'ended',
          event: 'ENTITLEMENT_ENDED',
        },
      ],
      unchanged: [],
      replayed: false,
    });
    expect(await entitlementOf(deceased!.entitlementId)).toMatchObject({ status: 'ended', end_month: '2026-08' });
    // The same event again: the first answer, nothing changed, no second event on the chain.
    const second = await request('POST', '/v1/household-events', operator, death);
    expect(second.body).toEqual({ ...first.body, replayed: true });
    const ended = await eventsOf(deceased!.caseId, 'ENTITLEMENT_ENDED');
    expect(ended).toEqual([
      expect.objectContaining({
        reason: 'deceased',
        effectiveMonth: '2026-09',
        endMonth: '2026-08',
        householdEvent: expect.objectContaining({ eventId: 'hukou-1', kind: 'death-registration' }),
      }),
    ]);
    // The same id with another event is refused.
    const reused = await request('POST', '/v1/household-events', operator, { ...death, occurredOn: '2026-08-01' });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('HOUSEHOLD_EVENT.CONFLICT');

    const move = await request(
      'POST',
      '/v1/household-events',
      operator,
      event('hukou-2', 'moved-out-of-district', movedId, '2026-08-31'),
    );
    expect(move.body).toMatchObject({
      reason: 'moved-out-of-district',
      effectiveMonth: '2026-09',
      changed: [{ to: 'ended' }],
    });
    const income = await request(
      'POST',
      '/v1/household-events',
      operator,
      event('tax-1', 'income-above-standard', richerId, '2026-08-20'),
    );
    expect(income.body).toMatchObject({
      change: 'suspension',
      effectiveMonth: '2026-09',
      changed: [{ from: 'active', to: 'suspended' }],
    });
    expect(await entitlementOf(richer!.entitlementId)).toMatchObject({
      status: 'suspended',
      suspended_from: '2026-09',
    });
    // A second report of the same kind finds nothing to suspend: the entitlement is listed unchanged.
    const twice = await request(
      'POST',
      '/v1/household-events',
      operator,
      event('tax-2', 'income-above-standard', richerId, '2026-08-25'),
    );
    expect(twice.body).toMatchObject({
      changed: [],
      unchanged: [{ entitlementId: richer!.entitlementId, status: 'suspended' }],
    });
    // A person with no entitlement: recorded, nothing changed.
    const nobody = await request(
      'POST',
      '/v1/household-events',
      operator,
      event('hukou-3', 'death-registration', ID_OF(99), '2026-08-15'),
    );
    expect(nobody.body).toMatchObject({ changed: [], unchanged: [] });
    expect(await count()).toBe(5);

    // September pays none of the three.
    clock.advanceTo(new Date('2026-09-10T09:00:00+08:00'));
    const september = await builtRun('2026-09');
    for (const h of [deceased!, moved!, richer!]) expect(await lineOf(h.entitlementId, '2026-09')).toBeUndefined();
    expect(september.totals.lines).toBe(HOUSEHOLDS - 1 - 3);
    for (const h of [deceased!, moved!, richer!])
      expect(await chainIntact(h)).toMatchObject({ ok: true, headMatches: true });
  });

  it('pays the months a suspension covered when the resumption says so, each at its month’s amount, once', async () => {
    const richer = sayibakHouseholds()[2]!;
    const unpaid = tianshanHouseholds()[2]!;
    // The other is suspended from September too, by a reviewer; it is resumed without arrears.
    const suspended = await request('POST', `/v1/entitlements/${unpaid.entitlementId}/suspension`, tianshan, {
      reason: 'under-investigation',
      effectiveMonth: '2026-10',
    });
    expect(suspended.body).toMatchObject({ status: 'suspended' });

    // A higher standard from October: the months owed are paid at their own month's amounts.
    clock.advanceTo(new Date('2026-09-20T09:00:00+08:00'));
    const published = await request('POST', '/v1/catalog/parameters', operator, {
      key: 'minimum-living.standard.urban',
      value: NEW_STANDARD,
      validFrom: '2026-10-01',
      source: 'test notice',
      evidence: 'S',
      reason: 'the new yearly standard',
    });
    expect(published.status).toBeLessThan(300);
    clock.advanceTo(new Date('2026-10-10T09:00:00+08:00'));
    const october = await builtRun('2026-10');
    expect(await lineOf(richer.entitlementId, '2026-10')).toBeUndefined();
    expect(await lineOf(unpaid.entitlementId, '2026-10')).toBeUndefined();

    // A payArrears that is not a boolean is refused, naming the field; nothing changes.
    const bad = await request('POST', `/v1/entitlements/${richer.entitlementId}/resumption`, tianshan, {
      reason: 'review-completed',
      effectiveMonth: '2026-11',
      payArrears: 'yes',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'payArrears' });
    // Another street's reviewer does not find it.
    expect(
      (
        await request('POST', `/v1/entitlements/${richer.entitlementId}/resumption`, tianshan, {
          reason: 'review-completed',
          effectiveMonth: '2026-11',
          payArrears: true,
        })
      ).status,
    ).toBe(404);
    expect(await entitlementOf(richer.entitlementId)).toMatchObject({ status: 'suspended' });

    clock.advanceTo(new Date('2026-10-25T09:00:00+08:00'));
    const resumed = await request('POST', `/v1/entitlements/${richer.entitlementId}/resumption`, sayibak, {
      reason: 'review-completed',
      effectiveMonth: '2026-11',
      payArrears: true,
    });
    expect(resumed.body).toEqual({
      id: richer.entitlementId,
      status: 'active',
      event: 'ENTITLEMENT_RESUMED',
      effectiveMonth: '2026-11',
      arrearsMonths: ['2026-09', '2026-10'],
    });
    const noArrears = await request('POST', `/v1/entitlements/${unpaid.entitlementId}/resumption`, tianshan, {
      reason: 'review-completed',
      effectiveMonth: '2026-11',
    });
    expect(noArrears.body).toMatchObject({ status: 'active', arrearsMonths: [] });
    expect(await eventsOf(richer.caseId, 'ENTITLEMENT_RESUMED')).toEqual([
      expect.objectContaining({ payArrears: true, arrearsMonths: ['2026-09', '2026-10'] }),
    ]);

    clock.advanceTo(new Date('2026-11-10T09:00:00+08:00'));
    const november = await builtRun('2026-11');
    const higher = richer.amount + (NEW_STANDARD - STANDARD) * richer.members;
    // September at the old standard, October and November at the new one: one line per month.
    expect(await lineOf(richer.entitlementId, '2026-09')).toMatchObject({ run_id: november.id, amount: richer.amount });
    expect(await lineOf(richer.entitlementId, '2026-10')).toMatchObject({ run_id: november.id, amount: higher });
    expect(await lineOf(richer.entitlementId, '2026-11')).toMatchObject({ run_id: november.id, amount: higher });
    expect(await lineOf(unpaid.entitlementId, '2026-10')).toBeUndefined();
    expect(await lineOf(unpaid.entitlementId, '2026-11')).toBeDefined();
    expect(october.totals.lines + 2 + 2).toBe(november.totals.lines);

    // Built again from the start: no second line for any month.
    await env.db.query(
      `UPDATE payment_runs SET state = 'building', after_entitlement_id = NULL, examined = 0 WHERE id = $1`,
      [november.id],
    );
    const rebuilt = await worker.get(PaymentRunBuilder).build(november.id);
    expect(rebuilt).toMatchObject({ outcome: 'built', progress: { lines: 0 }, arrears: 0 });
    const { rows } = await env.db.query(
      `SELECT month, count(*)::int AS n FROM payment_lines WHERE entitlement_id = $1 GROUP BY month ORDER BY month`,
      [richer.entitlementId],
    );
    expect(rows).toEqual(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11'].map((month) => ({ month, n: 1 })));

    // A suspension and resumption over months already paid owes nothing.
    await request('POST', `/v1/entitlements/${richer.entitlementId}/suspension`, sayibak, {
      reason: 'under-investigation',
      effectiveMonth: '2026-10',
    });
    const overPaid = await request('POST', `/v1/entitlements/${richer.entitlementId}/resumption`, sayibak, {
      reason: 'review-completed',
      effectiveMonth: '2026-12',
      payArrears: true,
    });
    expect(overPaid.body).toMatchObject({ status: 'active', arrearsMonths: [] });
    expect(await chainIntact(richer)).toMatchObject({ ok: true, headMatches: true });
  });
});
