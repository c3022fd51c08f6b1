import type { Queryable } from '@minsheng/infra';

/**
 * What a step reads of its case besides the case row: its open tasks, the decision requests its command carries,
 * its clocks and the findings note a decision refers to (bench/profiles/engine.md "The step in one write statement"). The statement goes in the lock's
 * round trip, right after the locking SELECT: a statement of its own, so its snapshot is taken once the case is
 * locked and sees what the previous holder of the lock committed (subqueries of the locking SELECT itself would read
 * the snapshot from before its wait). Nobody writes the case's tasks or clocks without the case lock
 * (docs/operations.md "Lock order"), so what is read here holds until the step's statement.
 */
export interface StepReads {
  readonly openTasks: readonly { id: string; step: string; kind: string; clock: string | null }[];
  /** Tasks whose decision request is the command's and still `requested` (one, or none). */
  readonly requested: readonly { id: string; step: string; outcome: string }[];
  readonly clocks: readonly { clock: string; dueAt: Date | null; running: boolean }[];
  /** The findings note a DECIDED command refers to (`case_notes.body_encrypted`), null without one. */
  readonly findingsNote: string | null;
}

interface StepReadsRow {
  open_tasks: StepReads['openTasks'];
  requested: StepReads['requested'];
  clocks: { clock: string; due_ms: number | null; running: boolean }[];
  findings_note: string | null;
}

/**
 * The statement, with the case id, command id and findings note id (a uuid, or NULL) as given: parameters, or
 * literals the caller checked.
 */
export function stepReadsSql(caseId: string, commandId: string, findingsNoteId: string): string {
  return `
  SELECT
    (SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'step', t.step, 'kind', t.kind,
                                                  'clock', t.details ->> 'clock')), '[]')
       FROM tasks t WHERE t.case_id = ${caseId} AND t.closed_at IS NULL) AS open_tasks,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'step', t.step,
                                                  'outcome', t.decision_request ->> 'outcome')), '[]')
       FROM tasks t WHERE t.case_id = ${caseId} AND t.decision_request ->> 'id' = ${commandId}::text
        AND t.decision_request ->> 'state' = 'requested') AS requested,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('clock', k.clock,
                                                  'due_ms', (extract(epoch FROM k.due_at) * 1000)::float8,
                                                  'running', k.stopped_at IS NULL AND k.paused_at IS NULL)), '[]')
       FROM case_clocks k WHERE k.case_id = ${caseId}) AS clocks,
    (SELECT n.body_encrypted FROM case_notes n WHERE n.id = ${findingsNoteId}) AS findings_note`;
}

export function stepReadsOf(row: StepReadsRow): StepReads {
  return {
    openTasks: row.open_tasks,
    requested: row.requested,
    clocks: row.clocks.map((k) => ({
      clock: k.clock,
      dueAt: k.due_ms === null ? null : new Date(k.due_ms),
      running: k.running,
    })),
    findingsNote: row.findings_note,
  };
}

export type { StepReadsRow };

/** The reads as a statement of their own (a caller's ids that are not UUIDs, tests): parameters, no literals. */
export async function readStep(
  q: Queryable,
  caseId: string,
  commandId: string,
  findingsNoteId: string | null = null,
): Promise<StepReads> {
  const [row] = (await q.query(STEP_READS, [caseId, commandId, findingsNoteId])) as StepReadsRow[];
  return stepReadsOf(row!);
}
const STEP_READS = stepReadsSql('$1::uuid', '$2', '$3::uuid');
