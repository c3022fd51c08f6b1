import { randomUUID } from 'node:crypto';
import { isWorkingDay } from '../../../libs/domain/src/index.js';
import { type DecisionOutcome } from '../../../libs/workflows/src/index.js';
import { type INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { type Queue } from 'bullmq';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { CaseEngine, StaleCaseWriteError, commitStep } from '../../../apps/worker/src/engine/case-engine.js';
import { Reconciler } from '../../../apps/worker/src/engine/reconciler.js';
import { reconcilerRedrives } from '../../../apps/worker/src/metrics/worker-metrics.js';
import { WAITING_TYPES } from '../../../apps/gateway/src/ops/queue-operations.js';
import {
  loadCalendarSet,
  QUEUES,
  recomputeClockBatch,
  verifyChain,
  type StoredEventRow,
} from '../../../libs/infra/src/index.js';
import { timerJobId } from '../../../apps/worker/src/clocks/clock-timing.js';
import { eventually, given, TIANSHAN_DISTRICT, TIANSHAN_STREET } from '../../support/given.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { publishTestYear, withdrawTestYear } from '../../support/test-calendars.js';
import { clockIdOf, promoteClockTimer } from '../../support/time-travel.js';

describe('engine: outbox relay, case commands, intents, reconciler', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let the: ReturnType<typeof given>;

  beforeAll(async () => {
    env = await createTestEnvironment('engine', { HEARTBEAT_EVERY_MS: '60000' });
    the = given(env.db, env.clock);
    // Counts from today reach 2027, whose notice is not shipped: a weekends-only test year keeps these tests
    // independent of the date they run on. The fail-closed test below uses 2028, which nobody publishes.
    await publishTestYear(env.db, 2027);
    worker = await createWorker(env.config);
  });
  afterAll(async () => {
    await worker?.close();
    await env?.teardown();
  });

  const caseRow = async (caseId: string) =>
    (
      await env.db.query(
        `SELECT status, current_steps, version, snapshot, entitlement, closed_at, last_event_seq FROM cases WHERE id = $1`,
        [caseId],
      )
    ).rows[0];
  const openTask = async (caseId: string, step: string) =>
    (await env.db.query(`SELECT * FROM tasks WHERE case_id = $1 AND step = $2 AND closed_at IS NULL`, [caseId, step]))
      .rows[0];
  const events = async (caseId: string) =>
    (await env.db.query<StoredEventRow>(`SELECT * FROM case_events WHERE case_id = $1 ORDER BY seq`, [caseId])).rows;
  const untilOpen = (caseId: string, step: string) => eventually(() => openTask(caseId, step));
  const decide = (caseId: string, step: string, outcome: DecisionOutcome, extra: Record<string, unknown> = {}) =>
    the.command(caseId, { type: 'DECIDED', step, outcome, actor: 'staff:r1', ...extra }, 'staff:r1');

  const redrivenCommands = async () =>
    (await reconcilerRedrives.get()).values.find((v) => v.labels['kind'] === 'command')?.value ?? 0;

  it('turns a submitted minimum-living case into an acceptance task at its street office', async () => {
    const submitted = await the.submittedCase({ itemCode: 'BPS-064' });
    const task = await untilOpen(submitted.caseId, 'acceptance');
    expect(task).toMatchObject({
      kind: 'acceptance',
      level: 'street',
      department_code: 'civil-affairs',
      division_code: TIANSHAN_STREET,
      item_code: 'BPS-064',
      outcomes: ['approve', 'return'],
      status: 'open',
    });
    const row = await caseRow(submitted.caseId);
    expect(row).toMatchObject({ status: 'in-review', current_steps: ['acceptance'], version: 1 });
    expect(row.snapshot.value).toEqual({ acceptance: 'open' });
    const log = await events(submitted.caseId);
    expect(log.map((e) => e.type)).toEqual(['APPLICATION_SUBMITTED', 'SUBMITTED', 'TASK_OPENED']);
    expect(log[1]!.id).toBe(submitted.commandId);
    expect(verifyChain(log)).toEqual({ ok: true, events: 3 });
    const { rows: outbox } = await env.db.query(`SELECT sent_at FROM outbox WHERE case_id = $1`, [submitted.caseId]);
    expect(outbox.every((o) => o.sent_at !== null)).toBe(true);
  });

  it('walks a case through every step to approval with its entitlement in fen', async () => {
    const { caseId } = await the.submittedCase({
      facts: {
        area: 'urban',
        household: {
          members: [
            { id: 'm1', birthDate: '1950-03-01', health: 'healthy', monthlyIncomeFen: 10_000 },
            { id: 'm2', birthDate: '1980-05-05', health: 'healthy', monthlyIncomeFen: 20_000 },
          ],
        },
      },
    });
    await untilOpen(caseId, 'acceptance');
    await decide(caseId, 'acceptance', 'approve');
    const investigation = await untilOpen(caseId, 'investigation');
    expect(investigation.due_at).not.toBeNull();
    const clock = (await env.db.query(`SELECT * FROM case_clocks WHERE case_id = $1 AND clock = 'overall'`, [caseId]))
      .rows[0];
    expect(clock).toMatchObject({ limit_amount: 30, unit: 'working-days', region: 'xinjiang', stopped_at: null });
    expect(investigation.due_at).toEqual(clock.due_at);
    const changed = await env.db.query(
      `SELECT payload, sent_at FROM outbox WHERE case_id = $1 AND kind = 'clock.changed'`,
      [caseId],
    );
    expect(changed.rows.map((r) => r.payload.clock).sort()).toEqual(['investigation-start', 'overall']);
    await eventually(async () => {
      const { rows } = await env.db.query(
        `SELECT count(*)::int AS n FROM outbox WHERE case_id = $1 AND kind = 'clock.changed' AND sent_at IS NULL`,
        [caseId],
      );
      return rows[0].n === 0;
    }); // relayed to the timers' queue

    await decide(caseId, 'investigation', 'approve', {
      findings: { homeVisitDate: '2026-11-20', dataCheck: 'consistent', verifiedHouseholdIncomeFen: 40_000 },
    });
    await untilOpen(caseId, 'street-review');
    await decide(caseId, 'street-review', 'approve');
    await eventually(async () => (await caseRow(caseId)).status === 'public-notice');
    // The notice period ends by its own timer (promoted now), not by a command written here.
    await promoteClockTimer(env, await clockIdOf(env, caseId, 'public-notice'), 'due');
    const approval = await untilOpen(caseId, 'approval');
    expect(approval).toMatchObject({ level: 'district', division_code: TIANSHAN_DISTRICT });
    await decide(caseId, 'approval', 'approve');
    const row = await eventually(async () => {
      const r = await caseRow(caseId);
      return r.closed_at !== null && r;
    });
    expect(row.status).toBe('approved');
    // (380.00 − floor(400.00 ÷ 2)) × 2 = 360.00, plus one elderly top-up of 12.00 (2015 urban figures [S P20]).
    expect(row.entitlement).toMatchObject({
      kind: 'minimum-living-allowance',
      eligible: true,
      monthlyAmountFen: 37_200,
      incomeFrom: 'findings of investigation',
    });
    expect(row.entitlement.formula).toContain('372.00');
    expect(row.entitlement.parameterSources.map((p: { key: string }) => p.key)).toEqual([
      'minimum-living.standard.urban',
      'minimum-living.special-category-top-up.urban',
    ]);
    const log = await events(caseId);
    expect(verifyChain(log).ok).toBe(true);
    expect(log.map((e) => e.type)).toEqual(
      expect.arrayContaining(['DECISION_RECORDED', 'APPLICANT_NOTIFIED', 'ENTITLEMENT_GRANTED', 'CASE_CLOSED']),
    );
    const open = await env.db.query(`SELECT count(*)::int AS n FROM tasks WHERE case_id = $1 AND closed_at IS NULL`, [
      caseId,
    ]);
    expect(open.rows[0].n).toBe(0);
    const running = await env.db.query(
      `SELECT clock FROM case_clocks WHERE case_id = $1 AND stopped_at IS NULL ORDER BY clock`,
      [caseId],
    );
    expect(running.rows).toEqual([]);
  });

  it('fails closed when a count reaches an unpublished year: no due time, an alert, then the due date on publication', async () => {
    const { caseId } = await the.submittedCase();
    await untilOpen(caseId, 'acceptance');
    const engine = worker.get(CaseEngine);
    // Accepted on Mon 20 Dec 2027: 30 working days reach 2028, which has no published calendar.
    const acceptedOn = new Date('2027-12-20T02:00:00Z');
    const accept = { type: 'DECIDED', step: 'acceptance', outcome: 'approve', actor: 'staff:r1' } as const;
    expect(
      await engine.apply({ caseId, commandId: randomUUID(), event: accept, actor: 'staff:r1' }, acceptedOn),
    ).toMatchObject({ outcome: 'applied' });

    const clockRow = async () =>
      (await env.db.query(`SELECT * FROM case_clocks WHERE case_id = $1 AND clock = 'overall'`, [caseId])).rows[0];
    const waiting = await clockRow();
    expect(waiting).toMatchObject({ due_at: null, calendar_missing: 'national/2028', stopped_at: null });
    expect(waiting.explanation).toMatchObject({ calendarMissing: 'national/2028', amount: 30, unit: 'working-days' });
    expect((await openTask(caseId, 'investigation')).due_at).toBeNull();
    const started = (await events(caseId)).find((e) => e.type === 'CLOCK_STARTED');
    expect(started!.payload).toMatchObject({ clock: 'overall', calendarMissing: 'national/2028' });
    const { rows: alerts } = await env.db.query(
      `SELECT details FROM operator_alerts
       WHERE kind = 'calendar.year-not-published' AND key = 'national/2028' AND resolved_at IS NULL`,
    );
    expect(alerts).toHaveLength(1);
    // Nothing to arm: once the relay has armed the case's changed clocks (it marks their rows sent after arming),
    // no timer job exists for a clock without a due time.
    const timers = worker.get<Queue>(getQueueToken(QUEUES.clockTimers));
    await eventually(async () => {
      const { rows } = await env.db.query(
        `SELECT count(*)::int AS n FROM outbox WHERE case_id = $1 AND kind = 'clock.changed' AND sent_at IS NULL`,
        [caseId],
      );
      return rows[0].n === 0;
    });
    expect(await timers.getJob(timerJobId(waiting.id, 'due', waiting.generation))).toBeUndefined();

    // The operator publishes 2028: the waiting clock gets its due date, recorded on the case, and its timers.
    await publishTestYear(env.db, 2028);
    try {
      const q = { query: async (sql: string, p?: unknown[]) => (await env.db.query(sql, p)).rows };
      const set = await loadCalendarSet(q);
      const result = await recomputeClockBatch(
        q,
        set,
        { region: 'national', year: 2028, version: 1 },
        { afterClockId: null, limit: 10_000 },
        'staff:op',
        null,
        env.clock.now(),
      );
      expect(result.recomputed).toContainEqual(
        expect.objectContaining({ caseId, clock: 'overall', fromDueAt: null, generation: waiting.generation + 1 }),
      );
      const counted = await clockRow();
      expect(counted.calendar_missing).toBeNull();
      // 20 Dec 2027 + 30 working days, weekends only: 31 Jan 2028.
      expect(new Date(counted.due_at).toISOString()).toBe('2028-01-31T16:00:00.000Z');
      expect(counted.explanation.count.calendarVersions).toMatchObject({ 'national/2028': 1, 'xinjiang/2028': 1 });
      const recomputed = (await events(caseId)).find((e) => e.type === 'CLOCK_RECOMPUTED');
      expect(recomputed!.payload).toMatchObject({ clock: 'overall', fromDueAt: null, due: '2028-01-31' });
      expect(verifyChain(await events(caseId)).ok).toBe(true);
      await eventually(async () => (await timers.getJob(timerJobId(counted.id, 'due', counted.generation))) ?? null);
    } finally {
      await withdrawTestYear(env.db, 2028);
    }
  });

  it('counts new clocks with the calendars published in PostgreSQL, not only the shipped ones', async () => {
    const engine = worker.get(CaseEngine);
    expect(isWorkingDay(engine.calendars, 'xinjiang', '2026-12-15')).toBe(true);
    // An operator's correction (as PUT /v1/calendar/2026 stores it): a Tuesday becomes a rest day in Xinjiang.
    await env.db.query(
      `INSERT INTO calendars (region, year, version, body, published_by, source)
       SELECT region, year, 99,
              body || jsonb_build_object('version', 99,
                'holidays', (body->'holidays') || '[{"date": "2026-12-15", "name": "test correction"}]'::jsonb),
              'staff:test', 'operator'
       FROM calendars WHERE region = 'xinjiang' AND year = 2026 ORDER BY version DESC LIMIT 1`,
    );
    await engine.reloadCalendars();
    expect(isWorkingDay(engine.calendars, 'xinjiang', '2026-12-15')).toBe(false);
    await env.db.query(`DELETE FROM calendars WHERE version = 99`);
    await engine.reloadCalendars();
    expect(isWorkingDay(engine.calendars, 'xinjiang', '2026-12-15')).toBe(true);
  });

  it('applies a command delivered twice only once', async () => {
    const { caseId, commandId } = await the.submittedCase();
    await untilOpen(caseId, 'acceptance');
    const before = await events(caseId);
    const engine = worker.get(CaseEngine);
    const again = await engine.apply({ caseId, commandId, event: { type: 'SUBMITTED' }, actor: 'portal:test' });
    expect(again).toEqual({ outcome: 'skipped', reason: 'already-applied' });
    // A second job with another id but the same command: the processor skips it as well.
    const queue = worker.get<Queue>(getQueueToken(QUEUES.caseCommands));
    const job = await queue.add('apply', { caseId, commandId, event: { type: 'SUBMITTED' }, actor: 'portal:test' });
    await eventually(async () => (await queue.getJobState(job.id!)) === 'completed');
    expect((await queue.getJob(job.id!))!.returnvalue).toEqual({ outcome: 'skipped', reason: 'already-applied' });
    expect(await events(caseId)).toEqual(before);
  });

  it('refuses a stale writer and serialises concurrent commands of one case', async () => {
    const { caseId } = await the.submittedCase();
    await untilOpen(caseId, 'acceptance');
    const row = await caseRow(caseId);
    const client = await env.db.connect();
    try {
      await expect(
        commitStep(
          client,
          { id: caseId, version: row.version - 1, last_event_seq: row.last_event_seq, last_event_hash: null },
          { snapshot: row.snapshot, status: 'in-review', currentSteps: ['acceptance'], closed: false },
          {
            facts: null,
            entitlement: null,
            events: [{ id: randomUUID(), type: 'STALE', actor: 'test', payload: {}, occurredAt: env.clock.now() }],
            outbox: [],
          },
          env.clock.now(),
        ),
      ).rejects.toBeInstanceOf(StaleCaseWriteError);
      // Nothing of the stale write reached the log: its event rides on the version-checked UPDATE.
      expect((await events(caseId)).map((e) => e.type)).not.toContain('STALE');
    } finally {
      client.release();
    }
    // Two commands for the same case at once: the row lock orders them; the second sees the first's result.
    const engine = worker.get(CaseEngine);
    const approve = { type: 'DECIDED', step: 'acceptance', outcome: 'approve', actor: 'staff:r1' } as const;
    const results = await Promise.all([
      engine.apply({ caseId, commandId: randomUUID(), event: approve, actor: 'staff:r1' }),
      engine.apply({ caseId, commandId: randomUUID(), event: approve, actor: 'staff:r1' }),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['applied', 'refused']);
    expect((await caseRow(caseId)).version).toBe(row.version + 1);
    const log = await events(caseId);
    expect(new Set(log.map((e) => e.id)).size).toBe(log.length);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
  });

  it('records a command the state does not accept as refused, without changing the case', async () => {
    const { caseId } = await the.submittedCase();
    await untilOpen(caseId, 'acceptance');
    const before = await caseRow(caseId);
    const commandId = await decide(caseId, 'approval', 'approve');
    const refused = await eventually(async () =>
      (await events(caseId)).find((e) => e.id === commandId && e.type === 'COMMAND_REFUSED'),
    );
    expect(refused.payload).toMatchObject({ status: 'in-review' });
    expect(await caseRow(caseId)).toMatchObject({ version: before.version, status: 'in-review' });
  });

  it('reopens a task a gateway from before decision requests closed, when the engine refuses its decision', async () => {
    const { caseId } = await the.submittedCase();
    const task = await untilOpen(caseId, 'acceptance');
    const commandId = randomUUID();
    // What the gateway wrote before decisions were requests: the task decided, the command id in its decision.
    await env.db.query(
      `UPDATE tasks SET status = 'decided', closed_at = now(), decided_by = 'staff:r1',
              decision = jsonb_build_object('outcome', 'approve', 'commandId', $2::text) WHERE id = $1`,
      [task.id, commandId],
    );
    const event = {
      type: 'DECIDED',
      step: 'approval',
      outcome: 'approve',
      actor: 'staff:r1',
      taskId: task.id,
    } as const;
    await expect(worker.get(CaseEngine).apply({ caseId, commandId, event, actor: 'staff:r1' })).resolves.toMatchObject({
      outcome: 'refused',
    });
    expect(await openTask(caseId, 'acceptance')).toMatchObject({ id: task.id, status: 'open', decided_by: null });
  });

  it('re-drives commands whose jobs vanished from the queue store: nothing is lost', async () => {
    const queue = worker.get<Queue>(getQueueToken(QUEUES.caseCommands));
    await queue.pause();
    const cases = await Promise.all([1, 2, 3].map(() => the.submittedCase()));
    // The relay sends them (sent_at set), then the queue store loses every job of the queue before any is processed
    // (Redis emptied, or the queue's rows gone): obliterated through the queue layer, so on either backend.
    await eventually(async () => {
      const { rows } = await env.db.query(
        `SELECT count(*)::int AS n FROM outbox WHERE case_id = ANY($1) AND sent_at IS NOT NULL`,
        [cases.map((c) => c.caseId)],
      );
      return rows[0].n === 3;
    });
    expect(await queue.getJobCountByTypes(...WAITING_TYPES)).toBe(3); // a paused queue's: `wait` or `paused`
    await queue.obliterate({ force: true });
    await queue.resume(); // the worker takes jobs again
    // Nothing left for the worker to take: without the reconciler these commands would never apply.
    expect(await queue.getJobCountByTypes(...WAITING_TYPES, 'active', 'delayed', 'prioritized')).toBe(0);
    expect((await caseRow(cases[0]!.caseId)).status).toBe('submitted');

    const redrivesBefore = await redrivenCommands();
    expect(await worker.get(Reconciler).reconcileOnce()).toBe(3);
    expect((await redrivenCommands()) - redrivesBefore).toBe(3);
    for (const c of cases) await untilOpen(c.caseId, 'acceptance');
    expect(await worker.get(Reconciler).reconcileOnce()).toBe(0);
  });
});
