import { type IsoDate } from '../calendar/calendar-date.js';
import { type StandardParameter } from '../catalog/parameters.js';
import { type ParameterUse, useParameter } from '../amounts/parameter-use.js';
import { monthOf, type YearMonth } from './months.js';

/** The published parameter that names the payment run's day of the month (docs/money.md "Payment runs"). */
export const PAYMENT_RUN_DAY_KEY = 'payment-runs.day-of-month';

/** Whether the month's run is due on a day, and the published value that decided it. */
export interface PaymentRunDue {
  readonly due: boolean;
  readonly month: YearMonth;
  readonly day: ParameterUse;
}

/**
 * Whether the run of `today`'s month is due: the day of the month in force on `today` has come (docs/money.md
 * "Payment runs"). A published change applies from its start date: on and after it, the new day decides. A day
 * already past when its value starts (or a day the scheduler did not run on) makes the run due at once, so a month
 * is never skipped; opening a month twice opens nothing twice. Throws `PARAMETER.NOT_IN_FORCE` when no value is.
 */
export function paymentRunDue(parameters: readonly StandardParameter[], today: IsoDate): PaymentRunDue {
  const day = useParameter(parameters, PAYMENT_RUN_DAY_KEY, today, 'the payment run day');
  return { due: Number(today.slice(8, 10)) >= day.value, month: monthOf(today), day };
}
