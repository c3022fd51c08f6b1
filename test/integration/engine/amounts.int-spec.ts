import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { type Job, type Queue } from 'bullmq';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { CaseEngine } from '../../../apps/worker/src/engine/case-engine.js';
import { DISTRICT_PROCEDURE_SETTINGS, toShanghaiDate } from '../../../libs/domain/src/index.js';
import {
  commandJobId,
  placeParameterValue,
  QUEUES,
  type CaseCommand,
  type ParameterValueInput,
} from '../../../libs/infra/src/index.js';
import { eventually, given, TIANSHAN_DISTRICT } from '../../support/given.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { publishTestYear } from '../../support/test-calendars.js';
import { clockIdOf, promoteClockTimer } from '../../support/time-travel.js';

/** The household of docs/domain.md §3.1's worked example: two adults, one elderly, verified income 400 yuan. */
const HOUSEHOLD = {
  area: 'urban',
  household: {
    members: [
      { id: 'm1', birthDate: '1950-03-01', health: 'healthy', monthlyIncomeFen: 10_000 },
      { id: 'm2', birthDate: '1980-05-05', health: 'healthy', monthlyIncomeFen: 20_000 },
    ],
  },
};

describe('amounts from published parameters, and the procedure input stored at intake', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let the: ReturnType<typeof given>;
  let commands: Queue;

  beforeAll(async () => {
    env = await createTestEnvironment('amounts', { HEARTBEAT_EVERY_MS: '60000' });
    the = given(env.db, env.clock);
    await publishTestYear(env.db, 2027);
    worker = await createWorker(env.config);
    commands = worker.get<Queue>(getQueueToken(QUEUES.caseCommands));
  });
  afterAll(async () => {
    await worker?.close();
    await env?.teardown();
  });

  const caseRow = async (caseId: string) =>
    (await env.db.query(`SELECT status, snapshot, facts, entitlement, closed_at FROM cases WHERE id = $1`, [caseId]))
      .rows[0];
  const openTask = async (caseId: string, step: string) =>
    (await env.db.query(`SELECT * FROM tasks WHERE case_id = $1 AND step = $2 AND closed_at IS NULL`, [caseId, step]))
      .rows[0];
  const untilOpen = (caseId: string, step: string) => eventually(() => openTask(caseId, step));
  const decide = (
    caseId: string,
    step: string,
    outcome: 'approve' | 'reject' | 'return',
    extra: Record<string, unknown> = {},
  ) => the.command(caseId, { type: 'DECIDED', step, outcome, actor: 'staff:r1', ...extra }, 'staff:r1');
  const decision = (caseId: string, step: string, extra: Record<string, unknown> = {}): CaseCommand => ({
    caseId,
    commandId: randomUUID(),
    event: { type: 'DECIDED', step, outcome: 'approve', actor: 'staff:r1', ...extra } as CaseCommand['event'],
    actor: 'staff:r1',
  });
  const openAlert = async (kind: string, key: string) =>
    (
      await env.db.query(`SELECT * FROM operator_alerts WHERE kind = $1 AND key = $2 AND resolved_at IS NULL`, [
        kind,
        key,
      ])
    ).rows[0];
  const publish = async (value: Partial<ParameterValueInput> & Pick<ParameterValueInput, 'key' | 'value'>) => {
    const client = await env.db.connect();
    try {
      await client.query('BEGIN');
      const q = { query: async (sql: string, values?: unknown[]) => (await client.query(sql, values)).rows };
      await placeParameterValue(q, {
        itemCode: 'BPS-064',
        unit: 'fen-per-person-per-month',
        bound: 'exact',
        validFrom: toShanghaiDate(env.clock.now()),
        validFromPrecision: 'day',
        validTo: null,
        source: 'test publication',
        evidence: 'S',
        note: null,
        reason: 'test',
        origin: 'operator',
        seedId: null,
        publishedBy: 'staff:test',
        ...value,
      });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await worker.get(CaseEngine).reloadParameters();
  };

  /** A 低保 case of HOUSEHOLD walked to its open approval task (district level unless delegated). */
  async function minimumLivingAtApproval(): Promise<string> {
    const { caseId } = await the.submittedCase({ itemCode: 'BPS-064', facts: HOUSEHOLD });
    await untilOpen(caseId, 'acceptance');
    await decide(caseId, 'acceptance', 'approve');
    await untilOpen(caseId, 'investigation');
    await decide(caseId, 'investigation', 'approve', {
      findings: { homeVisitDate: '2026-11-20', dataCheck: 'consistent', verifiedHouseholdIncomeFen: 40_000 },
    });
    await untilOpen(caseId, 'street-review');
    await decide(caseId, 'street-review', 'approve');
    await eventually(async () => (await caseRow(caseId)).status === 'public-notice');
    await promoteClockTimer(env, await clockIdOf(env, caseId, 'public-notice'), 'due');
    await untilOpen(caseId, 'approval');
    return caseId;
  }

  it('starts a case from the input stored at intake, not from a district setting changed since', async () => {
    const delegated = DISTRICT_PROCEDURE_SETTINGS.minimumLivingApprovalDelegated as Set<string>;
    const stored = await the.submittedCase({ itemCode: 'BPS-064', facts: HOUSEHOLD, withoutCommand: true });
    expect((await caseRow(stored.caseId)).facts.procedureInput).toEqual({ approvalDelegatedToStreet: false });
    delegated.add(TIANSHAN_DISTRICT); // the district delegates approval to its streets after the case was submitted
    try {
      // A case submitted now is built with the new setting (the control) ...
      const later = await the.submittedCase({ itemCode: 'BPS-064', facts: HOUSEHOLD });
      await untilOpen(later.caseId, 'acceptance');
      expect((await caseRow(later.caseId)).snapshot.context.approvalLevel).toBe('street');
      // ... the earlier one starts on what intake stored with it.
      await worker.get(CaseEngine).apply({
        caseId: stored.caseId,
        commandId: randomUUID(),
        event: { type: 'SUBMITTED' },
        actor: 'portal:test',
      });
      expect((await caseRow(stored.caseId)).snapshot.context.approvalLevel).toBe('district');
    } finally {
      delegated.delete(TIANSHAN_DISTRICT);
    }
  });

  it('fails a case without a stored input once, permanently, with an operator alert', async () => {
    const { caseId, commandId } = await the.submittedCase({ itemCode: 'BPS-064', withoutProcedureInput: true });
    const alert = await eventually(() => openAlert('case.procedure-input-missing', caseId));
    expect(alert.details).toMatchObject({ code: 'CASE.PROCEDURE_INPUT_MISSING', caseId });
    // The alert is written while the job still runs; the queue marks it failed just after.
    const failed = await eventually(async () =>
      (await commands.getFailed()).find((job: Job<CaseCommand>) => job.data.commandId === commandId),
    );
    expect(failed?.failedReason).toMatch(/^CASE\.PROCEDURE_INPUT_MISSING/);
    expect(failed?.attemptsMade).toBe(1);
    expect((await caseRow(caseId)).status).toBe('submitted');
  });

  it('pays the 低保 standard in force on the day of approval: a future standard changes only later approvals', async () => {
    const engine = worker.get(CaseEngine);
    const today = toShanghaiDate(env.clock.now());
    const from = toShanghaiDate(new Date(env.clock.now().getTime() + 30 * 86_400_000));
    await publish({ key: 'minimum-living.standard.urban', value: 50_000, validFrom: from, source: 'new standard' });

    const before = await minimumLivingAtApproval();
    const after = await minimumLivingAtApproval();
    await engine.apply(decision(before, 'approval'), env.clock.now());
    await engine.apply(decision(after, 'approval'), new Date(`${from}T10:00:00+08:00`));

    // (380.00 − 400.00 ÷ 2) × 2 + 12.00 elderly top-up, with the 2015 standard still in force today [S P20]: a
    // figure known only for 2015, so the amount is provisional.
    const old = (await caseRow(before)).entitlement;
    expect(old).toMatchObject({ monthlyAmountFen: 37_200, provisional: true });
    expect(old.parameterSources[0]).toMatchObject({
      key: 'minimum-living.standard.urban',
      value: 38_000,
      on: today,
      validFrom: '2015-01-01',
      validTo: from,
      source: 'P20',
      evidence: 'S',
      knownUntil: '2015-12-31',
      stale: true,
      provisional: true,
    });
    // (500.00 − 200.00) × 2 + 12.00 with the standard published from `from`; the top-up is still the 2015 figure.
    const raised = (await caseRow(after)).entitlement;
    expect(raised).toMatchObject({ monthlyAmountFen: 61_200, provisional: true });
    expect(raised.formula).toContain('612.00');
    expect(raised.parameterSources[0]).toMatchObject({
      value: 50_000,
      on: from,
      validFrom: from,
      source: 'new standard',
    });
  });

  it('fails an amount whose parameter has no value once, with an alert, and computes it once published', async () => {
    const { caseId } = await the.submittedCase({ itemCode: 'BPS-032' });
    await untilOpen(caseId, 'review');
    const commandId = await decide(caseId, 'review', 'approve', { findings: { contributionMonths: 72 } });
    const alert = await eventually(() => openAlert('parameter.not-in-force', 'unemployment-benefit.minimum-wage'));
    expect(alert.details).toMatchObject({ caseId, code: 'PARAMETER.NOT_IN_FORCE' });
    const job = await eventually(async () => commands.getJob(commandJobId(commandId)));
    await eventually(async () => (await job.getState()) === 'failed');
    const failed = (await commands.getJob(commandJobId(commandId)))!;
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/^PARAMETER\.NOT_IN_FORCE/);
    expect((await caseRow(caseId)).closed_at).toBeNull();

    // An operator publishes the minimum wage (an assumed figure here, so the amount is provisional) and retries.
    await publish({
      key: 'unemployment-benefit.minimum-wage',
      itemCode: 'BPS-032',
      value: 190_000,
      evidence: 'G',
      validFrom: null,
    });
    await failed.retry();
    // The case stays open while the benefit is paid (machine version 2, docs/domain.md §3.9): the grant is stored.
    const row = await eventually(async () => {
      const r = await caseRow(caseId);
      return r.entitlement !== null && r;
    });
    expect(row.closed_at).toBeNull();
    // ⌊0.9 × 1,900.00⌋ = 1,710.00 a month, 18 months for 6 years of contributions (社会保险法 arts. 46–47).
    expect(row.entitlement).toMatchObject({
      kind: 'unemployment-benefit',
      monthlyAmountFen: 171_000,
      months: 18,
      provisional: true,
    });
    expect(row.entitlement.parameterSources.map((p: { key: string }) => p.key)).toEqual([
      'unemployment-benefit.minimum-wage',
      'unemployment-benefit.ratio-to-minimum-wage',
      'minimum-living.standard.urban',
      'unemployment-benefit.max-months.contributions-5-to-10-years',
    ]);
  });
});
