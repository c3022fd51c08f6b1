import { URUMQI_CITY_CODE, type Level } from '@minsheng/domain';
import type { Queryable } from '@minsheng/infra';
import type { OpenTaskParams } from '@minsheng/workflows';
import type { LockedCase } from './case-step.js';
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

interface PendingOpen {
  readonly params: OpenTaskParams;
  readonly department: string;
  readonly division: string;
  /** The TASK_OPENED payload once the batch ran; null when the step's task was already open. */
  task: Record<string, unknown> | null;
}

interface PendingClose {
  readonly step: string;
  closed: boolean;
}

/**
 * The task writes of one step, sent as one statement (UPDATE of the closed steps and multi-row INSERT of the
 * opened ones). The batch runs before it would change a result: before a second write to a step it already holds
 * (close then reopen must stay in that order), and before a clock intent a pending task reads its due time from.
 *
 * One open task per step (a partial unique index): a step entered again while its task is open keeps the task.
 * Its due time is the step's own clock when it has one, else the case's overall clock, as the clocks are when the
 * batch runs (clock rows are written in intent order, before the tasks that read them).
 */
export class TaskBatch {
  private opens: PendingOpen[] = [];
  private closes: PendingClose[] = [];

  constructor(
    private readonly row: LockedCase,
    private readonly now: Date,
  ) {}

  async open(q: Queryable, params: OpenTaskParams): Promise<PendingOpen> {
    if (this.holds(params.step)) await this.flush(q);
    const pending: PendingOpen = {
      params,
      department: params.department ?? this.row.department_code,
      division: divisionFor(this.row, params.level),
      task: null,
    };
    this.opens.push(pending);
    return pending;
  }

  /** Closes the step's open task; a task a reviewer decided was closed by the decision already. */
  async close(q: Queryable, step: string): Promise<PendingClose> {
    if (this.holds(step)) await this.flush(q);
    const pending: PendingClose = { step, closed: false };
    this.closes.push(pending);
    return pending;
  }

  /** Whether a pending task would read the due time of `clock` (its own step's clock, or the overall one). */
  opensReadingClock(clock: string): boolean {
    return this.opens.some((o) => clock === 'overall' || o.params.step === clock);
  }

  async flush(q: Queryable): Promise<void> {
    const opens = this.opens;
    const closes = this.closes;
    if (opens.length === 0 && closes.length === 0) return;
    this.opens = [];
    this.closes = [];
    const rows = (await q.query(TASK_BATCH, [
      this.row.id,
      closes.map((c) => c.step),
      this.row.item_code,
      this.now,
      JSON.stringify(
        opens.map((o) => ({
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
        })),
      ),
    ])) as { op: 'closed' | 'opened'; step: string; id: string | null; due_at: Date | null }[];
    for (const result of updatedRows<(typeof rows)[number]>(rows)) {
      if (result.op === 'closed') {
        for (const c of closes) if (c.step === result.step) c.closed = true;
        continue;
      }
      const open = opens.find((o) => o.params.step === result.step);
      if (open === undefined) continue;
      open.task = {
        taskId: result.id,
        step: open.params.step,
        kind: open.params.kind,
        level: open.params.level,
        department: open.department,
        division: open.division,
        dueAt: result.due_at === null ? null : new Date(result.due_at).toISOString(),
      };
    }
  }

  private holds(step: string): boolean {
    return this.opens.some((o) => o.params.step === step) || this.closes.some((c) => c.step === step);
  }
}

const TASK_BATCH = `
  WITH closed AS (
    UPDATE tasks SET closed_at = $4, status = 'closed', version = version + 1
    WHERE case_id = $1 AND step = ANY($2::text[]) AND closed_at IS NULL
    RETURNING step),
  opened AS (
    INSERT INTO tasks (case_id, step, kind, level, department_code, division_code, item_code, outcomes, reject_reasons,
                       details, opened_at, due_at)
    SELECT $1, t.step, t.kind, t.level, t.department, t.division, $3, t.outcomes, t.reject_reasons, t.details, $4,
           (SELECT k.due_at FROM case_clocks k
             WHERE k.case_id = $1 AND k.clock IN (t.step, 'overall') AND k.stopped_at IS NULL AND k.paused_at IS NULL
             ORDER BY (k.clock = t.step) DESC LIMIT 1)
    FROM jsonb_to_recordset($5::jsonb) AS t(step text, kind text, level text, department text, division text,
                                            outcomes text[], reject_reasons text[], details jsonb)
    ON CONFLICT (case_id, step) WHERE closed_at IS NULL DO NOTHING
    RETURNING id, step, due_at)
  SELECT 'closed' AS op, step, NULL::uuid AS id, NULL::timestamptz AS due_at FROM closed
  UNION ALL
  SELECT 'opened', step, id, due_at FROM opened`;
