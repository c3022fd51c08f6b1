import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { ManualClock, withCheckDigit } from '../../../libs/domain/src/index.js';
import { PiiCipher } from '../../../libs/infra/src/index.js';
import { eventually, given } from '../../support/given.js';
import { listen, staffRequest } from '../../support/http.js';
import { staffToken, type StaffToken } from '../../support/staff.js';
import { publishTestYear } from '../../support/test-calendars.js';
import { createTestEnvironment, TEST_CLOCK_START, type TestEnvironment } from '../../support/test-environment.js';

/**
 * 临时救助 (machine v3) ended while instalments are still owed (docs/money.md "临时救助: one payer, in
 * instalments"): the ending of its entitlement, by a household event or by a line the bank returned `deceased`,
 * tells the case, which closes approved with the instalments paid so far instead of waiting in payment forever; the
 * schedule is written `instalments` when there is more than one, `one-off` when there is one.
 */
describe('临时救助: an ended entitlement closes the case with what was paid', () => {
  let env: TestEnvironment;
  let clock: ManualClock;
  let worker: INestApplicationContext;
  let app: NestFastifyApplication;
  let base: string;
  let the: ReturnType<typeof given>;
  let finance: StaffToken;
  let operator: StaffToken;
  /** 3 × 30,000; instalment 1 paid in June, then the applicant's death is registered. */
  let diedCase: string;
  /** 2 × 25,000; the bank returns June's line `deceased`. */
  let returnedCase: string;
  /** 40,000 at once: a one-off schedule, paid in June, closed by its payment. */
  let onceCase: string;

  const request = (method: string, path: string, token: StaffToken, body?: unknown) =>
    staffRequest(base, method, path, token, body);
  const openTask = async (caseId: string, step: string) =>
    (await env.db.query(`SELECT id FROM tasks WHERE case_id = $1 AND step = $2 AND closed_at IS NULL`, [caseId, step]))
      .rows[0];
  const decide = async (caseId: string, step: string, extra: Record<string, unknown> = {}) => {
    await eventually(() => openTask(caseId, step));
    await the.command(caseId, { type: 'DECIDED', step, outcome: 'approve', actor: 'staff:r1', ...extra }, 'staff:r1');
  };
  const caseRow = async (caseId: string) =>
    (await env.db.query(`SELECT status, closed_at, snapshot FROM cases WHERE id = $1`, [caseId])).rows[0] as {
      status: string;
      closed_at: Date | null;
      snapshot: { context: Record<string, unknown> };
    };
  const chain = async (caseId: string) =>
    (await env.db.query(`SELECT type, actor, payload FROM case_events WHERE case_id = $1 ORDER BY seq`, [caseId]))
      .rows as { type: string; actor: string; payload: Record<string, any> }[];
  const entitlementOf = async (caseId: string) =>
    (
      await env.db.query(
        `SELECT id, schedule, status, status_reason, start_month, end_month FROM entitlements WHERE case_id = $1`,
        [caseId],
      )
    ).rows[0] as { id: string; schedule: string; status: string; end_month: string };
  const linesOf = async (caseId: string) =>
    (
      await env.db.query(
        `SELECT l.id, l.month, l.amount_fen::int AS amount, l.status
         FROM payment_lines l JOIN entitlements e ON e.id = l.entitlement_id WHERE e.case_id = $1
         ORDER BY l.month, l.id`,
        [caseId],
      )
    ).rows as { id: string; month: string; amount: number; status: string }[];

  /** An emergency case (急难型) with no cash relief, approved for `amountFen` in `instalments`. */
  async function approvedAssistance(amountFen: number, instalments: number) {
    const { caseId } = await the.submittedCase({
      itemCode: 'BPS-069',
      details: { assistanceType: 'emergency', requestedAmountFen: amountFen, priorAssistanceThisYearForCause: false },
      facts: { bank: 'ICBC' },
    });
    await decide(caseId, 'emergency-relief');
    await decide(caseId, 'paperwork');
    await decide(caseId, 'approval', { amountFen, instalments });
    await eventually(async () => (await caseRow(caseId)).status === 'in-payment');
    return caseId;
  }

  async function runOf(month: string) {
    const opened = await request('POST', '/v1/payment-runs', finance, { month });
    expect(opened.status).toBe(200);
    return eventually(async () => {
      const run = (await request('GET', `/v1/payment-runs/${opened.body.id}`, finance)).body;
      return run.state === 'building' ? undefined : run;
    }, 60_000);
  }

  /** Exports the run's files and imports the bank's answer: the lines in `returned` returned `deceased`. */
  async function settle(run: any, returned: readonly string[] = []) {
    const ids: string[] = [];
    for (const group of run.totals.byDistrictAndBank as { district: string; bank: string }[]) {
      const response = await fetch(
        `${base}/v1/payment-runs/${run.id}/export?district=${group.district}&bank=${encodeURIComponent(group.bank)}`,
        { headers: finance.headers },
      );
      expect(response.status).toBe(200);
      const rows = (await response.text()).trim().split('\r\n');
      for (const row of rows.slice(1, -1)) ids.push(row.split(',')[0]!);
    }
    const file = [
      'line_id,outcome,reason',
      ...ids.map((id) => (returned.includes(id) ? `${id},returned,deceased` : `${id},paid,`)),
    ].join('\r\n');
    const imported = await request('POST', `/v1/payment-runs/${run.id}/results`, finance, { file });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ paid: ids.length - returned.length, returned: returned.length });
  }

  beforeAll(async () => {
    env = await createTestEnvironment('temporary assistance ending', { HEARTBEAT_EVERY_MS: '60000' });
    clock = new ManualClock(new Date(TEST_CLOCK_START));
    the = given(env.db, clock);
    await publishTestYear(env.db, 2027);
    worker = await createWorker(env.config, { clock });
    app = await createGateway(env.config, { clock });
    base = await listen(app);
    finance = await staffToken(env.env, 'finance-te', { level: 'city', divisions: ['650100'], roles: ['finance'] });
    operator = await staffToken(env.env, 'operator-te', { level: 'city', divisions: ['650100'], roles: ['operator'] });
  });
  afterAll(async () => {
    await app?.close();
    await worker?.close();
    await env?.teardown();
  });

  it('writes the schedule instalments for more than one instalment, one-off for one', async () => {
    diedCase = await approvedAssistance(90_000, 3);
    returnedCase = await approvedAssistance(50_000, 2);
    onceCase = await approvedAssistance(40_000, 1);
    expect(await entitlementOf(diedCase)).toMatchObject({
      schedule: 'instalments',
      start_month: '2026-06',
      end_month: '2026-08',
    });
    expect(await entitlementOf(returnedCase)).toMatchObject({ schedule: 'instalments', end_month: '2026-07' });
    expect(await entitlementOf(onceCase)).toMatchObject({
      schedule: 'one-off',
      start_month: '2026-06',
      end_month: '2026-06',
    });
    const { body } = await request('GET', `/v1/entitlements?caseId=${diedCase}`, operator);
    expect(body.items[0]).toMatchObject({ schedule: 'instalments', kind: 'temporary-assistance' });
  });

  it('closes a case whose entitlement a death or a deceased return ended, with the instalments paid so far', async () => {
    // June: every case's first instalment; the bank returns the second case's `deceased`.
    const june = await runOf('2026-06');
    const returnedLine = (await linesOf(returnedCase))[0]!.id;
    await settle(june, [returnedLine]);
    await eventually(async () => (await caseRow(onceCase)).closed_at !== null);
    expect((await caseRow(onceCase)).status).toBe('approved');
    // The returned line ended the entitlement (its month the last paid) and the ending told the case.
    expect(await entitlementOf(returnedCase)).toMatchObject({
      status: 'ended',
      status_reason: 'deceased',
      end_month: '2026-06',
    });
    await eventually(async () => (await caseRow(returnedCase)).closed_at !== null);
    expect((await caseRow(returnedCase)).status).toBe('approved');
    expect((await caseRow(returnedCase)).snapshot.context).toMatchObject({
      paidInstalments: 0,
      endedEarly: { reason: 'deceased', effectiveMonth: '2026-07' },
    });

    // The first case's first instalment was paid; it still waits for two more.
    await eventually(async () => (await chain(diedCase)).some((e) => e.type === 'PAYMENT_CONFIRMED'));
    expect((await caseRow(diedCase)).status).toBe('in-payment');

    // The register reports the applicant's death on 20 June: the entitlement ends from July, and the case closes.
    clock.advanceTo(new Date('2026-06-25T09:00:00+08:00'));
    const idNumber = withCheckDigit('65010219700101077');
    const cipher = new PiiCipher(env.config.pii.encryptionKey, env.config.pii.hashKey);
    await env.db.query(
      `UPDATE applicants SET id_number_hash = $2 WHERE id = (SELECT applicant_id FROM cases WHERE id = $1)`,
      [diedCase, cipher.lookupHash(idNumber, 'applicant.id_number')],
    );
    const death = await request('POST', '/v1/household-events', operator, {
      eventId: 'hukou-ta-1',
      kind: 'death-registration',
      idNumber,
      occurredOn: '2026-06-20',
      source: 'public security household register',
    });
    expect(death.status).toBe(200);
    expect(death.body).toMatchObject({ change: 'ending', effectiveMonth: '2026-07' });
    expect(await entitlementOf(diedCase)).toMatchObject({ status: 'ended', end_month: '2026-06' });
    await eventually(async () => (await caseRow(diedCase)).closed_at !== null);
    const closed = await caseRow(diedCase);
    expect(closed.status).toBe('approved');
    expect(closed.snapshot.context).toMatchObject({
      paidInstalments: 1,
      settledInstalments: [1],
      endedEarly: { reason: 'deceased', effectiveMonth: '2026-07' },
    });
    const events = await chain(diedCase);
    // The ending on the chain (the entitlement's record), then the command that told the case (the machine's input).
    expect(events.filter((e) => e.type === 'ENTITLEMENT_ENDED').map((e) => e.payload['reason'])).toEqual(['deceased']);
    const stopped = events.filter((e) => e.type === 'PAYMENTS_STOPPED');
    expect(stopped.map((e) => [e.payload['event']['reason'], e.payload['to']])).toEqual([['deceased', 'approved']]);
    expect(events.filter((e) => e.type === 'COMMAND_REFUSED')).toEqual([]);
    // The same event again is a replay: nothing more is told.
    const again = await request('POST', '/v1/household-events', operator, {
      eventId: 'hukou-ta-1',
      kind: 'death-registration',
      idNumber,
      occurredOn: '2026-06-20',
      source: 'public security household register',
    });
    expect(again.body).toMatchObject({ replayed: true });

    // July: nothing is paid for either ended case; the one-off case was paid once.
    clock.advanceTo(new Date('2026-07-10T09:00:00+08:00'));
    const july = await runOf('2026-07');
    expect(july.totals.lines).toBe(0);
    expect((await linesOf(diedCase)).map((l) => [l.month, l.amount, l.status])).toEqual([['2026-06', 30_000, 'paid']]);
    expect((await linesOf(returnedCase)).map((l) => [l.month, l.status])).toEqual([['2026-06', 'returned']]);
    expect((await linesOf(onceCase)).map((l) => [l.month, l.amount, l.status])).toEqual([['2026-06', 40_000, 'paid']]);
  }, 180_000);
});
