import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { ManualClock } from '../../../libs/domain/src/index.js';
import { eventually, given } from '../../support/given.js';
import { listen, staffRequest } from '../../support/http.js';
import { staffToken, type StaffToken } from '../../support/staff.js';
import { publishTestYear } from '../../support/test-calendars.js';
import { createTestEnvironment, TEST_CLOCK_START, type TestEnvironment } from '../../support/test-environment.js';

/**
 * 临时救助 (machine v3) is paid by the monthly payment run and by nothing else (docs/money.md "临时救助: one payer,
 * in instalments"): the approval's instalments, after the relief already handed out, one line per instalment month;
 * the bank's answers move the case's payment step; nobody types `paid` into a task.
 */
describe('临时救助: one payer, the payment run, instalment by instalment', () => {
  let env: TestEnvironment;
  let clock: ManualClock;
  let worker: INestApplicationContext;
  let app: NestFastifyApplication;
  let base: string;
  let the: ReturnType<typeof given>;
  let finance: StaffToken;
  let operator: StaffToken;
  /** Returned in its first run, corrected, paid in the next: 3 × 30,000 after a relief of 10,000. */
  let returnedCase: string;
  /** Paid straight: 2 × 25,000 (no relief). */
  let straightCase: string;
  let returnedLine: string;

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
  const linesOf = async (caseId: string) =>
    (
      await env.db.query(
        `SELECT l.id, l.month, l.amount_fen::int AS amount, l.status, l.run_id, l.carried_from_run_id
         FROM payment_lines l JOIN entitlements e ON e.id = l.entitlement_id WHERE e.case_id = $1
         ORDER BY l.month, l.id`,
        [caseId],
      )
    ).rows as { id: string; month: string; amount: number; status: string; run_id: string }[];

  /** An emergency case (急难型) through its relief, paperwork and approval, left in payment. */
  async function approvedAssistance(reliefFen: number | undefined, amountFen: number, instalments: number) {
    const { caseId } = await the.submittedCase({
      itemCode: 'BPS-069',
      details: { assistanceType: 'emergency', requestedAmountFen: amountFen, priorAssistanceThisYearForCause: false },
      facts: { bank: 'ICBC' },
    });
    await decide(caseId, 'emergency-relief', reliefFen === undefined ? {} : { amountFen: reliefFen });
    await decide(caseId, 'paperwork');
    await decide(caseId, 'approval', { amountFen, instalments });
    await eventually(async () => (await caseRow(caseId)).status === 'in-payment');
    return caseId;
  }

  /** Opens the month's run (or answers the one opened already) once it is built. */
  async function runOf(month: string) {
    const opened = await request('POST', '/v1/payment-runs', finance, { month });
    expect(opened.status).toBe(200);
    return eventually(async () => {
      const run = (await request('GET', `/v1/payment-runs/${opened.body.id}`, finance)).body;
      return run.state === 'building' ? undefined : run;
    }, 60_000);
  }

  /** Exports every file of the run and imports the bank's answer: `returned` lines returned, the rest paid. */
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
      ...ids.map((id) => (returned.includes(id) ? `${id},returned,wrong-account` : `${id},paid,`)),
    ].join('\r\n');
    const imported = await request('POST', `/v1/payment-runs/${run.id}/results`, finance, { file });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ paid: ids.length - returned.length, returned: returned.length });
    return file;
  }

  beforeAll(async () => {
    env = await createTestEnvironment('temporary assistance payments', { HEARTBEAT_EVERY_MS: '60000' });
    clock = new ManualClock(new Date(TEST_CLOCK_START));
    the = given(env.db, clock);
    await publishTestYear(env.db, 2027);
    worker = await createWorker(env.config, { clock });
    app = await createGateway(env.config, { clock });
    base = await listen(app);
    finance = await staffToken(env.env, 'finance-ta', { level: 'city', divisions: ['650100'], roles: ['finance'] });
    operator = await staffToken(env.env, 'operator-ta', { level: 'city', divisions: ['650100'], roles: ['operator'] });
  });
  afterAll(async () => {
    await app?.close();
    await worker?.close();
    await env?.teardown();
  });

  it('grants an instalment schedule of what the relief left, with no payment task', async () => {
    returnedCase = await approvedAssistance(10_000, 100_000, 3);
    straightCase = await approvedAssistance(undefined, 50_000, 2);
    const { body } = await request('GET', `/v1/entitlements?caseId=${returnedCase}`, operator);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      kind: 'temporary-assistance',
      itemCode: 'BPS-069',
      monthlyAmountFen: 30_000,
      startMonth: '2026-06',
      endMonth: '2026-08',
      status: 'active',
    });
    expect(body.items[0].basis.instalments).toEqual([
      { instalment: 1, month: '2026-06', amountFen: 30_000 },
      { instalment: 2, month: '2026-07', amountFen: 30_000 },
      { instalment: 3, month: '2026-08', amountFen: 30_000 },
    ]);
    expect(body.items[0].basis).toMatchObject({ approvedAmountFen: 100_000, reliefGivenFen: 10_000 });
    // Nobody is asked to type `paid`: the case has no payment task.
    const { rows } = await env.db.query(
      `SELECT count(*)::int AS n FROM tasks WHERE case_id = ANY($1) AND step = 'payment'`,
      [[returnedCase, straightCase]],
    );
    expect(rows[0].n).toBe(0);
  });

  it('pays each instalment once in its month; a returned one is paid once after its correction', async () => {
    // June: instalment 1 of each case; the bank returns the first case's.
    const june = await runOf('2026-06');
    expect((await linesOf(returnedCase)).map((l) => [l.month, l.amount])).toEqual([['2026-06', 30_000]]);
    expect((await linesOf(straightCase)).map((l) => [l.month, l.amount])).toEqual([['2026-06', 25_000]]);
    returnedLine = (await linesOf(returnedCase))[0]!.id;
    const juneFile = await settle(june, [returnedLine]);
    await eventually(async () => (await chain(returnedCase)).some((e) => e.type === 'PAYMENT_FAILED'));
    await eventually(async () => (await chain(straightCase)).some((e) => e.type === 'PAYMENT_CONFIRMED'));
    // The same file again: nothing settled, nothing told again.
    const again = await request('POST', `/v1/payment-runs/${june.id}/results`, finance, { file: juneFile });
    expect(again.body).toMatchObject({ paid: 0, returned: 0, alreadySettled: 2 });
    // A second request for June is the same run: no second line.
    expect((await runOf('2026-06')).id).toBe(june.id);
    expect(await linesOf(returnedCase)).toHaveLength(1);

    // The applicant was told; the approval stands; the street office corrects the account.
    const failedChain = await chain(returnedCase);
    expect(failedChain.filter((e) => e.type === 'APPLICANT_NOTIFIED').map((e) => e.payload['template'])).toContain(
      'payment-failed',
    );
    expect((await caseRow(returnedCase)).status).toBe('in-payment');
    const corrected = await request('POST', `/v1/payment-lines/${returnedLine}/correction`, operator);
    expect(corrected.body).toEqual({ id: returnedLine, status: 'corrected' });

    // Approved in June after June's run was built: its June instalment is still owed, and July's run pays it.
    const lateCase = await approvedAssistance(undefined, 40_000, 2);

    // July: the corrected June line is carried (the same line) and July's instalment is paid, both once.
    clock.advanceTo(new Date('2026-07-10T09:00:00+08:00'));
    const july = await runOf('2026-07');
    expect((await linesOf(returnedCase)).map((l) => [l.id === returnedLine, l.month, l.run_id === july.id])).toEqual([
      [true, '2026-06', true],
      [false, '2026-07', true],
    ]);
    expect((await linesOf(lateCase)).map((l) => [l.month, l.amount, l.run_id === july.id])).toEqual([
      ['2026-06', 20_000, true],
      ['2026-07', 20_000, true],
    ]);
    await settle(july);
    await eventually(async () => (await caseRow(lateCase)).closed_at !== null);
    // The straight case's last instalment closes it.
    await eventually(async () => (await caseRow(straightCase)).closed_at !== null);
    expect((await caseRow(straightCase)).status).toBe('approved');

    // August: the last instalment of the first case closes it.
    clock.advanceTo(new Date('2026-08-10T09:00:00+08:00'));
    await settle(await runOf('2026-08'));
    await eventually(async () => (await caseRow(returnedCase)).closed_at !== null);
    expect((await caseRow(returnedCase)).status).toBe('approved');

    // September: nothing more to pay.
    clock.advanceTo(new Date('2026-09-10T09:00:00+08:00'));
    const september = await runOf('2026-09');
    expect(september.totals.lines).toBe(0);

    // Paid exactly once: one paid line per instalment month, adding up to the approval less the relief.
    const returnedLines = await linesOf(returnedCase);
    expect(returnedLines.map((l) => [l.month, l.amount, l.status])).toEqual([
      ['2026-06', 30_000, 'paid'],
      ['2026-07', 30_000, 'paid'],
      ['2026-08', 30_000, 'paid'],
    ]);
    expect(returnedLines.reduce((sum, l) => sum + l.amount, 0)).toBe(100_000 - 10_000);
    expect((await linesOf(straightCase)).map((l) => [l.month, l.amount, l.status])).toEqual([
      ['2026-06', 25_000, 'paid'],
      ['2026-07', 25_000, 'paid'],
    ]);

    // The case's chain: one failure and three confirmations, each from the run's answer, none refused. July's two
    // answers (the carried first instalment and the second) are two commands the engine may apply in either order.
    const events = await chain(returnedCase);
    const payments = events.filter((e) => e.type === 'PAYMENT_CONFIRMED' || e.type === 'PAYMENT_FAILED');
    const answers = payments.map((e) => [e.type, e.actor, e.payload['event']['instalment']]);
    expect(answers[0]).toEqual(['PAYMENT_FAILED', 'system:payments', 1]);
    expect(answers.slice(1, 3).sort()).toEqual([
      ['PAYMENT_CONFIRMED', 'system:payments', 1],
      ['PAYMENT_CONFIRMED', 'system:payments', 2],
    ]);
    expect(answers.slice(3)).toEqual([['PAYMENT_CONFIRMED', 'system:payments', 3]]);
    const firstPaid = payments.find((e) => e.type === 'PAYMENT_CONFIRMED' && e.payload['event']['instalment'] === 1);
    expect(firstPaid!.payload['event']['reference']).toBe(`payment-line:${returnedLine}`);
    expect(events.filter((e) => e.type === 'COMMAND_REFUSED')).toEqual([]);
    const context = (await caseRow(returnedCase)).snapshot.context;
    expect(context).toMatchObject({ paidInstalments: 3, failedPayments: 1 });
    expect([...(context['settledInstalments'] as number[])].sort()).toEqual([1, 2, 3]);
  }, 180_000);
});
