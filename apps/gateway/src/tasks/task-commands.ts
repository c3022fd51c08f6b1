import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, type Clock } from '@minsheng/domain';
import { DECISION_OUTCOMES } from '@minsheng/workflows';
import {
  appendCaseEvents,
  type CaseCommand,
  DECIDING_STATUS,
  type DecisionRequest,
  type DecisionRequestState,
  InjectClock,
  lockCaseRow,
  PiiCipher,
  type Queryable,
  recordAudit,
  RETURNED_PAYMENT_TASK_KIND,
  transactionWithRetry,
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

  async claim(staff: StaffIdentity, taskId: string): Promise<{ taskId: string; claimedBy: string }> {
    return transactionWithRetry(this.dataSource, async (m) => {
      const task = await lockTask(m, staff, taskId);
      await assertNotRelative(m, task.case_id, staff);
      const me = staffActor(staff);
      if (task.claimed_by !== null && task.claimed_by !== me) {
        throw new DomainError('TASK.CLAIMED_BY_ANOTHER', 'another reviewer has claimed this task', { taskId });
      }
      const now = this.clock.now();
      await m.query(`UPDATE tasks SET claimed_by = $2, claimed_at = $3, version = version + 1 WHERE id = $1`, [
        taskId,
        me,
        now,
      ]);
      if (task.claimed_by === null) await startStep(m, task, me, actingOffice(staff, task.division_code), now);
      return { taskId, claimedBy: me };
    });
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

  async decide(staff: StaffIdentity, taskId: string, body: DecisionBody, requestId: string): Promise<DecisionAccepted> {
    // Counted after the commit: a rolled-back decision (409, 403) is no decision.
    const { accepted, recorded } = await transactionWithRetry(this.dataSource, async (m) => {
      const task = await lockTask(m, staff, taskId);
      const actor = staffActor(staff);
      if (task.claimed_by !== null && task.claimed_by !== actor) {
        throw new DomainError('TASK.CLAIMED_BY_ANOTHER', 'another reviewer has claimed this task', { taskId });
      }
      checkDecisionShape(task, body);
      // An escalation (督办) is supervision, not a step of the procedure: no workflow event, no machine.
      const escalation = task.kind === 'escalation';
      // Locked already by lockTask (case before task); read here for the chain head and the facts.
      const [kase] = (await m.query(
        `SELECT id, procedure_id, last_event_seq, last_event_hash, facts FROM cases WHERE id = $1`,
        [task.case_id],
      )) as {
        id: string;
        procedure_id: string;
        last_event_seq: number;
        last_event_hash: string | null;
        facts: Record<string, unknown>;
      }[];
      // Whether the procedure takes the decision in the case's state is the engine's to say when it applies it.
      const event = escalation ? null : workflowEvent(task, body, actor);
      // An escalation (督办) is supervision, not a step of the procedure: it neither counts as a prior decision nor
      // is bound by the step rules; only the relative rule applies to it.
      const prior = escalation
        ? []
        : ((await m.query(
            `SELECT step, kind, decided_by AS "decidedBy" FROM tasks
             WHERE case_id = $1 AND decided_by IS NOT NULL AND kind <> 'escalation' ORDER BY closed_at, opened_at`,
            [task.case_id],
          )) as PriorDecision[]);
      const relatives = kase!.facts['relativeOfStaff'];
      const checks = separationOfDuties({
        actor,
        subject: staff.subject,
        taskKind: task.kind,
        prior,
        relativesOfStaff: Array.isArray(relatives) ? relatives.map(String) : [],
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
      const q: Queryable = m;
      // The reviewer's comment and findings are kept encrypted in the case's notes; the task's decision, the events
      // and what travels carry references (docs/api.md "The applicant's view").
      const note = (kind: 'comment' | 'findings', text: unknown) =>
        writeCaseNote(q, this.cipher, { caseId: task.case_id, kind, body: text, at: now });
      const commentNote = body.comment ? await note('comment', body.comment) : undefined;
      const findingsNote = body.findings ? await note('findings', body.findings) : undefined;
      const { comment: _comment, findings: _findings, ...codes } = body;
      const recordedBody: RecordedDecisionBody = {
        ...codes,
        ...(commentNote ? { comment: commentNote } : {}),
        ...(findingsNote ? { findingsNote } : {}),
      };
      const [updated] = (await m.query(
        escalation ? ACKNOWLEDGE_ESCALATION : RECORD_DECISION_REQUEST,
        escalation
          ? [
              taskId,
              actor,
              JSON.stringify({ ...recordedBody, checks, commandId, decidedAt: now.toISOString() }),
              task.version,
              now,
            ]
          : [taskId, JSON.stringify(decisionRequest(commandId, actor, recordedBody, checks, now)), task.version, now],
      )) as [{ step_seconds: number }[], number];
      if (updated.length === 0) throw alreadyDecided(taskId);
      const head = { seq: kase!.last_event_seq, hash: kase!.last_event_hash };
      if (escalation) {
        // The supervisor has taken the late step up; the workflow is not moved, so no command is sent.
        await appendCaseEvents(q, task.case_id, head, [
          {
            id: commandId,
            type: 'ESCALATION_ACKNOWLEDGED',
            actor,
            payload: {
              taskId,
              step: task.step,
              clock: task.details['clock'] ?? null,
              comment: commentNote,
              checks,
              by: actingOffice(staff, task.division_code),
            },
            occurredAt: now,
            requestId,
          },
        ]);
      } else if (event !== null) {
        const command: CaseCommand = {
          caseId: task.case_id,
          commandId,
          event: withFindingsNote(event, findingsNote),
          actor,
          requestId,
        };
        await appendCaseEvents(
          q,
          task.case_id,
          head,
          [
            {
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
                by: actingOffice(staff, task.division_code),
              },
              occurredAt: now,
              requestId,
            },
          ],
          [{ kind: 'case.command', caseId: task.case_id, payload: command, requestId }],
        );
      }
      const recorded: RecordedDecision = {
        procedure: kase!.procedure_id,
        step: task.step,
        outcome: body.outcome,
        stepSeconds: updated[0]!.step_seconds,
      };
      const state: DecisionRequestState = escalation ? 'accepted' : 'requested';
      const links = { task: `/v1/tasks/${taskId}` };
      return {
        accepted: { taskId, caseId: task.case_id, commandId, outcome: body.outcome, checks, state, links },
        recorded,
      };
    });
    this.metrics.recorded(recorded);
    return accepted;
  }
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
  if (task.status === DECIDING_STATUS) {
    throw new DomainError('TASK.DECISION_PENDING', 'a decision on this task waits for the engine; read the task', {
      taskId,
    });
  }
  return task;
}

async function assertNotRelative(m: EntityManager, caseId: string, staff: StaffIdentity): Promise<void> {
  const [row] = (await m.query(`SELECT facts -> 'relativeOfStaff' AS relatives FROM cases WHERE id = $1`, [
    caseId,
  ])) as { relatives: unknown }[];
  if (Array.isArray(row?.relatives) && row.relatives.map(String).includes(staff.subject)) {
    throw new DomainError('TASK.SEPARATION_OF_DUTIES', 'you are declared a relative of the applicant', {
      checks: [{ rule: 'not-a-relative', passed: false, detail: 'declared relative of the applicant' }],
    });
  }
}

/**
 * Claiming a task starts its step (e.g. the home visit of a 低保 investigation, which must start within 3 working
 * days): where the machine's current state takes STEP_STARTED for this step, it is sent through the outbox like a
 * decision, so the start clock stops. A state that does not take it (any other step, or a step already started)
 * gets nothing, so claiming again changes nothing.
 */
async function startStep(
  m: EntityManager,
  task: LockedTask,
  actor: string,
  by: ActingOffice,
  now: Date,
): Promise<void> {
  const [kase] = (await m.query(
    // Locked already by lockTask (case before task); read here for the machine and the chain head.
    `SELECT machine_id, machine_version, snapshot, last_event_seq, last_event_hash FROM cases WHERE id = $1`,
    [task.case_id],
  )) as (CaseMachineRow & { last_event_seq: number; last_event_hash: string | null })[];
  const event = { type: 'STEP_STARTED', step: task.step, actor } as const;
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
