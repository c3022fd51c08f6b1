import { type IsoDate } from '../calendar/calendar-date.js';
import { addMonths, type YearMonth, monthOf } from './months.js';

/**
 * How an entitlement is paid (docs/money.md "Entitlements"): every month, once, or in instalments (临时救助 split by
 * its approval, 一次审批、分次救助: one instalment a month). The `entitlements.schedule` column takes these values.
 */
export const PAYMENT_SCHEDULES = ['monthly', 'one-off', 'instalments'] as const;
export type PaymentSchedule = (typeof PAYMENT_SCHEDULES)[number];

/**
 * Kinds of grant that become an entitlement record, and how each is paid when its grant names no instalments
 * (docs/money.md "Entitlements"); `scheduleOf` gives the schedule a record is written with.
 */
export const ENTITLEMENT_SCHEDULES = {
  'minimum-living-allowance': 'monthly',
  'extreme-poverty-support': 'monthly',
  'disability-living-subsidy': 'monthly',
  'disability-nursing-subsidy': 'monthly',
  'unemployment-benefit': 'monthly',
  'temporary-assistance': 'one-off',
} as const satisfies Record<string, PaymentSchedule>;

export type EntitlementKind = keyof typeof ENTITLEMENT_SCHEDULES;

/** The schedule of a record: `instalments` when its grant is paid in more than one instalment, else its kind's. */
export function scheduleOf(kind: EntitlementKind, instalments: number): PaymentSchedule {
  return ENTITLEMENT_SCHEDULES[kind] === 'one-off' && instalments > 1 ? 'instalments' : ENTITLEMENT_SCHEDULES[kind];
}

export const ENTITLEMENT_STATUSES = ['active', 'suspended', 'gradual-exit', 'ended'] as const;
export type EntitlementStatus = (typeof ENTITLEMENT_STATUSES)[number];

export function isEntitlementKind(kind: string): kind is EntitlementKind {
  return Object.hasOwn(ENTITLEMENT_SCHEDULES, kind);
}

/**
 * The first month paid: the month after the approval for a monthly benefit, the approval's own month for a one-off
 * payment (docs/money.md "Entitlements" [G]).
 */
export function startMonth(kind: EntitlementKind, approvedOn: IsoDate): YearMonth {
  const month = monthOf(approvedOn);
  return ENTITLEMENT_SCHEDULES[kind] === 'one-off' ? month : addMonths(month, 1);
}

/** The last month paid when the grant fixes one: a one-off payment's own month; unemployment benefit its months. */
export function endMonth(kind: EntitlementKind, start: YearMonth, months: number | null): YearMonth | null {
  if (ENTITLEMENT_SCHEDULES[kind] === 'one-off') return start;
  if (months !== null && Number.isSafeInteger(months) && months > 0) return addMonths(start, months - 1);
  return null;
}

/** What a payment run needs of an entitlement to decide whether a month is paid. */
export interface PayableEntitlement {
  readonly status: EntitlementStatus;
  readonly startMonth: YearMonth;
  readonly endMonth: YearMonth | null;
}

/**
 * A month is paid when the entitlement is active or in its gradual exit (渐退期: paid until its end month) and the
 * month lies between its start and end months. A suspended entitlement is not paid; resumption pays the months
 * it was suspended only when the decision says so (not yet modelled: docs/money.md).
 */
export function isPayable(entitlement: PayableEntitlement, month: YearMonth): boolean {
  if (entitlement.status !== 'active' && entitlement.status !== 'gradual-exit') return false;
  if (month < entitlement.startMonth) return false;
  return entitlement.endMonth === null || month <= entitlement.endMonth;
}
