import { type IsoDate, assertIsoDate } from '../calendar/calendar-date.js';
import { type Attested, attested } from '../catalog/evidence.js';
import { type Fen, nonNegativeFen } from '../money/fen.js';
import { ageOn } from './age.js';
import { hasValidDisabilityCertificate } from './disability.js';
import type { DisabilityCategory, DisabilityGrade, DutyBearer, HouseholdMember } from './household.js';
import { memberMonthlyIncome } from './income.js';

/**
 * Thresholds of 特困 recognition. The target groups and the age 16 are in 社会救助暂行办法 art. 14 [V L1]; the
 * list of who has no capacity to work is recalled from 民发〔2021〕43号 [R] (docs/domain.md §3.2).
 */
export const EXTREME_POVERTY_RULES: {
  readonly elderlyFromAge: Attested<number>;
  readonly minorBelowAge: Attested<number>;
  /** Disabilities that mean no capacity to work: the highest grade (the least severe) for each category listed. */
  readonly incapacitatingDisability: Attested<Readonly<Partial<Record<DisabilityCategory, DisabilityGrade>>>>;
} = {
  elderlyFromAge: attested(60, 'R', '民发〔2021〕43号'),
  minorBelowAge: attested(16, 'V', 'L1 art. 14'),
  incapacitatingDisability: attested(
    { intellectual: 3, psychiatric: 3, physical: 2, visual: 1 },
    'R',
    '民发〔2021〕43号',
  ),
};

export type ExtremePovertyRefusal =
  | 'NOT_IN_TARGET_GROUP'
  | 'HAS_WORK_CAPACITY'
  | 'INCOME_AT_OR_ABOVE_STANDARD'
  | 'ASSETS_ABOVE_LOCAL_RULES'
  | 'HAS_CAPABLE_DUTY_BEARER';

export type ExtremePovertyTargetGroup = 'elderly' | 'minor' | 'disabled';

export interface ExtremePovertyInput {
  readonly person: HouseholdMember;
  /** The local 低保 standard: "no source of income" means an income below it [R 43号]. */
  readonly standardPerPersonMonthly: Fen;
  /** The reviewer's finding on the local asset rules, which are not known (docs/domain.md §6). */
  readonly assetsWithinLocalRules: boolean;
  readonly dutyBearers: readonly DutyBearer[];
  readonly today: IsoDate;
}

export type ExtremePovertyDecision =
  | { readonly eligible: true; readonly targetGroups: readonly ExtremePovertyTargetGroup[] }
  | {
      readonly eligible: false;
      readonly targetGroups: readonly ExtremePovertyTargetGroup[];
      readonly reasons: readonly ExtremePovertyRefusal[];
    };

/**
 * Whether a person qualifies for 特困人员救助供养 (社会救助暂行办法 art. 14, docs/domain.md §3.2):
 * 1. target group: elderly (≥ 60), a minor under 16, or a person with a disability certificate valid on `today`;
 * 2. no capacity to work: deemed for the elderly, minors under 16, and grades 1–3 intellectual or psychiatric,
 *    1–2 physical, 1 visual disability [R 43号]; otherwise a recorded assessment `workCapacity: 'none'` (the
 *    other cases a province may add);
 * 3. no source of income: the person's own counted monthly income below the 低保 standard, and assets within
 *    the local rules [R 43号];
 * 4. no legal duty-bearer able to support the person.
 * Continued support of minors up to 18 or while at school is a review decision, not a first recognition.
 * Every failing condition is listed.
 */
export function extremePovertyEligibility(input: ExtremePovertyInput): ExtremePovertyDecision {
  assertIsoDate(input.today, 'today');
  const { person, today } = input;
  const standard = nonNegativeFen(input.standardPerPersonMonthly, 'standardPerPersonMonthly');
  const age = ageOn(person.birthDate, today, 'person.birthDate');
  const certificate = hasValidDisabilityCertificate(person, today);

  const targetGroups: ExtremePovertyTargetGroup[] = [];
  if (age >= EXTREME_POVERTY_RULES.elderlyFromAge.value) targetGroups.push('elderly');
  if (age < EXTREME_POVERTY_RULES.minorBelowAge.value) targetGroups.push('minor');
  if (certificate) targetGroups.push('disabled');

  const gradeLimit =
    person.disability === undefined
      ? undefined
      : EXTREME_POVERTY_RULES.incapacitatingDisability.value[person.disability.category];
  const incapacitatingDisability =
    certificate && person.disability !== undefined && gradeLimit !== undefined && person.disability.grade <= gradeLimit;
  const noWorkCapacity =
    targetGroups.includes('elderly') ||
    targetGroups.includes('minor') ||
    incapacitatingDisability ||
    person.workCapacity === 'none';

  const reasons: ExtremePovertyRefusal[] = [];
  if (targetGroups.length === 0) reasons.push('NOT_IN_TARGET_GROUP');
  if (!noWorkCapacity) reasons.push('HAS_WORK_CAPACITY');
  if (memberMonthlyIncome(person, 'person') >= standard) reasons.push('INCOME_AT_OR_ABOVE_STANDARD');
  if (!input.assetsWithinLocalRules) reasons.push('ASSETS_ABOVE_LOCAL_RULES');
  if (input.dutyBearers.some((bearer) => bearer.capableOfSupport)) reasons.push('HAS_CAPABLE_DUTY_BEARER');

  return reasons.length === 0 ? { eligible: true, targetGroups } : { eligible: false, targetGroups, reasons };
}
