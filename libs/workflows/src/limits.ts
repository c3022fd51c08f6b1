import type { Evidence } from '@minsheng/domain';

/**
 * How a statutory limit is counted. `working-days` follow the official (Xinjiang) calendar with its make-up
 * working days (行政许可法 art. 82); `calendar-days` count every day; `months` are calendar months.
 */
export const LIMIT_UNITS = ['working-days', 'calendar-days', 'months'] as const;
export type LimitUnit = (typeof LIMIT_UNITS)[number];

/** Where a limit comes from and how well that is backed (docs/domain.md §0.1 evidence tags). */
export interface LegalBasis {
  /** The rule as docs/domain.md cites it, e.g. `民发〔2021〕57号` or `L10 art. 20 (社会保险经办条例)`. */
  readonly citation: string;
  readonly evidence: Evidence;
}

/**
 * A time limit for a step or a whole case. The worker turns it into a due date with the official calendar; the
 * machine never computes dates.
 */
export interface Limit {
  readonly amount: number;
  readonly unit: LimitUnit;
  readonly source: LegalBasis;
  /**
   * The period does not count its first day and, if it would end on a rest day, runs to the next working day
   * (民事诉讼法 art. 85, the rule for statutes that say "N日" without saying working days).
   */
  readonly rollForward?: boolean;
  /** Why the unit or the amount was read this way, when the source leaves room. */
  readonly note?: string;
}

export function workingDays(amount: number, citation: string, evidence: Evidence, note?: string): Limit {
  return note === undefined
    ? { amount, unit: 'working-days', source: { citation, evidence } }
    : { amount, unit: 'working-days', source: { citation, evidence }, note };
}

export function calendarDays(
  amount: number,
  citation: string,
  evidence: Evidence,
  options: { rollForward?: boolean; note?: string } = {},
): Limit {
  return { amount, unit: 'calendar-days', source: { citation, evidence }, ...options };
}

/**
 * What a clock built on a limit may do when it runs out. `statutory`: a statute or regulation sets the limit
 * (evidence V or R), so running past it is a breach that escalates to the supervisor and is recorded with the
 * machine. `target`: the limit is a local source's practice or a working assumption (S, G), a service target that
 * reminds and shows on the SLA board but is not escalated as a breach of law (docs/clocks.md "Statutory limits and
 * service targets").
 */
export const CLOCK_BASES = ['statutory', 'target'] as const;
export type ClockBasis = (typeof CLOCK_BASES)[number];

export function clockBasisOf(limit: Limit): ClockBasis {
  return limit.source.evidence === 'V' || limit.source.evidence === 'R' ? 'statutory' : 'target';
}
