import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { DomainError, type Clock } from '@minsheng/domain';
import {
  caseNoteRefsIn,
  type DecisionRequest,
  InjectClock,
  PiiCipher,
  readCaseNotes,
  recordAudit,
  withCaseNotesRead,
} from '@minsheng/infra';
import { type CaseEvent, type FindingField, requiredFindingsOf } from '@minsheng/workflows';
import { PII_PURPOSE } from '../applications/submit-application.js';
import { type CaseMachineRow, machineAccepts } from '../cases/machine-accepts.js';
import type { StaffIdentity } from '../auth/staff-identity.js';
import type { taskSchema } from '../docs/api-schemas.js';
import { type InboxCursor, inboxCursor, type InboxQuery } from './task.requests.js';
import { openTasksInScope, staffActor, taskScope } from './task-scope.js';

/** A task as the inbox shows it: the `Task` schema of the API contract (docs/api.md). */
export type TaskView = z.output<typeof taskSchema>;

const TASK_COLUMNS = `t.id, t.case_id, c.tracking_number, t.item_code, t.step, t.kind, t.level, t.department_code,
  t.division_code, t.status, t.outcomes, t.reject_reasons, t.due_at, t.claimed_by, t.opened_at, t.closed_at,
  t.decided_by, t.decision, t.details, t.decision_request`;

/**
 * The inbox's sort key, written exactly as IDX_tasks_inbox_keyset indexes it (the planner matches the expression
 * text): a task without a due time sorts last.
 */
const INBOX_DUE = (alias: string) => `coalesce(${alias}.due_at, 'infinity'::timestamptz)`;

interface TaskRow {
  id: string;
  case_id: string;
  tracking_number: string;
  item_code: string;
  step: string;
  kind: string;
  level: string;
  department_code: string;
  division_code: string;
  status: string;
  outcomes: string[];
  reject_reasons: string[];
  due_at: Date | null;
  claimed_by: string | null;
  opened_at: Date;
  closed_at: Date | null;
  decided_by: string | null;
  decision: Record<string, unknown> | null;
  details: Record<string, unknown>;
  decision_request: DecisionRequest | null;
}

/** The reviewer inbox and the task detail, scoped in SQL to the caller's department, level and divisions. */
@Injectable()
export class TaskReads {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
    @InjectClock() private readonly clock: Clock,
  ) {}

  /**
   * Open tasks, by due time (no due time last), then id; keyset pagination on that order. Every filter on the due
   * time is a range of the inbox index's key (`INBOX_DUE`), so a page reads `limit` entries per division.
   */
  async inbox(staff: StaffIdentity, query: InboxQuery): Promise<{ items: TaskView[]; nextCursor: string | null }> {
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const due = INBOX_DUE('t');
    const conditions: string[] = [];
    if (query.itemCode) conditions.push(`t.item_code = ${p(query.itemCode)}`);
    if (query.step) conditions.push(`t.step = ${p(query.step)}`);
    if (query.dueBefore) conditions.push(`${due} < ${p(query.dueBefore)}::timestamptz`);
    if (query.overdue === 'true') conditions.push(`${due} <= ${p(this.clock.now())}::timestamptz`);
    if (query.overdue === 'false') conditions.push(`${due} > ${p(this.clock.now())}::timestamptz`);
    if (query.claimedByMe === 'true') conditions.push(`t.claimed_by = ${p(staffActor(staff))}`);
    if (query.kind) conditions.push(`t.kind = ${p(query.kind)}`);
    if (query.claimed === 'true') conditions.push(`t.claimed_by IS NOT NULL`);
    if (query.claimed === 'false') conditions.push(`t.claimed_by IS NULL`);
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      conditions.push(`(${due}, t.id) > (${p(cursor.dueAt ?? 'infinity')}::timestamptz, ${p(cursor.id)}::uuid)`);
    }
    const limit = p(query.limit + 1);
    const order = `${due}, t.id`;
    const rows = (await this.dataSource.query(
      `SELECT ${TASK_COLUMNS}
       FROM ${openTasksInScope('t', staff, params, { conditions, orderBy: order, limit })}
       JOIN cases c ON c.id = t.case_id
       ORDER BY ${order} LIMIT ${limit}`,
      params,
    )) as TaskRow[];
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => taskView(row, this.clock.now())),
      nextCursor:
        rows.length > query.limit && last !== undefined
          ? encodeCursor({ dueAt: last.due_at?.toISOString() ?? null, id: last.id })
          : null,
    };
  }

  /**
   * A task with its case and the applicant's personal data in clear: only the case's own reviewers reach this
   * (scope in SQL), and every read is written to the audit log (docs/architecture.md invariant 9).
   */
  async detail(staff: StaffIdentity, taskId: string, requestId: string): Promise<Record<string, unknown>> {
    const params: unknown[] = [taskId];
    const rows = (await this.dataSource.query(
      `SELECT ${TASK_COLUMNS}, c.status AS case_status, c.current_steps, c.facts, c.entitlement, c.submitted_at,
              c.accepting_division, c.approving_division, c.department_code AS case_department,
              c.application_encrypted, a.id_number_encrypted, a.name_encrypted, c.machine_id, c.machine_version,
              c.snapshot
       FROM tasks t JOIN cases c ON c.id = t.case_id JOIN applicants a ON a.id = c.applicant_id
       WHERE t.id = $1 AND ${taskScope('t', staff, params)}`,
      params,
    )) as (TaskRow & Record<string, unknown>)[];
    const row = rows[0];
    if (row === undefined) throw taskNotFound(taskId);
    await recordAudit(this.dataSource, {
      actor: staffActor(staff),
      actorRole: 'reviewer',
      action: 'case.personal-data.read',
      target: `case:${row.case_id}`,
      details: { taskId },
      requestId,
    });
    // The reviewer's comment and findings are kept in the case's notes: read back for staff in scope.
    const notes = await readCaseNotes(this.dataSource, this.cipher, caseNoteRefsIn([row.decision, row.details]));
    return {
      task: {
        ...taskView(row, this.clock.now()),
        decidedBy: row.decided_by,
        decision: withCaseNotesRead(row.decision, notes),
        details: withCaseNotesRead(row.details, notes),
        decisionRequest: requestView(row.decision_request),
        requiredFindings: row.closed_at === null ? requiredFindings(row, row as unknown as CaseMachineRow) : [],
      },
      case: {
        id: row.case_id,
        trackingNumber: row.tracking_number,
        itemCode: row.item_code,
        status: row['case_status'],
        currentSteps: row['current_steps'],
        departmentCode: row['case_department'],
        acceptingDivision: row['accepting_division'],
        approvingDivision: row['approving_division'],
        submittedAt: (row['submitted_at'] as Date).toISOString(),
        facts: row['facts'],
        entitlement: row['entitlement'],
      },
      applicant: {
        name: this.reveal(row['name_encrypted'], PII_PURPOSE.name),
        idNumber: this.reveal(row['id_number_encrypted'], PII_PURPOSE.idNumber),
        application: parseJson(this.reveal(row['application_encrypted'], PII_PURPOSE.application)),
      },
    };
  }

  /** A value that does not decrypt (e.g. seeded test data) is shown as unreadable, never guessed. */
  private reveal(stored: unknown, purpose: string): string | null {
    try {
      return this.cipher.decrypt(String(stored), purpose);
    } catch {
      return null;
    }
  }
}

export function taskNotFound(taskId: string): DomainError {
  return new DomainError('TASK.NOT_FOUND', `no task ${taskId} in your inbox`, { taskId });
}

/** The last decision request and the engine's answer, without the stored decision body (shown once decided). */
function requestView(request: DecisionRequest | null) {
  if (request === null) return null;
  return {
    id: request.id,
    state: request.state,
    outcome: request.outcome,
    requestedBy: request.requestedBy,
    requestedAt: request.requestedAt,
    answeredAt: request.answeredAt ?? null,
    refusal: request.refusal ?? null,
  };
}

/** `now` is the business clock's: a task is overdue from the exclusive end of its due day. */
function taskView(row: TaskRow, now: Date): TaskView {
  return {
    id: row.id,
    caseId: row.case_id,
    trackingNumber: row.tracking_number,
    itemCode: row.item_code,
    step: row.step,
    kind: row.kind,
    level: row.level,
    departmentCode: row.department_code,
    divisionCode: row.division_code,
    status: row.status,
    outcomes: row.outcomes,
    rejectReasons: row.reject_reasons,
    dueAt: row.due_at?.toISOString() ?? null,
    overdue: row.due_at !== null && row.due_at.getTime() <= now.getTime(),
    claimedBy: row.claimed_by,
    openedAt: row.opened_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}

/**
 * The findings an approval of this task must carry, asked of the case's machine: when it refuses an approval
 * without findings and takes one with well-formed means findings, care findings (特困) or both, the form needs
 * those fields (docs/console.md).
 */
function requiredFindings(task: TaskRow, machine: CaseMachineRow): FindingField[] {
  if (!task.outcomes.includes('approve')) return [];
  const approval: CaseEvent = { type: 'DECIDED', step: task.step, outcome: 'approve', actor: 'probe', taskId: task.id };
  return requiredFindingsOf((findings) =>
    machineAccepts(machine, findings === undefined ? approval : { ...approval, findings }),
  );
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function encodeCursor(cursor: InboxCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): InboxCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    /* not JSON: refused below */
  }
  const cursor = inboxCursor.safeParse(value);
  if (cursor.success) return cursor.data;
  throw new DomainError('VALIDATION.FAILED', 'the cursor is not one this API gave', {
    errors: [{ field: 'cursor', code: 'INVALID_CURSOR', message: 'not a cursor of this list' }],
  });
}
