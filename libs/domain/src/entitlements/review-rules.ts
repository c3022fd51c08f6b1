import { type IsoDate, isIsoDate } from '../calendar/calendar-date.js';
import { type ParameterUse, useParameter } from '../amounts/parameter-use.js';
import { type StandardParameter } from '../catalog/parameters.js';
import { ageOn } from '../household/age.js';
import { SEVERE_DISABILITY_GRADES } from '../household/disability.js';
import { type EntitlementKind } from './entitlement-rules.js';
import { addMonths, firstDayOf, type YearMonth } from './months.js';

/**
 * Periodic review (动态管理, docs/money.md "Periodic review"): which entitlements are reviewed, how often, how long
 * the household has to answer, and how long a gradual exit (渐退期) pays. Every figure is a published parameter
 * (docs/domain.md §7); this module only names the keys and reads them.
 */

/** The parameter prefix of each reviewed kind; kinds not listed (失业保险金, 临时救助) end by themselves. */
const REVIEWED_KINDS: Partial<Record<EntitlementKind, string>> = {
  'minimum-living-allowance': 'minimum-living',
  'extreme-poverty-support': 'extreme-poverty',
  'disability-living-subsidy': 'disability-subsidies',
  'disability-nursing-subsidy': 'disability-subsidies',
};

export function isReviewedKind(kind: string): kind is EntitlementKind {
  return Object.hasOwn(REVIEWED_KINDS, kind);
}

/** Age from which a member counts as elderly for the review interval (the 特困 and 低保 rules' 60, [R 民发〔2021〕43号]). */
const ELDERLY_FROM_AGE = 60;

/**
 * 低保 households whose circumstances are stable (every member elderly or severely disabled) are reviewed yearly,
 * the others half-yearly [S P12; R 民发〔2021〕57号]. Other kinds have one interval (`single`). A household whose
 * members are not on record counts as `other`: the more frequent review, never the rarer one by default.
 */
export type ReviewHouseholdType = 'stable' | 'other' | 'single';

export function reviewHouseholdType(kind: EntitlementKind, facts: unknown, on: IsoDate): ReviewHouseholdType {
  if (kind !== 'minimum-living-allowance') return 'single';
  const household = (facts as { household?: { members?: unknown } } | null)?.household;
  const members = Array.isArray(household?.members) ? (household.members as unknown[]) : [];
  if (members.length === 0) return 'other';
  return members.every((m) => isElderlyOrSeverelyDisabled(m, on)) ? 'stable' : 'other';
}

function isElderlyOrSeverelyDisabled(member: unknown, on: IsoDate): boolean {
  if (typeof member !== 'object' || member === null) return false;
  const m = member as { birthDate?: unknown; disability?: { grade?: unknown; certificate?: { validUntil?: unknown } } };
  if (isIsoDate(m.birthDate) && m.birthDate <= on && ageOn(m.birthDate, on) >= ELDERLY_FROM_AGE) return true;
  const grade = m.disability?.grade;
  const validUntil = m.disability?.certificate?.validUntil;
  return (
    typeof grade === 'number' &&
    (SEVERE_DISABILITY_GRADES as readonly number[]).includes(grade) &&
    (validUntil === undefined || (isIsoDate(validUntil) && on <= validUntil))
  );
}

/** The published key of a kind's review interval for a household type. */
export function reviewIntervalKey(kind: EntitlementKind, type: ReviewHouseholdType): string {
  const prefix = REVIEWED_KINDS[kind];
  if (prefix === undefined) throw new Error(`${kind} is not reviewed`);
  return type === 'single' ? `${prefix}.review-interval` : `${prefix}.review-interval.${type}`;
}

/** The published key of the working days a household has to answer a review of `kind`. */
export function reviewResponseLimitKey(kind: EntitlementKind): string {
  const prefix = REVIEWED_KINDS[kind];
  if (prefix === undefined) throw new Error(`${kind} is not reviewed`);
  return `${prefix}.review-response-limit`;
}

/**
 * The published key of the working days the street office has to decide a review of `kind` once the household
 * answered (counted from the answer). Past it the review is overdue for the office; the household is not suspended.
 */
export function reviewDecisionLimitKey(kind: EntitlementKind): string {
  const prefix = REVIEWED_KINDS[kind];
  if (prefix === undefined) throw new Error(`${kind} is not reviewed`);
  return `${prefix}.review-decision-limit`;
}

/** The published number of months a 低保 gradual exit (渐退期) pays before the entitlement ends. */
export const GRADUAL_EXIT_MONTHS_KEY = 'minimum-living.gradual-exit-months';

/** Kinds a review may put into a gradual exit: 低保 only (the 渐退 rule is the 低保 one [R 民发〔2021〕57号]). */
export function allowsGradualExit(kind: string): boolean {
  return kind === 'minimum-living-allowance';
}

/** The next review date, what it was counted from, and the rule used: kept with the entitlement (`review_basis`). */
export interface ReviewDate {
  readonly nextReviewOn: IsoDate;
  readonly countedFrom: IsoDate;
  readonly householdType: ReviewHouseholdType;
  readonly parameter: ParameterUse;
}

/**
 * The next review date of an entitlement: `from` plus the interval (calendar months) published for its kind and
 * household type, the value in force on `decidedOn` (the day the date is set: a published change of the rule
 * applies to dates set from its start, docs/money.md "Periodic review").
 */
export function nextReviewDate(
  kind: EntitlementKind,
  type: ReviewHouseholdType,
  from: IsoDate,
  decidedOn: IsoDate,
  parameters: readonly StandardParameter[],
): ReviewDate {
  const parameter = useParameter(parameters, reviewIntervalKey(kind, type), decidedOn, 'review date');
  return { nextReviewOn: addCalendarMonths(from, parameter.value), countedFrom: from, householdType: type, parameter };
}

/**
 * Where a first review date is counted from: the first day of the first month paid, or `today` when that is past
 * (an entitlement resumed after a review lapsed gets a date from the day it is given one).
 */
export function firstReviewBase(startMonth: YearMonth, today: IsoDate): IsoDate {
  const start = firstDayOf(startMonth);
  return start > today ? start : today;
}

/** The last month a gradual exit starting with `effectiveMonth` pays, and the parameter that says how many. */
export function gradualExitEnd(
  effectiveMonth: YearMonth,
  decidedOn: IsoDate,
  parameters: readonly StandardParameter[],
): { endMonth: YearMonth; months: number; parameter: ParameterUse } {
  const parameter = useParameter(parameters, GRADUAL_EXIT_MONTHS_KEY, decidedOn, 'gradual exit');
  const months = Math.max(1, Math.trunc(parameter.value));
  return { endMonth: addMonths(effectiveMonth, months - 1), months, parameter };
}

/** Calendar months on, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb). */
function addCalendarMonths(day: IsoDate, months: number): IsoDate {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + Math.trunc(months);
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** What a review decides (docs/money.md "Periodic review"). */
export const REVIEW_OUTCOMES = ['continue', 'adjust', 'suspend', 'gradual-exit', 'end'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export const REVIEW_STATUSES = ['open', 'decided', 'lapsed'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
