import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { commitStep, StaleCaseWriteError } from '../../../apps/worker/src/engine/case-engine.js';
import type { LockedCase } from '../../../apps/worker/src/engine/case-step.js';
import { applyIntents } from '../../../apps/worker/src/engine/intent-appliers.js';
import { readStep } from '../../../apps/worker/src/engine/step-reads.js';
import { TaskBatch } from '../../../apps/worker/src/engine/task-batch.js';
import {
  appendCaseEvents,
  loadCalendarSet,
  verifyChain,
  type Queryable,
  type StoredEventRow,
} from '../../../libs/infra/src/index.js';
import {
  advance,
  startCase,
  type CaseStep,
  type Intent,
  type OpenTaskParams,
  type StartClockParams,
} from '../../../libs/workflows/src/index.js';
import { given } from '../../support/given.js';
import { publishTestYear } from '../../support/test-calendars.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';

/**
 * Issue 8: a step's round trips are its cost, so the engine batches its writes. These tests pin how few
 * statements a step takes and that batching changes nothing a reader sees: task rows, due times, event order,
 * the hash chain.
 */
describe('engine step: batched writes', () => {
  let env: TestEnvironment;
  let the: ReturnType<typeof given>;

  beforeAll(async () => {
    env = await createTestEnvironment('engine-step-writes');
    the = given(env.db, env.clock);
    await publishTestYear(env.db, 2027);
  });
  afterAll(async () => {
    await env?.teardown();
  });

  /** The minimum-living machine's intents for SUBMITTED, then for the acceptance decision. */
  const machineSteps = (): { submitted: CaseStep; accepted: CaseStep } => {
    const started = startCase('minimum-living', { approvalDelegatedToStreet: false });
    const stored = { machineId: started.machineId, version: started.version, snapshot: started.snapshot };
    const submitted = advance(stored, { type: 'SUBMITTED' });
    const accepted = advance(
      { ...stored, snapshot: submitted.snapshot },
      { type: 'DECIDED', step: 'acceptance', outcome: 'approve', actor: 'staff:r1' },
    );
    return { submitted, accepted };
  };
  const openTaskOf = (intents: readonly Intent[], step: string): OpenTaskParams => {
    const found = intents.find((i) => i.type === 'openTask' && i.params.step === step);
    if (found?.type !== 'openTask') throw new Error(`no openTask ${step}`);
    return found.params;
  };
  const startClockOf = (intents: readonly Intent[], clock: string): StartClockParams => {
    const found = intents.find((i) => i.type === 'startClock' && i.params.clock === clock);
    if (found?.type !== 'startClock') throw new Error(`no startClock ${clock}`);
    return found.params;
  };

  /** Runs `fn` in a transaction that is rolled back, with a Queryable that records every statement. */
  async function inTransaction(
    fn: (q: Queryable, statements: string[], client: pg.PoolClient) => Promise<void>,
  ): Promise<void> {
    const client = await env.db.connect();
    const statements: string[] = [];
    const q: Queryable = {
      query: async (sql, parameters) => {
        statements.push(sql);
        return (await client.query(sql, parameters)).rows;
      },
    };
    try {
      await client.query('BEGIN');
      await fn(q, statements, client);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }
  const lockedCase = async (client: pg.PoolClient, caseId: string) =>
    (await client.query<LockedCase>(`SELECT * FROM cases WHERE id = $1 FOR UPDATE`, [caseId])).rows[0]!;
  const taskStatements = (statements: readonly string[]) => statements.filter((s) => /INTO tasks|UPDATE tasks/.test(s));
  /** The case's tasks and clocks as the engine reads them with its lock. */
  const taskBatch = async (q: Queryable, row: LockedCase) =>
    new TaskBatch(row, await readStep(q, row.id, randomUUID()), env.clock.now());
  /** The intents alone, their task writes sent in a statement of their own (the engine sends them in its step's). */
  const apply = async (q: Queryable, row: LockedCase, intents: readonly Intent[]) => {
    const tasks = await taskBatch(q, row);
    const effects = await applyIntents(q, row, tasks, intents, {}, env.clock.now(), await loadCalendarSet(q), null);
    await tasks.flush(q);
    return effects;
  };

  it("writes a step's closed and opened tasks in one statement, events in the intents' order", async () => {
    const { caseId } = await the.submittedCase({ withoutCommand: true });
    const { submitted, accepted } = machineSteps();
    expect(accepted.intents.map((i) => i.type)).toEqual(['closeTask', 'startClock', 'openTask', 'startClock']);
    await inTransaction(async (q, statements, client) => {
      const row = await lockedCase(client, caseId);
      await apply(q, row, submitted.intents);
      statements.length = 0;
      const effects = await apply(q, row, accepted.intents);

      expect(taskStatements(statements)).toHaveLength(1);
      expect(effects.events.map((e) => e.type)).toEqual([
        'TASK_CLOSED',
        'CLOCK_STARTED',
        'TASK_OPENED',
        'CLOCK_STARTED',
      ]);
      const { rows: tasks } = await client.query(
        `SELECT id, step, closed_at, due_at FROM tasks WHERE case_id = $1 ORDER BY opened_at, step`,
        [caseId],
      );
      expect(tasks.map((t) => [t.step, t.closed_at === null])).toEqual(
        expect.arrayContaining([
          ['acceptance', false],
          ['investigation', true],
        ]),
      );
      const investigation = tasks.find((t) => t.step === 'investigation')!;
      const { rows: clocks } = await client.query(`SELECT clock, due_at FROM case_clocks WHERE case_id = $1`, [caseId]);
      const overall = clocks.find((c) => c.clock === 'overall')!;
      // The investigation task has no clock of its own: its due time is the overall clock's, started before it.
      expect(investigation.due_at).toEqual(overall.due_at);
      expect(effects.events[2]!.payload).toMatchObject({
        taskId: investigation.id,
        step: 'investigation',
        dueAt: new Date(overall.due_at).toISOString(),
      });
    });
  });

  it('commits the snapshot, every event and every outbox row of a step in one statement, chain intact', async () => {
    const { caseId } = await the.submittedCase({ withoutCommand: true });
    const { submitted, accepted } = machineSteps();
    await inTransaction(async (q, statements, client) => {
      const row = await lockedCase(client, caseId);
      const effects = await apply(q, row, [...submitted.intents, ...accepted.intents]);
      statements.length = 0;
      const head = await commitStep(
        q,
        row,
        accepted,
        {
          facts: null,
          entitlement: { kind: 'test', amountFen: 100 },
          events: effects.events,
          outbox: effects.outbox,
        },
        env.clock.now(),
      );

      expect(statements).toHaveLength(1);
      const { rows: log } = await client.query<StoredEventRow>(
        `SELECT * FROM case_events WHERE case_id = $1 ORDER BY seq`,
        [caseId],
      );
      expect(log.map((e) => e.type)).toEqual(['APPLICATION_SUBMITTED', ...effects.events.map((e) => e.type)]);
      expect(verifyChain(log)).toEqual({ ok: true, events: log.length });
      const { rows: cases } = await client.query(
        `SELECT version, status, last_event_seq, last_event_hash, entitlement FROM cases WHERE id = $1`,
        [caseId],
      );
      expect(cases[0]).toMatchObject({
        version: row.version + 1,
        status: accepted.status,
        last_event_seq: head.seq,
        last_event_hash: log.at(-1)!.hash,
        entitlement: { kind: 'test', amountFen: 100 },
      });
      const { rows: outbox } = await client.query(
        `SELECT payload->>'clock' AS clock FROM outbox WHERE case_id = $1 AND kind = 'clock.changed' ORDER BY id`,
        [caseId],
      );
      expect(outbox.map((o) => o.clock)).toEqual(['overall', 'investigation-start']);
    });
  });

  it("writes a step's task writes in the step's statement, and none of them when the write is stale", async () => {
    const { caseId } = await the.submittedCase({ withoutCommand: true });
    const { submitted, accepted } = machineSteps();
    await inTransaction(async (q, statements, client) => {
      const row = await lockedCase(client, caseId);
      await apply(q, row, submitted.intents);
      const step = async (version: number) => {
        const tasks = await taskBatch(q, row);
        const effects = await applyIntents(
          q,
          row,
          tasks,
          accepted.intents,
          {},
          env.clock.now(),
          await loadCalendarSet(q),
          null,
        );
        statements.length = 0;
        await commitStep(
          q,
          { ...row, version },
          accepted,
          { facts: null, entitlement: null, events: effects.events, outbox: effects.outbox, tasks: tasks.take() },
          env.clock.now(),
        );
        return effects;
      };
      const openTasks = async () =>
        (
          await client.query(`SELECT step FROM tasks WHERE case_id = $1 AND closed_at IS NULL ORDER BY step`, [caseId])
        ).rows.map((t) => t.step);

      // Stale: the step's statement writes no task (its clocks, written before it, go with the engine's rollback).
      await client.query('SAVEPOINT stale');
      await expect(step(row.version - 1)).rejects.toBeInstanceOf(StaleCaseWriteError);
      expect(statements).toHaveLength(1);
      expect(await openTasks()).toEqual(['acceptance']);
      await client.query('ROLLBACK TO SAVEPOINT stale');

      const effects = await step(row.version);
      expect(statements).toHaveLength(1);
      expect(await openTasks()).toEqual(['investigation']);
      const opened = effects.events.find((e) => e.type === 'TASK_OPENED')!;
      const { rows } = await client.query(`SELECT id FROM tasks WHERE case_id = $1 AND step = 'investigation'`, [
        caseId,
      ]);
      expect(rows).toEqual([{ id: opened.payload['taskId'] }]);
    });
  });

  it('asks the timers to arm a started clock, not a stopped or paused one (nothing to arm)', async () => {
    const { caseId } = await the.submittedCase({ withoutCommand: true });
    const { accepted } = machineSteps();
    await inTransaction(async (q, _statements, client) => {
      const row = await lockedCase(client, caseId);
      const started = await apply(q, row, accepted.intents);
      const stopped = await apply(q, row, [
        { type: 'stopClock', params: { clock: 'investigation-start' } },
        { type: 'pauseClock', params: { clock: 'overall' } },
      ]);

      expect(started.outbox.map((o) => o.payload)).toEqual([
        expect.objectContaining({ clock: 'overall' }),
        expect.objectContaining({ clock: 'investigation-start' }),
      ]);
      // The history still says what happened to the clocks.
      expect(stopped.events.map((e) => [e.type, e.payload['clock']])).toEqual([
        ['CLOCK_STOPPED', 'investigation-start'],
        ['CLOCK_PAUSED', 'overall'],
      ]);
      expect(stopped.outbox).toEqual([]);
    });
  });

  it("appends events and the outbox rows they cause in one statement (the gateway's commands)", async () => {
    const { caseId } = await the.submittedCase({ withoutCommand: true });
    await inTransaction(async (q, statements, client) => {
      const row = await lockedCase(client, caseId);
      const commandId = randomUUID();
      const head = await appendCaseEvents(
        q,
        caseId,
        { seq: row.last_event_seq, hash: row.last_event_hash },
        [{ id: randomUUID(), type: 'DECISION_SUBMITTED', actor: 'staff:r1', payload: {}, occurredAt: env.clock.now() }],
        [
          {
            kind: 'case.command',
            caseId,
            payload: {
              caseId,
              commandId,
              event: { type: 'DECIDED', step: 'acceptance', outcome: 'approve', actor: 'staff:r1' },
              actor: 'staff:r1',
            },
          },
        ],
      );

      expect(statements).toHaveLength(1);
      const { rows: log } = await client.query<StoredEventRow>(
        `SELECT * FROM case_events WHERE case_id = $1 ORDER BY seq`,
        [caseId],
      );
      expect(verifyChain(log)).toEqual({ ok: true, events: 2 });
      expect(head).toEqual({ seq: 2, hash: log[1]!.hash });
      const { rows: outbox } = await client.query(`SELECT payload->>'commandId' AS id FROM outbox WHERE case_id = $1`, [
        caseId,
      ]);
      expect(outbox).toEqual([{ id: commandId }]);
    });
  });

  it('gives a task the due time of the clocks as they are at its intent: a later clock of its own changes nothing', async () => {
    const { caseId } = await the.submittedCase({ withoutCommand: true });
    const { accepted } = machineSteps();
    const overall = startClockOf(accepted.intents, 'overall');
    const task = openTaskOf(accepted.intents, 'investigation');
    // A timed step (shared/step.states.ts timedTaskStep): its task opens, then a clock named after it starts.
    const ownClock: StartClockParams = {
      ...startClockOf(accepted.intents, 'investigation-start'),
      clock: 'investigation',
    };
    await inTransaction(async (q, statements, client) => {
      const row = await lockedCase(client, caseId);
      await apply(q, row, [
        { type: 'startClock', params: overall },
        { type: 'openTask', params: task },
        { type: 'startClock', params: ownClock },
      ]);

      expect(taskStatements(statements)).toHaveLength(1);
      const { rows: clocks } = await client.query(`SELECT clock, due_at FROM case_clocks WHERE case_id = $1`, [caseId]);
      const due = Object.fromEntries(clocks.map((c) => [c.clock, c.due_at]));
      expect(due['investigation']).not.toEqual(due['overall']);
      const { rows: tasks } = await client.query(`SELECT due_at FROM tasks WHERE case_id = $1 AND step = $2`, [
        caseId,
        'investigation',
      ]);
      // Opened before its own clock started: it reads the overall clock, as it did one statement at a time.
      expect(tasks[0]!.due_at).toEqual(due['overall']);
    });
  });

  it('closes and reopens the same step in that order (two statements), with a new task', async () => {
    const { caseId } = await the.submittedCase({ withoutCommand: true });
    const { submitted } = machineSteps();
    const acceptance: OpenTaskParams = openTaskOf(submitted.intents, 'acceptance');
    await inTransaction(async (q, statements, client) => {
      const row = await lockedCase(client, caseId);
      await apply(q, row, [{ type: 'openTask', params: acceptance }]);
      const { rows: before } = await client.query(`SELECT id FROM tasks WHERE case_id = $1`, [caseId]);
      statements.length = 0;
      const effects = await apply(q, row, [
        { type: 'closeTask', params: { step: 'acceptance' } },
        { type: 'openTask', params: acceptance },
      ]);

      expect(taskStatements(statements)).toHaveLength(2);
      expect(effects.events.map((e) => e.type)).toEqual(['TASK_CLOSED', 'TASK_OPENED']);
      const { rows: after } = await client.query(
        `SELECT id, closed_at FROM tasks WHERE case_id = $1 ORDER BY closed_at NULLS LAST`,
        [caseId],
      );
      expect(after).toHaveLength(2);
      expect(after[0]).toMatchObject({ id: before[0]!.id });
      expect(after[0]!.closed_at).not.toBeNull();
      expect(after[1]!.closed_at).toBeNull();
      expect(effects.events[1]!.payload['taskId']).toBe(after[1]!.id);
    });
  });
});
