import { type IsoDate, assertIsoDate } from '../calendar/calendar-date.js';
import { type Fen, fen, formatYuan, multiplyFen, nonNegativeFen, subtractFen, sumFen } from '../money/fen.js';
import type { DisabilityGrade, Household } from './household.js';
import { householdMonthlyIncome, perCapitaMonthlyIncome } from './income.js';
import {
  SPECIAL_CATEGORIES,
  SPECIAL_CATEGORY_RULES,
  type SpecialCategory,
  specialCategoriesOf,
} from './special-categories.js';

/** The monthly increase per person for each special category (增发), in fen; 0 where the locality pays none. */
export type SpecialCategoryTopUps = Readonly<Record<SpecialCategory, Fen>>;

export interface MinimumLivingEntitlementInput {
  /** The local 低保 standard in force for the household (元/人·月, in fen). */
  readonly standardPerPersonMonthly: Fen;
  readonly household: Pick<Household, 'members'>;
  readonly specialCategoryTopUps: SpecialCategoryTopUps;
  /** The day of calculation: ages and certificate validity are taken on it. */
  readonly today: IsoDate;
}

/** Everything the amount was computed from, stored with it on the case. */
export interface MinimumLivingParameters {
  readonly method: 'gap'; // 补差
  readonly legalBasis: '社会救助暂行办法 art. 12';
  readonly today: IsoDate;
  readonly standardPerPersonMonthly: Fen;
  readonly specialCategoryTopUps: SpecialCategoryTopUps;
  readonly memberCount: number;
  readonly householdMonthlyIncome: Fen;
  readonly perCapitaMonthlyIncome: Fen;
  readonly perCapitaRounding: 'floor';
  readonly topUpCombination: 'highest-per-member';
  readonly elderlyFromAge: number;
  readonly minorBelowAge: number;
  readonly severeDisabilityGrades: readonly DisabilityGrade[];
}

/** The top-up of one member: every category the member is in, and the one paid. */
export interface MemberTopUp {
  readonly memberId: string;
  readonly categories: readonly SpecialCategory[];
  readonly applied: SpecialCategory;
  readonly amount: Fen;
}

export interface MinimumLivingBreakdown {
  readonly gapPerPerson: Fen;
  /** gap × members. */
  readonly baseAmount: Fen;
  /** Members in at least one special category, in household order. */
  readonly topUps: readonly MemberTopUp[];
  readonly topUpTotal: Fen;
}

export type MinimumLivingEntitlement =
  | {
      readonly eligible: true;
      readonly monthlyAmount: Fen;
      readonly formula: string;
      readonly parameters: MinimumLivingParameters;
      readonly breakdown: MinimumLivingBreakdown;
    }
  | {
      readonly eligible: false;
      readonly reason: 'INCOME_AT_OR_ABOVE_STANDARD';
      readonly monthlyAmount: Fen;
      readonly formula: string;
      readonly parameters: MinimumLivingParameters;
    };

const CATEGORY_LABELS: Readonly<Record<SpecialCategory, string>> = {
  elderly: 'elderly',
  minor: 'minor',
  severeDisability: 'severe disability',
  seriousIllness: 'serious illness',
};

/**
 * The monthly 低保 amount of a household by the gap method (补差) of 社会救助暂行办法 art. 12 [V L1]:
 * `(standard − per-capita monthly income) × members`, plus the increase for members in the four special
 * categories of art. 12 para. 2 (elderly ≥ 60 [G], minor < 18 [G], severe disability grade 1–2 with a valid
 * certificate [S C1], serious illness).
 *
 * - Per-capita income is rounded down to the fen (see `perCapitaMonthlyIncome`).
 * - A household whose per-capita income is at or above the standard is not eligible (art. 9 requires it to be
 *   below): the amount is 0, and no top-up is paid, since top-ups increase an existing 低保.
 * - A member in several categories receives one top-up, the highest of theirs (ties go to the first category in
 *   {@link SPECIAL_CATEGORIES}) [G]: the rule for combining them is not known, and this one never pays a person
 *   twice for the same hardship.
 * - Only the income test of art. 9 is applied; the asset test is local and decided by the reviewer.
 *
 * The result carries a human-readable formula with the numbers and every parameter, to be stored with the amount.
 * @throws DomainError `MONEY.*` naming the offending amount, `HOUSEHOLD.NO_MEMBERS`, `HOUSEHOLD.BAD_BIRTH_DATE`,
 * `CALENDAR.INVALID_DATE` (for `today`).
 */
export function minimumLivingEntitlement(input: MinimumLivingEntitlementInput): MinimumLivingEntitlement {
  assertIsoDate(input.today, 'today');
  const standard = nonNegativeFen(input.standardPerPersonMonthly, 'standardPerPersonMonthly');
  const topUpAmounts = Object.fromEntries(
    SPECIAL_CATEGORIES.map((category) => [
      category,
      nonNegativeFen(input.specialCategoryTopUps[category], `specialCategoryTopUps.${category}`),
    ]),
  ) as Record<SpecialCategory, Fen>;
  const { members } = input.household;
  const total = householdMonthlyIncome(members);
  const perCapita = perCapitaMonthlyIncome(input.household);
  const memberCount = members.length;

  const parameters: MinimumLivingParameters = {
    method: 'gap',
    legalBasis: '社会救助暂行办法 art. 12',
    today: input.today,
    standardPerPersonMonthly: standard,
    specialCategoryTopUps: topUpAmounts,
    memberCount,
    householdMonthlyIncome: total,
    perCapitaMonthlyIncome: perCapita,
    perCapitaRounding: 'floor',
    topUpCombination: 'highest-per-member',
    elderlyFromAge: SPECIAL_CATEGORY_RULES.elderlyFromAge.value,
    minorBelowAge: SPECIAL_CATEGORY_RULES.minorBelowAge.value,
    severeDisabilityGrades: SPECIAL_CATEGORY_RULES.severeDisabilityGrades.value,
  };
  const perCapitaText = `per-capita income = floor(${formatYuan(total)} ÷ ${memberCount}) = ${formatYuan(perCapita)}`;

  const gap = subtractFen(standard, perCapita);
  if (gap <= 0) {
    return {
      eligible: false,
      reason: 'INCOME_AT_OR_ABOVE_STANDARD',
      monthlyAmount: fen(0),
      formula:
        `${perCapitaText} ≥ standard ${formatYuan(standard)}: ` +
        'income at or above the standard, not eligible (社会救助暂行办法 art. 9)',
      parameters,
    };
  }

  const baseAmount = multiplyFen(gap, memberCount);
  const topUps: MemberTopUp[] = [];
  members.forEach((member, index) => {
    const categories = specialCategoriesOf(member, input.today, `members[${index}]`);
    const applied = highestTopUp(categories, topUpAmounts);
    if (applied !== undefined) {
      topUps.push({ memberId: member.id, categories, applied, amount: topUpAmounts[applied] });
    }
  });
  const topUpTotal = sumFen(topUps.map((topUp) => topUp.amount));
  const monthlyAmount = sumFen([baseAmount, topUpTotal]);

  return {
    eligible: true,
    monthlyAmount,
    formula:
      `${perCapitaText}; ` +
      `(${formatYuan(standard)} − ${formatYuan(perCapita)}) × ${memberCount} = ${formatYuan(baseAmount)}; ` +
      `top-ups: ${describeTopUps(topUps, topUpAmounts, topUpTotal)}; ` +
      `monthly amount = ${formatYuan(baseAmount)} + ${formatYuan(topUpTotal)} = ${formatYuan(monthlyAmount)} yuan ` +
      '(社会救助暂行办法 art. 12)',
    parameters,
    breakdown: { gapPerPerson: gap, baseAmount, topUps, topUpTotal },
  };
}

function highestTopUp(
  categories: readonly SpecialCategory[],
  amounts: Readonly<Record<SpecialCategory, Fen>>,
): SpecialCategory | undefined {
  let best: SpecialCategory | undefined;
  for (const category of categories) {
    if (best === undefined || amounts[category] > amounts[best]) best = category;
  }
  return best;
}

function describeTopUps(
  topUps: readonly MemberTopUp[],
  amounts: Readonly<Record<SpecialCategory, Fen>>,
  total: Fen,
): string {
  const terms = SPECIAL_CATEGORIES.flatMap((category) => {
    const count = topUps.filter((topUp) => topUp.applied === category).length;
    return count === 0 ? [] : [`${CATEGORY_LABELS[category]} ${count} × ${formatYuan(amounts[category])}`];
  });
  return terms.length === 0 ? 'none = 0.00' : `${terms.join(' + ')} = ${formatYuan(total)}`;
}
