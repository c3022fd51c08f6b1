import type { IsoDate } from '../calendar/calendar-date.js';
import { type Attested, attested } from '../catalog/evidence.js';
import { ageOn } from './age.js';
import { SEVERE_DISABILITY_GRADES, hasSevereDisability } from './disability.js';
import type { DisabilityGrade, HouseholdMember } from './household.js';

/**
 * The four groups whose 低保 is increased (增发): the elderly, minors, people with severe disabilities and the
 * seriously ill (社会救助暂行办法 art. 12 para. 2; Urumqi's 四类人员, docs/domain.md §3.1 [S P20]).
 */
export const SPECIAL_CATEGORIES = ['elderly', 'minor', 'severeDisability', 'seriousIllness'] as const;
export type SpecialCategory = (typeof SPECIAL_CATEGORIES)[number];

/** Thresholds of the four groups, with their evidence: only the grades are backed by a source. */
export const SPECIAL_CATEGORY_RULES: {
  readonly elderlyFromAge: Attested<number>;
  readonly minorBelowAge: Attested<number>;
  readonly severeDisabilityGrades: Attested<readonly DisabilityGrade[]>;
} = {
  // 60 is the age of 老年人 in national law; the Urumqi 低保 rule is not known.
  elderlyFromAge: attested(60, 'G'),
  // 未成年人 are those under 18 (Civil Code art. 17); the Urumqi 低保 rule is not known.
  minorBelowAge: attested(18, 'G'),
  // Grades 1 and 2, proven by a certificate valid on the day of calculation.
  severeDisabilityGrades: attested(SEVERE_DISABILITY_GRADES, 'S', 'C1'),
};

/**
 * The special categories a member belongs to on `today`, in the order of {@link SPECIAL_CATEGORIES}:
 * elderly (age ≥ 60), minor (age < 18), severe disability (grade 1 or 2 with a valid certificate),
 * serious illness (`health` is `serious-illness`).
 */
export function specialCategoriesOf(member: HouseholdMember, today: IsoDate, field = 'member'): SpecialCategory[] {
  const age = ageOn(member.birthDate, today, `${field}.birthDate`);
  const belongs: Record<SpecialCategory, boolean> = {
    elderly: age >= SPECIAL_CATEGORY_RULES.elderlyFromAge.value,
    minor: age < SPECIAL_CATEGORY_RULES.minorBelowAge.value,
    severeDisability: hasSevereDisability(member, today),
    seriousIllness: member.health === 'serious-illness',
  };
  return SPECIAL_CATEGORIES.filter((category) => belongs[category]);
}
