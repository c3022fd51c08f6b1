import type { IsoDate } from '../calendar/calendar-date.js';
import type { DisabilityGrade, HouseholdMember } from './household.js';

/** Grades 1 and 2 are severe disability (重度残疾), the nursing-subsidy group (docs/domain.md §3.4 [S C1]). */
export const SEVERE_DISABILITY_GRADES: readonly DisabilityGrade[] = [1, 2];

/** Whether the member holds a disability certificate valid on `today` (validUntil inclusive, none = 长期). */
export function hasValidDisabilityCertificate(member: HouseholdMember, today: IsoDate): boolean {
  const validUntil = member.disability?.certificate.validUntil;
  return member.disability !== undefined && (validUntil === undefined || today <= validUntil);
}

/** A disability of grade 1 or 2 proven by a certificate valid on `today`. */
export function hasSevereDisability(member: HouseholdMember, today: IsoDate): boolean {
  return (
    hasValidDisabilityCertificate(member, today) &&
    member.disability !== undefined &&
    SEVERE_DISABILITY_GRADES.includes(member.disability.grade)
  );
}
