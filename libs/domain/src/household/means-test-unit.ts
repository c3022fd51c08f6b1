import { type Attested, attested } from '../catalog/evidence.js';
import type { HouseholdMember } from './household.js';

/**
 * Whose income and assets a 低保 means test counts. `household`: every member living together (社会救助暂行办法
 * art. 9 [V L1]). `single-person`: the applicant alone, as a one-person household (单人户), the pattern for
 * 无业重度残疾人最低生活保障 (item BPS-073) [R pattern; details unknown] (docs/domain.md §3.1).
 */
export const MEANS_TEST_UNITS = ['household', 'single-person'] as const;
export type MeansTestUnit = (typeof MEANS_TEST_UNITS)[number];

/** The items whose means test counts the applicant alone; every other means-tested item counts the household. */
export const SINGLE_PERSON_MEANS_TEST: Readonly<Record<string, Attested<MeansTestUnit>>> = {
  'BPS-073': attested('single-person', 'R', 'docs/domain.md §3.1 (单人户 pattern)'),
};

export function meansTestUnitOf(itemCode: string): Attested<MeansTestUnit> {
  return SINGLE_PERSON_MEANS_TEST[itemCode] ?? attested('household', 'V', 'L1 art. 9');
}

/**
 * The members a means test counts: all of them, or for a single-person test only the applicant (found by the
 * normalised ID number; none when the applicant is not listed, which intake refuses on its own).
 */
export function membersCounted(
  unit: MeansTestUnit,
  members: readonly HouseholdMember[],
  applicantIdNumber: string | undefined,
): readonly HouseholdMember[] {
  return unit === 'household' ? members : members.filter((member) => member.idNumber === applicantIdNumber);
}
