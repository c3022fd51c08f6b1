import { type ClockFacts } from '@minsheng/domain';

/** The columns of `case_clocks` the timers and the calendar recomputation read, in plain SQL. */
export const CLOCK_COLUMNS = `id, case_id, clock, kind, limit_amount, unit, source, evidence, basis, region, started_at, due_at,
  calendar_missing, due_provisional, explanation, paused_at, pauses, extensions, stopped_at, remind_at, reminded_at,
  breached_at, escalated_at, ended_at, generation`;

export interface ClockRow {
  id: string;
  case_id: string;
  clock: string;
  kind: 'deadline' | 'period';
  limit_amount: number;
  unit: string;
  source: string;
  /** The limit's evidence tag (V, S, R, G; `unknown` on older clocks). */
  evidence: string;
  /** `statutory` escalates a breach; a `target` only reminds and shows as late (docs/clocks.md). */
  basis: 'statutory' | 'target';
  region: string;
  started_at: Date;
  /** NULL while `calendar_missing` names the unpublished calendar the count needs. */
  due_at: Date | null;
  calendar_missing: string | null;
  /** The due date rests on a provisional calendar (see `CaseClockRecord.dueProvisional`). */
  due_provisional: boolean;
  explanation: Record<string, unknown>;
  paused_at: Date | null;
  pauses: unknown[];
  extensions: unknown[];
  stopped_at: Date | null;
  remind_at: Date | null;
  reminded_at: Date | null;
  breached_at: Date | null;
  escalated_at: Date | null;
  ended_at: Date | null;
  generation: number;
}

/**
 * Whether the clock's limit rolls a period ending on a rest day forward: our explanation says so outright, the
 * domain's count names the rule (民事诉讼法 art. 85) when it applied it.
 */
function rollsForward(explanation: Record<string, unknown>): boolean {
  if (typeof explanation['rollForward'] === 'boolean') return explanation['rollForward'];
  const rules = explanation['rules'];
  return Array.isArray(rules) && rules.some((rule) => typeof rule === 'string' && rule.includes('next working day'));
}

/** What `scheduleClock` needs from a row. `rollForward` travels in the stored explanation (the limit's flag). */
export function clockFacts(row: ClockRow): ClockFacts {
  return {
    startedAt: row.started_at,
    limitAmount: row.limit_amount,
    unit: row.unit,
    region: row.region,
    source: row.source,
    rollForward: rollsForward(row.explanation),
    pausedAt: row.paused_at,
    pauses: Array.isArray(row.pauses) ? row.pauses : [],
    extensions: Array.isArray(row.extensions) ? row.extensions : [],
  };
}
