import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { escapeLiteral, type PoolClient } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, type Clock } from '@minsheng/domain';
import { DECISION_OUTCOMES } from '@minsheng/workflows';
import {
  appendCaseEvents,
  type CaseCommand,
  type CaseNoteKind,
  chainEvents,
  eventColumns,
  eventUnnest,
  type NewCaseEvent,
  type OutboxMessage,
  outboxColumns,
  outboxUnnest,
  type PreparedCaseNote,
  prepareCaseNote,
  CONTENTION_RETRIES,
  DECIDING_STATUS,
  type DecisionRequest,
  type DecisionRequestState,
  InjectClock,
  lockCaseRow,
  PiiCipher,
  recordAudit,
  RETURNED_PAYMENT_TASK_KIND,
  transactionWithRetry,
  transientKindOf,
  writeCaseNote,
} from '@minsheng/infra';
import type { StaffIdentity } from '../auth/staff-identity.js';
import { machineAccepts, type CaseMachineRow } from '../cases/machine-accepts.js';
import { DecisionMetrics, type RecordedDecision } from '../metrics/decision-metrics.js';
import { separationOfDuties, type DutyCheck, type PriorDecision } from './separation-of-duties.js';
import type { DecisionBody, ReassignmentBody } from './task.requests.js';
import { taskNotFound } from './task-reads.js';
import { actingOffice, staffActor, taskScope, type ActingOffice } from './task-scope.js';

interface LockedTask {
  id: string;
  case_id: string;
  step: string;
  kind: string;
  outcomes: string[];
  reject_reasons: string[];
  status: string;
  claimed_by: string | null;
  closed_at: Date | null;
  version: number;
  details: Record<string, unknown>;
  division_code: string;
}

export interface DecisionAccepted {
  readonly taskId: string;
  readonly caseId: string;
  readonly commandId: string;
  readonly outcome: string;
  readonly checks: readonly DutyCheck[];
  /** `requested` until the engine answers (read the task); an escalation's acknowledgement is `accepted` at once. */
  readonly state: DecisionRequestState;
  readonly links: { readonly task: string };
}

/** A reassignment as answered: the task's claimant now and before. */
export interface TaskReassigned {
  readonly taskId: string;
  readonly caseId: string;
  readonly claimedBy: string;
  readonly previouslyClaimedBy: string;
}

/**
 * Claim, release and decide. A decision changes neither the case nor the task's outcome here: the gateway checks
 * the request against the task (its outcomes, reasons, parts), the claim and separation of duties, records it as the
 * task's decision request (status `deciding`) and writes the workflow event as a command (event + outbox row, the
 * same path as intake). The engine alone applies the procedure's rules and answers the request, accepted or refused
 * (docs/architecture.md invariant 12). All in one transaction, with the case row and then the task row locked (the
 * lock order, docs/operations.md "Lock order").
 */
@Injectable()
export class TaskCommands {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: DecisionMetrics,
    @InjectClock() private readonly clock: Clock,
    private readonly cipher: PiiCipher,
  ) {}

  /**
   * One statement, committed on its own (bench/profiles/engine.md): {@link CLAIM_TASK} finds the task in
   * the caller's scope, locks the case and then the task (the lock order), checks the task's state, the relative
   * rule and the claimant, and claims. Only a claim that may start its step (the case's machine is read) sends
   * more: the start, in a transaction of its own that checks again under the lock.
   */
  async claim(staff: StaffIdentity, taskId: string): Promise<{ taskId: string; claimedBy: string }> {
    const me = staffActor(staff);
    const params: unknown[] = [taskId, me, this.clock.now(), staff.subject];
    const sql = CLAIM_TASK(taskScope('t', staff, params));
    const [row] = (await withContentionRetry(() => this.dataSource.query(sql, params))) as ClaimVerdict[];
    if (row === undefined || row.verdict === 'not-found') throw taskNotFound(taskId);
    if (row.verdict === 'closed') throw alreadyDecided(taskId);
    if (row.verdict === 'deciding') throw decisionPending(taskId);
    if (row.verdict === 'relative') throw declaredRelative();
    if (row.verdict === 'claimed') {
      throw new DomainError('TASK.CLAIMED_BY_ANOTHER', 'another reviewer has claimed this task', { taskId });
    }
    // A claim again by the claimant tries the start too: a start lost between the claim's commit and its own
    // transaction is requested then (startStep asks once per task).
    if (row.snapshot !== null && machineAccepts(row, stepStarted(row.step, me))) {
      const task = { id: taskId, case_id: row.case_id, step: row.step };
      await transactionWithRetry(this.dataSource, (m) =>
        startStep(m, task, me, actingOffice(staff, row.division_code), this.clock.now()),
      );
    }
    return { taskId, claimedBy: me };
  }

  async release(staff: StaffIdentity, taskId: string): Promise<{ taskId: string; claimedBy: null }> {
    return transactionWithRetry(this.dataSource, async (m) => {
      const task = await lockTask(m, staff, taskId);
      const mayRelease = task.claimed_by === staffActor(staff) || staff.roles.includes('supervisor');
      if (task.claimed_by !== null && !mayRelease) {
        throw new DomainError('TASK.CLAIMED_BY_ANOTHER', 'only the claimant or a supervisor may release it', {
          taskId,
        });
      }
      await m.query(`UPDATE tasks SET claimed_by = NULL, claimed_at = NULL, version = version + 1 WHERE id = $1`, [
        taskId,
      ]);
      return { taskId, claimedBy: null };
    });
  }

  /**
   * A supervisor hands a claimed task to another reviewer of the office (docs/api.md "Reviewer API"): the
   * claim moves, the case's chain records TASK_REASSIGNED (the reason kept as a case note) and the audit log the
   * supervisor's act, all in one transaction. Reassigning to the present claimant changes nothing and records
   * nothing, so a retried request does not happen twice. The new claimant's separation of duties is checked when
   * they decide; a declared relative of the applicant is refused here already.
   */
  async reassign(
    staff: StaffIdentity,
    taskId: string,
    body: ReassignmentBody,
    requestId: string,
  ): Promise<TaskReassigned> {
    return transactionWithRetry(this.dataSource, async (m) => {
      const task = await lockTask(m, staff, taskId);
      const to = `staff:${body.to}`;
      if (task.claimed_by === null) {
        throw new DomainError('TASK.NOT_CLAIMED', 'only a claimed task is reassigned; the office sees it open', {
          taskId,
        });
      }
      const from = task.claimed_by;
      if (from === to) return { taskId, caseId: task.case_id, claimedBy: to, previouslyClaimedBy: from };
      await assertNotRelative(m, task.case_id, { ...staff, subject: body.to });
      const now = this.clock.now();
      await m.query(`UPDATE tasks SET claimed_by = $2, claimed_at = $3, version = version + 1 WHERE id = $1`, [
        taskId,
        to,
        now,
      ]);
      const [kase] = (await m.query(`SELECT last_event_seq, last_event_hash FROM cases WHERE id = $1`, [
        task.case_id,
      ])) as { last_event_seq: number; last_event_hash: string | null }[];
      const reason = await writeCaseNote(m, this.cipher, {
        caseId: task.case_id,
        kind: 'comment',
        body: body.reason,
        at: now,
      });
      const actor = staffActor(staff);
      await appendCaseEvents(m, task.case_id, { seq: kase!.last_event_seq, hash: kase!.last_event_hash }, [
        {
          id: randomUUID(),
          type: 'TASK_REASSIGNED',
          actor,
          payload: { taskId, step: task.step, from, to, reason, by: actingOffice(staff, task.division_code) },
          occurredAt: now,
          requestId,
        },
      ]);
      await recordAudit(m, {
        actor,
        actorRole: 'supervisor',
        action: 'task.reassign',
        target: `task:${taskId}`,
        details: { caseId: task.case_id, from, to },
        requestId,
      });
      return { taskId, caseId: task.case_id, claimedBy: to, previouslyClaimedBy: from };
    });
  }

  /**
   * Three round trips (bench/profiles/engine.md): `BEGIN` with the locks and the reads
   * ({@link lockForDecision}), the writes in one statement ({@link recordDecision}), `COMMIT`. The prior decisions
   * are read by a statement of their own after the locks: under READ COMMITTED each statement takes a new snapshot,
   * so it sees a decision committed while this one waited for the case (a subquery of the locking statement would
   * keep the older snapshot and miss it, breaking separation of duties).
   */
  async decide(staff: StaffIdentity, taskId: string, body: DecisionBody, requestId: string): Promise<DecisionAccepted> {
    // Counted after the commit: a rolled-back decision (409, 403) is no decision.
    const { accepted, recorded } = await withContentionRetry(() => this.decideOnce(staff, taskId, body, requestId));
    this.metrics.recorded(recorded);
    return accepted;
  }

  private async decideOnce(
    staff: StaffIdentity,
    taskId: string,
    body: DecisionBody,
    requestId: string,
  ): Promise<{ accepted: DecisionAccepted; recorded: RecordedDecision }> {
    // The controller's UuidParam checked the id; anything else is no task (and is never written into the text).
    if (!UUID.test(taskId)) throw taskNotFound(taskId);
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      const result = await this.decideIn(client, staff, taskId, body, requestId);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A broken connection fails the ROLLBACK too: the pool drops that client; the decision's own error is reported.
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async decideIn(
    client: PoolClient,
    staff: StaffIdentity,
    taskId: string,
    body: DecisionBody,
    requestId: string,
  ): Promise<{ accepted: DecisionAccepted; recorded: RecordedDecision }> {
    const results = (await client.query(`BEGIN; ${lockForDecision(taskId, staff)}`)) as unknown as {
      rows: unknown[];
    }[];
    const kase = results[1]!.rows[0] as
      { procedure_id: string; last_event_seq: number; last_event_hash: string | null; relatives: unknown } | undefined;
    const task = results[2]!.rows[0] as LockedTask | undefined;
    const priorRows = results[3]!.rows as PriorDecision[];
    if (kase === undefined || task === undefined) throw taskNotFound(taskId);
    if (task.closed_at !== null) throw alreadyDecided(taskId);
    if (task.status === DECIDING_STATUS) throw decisionPending(taskId);
    const actor = staffActor(staff);
    if (task.claimed_by !== null && task.claimed_by !== actor) {
      throw new DomainError('TASK.CLAIMED_BY_ANOTHER', 'another reviewer has claimed this task', { taskId });
    }
    checkDecisionShape(task, body);
    // An escalation (督办) is supervision, not a step of the procedure: no workflow event, no machine.
    const escalation = task.kind === 'escalation';
    // Whether the procedure takes the decision in the case's state is the engine's to say when it applies it.
    const event = escalation ? null : workflowEvent(task, body, actor);
    // An escalation neither counts as a prior decision nor is bound by the step rules; only the relative rule
    // applies to it.
    const prior = escalation ? [] : priorRows;
    const checks = separationOfDuties({
      actor,
      subject: staff.subject,
      taskKind: task.kind,
      prior,
      relativesOfStaff: Array.isArray(kase.relatives) ? kase.relatives.map(String) : [],
    });
    const failed = checks.filter((c) => !c.passed);
    if (failed.length > 0) {
      throw new DomainError(
        'TASK.SEPARATION_OF_DUTIES',
        `you may not decide this task: ${failed.map((c) => c.rule).join(', ')}`,
        { taskId, checks },
      );
    }
    const commandId = randomUUID();
    const now = this.clock.now();
    // The reviewer's comment and findings are kept encrypted in the case's notes; the task's decision, the events
    // and what travels carry references (docs/api.md "The applicant's view").
    const notes: { kind: CaseNoteKind; note: PreparedCaseNote }[] = [];
    const note = (kind: CaseNoteKind, text: unknown) => {
      const prepared = prepareCaseNote(this.cipher, text);
      notes.push({ kind, note: prepared });
      return prepared.ref;
    };
    const commentNote = body.comment ? note('comment', body.comment) : undefined;
    const findingsNote = body.findings ? note('findings', body.findings) : undefined;
    const { comment: _comment, findings: _findings, ...codes } = body;
    const recordedBody: RecordedDecisionBody = {
      ...codes,
      ...(commentNote ? { comment: commentNote } : {}),
      ...(findingsNote ? { findingsNote } : {}),
    };
    const by = actingOffice(staff, task.division_code);
    let newEvent: NewCaseEvent;
    const outbox: OutboxMessage[] = [];
    if (escalation) {
      // The supervisor has taken the late step up; the workflow is not moved, so no command is sent.
      newEvent = {
        id: commandId,
        type: 'ESCALATION_ACKNOWLEDGED',
        actor,
        payload: {
          taskId,
          step: task.step,
          clock: task.details['clock'] ?? null,
          comment: commentNote,
          checks,
          by,
        },
        occurredAt: now,
        requestId,
      };
    } else {
      const command: CaseCommand = {
        caseId: task.case_id,
        commandId,
        event: withFindingsNote(event!, findingsNote),
        actor,
        requestId,
      };
      newEvent = {
        id: randomUUID(),
        type: 'DECISION_SUBMITTED',
        actor,
        payload: {
          taskId,
          step: task.step,
          outcome: body.outcome,
          ...(body.reasonCode ? { reasonCode: body.reasonCode } : {}),
          ...(body.missingMaterials ? { missingMaterials: body.missingMaterials } : {}),
          ...(commentNote ? { comment: commentNote } : {}),
          ...(findingsNote ? { findingsNote } : {}),
          ...(body.parts ? { parts: body.parts } : {}),
          ...(body.paymentReference ? { paymentReference: body.paymentReference } : {}),
          checks,
          commandId,
          by,
        },
        occurredAt: now,
        requestId,
      };
      outbox.push({ kind: 'case.command', caseId: task.case_id, payload: command, requestId });
    }
    const taskWrite = escalation
      ? {
          sql: ACKNOWLEDGE_ESCALATION,
          params: [
            taskId,
            actor,
            JSON.stringify({ ...recordedBody, checks, commandId, decidedAt: now.toISOString() }),
            task.version,
            now,
          ],
        }
      : {
          sql: RECORD_DECISION_REQUEST,
          params: [
            taskId,
            JSON.stringify(decisionRequest(commandId, actor, recordedBody, checks, now)),
            task.version,
            now,
          ],
        };
    const chained = chainEvents(task.case_id, { seq: kase.last_event_seq, hash: kase.last_event_hash }, [newEvent]);
    const [written] = (
      await client.query<{ step_seconds: number }>(recordDecision(taskWrite.sql, taskWrite.params.length), [
        ...taskWrite.params,
        task.case_id,
        chained[0]!.seq,
        chained[0]!.hash,
        notes.map((n) => n.note.id),
        notes.map((n) => n.kind),
        notes.map((n) => n.note.bodyEncrypted),
        now,
        ...eventColumns(chained),
        ...outboxColumns(outbox),
      ])
    ).rows;
    if (written === undefined) throw alreadyDecided(taskId);
    const recorded: RecordedDecision = {
      procedure: kase.procedure_id,
      step: task.step,
      outcome: body.outcome,
      stepSeconds: written.step_seconds,
    };
    const state: DecisionRequestState = escalation ? 'accepted' : 'requested';
    const links = { task: `/v1/tasks/${taskId}` };
    return {
      accepted: { taskId, caseId: task.case_id, commandId, outcome: body.outcome, checks, state, links },
      recorded,
    };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `BEGIN` goes with these in one simple query, which takes no parameters: the task id (a UUID, checked) and the
 * caller's scope are written into the text as escaped literals. Four statements, each with its own snapshot under
 * READ COMMITTED: the case locked (found through the task in the caller's scope), then the task (the lock order,
 * libs/infra lock-order.ts), then the case's prior decisions, read after both locks so a decision committed while
 * this one waited is seen.
 */
function lockForDecision(taskId: string, staff: StaffIdentity): string {
  const params: unknown[] = [taskId];
  const scope = taskScope('t', staff, params);
  const literals = inlineParams(scope, params);
  const id = `'${taskId}'`;
  return `SELECT c.procedure_id, c.last_event_seq, c.last_event_hash, c.facts -> 'relativeOfStaff' AS relatives
      FROM cases c WHERE c.id = (SELECT t.case_id FROM tasks t WHERE t.id = ${id} AND ${literals}) FOR UPDATE;
    SELECT t.id, t.case_id, t.step, t.kind, t.status, t.outcomes, t.reject_reasons, t.claimed_by, t.closed_at,
        t.version, t.details, t.division_code
      FROM tasks t WHERE t.id = ${id} AND ${literals} FOR UPDATE;
    SELECT step, kind, decided_by AS "decidedBy" FROM tasks
      WHERE case_id = (SELECT case_id FROM tasks WHERE id = ${id}) AND decided_by IS NOT NULL AND kind <> 'escalation'
      ORDER BY closed_at, opened_at`;
}

/** `$n` of `sql` replaced by `params[n - 1]` as an escaped literal (strings and arrays of strings only). */
function inlineParams(sql: string, params: readonly unknown[]): string {
  const literal = (value: unknown): string => {
    if (typeof value === 'string') return escapeLiteral(value);
    if (Array.isArray(value)) {
      return value.length === 0 ? `'{}'` : `ARRAY[${value.map((v) => escapeLiteral(String(v))).join(', ')}]`;
    }
    throw new Error(`inlineParams: only strings and string arrays are written as literals, not ${typeof value}`);
  };
  return sql.replace(/\$(\d+)/g, (_all, n: string) => literal(params[Number(n) - 1]));
}

/**
 * The decision's writes in one statement: the task's (`taskSql`, its `taskParams` parameters first), the notes,
 * the event chained on the locked case's head, the outbox row and the head. Everything else reads the task's
 * `UPDATE`, so a task changed since it was locked (no row) writes nothing and the caller answers 409.
 */
function recordDecision(taskSql: string, taskParams: number): string {
  const n = taskParams;
  const caseId = `$${n + 1}`;
  return `WITH task AS (${taskSql}),
    notes AS (
      INSERT INTO case_notes (id, case_id, kind, body_encrypted, created_at)
      SELECT n.id, ${caseId}, n.kind, n.body, $${n + 7}::timestamptz FROM unnest($${n + 4}::uuid[], $${n + 5}::text[], $${n + 6}::text[])
        AS n(id, kind, body)
      WHERE EXISTS (SELECT 1 FROM task)),
    inserted AS (
      INSERT INTO case_events (case_id, seq, id, type, actor, payload, occurred_at, request_id, prev_hash, hash)
      SELECT ${caseId}, e.seq, e.id, e.type, e.actor, e.payload, e.occurred_at, e.request_id, e.prev_hash, e.hash
      FROM ${eventUnnest(n + 8)} WHERE EXISTS (SELECT 1 FROM task)),
    queued AS (
      INSERT INTO outbox (kind, case_id, payload, request_id, available_at)
      SELECT m.kind, m.case_id, m.payload, m.request_id, coalesce(m.available_at, now()) FROM ${outboxUnnest(n + 17)}
      WHERE EXISTS (SELECT 1 FROM task)),
    head AS (
      UPDATE cases SET last_event_seq = $${n + 2}, last_event_hash = $${n + 3}, updated_at = now()
      WHERE id = ${caseId} AND EXISTS (SELECT 1 FROM task))
    SELECT step_seconds FROM task`;
}

/**
 * A decision request waits for the engine (the task `deciding`, docs/architecture.md invariant 12); the step's time
 * for the metrics is counted to the request.
 */
const RECORD_DECISION_REQUEST = `
  UPDATE tasks SET status = '${DECIDING_STATUS}', decision_request = $2, version = version + 1
  WHERE id = $1 AND version = $3 AND closed_at IS NULL
  RETURNING id, extract(epoch FROM $4::timestamptz - opened_at)::float8 AS step_seconds`;

/** An escalation (督办) is supervision, not a step of the procedure: acknowledging it closes it, no engine involved. */
const ACKNOWLEDGE_ESCALATION = `
  UPDATE tasks SET status = 'decided', closed_at = $5, decided_by = $2, decision = $3, version = version + 1
  WHERE id = $1 AND version = $4 AND closed_at IS NULL
  RETURNING id, extract(epoch FROM closed_at - opened_at)::float8 AS step_seconds`;

/** A decision as the task keeps it: codes as sent, the reviewer's free text as case-note references. */
type RecordedDecisionBody = Omit<DecisionBody, 'comment' | 'findings'> & { comment?: string; findingsNote?: string };

function decisionRequest(
  commandId: string,
  actor: string,
  body: RecordedDecisionBody,
  checks: readonly DutyCheck[],
  now: Date,
): DecisionRequest {
  return {
    id: commandId,
    state: 'requested',
    outcome: body.outcome,
    requestedBy: actor,
    requestedAt: now.toISOString(),
    decision: { ...body, checks, commandId },
  };
}

/**
 * Locks the caller's task's case, then the task (the lock order, libs/infra lock-order.ts: a breach timer firing
 * on the same case queues behind the decision, or the decision behind it, instead of deadlocking). A task outside
 * the caller's scope is not found. Two reviewers deciding at the same instant queue on these locks: the second
 * sees the task decided and gets 409.
 */
async function lockTask(m: EntityManager, staff: StaffIdentity, taskId: string): Promise<LockedTask> {
  const params: unknown[] = [taskId];
  const [ref] = (await m.query(
    `SELECT t.case_id FROM tasks t WHERE t.id = $1 AND ${taskScope('t', staff, params)}`,
    params,
  )) as { case_id: string }[];
  if (ref === undefined || !(await lockCaseRow(m, ref.case_id))) throw taskNotFound(taskId);
  // A task never moves to another office, so the scope checked above still holds.
  const [task] = (await m.query(
    `SELECT id, case_id, step, kind, status, outcomes, reject_reasons, claimed_by, closed_at, version, details, division_code
     FROM tasks WHERE id = $1 FOR UPDATE`,
    [taskId],
  )) as LockedTask[];
  if (task === undefined) throw taskNotFound(taskId);
  if (task.closed_at !== null) throw alreadyDecided(taskId);
  if (task.status === DECIDING_STATUS) throw decisionPending(taskId);
  return task;
}

async function assertNotRelative(m: EntityManager, caseId: string, staff: StaffIdentity): Promise<void> {
  const [row] = (await m.query(`SELECT facts -> 'relativeOfStaff' AS relatives FROM cases WHERE id = $1`, [
    caseId,
  ])) as { relatives: unknown }[];
  if (Array.isArray(row?.relatives) && row.relatives.map(String).includes(staff.subject)) throw declaredRelative();
}

function declaredRelative(): DomainError {
  return new DomainError('TASK.SEPARATION_OF_DUTIES', 'you are declared a relative of the applicant', {
    checks: [{ rule: 'not-a-relative', passed: false, detail: 'declared relative of the applicant' }],
  });
}

function decisionPending(taskId: string): DomainError {
  return new DomainError('TASK.DECISION_PENDING', 'a decision on this task waits for the engine; read the task', {
    taskId,
  });
}

/** What {@link CLAIM_TASK} answers: the verdict, and for a claim by the caller the case's machine. */
interface ClaimVerdict extends CaseMachineRow {
  verdict: 'not-found' | 'closed' | 'deciding' | 'relative' | 'claimed' | 'claimed-now' | 'claimed-before';
  case_id: string;
  step: string;
  division_code: string;
}

/**
 * The claim in one statement. $1 task, $2 the caller as actor, $3 now, $4 the caller's subject, then the scope's
 * parameters. `kase` locks the case row first and `task` then the task row (its condition reads `kase`), the lock
 * order of libs/infra lock-order.ts; a row changed while this statement waited for its lock is re-read at its
 * newest version (READ COMMITTED, FOR UPDATE), so the checks see what the last writer committed. The update runs
 * only on the verdict `claimed-now`; a claim by the present claimant changes nothing. The machine is returned only
 * where a step may start (a claim by the caller), so the other answers stay small.
 */
const CLAIM_TASK = (scope: string) => `
  WITH ref AS (
    SELECT t.case_id FROM tasks t WHERE t.id = $1 AND ${scope}
  ), kase AS (
    SELECT c.id, c.facts -> 'relativeOfStaff' AS relatives, c.machine_id, c.machine_version, c.snapshot
    FROM cases c WHERE c.id = (SELECT case_id FROM ref) FOR UPDATE
  ), task AS (
    SELECT t.id, t.case_id, t.step, t.status, t.claimed_by, t.closed_at, t.division_code
    FROM tasks t WHERE t.id = $1 AND t.case_id = (SELECT id FROM kase) FOR UPDATE
  ), verdict AS (
    SELECT CASE
        WHEN task.closed_at IS NOT NULL THEN 'closed'
        WHEN task.status = '${DECIDING_STATUS}' THEN 'deciding'
        WHEN jsonb_typeof(kase.relatives) = 'array'
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(kase.relatives) r WHERE r #>> '{}' = $4::text) THEN 'relative'
        WHEN task.claimed_by IS NULL THEN 'claimed-now'
        WHEN task.claimed_by = $2::text THEN 'claimed-before'
        ELSE 'claimed' END AS verdict,
      task.case_id, task.step, task.division_code, kase.machine_id, kase.machine_version, kase.snapshot
    FROM task JOIN kase ON kase.id = task.case_id
  ), claimed AS (
    UPDATE tasks SET claimed_by = $2::text, claimed_at = $3::timestamptz, version = version + 1
    FROM verdict WHERE tasks.id = $1 AND verdict.verdict = 'claimed-now'
    RETURNING tasks.id
  )
  SELECT coalesce(v.verdict, 'not-found') AS verdict, v.case_id, v.step, v.division_code, v.machine_id,
    v.machine_version,
    CASE WHEN v.verdict IN ('claimed-now', 'claimed-before') THEN v.snapshot END AS snapshot
  FROM (SELECT 1) one LEFT JOIN verdict v ON true`;

/** STEP_STARTED for a task's step by its claimant. */
function stepStarted(step: string, actor: string) {
  return { type: 'STEP_STARTED', step, actor } as const;
}

/**
 * One autocommitted statement, sent again when PostgreSQL aborted it for contention (deadlock, serialization),
 * as {@link transactionWithRetry} does for a transaction (docs/operations.md "Transient failures").
 */
async function withContentionRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= CONTENTION_RETRIES || transientKindOf(error) !== 'contention') throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * (attempt + 1)));
    }
  }
}

/**
 * Claiming a task starts its step (e.g. the home visit of a 低保 investigation, which must start within 3 working
 * days): where the machine's current state takes STEP_STARTED for this step, it is sent through the outbox like a
 * decision, so the start clock stops. A state that does not take it (any other step, or a step already started)
 * gets nothing, and a task whose start was requested already gets nothing again, so claiming again changes
 * nothing. Runs after the claim's own statement: the case is locked and the task re-read here.
 */
async function startStep(
  m: EntityManager,
  task: { readonly id: string; readonly case_id: string; readonly step: string },
  actor: string,
  by: ActingOffice,
  now: Date,
): Promise<void> {
  if (!(await lockCaseRow(m, task.case_id))) return;
  const [kase] = (await m.query(
    `SELECT c.machine_id, c.machine_version, c.snapshot, c.last_event_seq, c.last_event_hash
     FROM cases c JOIN tasks t ON t.case_id = c.id
     WHERE c.id = $1 AND t.id = $2 AND t.closed_at IS NULL AND t.claimed_by = $3
       AND NOT EXISTS (SELECT 1 FROM case_events e
                       WHERE e.case_id = c.id AND e.type = 'STEP_START_REQUESTED' AND e.payload ->> 'taskId' = $2::uuid::text)`,
    [task.case_id, task.id, actor],
  )) as (CaseMachineRow & { last_event_seq: number; last_event_hash: string | null })[];
  const event = stepStarted(task.step, actor);
  if (kase === undefined || !machineAccepts(kase, event)) return;
  const commandId = randomUUID();
  const command: CaseCommand = { caseId: task.case_id, commandId, event, actor };
  await appendCaseEvents(
    m,
    task.case_id,
    { seq: kase.last_event_seq, hash: kase.last_event_hash },
    [
      {
        id: randomUUID(),
        type: 'STEP_START_REQUESTED',
        actor,
        payload: { taskId: task.id, step: task.step, commandId, by },
        occurredAt: now,
      },
    ],
    [{ kind: 'case.command', caseId: task.case_id, payload: command }],
  );
}

/** The event as it travels: its findings replaced by the reference of the note that keeps them. */
function withFindingsNote(event: CaseCommand['event'], findingsNote: string | undefined): CaseCommand['event'] {
  if (event.type !== 'DECIDED' || findingsNote === undefined) return event;
  const { findings: _kept, ...rest } = event;
  return { ...rest, findingsNote };
}

function alreadyDecided(taskId: string): DomainError {
  return new DomainError('TASK.ALREADY_DECIDED', 'this task is already decided or closed', { taskId });
}

/**
 * The request against the task as the engine opened it (its outcomes, reject reasons, parts, instalment): the
 * request's shape for this task, checked before anything is written. Whether the procedure takes the decision in
 * the case's state (guards, amounts, findings) only the engine says, applying it.
 */
function checkDecisionShape(task: LockedTask, body: DecisionBody): void {
  const refuse = (field: string, message: string) => {
    throw new DomainError('DECISION.INVALID', message, { field });
  };
  if (task.kind === RETURNED_PAYMENT_TASK_KIND) {
    // No step of the procedure: the correction of the line closes it (docs/money.md "Returned payments").
    refuse('outcome', 'a returned payment’s task is closed by POST /v1/payment-lines/{id}/correction');
  }
  if (!task.outcomes.includes(body.outcome)) {
    refuse('outcome', `this ${task.step} task accepts ${task.outcomes.join(', ')}`);
  }
  if (body.outcome === 'reject') {
    if (!body.reasonCode || !task.reject_reasons.includes(body.reasonCode)) {
      refuse('reasonCode', `a rejection gives one of: ${task.reject_reasons.join(', ')}`);
    }
  } else if (body.reasonCode !== undefined) {
    refuse('reasonCode', 'only a rejection gives a reason code');
  }
  if (task.kind === 'escalation' && (body.comment ?? '').trim() === '') {
    refuse('comment', 'an acknowledgement says what the supervisor did about the late step (督办意见)');
  }
  if (body.outcome === 'return' && (body.missingMaterials?.length ?? 0) === 0) {
    refuse('missingMaterials', 'a return lists every missing material in one go (一次性告知)');
  }
  const parts = partsOf(task);
  if (body.parts !== undefined && parts === null) refuse('parts', `this ${task.step} task decides no parts`);
  if (body.parts !== undefined && body.outcome !== 'approve' && body.outcome !== 'reject') {
    refuse('parts', 'only an approval or a rejection decides parts');
  }
  // An approval grants some parts and not others: each part applied for gets its outcome (两项补贴, docs/procedures.md).
  if (parts !== null && body.outcome === 'approve') {
    const given = Object.keys(body.parts ?? {});
    if (given.length !== parts.length || !parts.every((part) => given.includes(part))) {
      refuse('parts', `an approval gives each of ${parts.join(', ')} its outcome (approve, or reject with a reason)`);
    }
  }
  const payment = body.outcome === 'paid' || body.outcome === 'payment-failed';
  if (body.paymentReference !== undefined && !payment) {
    refuse('paymentReference', 'only a payment outcome carries a payment reference');
  }
  if (payment && instalmentOf(task) === null) {
    refuse('outcome', `this ${task.step} task pays no instalment`);
  }
}

/** The parts a task decides one by one (`details.parts`, from the machine's task), or null. */
function partsOf(task: LockedTask): readonly string[] | null {
  const parts = task.details['parts'];
  return Array.isArray(parts) ? parts.map(String) : null;
}

/** The instalment a payment task pays (`details.payment`, written by the engine from the machine's task). */
function instalmentOf(task: LockedTask): number | null {
  const payment = task.details['payment'] as { instalment?: unknown } | undefined;
  return typeof payment?.instalment === 'number' ? payment.instalment : null;
}

/** The workflow event the decision becomes (libs/workflows events.ts), with the task id for the engine. */
function workflowEvent(task: LockedTask, body: DecisionBody, actor: string): CaseCommand['event'] {
  if (task.kind === 'objection') {
    return { type: 'OBJECTION_DECIDED', upheld: body.outcome === 'upheld', actor, taskId: task.id };
  }
  const instalment = instalmentOf(task);
  if (body.outcome === 'paid' && instalment !== null) {
    return {
      type: 'PAYMENT_CONFIRMED',
      instalment,
      actor,
      taskId: task.id,
      ...(body.paymentReference ? { reference: body.paymentReference } : {}),
    };
  }
  if (body.outcome === 'payment-failed' && instalment !== null) {
    return {
      type: 'PAYMENT_FAILED',
      instalment,
      actor,
      taskId: task.id,
      ...(body.paymentReference ? { reason: body.paymentReference } : {}),
    };
  }
  const outcome = DECISION_OUTCOMES.find((known) => known === body.outcome);
  if (outcome === undefined) {
    // The task's own outcomes were checked first (`checkDecisionShape`); this names a task the machine cannot decide.
    throw new DomainError('DECISION.INVALID', `a ${task.step} decision is one of ${DECISION_OUTCOMES.join(', ')}`, {
      field: 'outcome',
    });
  }
  return {
    type: 'DECIDED',
    step: task.step,
    outcome,
    actor,
    taskId: task.id,
    ...(body.reasonCode ? { reasonCode: body.reasonCode } : {}),
    ...(body.missingMaterials ? { missingMaterials: body.missingMaterials } : {}),
    ...(body.findings ? { findings: body.findings } : {}),
    ...(body.amountFen ? { amountFen: body.amountFen } : {}),
    ...(body.instalments ? { instalments: body.instalments } : {}),
    ...(body.parts ? { parts: body.parts } : {}),
  };
}
