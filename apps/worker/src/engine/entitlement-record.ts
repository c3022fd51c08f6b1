import { randomUUID } from 'node:crypto';
import {
  type EntitlementKind,
  addMonths,
  endMonth,
  ENTITLEMENT_SCHEDULES,
  type PaymentSchedule,
  scheduleOf,
  firstReviewBase,
  instalmentSchedule,
  isEntitlementKind,
  isReviewedKind,
  type MinimumLivingBasis,
  nextReviewDate,
  ParameterNotInForceError,
  type ReviewDate,
  reviewHouseholdType,
  type StandardParameter,
  startMonth,
  toShanghaiDate,
  type YearMonth,
} from '@minsheng/domain';
import type { Queryable } from '@minsheng/infra';
import type { LockedCase } from './case-step.js';
import type { StoredEntitlement } from './entitlement.js';

/** The entitlement record a grant creates (docs/money.md "Entitlements"); what its ENTITLEMENT_GRANTED event says. */
export interface EntitlementRecord {
  readonly id: string;
  readonly kind: EntitlementKind;
  /** `instalments` for a 临时救助 paid in more than one instalment, else the kind's (docs/money.md "Entitlements"). */
  readonly schedule: PaymentSchedule;
  readonly monthlyAmountFen: number;
  readonly startMonth: YearMonth;
  readonly endMonth: YearMonth | null;
  readonly basis: Record<string, unknown>;
}

/**
 * The record a granted amount becomes, or null when the grant pays nothing (an ineligible 低保 household, a
 * kind that is not paid in money). The basis keeps every parameter value used, and for 低保 what a new standard
 * is applied to (docs/money.md "A new standard").
 */
export function entitlementRecord(granted: StoredEntitlement, now: Date): EntitlementRecord | null {
  if (!isEntitlementKind(granted.kind)) return null;
  const kind = granted.kind;
  if (kind === 'temporary-assistance') return temporaryAssistanceRecord(granted, now);
  const amount = granted['monthlyAmountFen'];
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) return null;
  const start = startMonth(kind, toShanghaiDate(now));
  const months = typeof granted['months'] === 'number' ? granted['months'] : null;
  return {
    id: randomUUID(),
    kind,
    schedule: ENTITLEMENT_SCHEDULES[kind],
    monthlyAmountFen: amount,
    startMonth: start,
    endMonth: endMonth(kind, start, months),
    basis: {
      formula: granted['formula'] ?? null,
      parameterSources: granted['parameterSources'] ?? [],
      ...(kind === 'minimum-living-allowance' ? { minimumLiving: minimumLivingBasis(granted) } : {}),
    },
  };
}

/**
 * 临时救助 (docs/money.md "临时救助: one payer, in instalments"): the payment run is the one payer of what the relief
 * left to pay, one instalment a month from the approval's month, each at the amount the approval split. A grant
 * without `instalmentsFen` (machine v1 and v2, whose payment tasks pay) and one the relief covered write no record:
 * the run must not pay money another path pays.
 */
function temporaryAssistanceRecord(granted: StoredEntitlement, now: Date): EntitlementRecord | null {
  const amounts = granted['instalmentsFen'];
  if (!Array.isArray(amounts) || amounts.length === 0) return null;
  if (!amounts.every((a): a is number => typeof a === 'number' && Number.isSafeInteger(a) && a > 0)) return null;
  const start = startMonth('temporary-assistance', toShanghaiDate(now));
  const instalments = instalmentSchedule(start, amounts);
  return {
    id: randomUUID(),
    kind: 'temporary-assistance',
    schedule: scheduleOf('temporary-assistance', amounts.length),
    monthlyAmountFen: amounts[0]!,
    startMonth: start,
    endMonth: addMonths(start, amounts.length - 1),
    basis: {
      formula: granted['formula'] ?? null,
      parameterSources: granted['parameterSources'] ?? [],
      instalments,
      approvedAmountFen: granted['amountFen'] ?? null,
      reliefGivenFen: (granted['details'] as Record<string, unknown> | undefined)?.['reliefGivenFen'] ?? 0,
    },
  };
}

function minimumLivingBasis(granted: StoredEntitlement): MinimumLivingBasis | null {
  const parameters = granted['parameters'] as Record<string, unknown> | undefined;
  const breakdown = granted['breakdown'] as Record<string, unknown> | undefined;
  const sources = granted['parameterSources'] as { key: string }[] | undefined;
  const standardKey = sources?.find((s) => s.key.startsWith('minimum-living.standard.'))?.key;
  if (parameters === undefined || standardKey === undefined) return null;
  return {
    standardKey,
    standardFen: Number(parameters['standardPerPersonMonthly']),
    memberCount: Number(parameters['memberCount']),
    perCapitaIncomeFen: Number(parameters['perCapitaMonthlyIncome']),
    topUpTotalFen: Number(breakdown?.['topUpTotal'] ?? 0),
  };
}

/**
 * The first review date of a reviewed kind (docs/money.md "Periodic review"): the interval published for its kind and
 * household type (from the case's facts), counted from the first day of its first month paid. Null for a kind not
 * reviewed, or while the interval has no published value: the daily review sweep gives the date then (and fails
 * there, visibly, until one is published), so a grant never fails for want of a review rule.
 */
export function firstReview(
  record: EntitlementRecord,
  facts: Readonly<Record<string, unknown>>,
  now: Date,
  parameters: readonly StandardParameter[],
): ReviewDate | null {
  if (!isReviewedKind(record.kind)) return null;
  const today = toShanghaiDate(now);
  const type = reviewHouseholdType(record.kind, facts, today);
  try {
    return nextReviewDate(record.kind, type, firstReviewBase(record.startMonth, today), today, parameters);
  } catch (error) {
    if (error instanceof ParameterNotInForceError) return null;
    throw error;
  }
}

/**
 * Writes the record in the engine's transaction (the case row is locked). The bank is the one the facts name
 * (`facts.bank`, the bank's name intake keeps), else `unassigned`. One record per case and kind: a second
 * grant of the same kind in the same case changes nothing.
 */
export async function insertEntitlement(
  q: Queryable,
  row: Pick<LockedCase, 'id' | 'item_code' | 'accepting_division' | 'facts'>,
  record: EntitlementRecord,
  now: Date,
  review: ReviewDate | null = null,
): Promise<void> {
  const bank = typeof row.facts['bank'] === 'string' && row.facts['bank'] !== '' ? row.facts['bank'] : 'unassigned';
  // The district of household registration intake routed by, else the accepting street's district.
  const facts = row.facts['districtCode'];
  const district = typeof facts === 'string' && /^\d{6}$/.test(facts) ? facts : row.accepting_division.slice(0, 6);
  await q.query(
    `INSERT INTO entitlements (id, case_id, applicant_id, item_code, kind, division, district, bank, schedule,
                               monthly_amount_fen, basis, start_month, end_month, created_at, updated_at,
                               next_review_on, review_basis)
     SELECT $1, c.id, c.applicant_id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15
       FROM cases c WHERE c.id = $2
     ON CONFLICT (case_id, kind) DO NOTHING`,
    [
      record.id,
      row.id,
      row.item_code,
      record.kind,
      row.accepting_division,
      district,
      bank,
      record.schedule,
      record.monthlyAmountFen,
      JSON.stringify(record.basis),
      record.startMonth,
      record.endMonth,
      now,
      review?.nextReviewOn ?? null,
      review === null ? null : JSON.stringify(review),
    ],
  );
}
