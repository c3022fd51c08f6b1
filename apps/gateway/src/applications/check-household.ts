import { fen, type ErrorCode, type HouseholdMember, parseResidentIdNumber } from '@minsheng/domain';
import { type SubmitApplicationRequest } from './submit-application.request.js';

export type Attempt = <T>(check: () => T) => T | undefined;
export type Refuse = (field: string, code: ErrorCode, message: string) => void;

/** The household part of an application: members' identity numbers (no duplicates), relations and the assets' owners. */
export function checkHousehold(
  request: SubmitApplicationRequest,
  applicantIdNumber: string | undefined,
  today: string,
  attempt: Attempt,
  refuse: Refuse,
): HouseholdMember[] {
  const household = request.household;
  if (household === undefined) return [];
  const members: HouseholdMember[] = [];
  const seen = new Set<string>();
  household.members.forEach((member, index) => {
    const field = `household.members.${index}`;
    const id = attempt(() => parseResidentIdNumber(member.idNumber, { today, field: `${field}.idNumber` }));
    if (id === undefined) return;
    if (seen.has(id.normalised)) {
      refuse(`${field}.idNumber`, 'HOUSEHOLD.DUPLICATE_MEMBER', 'the same person is listed twice');
    }
    seen.add(id.normalised);
    if (id.kind !== 'foreign-permanent-resident' && id.birthDate !== member.birthDate) {
      refuse(`${field}.birthDate`, 'HOUSEHOLD.BIRTH_DATE_MISMATCH', 'differs from the birth date in the ID number');
    }
    members.push({
      id: `m${index + 1}`,
      name: member.name,
      idNumber: id.normalised,
      relation: member.relation,
      birthDate: member.birthDate,
      health: member.health,
      workCapacity: member.workCapacity,
      monthlyIncome: Object.fromEntries(Object.entries(member.monthlyIncome).map(([k, v]) => [k, fen(v)])),
      ...(member.seriousIllnessType ? { seriousIllnessType: member.seriousIllnessType } : {}),
      ...(member.disability
        ? {
            disability: {
              category: member.disability.category,
              grade: member.disability.grade,
              certificate: {
                number: member.disability.certificateNumber,
                ...(member.disability.validUntil ? { validUntil: member.disability.validUntil } : {}),
              },
            },
          }
        : {}),
    });
  });
  const heads = household.members.filter((m) => m.relation === 'head').length;
  if (heads !== 1) {
    refuse('household.members', 'HOUSEHOLD.ONE_HEAD_REQUIRED', 'exactly one member is the head of household');
  }
  if (applicantIdNumber !== undefined && !seen.has(applicantIdNumber) && members.length === household.members.length) {
    refuse('household.members', 'HOUSEHOLD.APPLICANT_NOT_MEMBER', 'the applicant is one of the members');
  }
  const count = household.members.length;
  household.assets.vehicles.forEach((v, i) => {
    if (v.ownerMember >= count) {
      refuse(`household.assets.vehicles.${i}.ownerMember`, 'HOUSEHOLD.UNKNOWN_MEMBER', 'no member has this index');
    }
  });
  household.assets.houses.forEach((h, i) => {
    if (h.ownerMembers.some((o) => o >= count)) {
      refuse(`household.assets.houses.${i}.ownerMembers`, 'HOUSEHOLD.UNKNOWN_MEMBER', 'no member has this index');
    }
  });
  return members;
}
