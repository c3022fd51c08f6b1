import { DomainError } from '../errors/domain-error.js';

/** An office's measured throughput: `decided` tasks over `workingDays` working days. Kept as a ratio, not a float. */
export interface DecisionRate {
  readonly decided: number;
  readonly workingDays: number;
}

export interface BacklogForecast {
  /** Open tasks in the backlog (with or without a due date). */
  readonly open: number;
  /** Open tasks whose due date is the forecast date or earlier: late by the end of that day whatever happens. */
  readonly overdue: number;
  /** Open tasks without a due date: decided last, never counted as breaches. */
  readonly undated: number;
  /** Decisions per working day (for display; the computation uses the exact ratio). */
  readonly ratePerDay: number;
  /** Working days the office needs to clear the whole backlog at its rate; null when it decides nothing. */
  readonly clearanceDays: number | null;
  /** For each horizon h: tasks due within working days 1..h that the office will not reach by their due day. */
  readonly breaches: Readonly<Record<number, number>>;
}

export const DEFAULT_FORECAST_HORIZONS = [1, 3, 10] as const;

function assertCount(value: number, field: string, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new DomainError('FORECAST.INVALID', `${field} must be an integer ≥ ${min}`, { field });
  }
}

/**
 * The working day (1 = the first working day after the forecast date) on which the office decides the task at
 * 0-based queue position `position`, deciding `decided / workingDays` tasks per working day: ⌈(i+1)·W / decided⌉,
 * in integer arithmetic so a rate such as 7/3 is exact. `null` when the office decides nothing.
 */
export function decisionDay(position: number, rate: DecisionRate): number | null {
  if (rate.decided === 0) return null;
  return Math.ceil(((position + 1) * rate.workingDays) / rate.decided);
}

/**
 * Expected breaches of one office's backlog, first-in-first-out by due date:
 *
 * 1. `dueDays[k]` is task k's due date as a working-day index after the forecast date: 1 = due by the end of the
 *    next working day, ≤ 0 = due on the forecast date or before (overdue), `null` = no due date.
 * 2. The office works its open tasks in due-date order (overdue first, undated last) at its measured rate
 *    r = decided / workingDays per working day; the task at position i (0-based) is decided on working day
 *    d(i) = ⌈(i+1) / r⌉ (never when r = 0).
 * 3. A task breaches when d(i) > its due day. The expected breaches within horizon h are the tasks with
 *    1 ≤ due day ≤ h that breach: each of them becomes late within the next h working days. Overdue tasks are
 *    reported apart (they are already late) but still take their place at the head of the queue.
 *
 * Ties in due day keep the caller's order (give tasks oldest first). The model is deliberately simple: no
 * priorities, no variation of the rate, one queue per office.
 */
export function forecastBreaches(
  dueDays: readonly (number | null)[],
  rate: DecisionRate,
  horizons: readonly number[] = DEFAULT_FORECAST_HORIZONS,
): BacklogForecast {
  assertCount(rate.decided, 'rate.decided', 0);
  assertCount(rate.workingDays, 'rate.workingDays', 1);
  for (const h of horizons) assertCount(h, 'horizon', 1);
  for (const d of dueDays) if (d !== null) assertCount(d, 'dueDay', Number.MIN_SAFE_INTEGER);

  const dated = dueDays.filter((d): d is number => d !== null);
  // Stable sort: equal due days keep the order they came in.
  const queue = dated.map((due, k) => ({ due, k })).sort((a, b) => a.due - b.due || a.k - b.k);
  const breaches: Record<number, number> = Object.fromEntries(horizons.map((h) => [h, 0]));
  queue.forEach(({ due }, position) => {
    if (due <= 0) return;
    const day = decisionDay(position, rate);
    if (day !== null && day <= due) return;
    for (const h of horizons) if (due <= h) breaches[h] = (breaches[h] ?? 0) + 1;
  });
  const open = dueDays.length;
  return {
    open,
    overdue: dated.filter((d) => d <= 0).length,
    undated: open - dated.length,
    ratePerDay: rate.decided / rate.workingDays,
    clearanceDays: open === 0 ? 0 : decisionDay(open - 1, rate),
    breaches,
  };
}
