import { addMonths, isYearMonth, type YearMonth } from './months.js';

/**
 * 临时救助 paid in instalments (一次审批、分次救助; docs/money.md "临时救助: one payer, in instalments"): one
 * instalment a month, the first in the approval's month [G], each paid by the month's payment run as the line of
 * its month. The amounts are the approval's (the machine splits what the relief left to pay).
 */
export interface Instalment {
  /** 1-based, as the case's payment step counts them. */
  readonly instalment: number;
  readonly month: YearMonth;
  readonly amountFen: number;
}

/** The schedule: instalment i in the (i−1)th month after `firstMonth`. */
export function instalmentSchedule(firstMonth: YearMonth, amountsFen: readonly number[]): Instalment[] {
  return amountsFen.map((amountFen, index) => ({
    instalment: index + 1,
    month: addMonths(firstMonth, index),
    amountFen,
  }));
}

function isInstalment(value: unknown): value is Instalment {
  const v = value as Partial<Instalment> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    Number.isSafeInteger(v.instalment) &&
    isYearMonth(v.month) &&
    Number.isSafeInteger(v.amountFen)
  );
}

/** The schedule an entitlement's basis keeps (`basis.instalments`), or null when it has none. */
export function instalmentsOf(basis: unknown): Instalment[] | null {
  const list = (basis as Record<string, unknown> | null)?.['instalments'];
  return Array.isArray(list) && list.every(isInstalment) ? list : null;
}

/** The instalment of `month` in a schedule, or null when the month pays none. */
export function instalmentIn(basis: unknown, month: string): Instalment | null {
  return instalmentsOf(basis)?.find((i) => i.month === month) ?? null;
}
