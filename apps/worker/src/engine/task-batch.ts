import { randomUUID } from 'node:crypto';
import { URUMQI_CITY_CODE, type Level } from '@minsheng/domain';
import type { Queryable } from '@minsheng/infra';
import type { OpenTaskParams } from '@minsheng/workflows';
import type { LockedCase } from './case-step.js';
import { acceptCte, type AcceptedDecision } from './decision-answers.js';
import type { StepReads } from './step-reads.js';
import { updatedRows } from './statement-rows.js';

/**
 * The office that acts at a level: the street office (and its communities) that accepted the application, the
 * district bureau that approves, or the city bureau.
 */
export function divisionFor(row: Pick<LockedCase, 'accepting_division' | 'approving_division'>, level: Level): string {
  switch (level) {
    case 'community':
    case 'street':
      return row.accepting_division;
    case 'district':
      return row.approving_division;
    case 'city':
      return URUMQI_CITY_CODE;
  }
}

interface OpenTask {
  readonly id: string;
  readonly kind: string;
  /** The clock an escalation task (督办) chases, else null. */
  readonly clock: string | null;
}

interface ClockState {
  readonly dueAt: Date | null;
  readonly running: boolean;
}

interface NewTask {
  readonly id: string;
  readonly params: OpenTaskParams;
  readonly department: string;
  readonly division: string;
  readonly dueAt: Date | null;
}

/** The task writes of a step not sent yet: at most one write per task row (bench/profiles/engine.md). */
interface PendingWrites {
  accept: AcceptedDecision | null;
  closes: { readonly id: string; readonly step: string }[];
  opens: NewTask[];
}

/**
 * The task writes of one step, decided in Node from the case's tasks and clocks read with the lock
 * ({@link StepReads}; nobody else writes them while the case is locked, docs/operations.md "Lock order") and sent in
 * the step's own statement (`commitStep`, through {@link taskWriteCtes}): the decision request accepted, the closes
 * (by task id) and the opens (ids made here, due times from the clocks as they are at that point of the step).
 *
 * The events are hashed before the statement goes, so what each intent does is known here: a close of a step
 * without an open task (a reviewer's decision closed it already) writes nothing; one open task per step (a partial
 * unique index), so a step entered again while its task is open keeps the task. The data-modifying CTEs of one
 * statement do not see each other's writes, so a second write to a step the pending writes hold (close then reopen,
 * open then close, the accepted task's step opened again) sends the pending ones first, in a statement of their own.
 * The statement's counts are checked against what was decided here: any difference is a bug, and the step fails.
 */
export class TaskBatch {
  private readonly open = new Map<string, OpenTask>();
  private readonly clocks = new Map<string, ClockState>();
  private pending: PendingWrites = { accept: null, closes: [], opens: [] };

  constructor(
    private readonly row: LockedCase,
    reads: StepReads,
    private readonly now: Date,
  ) {
    for (const task of reads.openTasks) this.open.set(task.step, { id: task.id, kind: task.kind, clock: task.clock });
    for (const clock of reads.clocks) this.clocks.set(clock.clock, { dueAt: clock.dueAt, running: clock.running });
  }

  /** The reviewer's decision request accepted: its task is decided, so the step's closeTask finds it closed. */
  accept(decision: AcceptedDecision): void {
    this.pending.accept = decision;
    const open = this.open.get(decision.step);
    if (open?.id === decision.taskId) this.open.delete(decision.step);
  }

  /** The TASK_OPENED payload, or null when the step's task is open already. */
  async openTask(q: Queryable, params: OpenTaskParams): Promise<Record<string, unknown> | null> {
    if (this.open.has(params.step)) return null;
    if (this.holds(params.step)) await this.flush(q);
    const task: NewTask = {
      id: randomUUID(),
      params,
      department: params.department ?? this.row.department_code,
      division: divisionFor(this.row, params.level),
      dueAt: this.dueAt(params.step),
    };
    this.pending.opens.push(task);
    this.open.set(params.step, { id: task.id, kind: params.kind, clock: null });
    return {
      taskId: task.id,
      step: params.step,
      kind: params.kind,
      level: params.level,
      department: task.department,
      division: task.division,
      dueAt: task.dueAt === null ? null : task.dueAt.toISOString(),
    };
  }

  /** Closes the step's open task; false when it has none (a task a reviewer decided was closed by the decision). */
  async closeTask(q: Queryable, step: string): Promise<boolean> {
    const open = this.open.get(step);
    if (open === undefined) return false;
    if (this.holds(step)) await this.flush(q);
    this.pending.closes.push({ id: open.id, step });
    this.open.delete(step);
    return true;
  }

  /** A clock intent ran: tasks opened later read its new state; `dueAt` undefined keeps the due time. */
  clockChanged(clock: string, running: boolean, dueAt?: Date | null): void {
    const before = this.clocks.get(clock);
    this.clocks.set(clock, { running, dueAt: dueAt === undefined ? (before?.dueAt ?? null) : dueAt });
  }

  /** The clock's escalation tasks (督办) were closed by its own statement (`clock-intents.ts`). */
  escalationsClosed(clock: string): void {
    for (const [step, task] of this.open)
      if (task.kind === 'escalation' && task.clock === clock) this.open.delete(step);
  }

  /** The pending writes as parameters of {@link taskWriteCtes}, and none pending any more. */
  take(): TaskWrites {
    const { accept, closes, opens } = this.pending;
    this.pending = { accept: null, closes: [], opens: [] };
    return {
      accepted: accept === null ? 0 : 1,
      closed: closes.length,
      opened: opens.length,
      columns: [
        accept?.taskId ?? null,
        accept?.commandId ?? null,
        this.now.toISOString(),
        closes.map((c) => c.id),
        this.row.item_code,
        JSON.stringify(
          opens.map((o) => ({
            id: o.id,
            step: o.params.step,
            kind: o.params.kind,
            level: o.params.level,
            department: o.department,
            division: o.division,
            outcomes: o.params.outcomes,
            reject_reasons: o.params.rejectReasons,
            details: {
              ...(o.params.payment === undefined ? {} : { payment: o.params.payment }),
              ...(o.params.proposal === undefined ? {} : { proposal: o.params.proposal }),
              ...(o.params.parts === undefined ? {} : { parts: o.params.parts }),
            },
            due_at: o.dueAt === null ? null : o.dueAt.toISOString(),
          })),
        ),
      ],
    };
  }

  /**
   * Sends the pending writes in a statement of their own: before a step is written twice, and for callers without
   * a step statement (tests of the intents alone).
   */
  async flush(q: Queryable): Promise<void> {
    const writes = this.take();
    const rows = (await q.query(TASK_WRITES_ALONE, [this.row.id, this.now, ...writes.columns])) as unknown;
    checkTaskWrites(this.row.id, writes, updatedRows<TaskWriteCounts>(rows)[0]);
  }

  private holds(step: string): boolean {
    const { accept, closes, opens } = this.pending;
    return accept?.step === step || closes.some((c) => c.step === step) || opens.some((o) => o.params.step === step);
  }

  /** The task's due time: its step's own clock when it runs, else the case's overall clock when that runs. */
  private dueAt(step: string): Date | null {
    const own = this.clocks.get(step);
    if (own?.running === true) return own.dueAt;
    const overall = this.clocks.get('overall');
    return overall?.running === true ? overall.dueAt : null;
  }
}

/** A step's task writes: how many rows each CTE must write, and the parameters of {@link taskWriteCtes}. */
export interface TaskWrites {
  readonly accepted: number;
  readonly closed: number;
  readonly opened: number;
  readonly columns: readonly unknown[];
}

/** The counts the statement's final SELECT returns ({@link TASK_WRITE_COUNTS}). */
export interface TaskWriteCounts {
  readonly tasks_accepted: number;
  readonly tasks_closed: number;
  readonly tasks_opened: number;
}

/** What was written differs from what the step's events say: nothing of the step may stay. */
export function checkTaskWrites(caseId: string, writes: TaskWrites, counts: TaskWriteCounts | undefined): void {
  if (
    counts === undefined ||
    counts.tasks_accepted !== writes.accepted ||
    counts.tasks_closed !== writes.closed ||
    counts.tasks_opened !== writes.opened
  ) {
    throw new Error(
      `the task writes of case ${caseId} differ from what its step read: ${JSON.stringify(counts)} written, ` +
        `${JSON.stringify({ accepted: writes.accepted, closed: writes.closed, opened: writes.opened })} expected`,
    );
  }
}

/**
 * A step's task writes as data-modifying CTEs of one statement, each joined to `cases`, the CTE of the case row the
 * statement wrote (the version-checked UPDATE's RETURNING: a stale write writes no task either). Parameters from
 * `first`: the accepted task's id and the command id (nulls without a decision), the step's time as ISO text (the
 * decision's `decidedAt`), the closed task ids, the item code,
 * the new tasks (JSON); `now` is the step's time. The decision's answer is the engine's alone
 * (`decision-answers.ts`): it matches only a task whose request is this command's and still `requested`.
 */
export function taskWriteCtes(cases: string, first: number, now: number): string {
  const p = (i: number) => `$${first + i}`;
  return `${acceptCte('task_accepted', cases, first, now)},
  task_closed AS (
    UPDATE tasks SET closed_at = $${now}::timestamptz, status = 'closed', version = tasks.version + 1
    FROM ${cases} tc
    WHERE tasks.id = ANY(${p(3)}::uuid[]) AND tasks.case_id = tc.id AND tasks.closed_at IS NULL
    RETURNING tasks.id),
  task_opened AS (
    INSERT INTO tasks (id, case_id, step, kind, level, department_code, division_code, item_code, outcomes,
                       reject_reasons, details, opened_at, due_at)
    SELECT t.id, tc.id, t.step, t.kind, t.level, t.department, t.division, ${p(4)}::text, t.outcomes,
           t.reject_reasons, t.details, $${now}::timestamptz, t.due_at
    FROM ${cases} tc,
         jsonb_to_recordset(${p(5)}::jsonb) AS t(id uuid, step text, kind text, level text, department text,
                                                 division text, outcomes text[], reject_reasons text[], details jsonb,
                                                 due_at timestamptz)
    RETURNING id)`;
}

/** The counts of {@link taskWriteCtes}, for the statement's final SELECT. */
export const TASK_WRITE_COUNTS = `(SELECT count(*)::int FROM task_accepted) AS tasks_accepted,
         (SELECT count(*)::int FROM task_closed) AS tasks_closed,
         (SELECT count(*)::int FROM task_opened) AS tasks_opened`;

const TASK_WRITES_ALONE = `
  WITH step_case AS (SELECT id FROM cases WHERE id = $1),
  ${taskWriteCtes('step_case', 3, 2)}
  SELECT ${TASK_WRITE_COUNTS}`;
