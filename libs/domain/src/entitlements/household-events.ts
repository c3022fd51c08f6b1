import { type IsoDate } from '../calendar/calendar-date.js';
import { type EntitlementChange } from './entitlement-changes.js';
import { addMonths, monthOf, type YearMonth } from './months.js';

/**
 * Events reported about a household by another office's register (docs/money.md "Changes triggered by events"),
 * and what each does to the household's entitlements: the change, its reason code and the month it takes effect
 * from. A death ends the benefit, a move out of the district ends it (the new district's office takes over); an
 * income reported above the standard suspends it until a review has checked it, since a reported income is not a
 * verified one (社会救助暂行办法 art. 13: the office adjusts or stops after checking) [G].
 */
export const HOUSEHOLD_EVENT_RULES = {
  'death-registration': { change: 'ending', reason: 'deceased' },
  'moved-out-of-district': { change: 'ending', reason: 'moved-out-of-district' },
  'income-above-standard': { change: 'suspension', reason: 'income-above-standard' },
} as const satisfies Record<string, { change: EntitlementChange; reason: string }>;

export type HouseholdEventKind = keyof typeof HOUSEHOLD_EVENT_RULES;
/** The changes a household event makes: an ending or a suspension, never a resumption. */
export type HouseholdEventChange = (typeof HOUSEHOLD_EVENT_RULES)[HouseholdEventKind]['change'];
export const HOUSEHOLD_EVENT_KINDS = Object.keys(HOUSEHOLD_EVENT_RULES) as [
  HouseholdEventKind,
  ...HouseholdEventKind[],
];

/**
 * The first month a change takes effect from: the month after the one the event happened in (the month of a
 * death or a move is still paid, 次月停发) [G]. The same rule ends an entitlement whose payment the bank returned
 * because the beneficiary died: effective the month after the returned line's month.
 */
export function effectiveMonthAfter(month: YearMonth): YearMonth {
  return addMonths(month, 1);
}

export function householdEventChange(
  kind: HouseholdEventKind,
  occurredOn: IsoDate,
): { change: HouseholdEventChange; reason: string; effectiveMonth: YearMonth } {
  const rule = HOUSEHOLD_EVENT_RULES[kind];
  return { change: rule.change, reason: rule.reason, effectiveMonth: effectiveMonthAfter(monthOf(occurredOn)) };
}

/**
 * The months a suspension covered, owed as arrears when a resumption says so (docs/money.md "Arrears on
 * resumption"): from the suspension's effective month to the month before the resumption's, within the months the
 * entitlement pays at all (its start and end months). Empty when the resumption takes effect at or before the
 * suspension did.
 */
export function suspendedMonths(
  suspendedFrom: YearMonth,
  resumedFrom: YearMonth,
  entitlement: { readonly startMonth: YearMonth; readonly endMonth: YearMonth | null },
): YearMonth[] {
  const months: YearMonth[] = [];
  const first = suspendedFrom < entitlement.startMonth ? entitlement.startMonth : suspendedFrom;
  for (let month = first; month < resumedFrom; month = addMonths(month, 1)) {
    if (entitlement.endMonth !== null && month > entitlement.endMonth) break;
    months.push(month);
  }
  return months;
}
