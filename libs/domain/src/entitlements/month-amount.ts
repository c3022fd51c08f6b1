import { type StandardParameter } from '../catalog/parameters.js';
import { type ParameterUse, useParameter } from '../amounts/parameter-use.js';
import { type YearMonth, firstDayOf } from './months.js';
import { isMinimumLivingBasis, minimumLivingAmountUnder } from './rerating.js';
import { instalmentIn, instalmentsOf } from './instalments.js';

/** The amount of one month's payment, with the parameter value it was computed from when a standard moves it. */
export interface MonthAmount {
  readonly amountFen: number;
  /** The 低保 standard used, when the amount follows it; null for an amount fixed by the decision. */
  readonly parameter: ParameterUse | null;
}

/**
 * The amount paid for `month`. A 低保 entitlement follows the standard in force on the first day of the month
 * (a new standard takes effect from the month it starts in; docs/money.md "A new standard"); every other kind is
 * paid the monthly amount its decision (or its latest adjustment) fixed, except an instalment schedule (临时救助),
 * which pays each month its own instalment and nothing in a month without one. Pure: the caller passes the parameters.
 */
export function amountForMonth(
  entitlement: { readonly kind: string; readonly monthlyAmountFen: number; readonly basis: unknown },
  month: YearMonth,
  parameters: readonly StandardParameter[],
): MonthAmount {
  if (instalmentsOf(entitlement.basis) !== null) {
    return { amountFen: instalmentIn(entitlement.basis, month)?.amountFen ?? 0, parameter: null };
  }
  const basis = (entitlement.basis as Record<string, unknown> | null)?.['minimumLiving'];
  if (entitlement.kind !== 'minimum-living-allowance' || !isMinimumLivingBasis(basis)) {
    return { amountFen: entitlement.monthlyAmountFen, parameter: null };
  }
  const standard = useParameter(parameters, basis.standardKey, firstDayOf(month), '低保 payment');
  if (standard.value === basis.standardFen) return { amountFen: entitlement.monthlyAmountFen, parameter: null };
  return { amountFen: minimumLivingAmountUnder(basis, standard.value), parameter: standard };
}
