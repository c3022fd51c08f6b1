import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { type CalendarSet, type Clock, DomainError } from '@minsheng/domain';
import {
  appendCaseEvents,
  chainEvents,
  eventColumns,
  eventUnnest,
  outboxColumns,
  outboxUnnest,
  type CaseCommand,
  caseNoteEntry,
  caseNoteId,
  type CasePortalEvent,
  InjectClock,
  PublishedParameters,
  type NewCaseEvent,
  type OutboxMessage,
  PiiCipher,
  type Queryable,
  webhookDeliveryColumns,
  webhookDeliveryCtes,
  withNotedFindings,
} from '@minsheng/infra';
import type { CaseEvent, CaseStep } from '@minsheng/workflows';
import { PublishedCalendarCache } from '../calendars/published-calendar-cache.js';
import { stepCase, type LockedCase } from './case-step.js';
import { acceptDecisionRequest, refuseDecisionRequest } from './decision-answers.js';
import { applyIntents } from './intent-appliers.js';
import { updatedRows } from './statement-rows.js';
import { readStep, stepReadsOf, stepReadsSql, type StepReads, type StepReadsRow } from './step-reads.js';
import {
  checkTaskWrites,
  TASK_WRITE_COUNTS,
  TaskBatch,
  taskWriteCtes,
  type TaskWriteCounts,
  type TaskWrites,
} from './task-batch.js';
import type { StoredEntitlement } from './entitlement.js';
import { portalEventsOf } from '../webhooks/portal-events.js';
import { eachInSavepoint } from '../queues/savepoint-each.js';
import type { TogetherResult } from '../queues/together-or-alone.js';

export type CommandOutcome =
  | { readonly outcome: 'applied'; readonly status: string; readonly seq: number }
  | { readonly outcome: 'skipped'; readonly reason: 'already-applied' }
  | { readonly outcome: 'refused'; readonly reason: string };

/** Another writer moved the case between our read and our write: nothing was written, the job is retried. */
export class StaleCaseWriteError extends DomainError {
  constructor(caseId: string, expectedVersion: number) {
    super('CASE.STALE_WRITE', `case ${caseId} is no longer at version ${expectedVersion}`, { caseId, expectedVersion });
  }
}

/** A command for a case that does not exist: the outbox row and the case commit together, so this is a bug. */
export class UnknownCaseError extends DomainError {
  constructor(caseId: string) {
    super('CASE.NOT_FOUND', `no case ${caseId}`, { caseId });
  }
}

type LockedRow = LockedCase & { applied: boolean };

/** One step of `applyTogether`: its outcome, written with the batch, or its error, nothing of it written. */
export type BatchStepResult = TogetherResult<CommandOutcome>;

/**
 * The case row, locked, and whether the command was applied already (its event id is the command id). Locked
 * before any of the case's tasks or clocks are written (the lock order, docs/operations.md "Lock order"). The step's
 * reads of its tasks and clocks (`step-reads.ts`) follow it as a second statement of the same round trip
 * ({@link lockAndReadSql}).
 */
function lockCaseSql(caseId: string, commandId: string): string {
  return `
  SELECT c.id, c.item_code, c.procedure_id, c.machine_id, c.machine_version, c.snapshot, c.status, c.version,
         c.last_event_seq, c.last_event_hash, c.department_code, c.accepting_division, c.approving_division, c.facts,
         c.closed_at, EXISTS (SELECT 1 FROM case_events e WHERE e.id = ${commandId}) AS applied
  FROM cases c WHERE c.id = ${caseId} FOR UPDATE OF c`;
}
const LOCK_CASE = lockCaseSql('$1', '$2');

/**
 * The lock, then the step's reads, for the simple protocol: the ids are literals the caller checked are UUIDs (the
 * note's by `caseNoteId`).
 */
function lockAndReadSql(caseId: string, commandId: string, findingsNoteId: string | undefined): string {
  const [id, command] = [`'${caseId}'::uuid`, `'${commandId}'`];
  const note = findingsNoteId === undefined ? 'NULL::uuid' : `'${findingsNoteId}'::uuid`;
  return `${lockCaseSql(id, command)}; ${stepReadsSql(id, command, note)}`;
}

/** The note a DECIDED event's findings travel as (docs/api.md "The applicant's view"), read with the lock. */
function findingsNoteId(event: CaseEvent): string | undefined {
  return event.type === 'DECIDED' ? caseNoteId(event.findingsNote) : undefined;
}

/** The lock's row and the reads' row of a simple-protocol answer whose last two statements they are. */
function lockedAndRead(answers: readonly { rows: unknown[] }[]): { row: LockedRow | undefined; reads: StepReads } {
  return {
    row: answers.at(-2)!.rows[0] as LockedRow | undefined,
    reads: stepReadsOf(answers.at(-1)!.rows[0] as StepReadsRow),
  };
}
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The engine's step (docs/architecture.md "the way a case travels"): one transaction locks the case, recognises a
 * command already applied (its event id is the command id: at-least-once delivery, exactly-once effect), runs the pure
 * machine, and writes the new snapshot (version-checked), the events, tasks, clocks and outbox rows together.
 *
 * An event the case's state does not accept is not an error to retry forever: it is recorded as COMMAND_REFUSED
 * (with the command id, so a redelivery is still recognised) and the job completes with outcome `refused`. A
 * reviewer's decision request is answered here and nowhere else (`decision-answers.ts`): accepted, its task is
 * decided; refused, its task is open again with the machine's reason.
 */
@Injectable()
export class CaseEngine {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly publishedCalendars: PublishedCalendarCache,
    private readonly parameters: PublishedParameters,
    @InjectClock() private readonly clock: Clock,
    private readonly cipher: PiiCipher,
  ) {}

  /**
   * The calendars new clocks are counted with: those published in PostgreSQL (operators publish a new year or a
   * correction through PUT /v1/calendar/{year}), the worker's copy refreshed every 30 s so the hot path reads none.
   */
  get calendars(): CalendarSet {
    return this.publishedCalendars.current();
  }

  /** Reads the published calendars now (tests, and after a publication when 30 s is too long). */
  async reloadCalendars(): Promise<void> {
    await this.publishedCalendars.reload();
  }

  /**
   * Reads the published standard parameters now. Amounts use the worker's copy, refreshed every 30 s as the
   * calendars are (docs/domain.md §7).
   */
  async reloadParameters(): Promise<void> {
    await this.parameters.reload();
  }

  async apply(command: CaseCommand, now: Date = this.clock.now()): Promise<CommandOutcome> {
    // The query runner's own connection, with the transaction in plain SQL: BEGIN goes with the lock in one round
    // trip, and each statement skips TypeORM's per-query work (docs/architecture.md "Where the time goes").
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    const q: Queryable = {
      query: async (sql, values) => (await client.query({ text: sql, values, name: preparedName(sql, values) })).rows,
    };
    try {
      const { row, reads } = await beginAndLock(
        client,
        command.caseId,
        command.commandId,
        findingsNoteId(command.event),
      );
      const outcome = await this.applyIn(q, row, reads, command, now);
      await client.query('COMMIT');
      return outcome;
    } catch (error) {
      // A broken connection fails the ROLLBACK too: the pool drops that client on its error event; the step's
      // own error is the one to report.
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Several commands for different cases in one transaction (the engine's group commit, docs/architecture.md
   * "Engine group commit"): each step runs as `apply` runs it, locked, version-checked and chained on its own case,
   * inside its own SAVEPOINT, and one COMMIT ends them all. A step that fails is rolled back to its savepoint alone
   * and answered `{ error }` (the caller runs it again alone); the others stay. Throws when the transaction itself
   * fails (the connection, the COMMIT): then nothing of the batch was written. Commands must name distinct cases,
   * by UUID, in case id order (the order every batch locks in, so two batches do not deadlock on their cases).
   */
  async applyTogether(commands: readonly CaseCommand[]): Promise<BatchStepResult[]> {
    if (!commands.every((command) => UUID.test(command.caseId) && UUID.test(command.commandId))) {
      throw new Error('applyTogether takes commands with UUID ids only');
    }
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    const q: Queryable = {
      query: async (sql, values) => (await client.query({ text: sql, values, name: preparedName(sql, values) })).rows,
    };
    try {
      return await eachInSavepoint(client, commands, { savepoint: 'step' }, async (command, opening) => {
        // One round trip opens each step: its savepoint (and BEGIN, the first) with the case lock and the step's
        // reads, the ids, checked to be UUIDs just above, written into the text as beginAndLock does.
        const answers = (await client.query(
          `${opening}${lockAndReadSql(command.caseId, command.commandId, findingsNoteId(command.event))}`,
        )) as unknown as { rows: unknown[] }[];
        const { row, reads } = lockedAndRead(answers);
        return this.applyIn(q, row, reads, command, this.clock.now());
      });
    } finally {
      await runner.release();
    }
  }

  private async applyIn(
    q: Queryable,
    row: LockedRow | undefined,
    reads: StepReads,
    command: CaseCommand,
    now: Date,
  ): Promise<CommandOutcome> {
    if (row === undefined) throw new UnknownCaseError(command.caseId);
    if (row.applied) return { outcome: 'skipped', reason: 'already-applied' };

    const event: CaseEvent = this.withFindings(command.event, reads);
    const result = stepCase(row, event);
    const requestId = command.requestId ?? null;
    const commandEvent = (type: string, payload: Record<string, unknown>): NewCaseEvent => ({
      id: command.commandId,
      type,
      actor: command.actor,
      payload,
      occurredAt: now,
      requestId,
    });

    const decision = { caseId: row.id, commandId: command.commandId, event, requestId, now };
    if (!result.accepted) {
      const refused = await refuseDecisionRequest(q, decision, result.reason);
      await appendCaseEvents(q, row.id, { seq: row.last_event_seq, hash: row.last_event_hash }, [
        commandEvent('COMMAND_REFUSED', { event: command.event, status: row.status, reason: result.reason }),
        ...(refused === null ? [] : [refused]),
      ]);
      return { outcome: 'refused', reason: result.reason };
    }

    const { step, intents } = result;
    // The reviewer's request is answered before the intents run: the step's closeTask then finds its task decided.
    // Its write, and the tasks', go in the step's statement (`task-batch.ts`).
    const tasks = new TaskBatch(row, reads, now);
    const accepted = acceptDecisionRequest(reads, decision);
    if (accepted !== null) tasks.accept(accepted);
    const facts = withFindings(row.facts, event);
    const effects = await applyIntents(
      q,
      row,
      tasks,
      intents,
      facts,
      now,
      this.calendars,
      requestId,
      this.parameters.current(),
    );
    // What the case's portal hears of this step (docs/webhooks.md), written in the step's statement.
    const portalEvents = portalEventsOf(event, intents, result.start !== undefined, step.status);
    const head = await commitStep(
      q,
      row,
      step,
      {
        facts: facts === row.facts ? null : facts,
        entitlement: effects.entitlement,
        events: [
          commandEvent(event.type, {
            event: command.event,
            from: row.status,
            to: step.status,
            state: step.snapshot.value,
            // The machine, version and input the case started from: its log alone replays it (docs/operations.md).
            ...(result.start === undefined ? {} : { start: result.start }),
          }),
          ...(accepted === null ? [] : [accepted.event]),
          ...effects.events,
        ],
        outbox: effects.outbox,
        tasks: tasks.take(),
        portalEvents: portalEvents.map((portalEvent) => ({
          caseId: row.id,
          itemCode: row.item_code,
          event: portalEvent,
        })),
      },
      now,
    );
    return { outcome: 'applied', status: step.status, seq: head.seq };
  }

  /**
   * The event as the machine needs it: a decision's findings travel as a case-note reference (docs/api.md "The
   * applicant's view") and are read back here; the log keeps the command's event, reference and all.
   */
  private withFindings(event: CaseEvent, reads: StepReads): CaseEvent {
    const noteId = findingsNoteId(event);
    if (noteId === undefined || reads.findingsNote === null) return { ...event };
    return withNotedFindings(event, new Map([caseNoteEntry(this.cipher, noteId, reads.findingsNote)]));
  }
}

/**
 * The step's statements are the same few texts every time (its own, the clock intents', the task batch): each is
 * prepared once per connection under a name derived from its text, so PostgreSQL neither parses nor plans it
 * again (docs/architecture.md "Where the time goes"). Only statements with parameters (the extended protocol), and at
 * most PREPARED_LIMIT texts, so a text built per call could not fill the connections with prepared statements.
 */
const PREPARED_LIMIT = 64;
const preparedNames = new Map<string, string>();
function preparedName(sql: string, values: readonly unknown[] | undefined): string | undefined {
  if (values === undefined || values.length === 0) return undefined;
  let name = preparedNames.get(sql);
  if (name === undefined && preparedNames.size < PREPARED_LIMIT) {
    name = `engine_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    preparedNames.set(sql, name);
  }
  return name;
}

/**
 * BEGIN, the locking read and the step's reads; in one round trip when both ids are UUIDs, as they are unless a
 * caller erred.
 */
async function beginAndLock(
  client: PoolClient,
  caseId: string,
  commandId: string,
  findingsNoteId: string | undefined,
): Promise<{ row: LockedRow | undefined; reads: StepReads }> {
  if (UUID.test(caseId) && UUID.test(commandId)) {
    // The simple query protocol runs several statements at once but takes no parameters: the ids, checked to be
    // UUIDs just above, are written into the text as literals.
    const results = (await client.query(`BEGIN; ${lockAndReadSql(caseId, commandId, findingsNoteId)}`)) as unknown as {
      rows: unknown[];
    }[];
    return lockedAndRead(results);
  }
  await client.query('BEGIN');
  const row = (await client.query<LockedRow>(LOCK_CASE, [caseId, commandId])).rows[0];
  // No case, no step: the reads would find nothing (and a case id that is no UUID could not be compared).
  if (row === undefined) return { row, reads: { openTasks: [], requested: [], clocks: [], findingsNote: null } };
  const q: Queryable = { query: async (sql, values) => (await client.query(sql, values)).rows };
  return { row, reads: await readStep(q, caseId, commandId, findingsNoteId ?? null) };
}

/** What a step writes besides the snapshot; `facts` and `entitlement` null when they did not change. */
export interface StepWrites {
  readonly facts: Readonly<Record<string, unknown>> | null;
  readonly entitlement: StoredEntitlement | null;
  readonly events: readonly NewCaseEvent[];
  readonly outbox: readonly OutboxMessage[];
  /** The portal's webhook deliveries of the step (docs/webhooks.md), none when absent. */
  readonly portalEvents?: readonly CasePortalEvent[];
  /** The decision's answer and the task closes and opens not sent yet (`task-batch.ts`), none when absent. */
  readonly tasks?: TaskWrites;
}

const NO_TASK_WRITES: TaskWrites = { accepted: 0, closed: 0, opened: 0, columns: [null, null, null, [], null, '[]'] };

/**
 * The new snapshot, the events (chained on the case's head), the outbox rows, the portal's webhook deliveries and the
 * task writes (the decision's answer, closes, opens) in one statement, with an optimistic version check on top of
 * the row lock: a writer that read the case without the lock (or before another commit) changes nothing and fails
 * (docs/architecture.md invariant 4). The other writes read the UPDATE's row, so a stale write writes nothing either.
 */
export async function commitStep(
  q: Queryable,
  row: Pick<LockedCase, 'id' | 'version' | 'last_event_seq' | 'last_event_hash'>,
  step: Pick<CaseStep, 'snapshot' | 'status' | 'currentSteps' | 'closed'>,
  writes: StepWrites,
  now: Date,
): Promise<{ seq: number; hash: string | null }> {
  const chained = chainEvents(row.id, { seq: row.last_event_seq, hash: row.last_event_hash }, writes.events);
  const head = chained.at(-1) ?? { seq: row.last_event_seq, hash: row.last_event_hash };
  const tasks = writes.tasks ?? NO_TASK_WRITES;
  const rows = (await q.query(COMMIT_STEP, [
    row.id,
    row.version,
    JSON.stringify(step.snapshot),
    step.status,
    step.currentSteps,
    writes.facts === null ? null : JSON.stringify(writes.facts),
    step.closed,
    now,
    writes.entitlement === null ? null : JSON.stringify(writes.entitlement),
    head.seq,
    head.hash,
    ...eventColumns(chained),
    ...outboxColumns(writes.outbox),
    ...webhookDeliveryColumns(writes.portalEvents ?? [], now),
    ...tasks.columns,
  ])) as unknown;
  const [answer] = updatedRows<{ updated: number } & TaskWriteCounts>(rows);
  if (answer?.updated !== 1) throw new StaleCaseWriteError(row.id, row.version);
  checkTaskWrites(row.id, tasks, answer);
  return { seq: head.seq, hash: head.hash };
}

const COMMIT_STEP = `
  WITH c AS (
    UPDATE cases SET snapshot = $3, status = $4, current_steps = $5, facts = coalesce($6::jsonb, facts),
           version = version + 1, closed_at = CASE WHEN $7::boolean THEN $8::timestamptz ELSE closed_at END,
           entitlement = coalesce($9::jsonb, entitlement), last_event_seq = $10, last_event_hash = $11,
           updated_at = now()
    WHERE id = $1 AND version = $2
    RETURNING id, portal_id),
  e AS (
    INSERT INTO case_events (case_id, seq, id, type, actor, payload, occurred_at, request_id, prev_hash, hash)
    SELECT c.id, e.seq, e.id, e.type, e.actor, e.payload, e.occurred_at, e.request_id, e.prev_hash, e.hash
    FROM c, ${eventUnnest(12)}),
  o AS (
    INSERT INTO outbox (kind, case_id, payload, request_id, available_at)
    SELECT m.kind, m.case_id, m.payload, m.request_id, coalesce(m.available_at, now())
    FROM c, ${outboxUnnest(21)}),
  ${webhookDeliveryCtes('c', 26, 8)},
  ${taskWriteCtes('c', 30, 8)}
  SELECT count(*)::int AS updated, ${TASK_WRITE_COUNTS} FROM c`;

/** A step's findings (home visit, verified income …) are kept on the case for later steps and the entitlement. */
function withFindings(facts: Record<string, unknown>, event: CaseEvent): Record<string, unknown> {
  if (event.type !== 'DECIDED' || event.findings === undefined || typeof event.step !== 'string') return facts;
  const findings = (facts['findings'] as Record<string, unknown> | undefined) ?? {};
  return { ...facts, findings: { ...findings, [event.step]: event.findings } };
}
