import {
  type DisabilitySubsidiesInput,
  type SubsidyDecision,
  disabilitySubsidiesEligibility,
} from './disability-subsidies.js';
import { member, TODAY } from './household.fixtures.js';
import type { Disability } from './household.js';

const disability = (grade: Disability['grade'], validUntil?: string): Disability => ({
  category: 'physical',
  grade,
  certificate: { number: 'cert', ...(validUntil === undefined ? {} : { validUntil }) },
});

const base: DisabilitySubsidiesInput = {
  member: member({ disability: disability(1) }),
  minimumLivingHousehold: true,
  receivesExtremePovertySupport: false,
  xinjiangHouseholdRegistration: true,
  receivesOrphanSupport: false,
  today: TODAY,
};

const granted = (...grounds: string[]): SubsidyDecision => ({ eligible: true, grounds }) as SubsidyDecision;
const refused = (...reasons: string[]): SubsidyDecision => ({ eligible: false, reasons }) as SubsidyDecision;
const LIVING_GROUNDS = ['XINJIANG_HOUSEHOLD_REGISTRATION', 'VALID_DISABILITY_CERTIFICATE', 'MINIMUM_LIVING_HOUSEHOLD'];
const NURSING_GROUNDS = ['VALID_DISABILITY_CERTIFICATE', 'SEVERE_DISABILITY'];

describe('disabilitySubsidiesEligibility', () => {
  it.each<[string, Partial<DisabilitySubsidiesInput>, SubsidyDecision, SubsidyDecision]>([
    ['grade 1 in a 低保 household: both', {}, granted(...LIVING_GROUNDS), granted(...NURSING_GROUNDS)],
    [
      'grade 2, certificate valid until today: both',
      { member: member({ disability: disability(2, TODAY) }) },
      granted(...LIVING_GROUNDS),
      granted(...NURSING_GROUNDS),
    ],
    [
      'grade 3 in a 低保 household: living subsidy only',
      { member: member({ disability: disability(3) }) },
      granted(...LIVING_GROUNDS),
      refused('NOT_SEVERE_DISABILITY'),
    ],
    [
      'grade 1 outside 低保: nursing subsidy only',
      { minimumLivingHousehold: false },
      refused('NOT_MINIMUM_LIVING_HOUSEHOLD'),
      granted(...NURSING_GROUNDS),
    ],
    [
      'no certificate: neither, and the grade is not claimed unproven twice',
      { member: member() },
      refused('NO_VALID_DISABILITY_CERTIFICATE'),
      refused('NO_VALID_DISABILITY_CERTIFICATE'),
    ],
    [
      'an expired certificate: neither',
      { member: member({ disability: disability(1, '2025-06-29') }) },
      refused('NO_VALID_DISABILITY_CERTIFICATE'),
      refused('NO_VALID_DISABILITY_CERTIFICATE'),
    ],
    [
      '特困 support: neither',
      { receivesExtremePovertySupport: true },
      refused('RECEIVES_EXTREME_POVERTY_SUPPORT'),
      refused('RECEIVES_EXTREME_POVERTY_SUPPORT'),
    ],
    [
      'orphan support: no living subsidy, nursing subsidy still',
      { receivesOrphanSupport: true },
      refused('RECEIVES_ORPHAN_SUPPORT'),
      granted(...NURSING_GROUNDS),
    ],
    [
      'household registered outside Xinjiang: no living subsidy, nursing subsidy still',
      { xinjiangHouseholdRegistration: false },
      refused('NO_XINJIANG_HOUSEHOLD_REGISTRATION'),
      granted(...NURSING_GROUNDS),
    ],
    [
      'a higher similar allowance for the living subsidy: nursing subsidy still',
      { higherSimilarAllowanceFor: ['living'] },
      refused('RECEIVES_HIGHER_SIMILAR_ALLOWANCE'),
      granted(...NURSING_GROUNDS),
    ],
    [
      'a higher similar allowance for the nursing subsidy: living subsidy still',
      { higherSimilarAllowanceFor: ['nursing'] },
      granted(...LIVING_GROUNDS),
      refused('RECEIVES_HIGHER_SIMILAR_ALLOWANCE'),
    ],
    [
      'every reason at once',
      {
        member: member({ disability: disability(4) }),
        minimumLivingHousehold: false,
        receivesExtremePovertySupport: true,
        xinjiangHouseholdRegistration: false,
        receivesOrphanSupport: true,
      },
      refused(
        'NO_XINJIANG_HOUSEHOLD_REGISTRATION',
        'NOT_MINIMUM_LIVING_HOUSEHOLD',
        'RECEIVES_EXTREME_POVERTY_SUPPORT',
        'RECEIVES_ORPHAN_SUPPORT',
      ),
      refused('NOT_SEVERE_DISABILITY', 'RECEIVES_EXTREME_POVERTY_SUPPORT'),
    ],
  ])('%s', (_, overrides, livingSubsidy, nursingSubsidy) => {
    expect(disabilitySubsidiesEligibility({ ...base, ...overrides })).toEqual({ livingSubsidy, nursingSubsidy });
  });

  it('refuses a bad today', () => {
    expect(() => disabilitySubsidiesEligibility({ ...base, today: '2025-02-29' })).toThrow(
      expect.objectContaining({ code: 'CALENDAR.INVALID_DATE' }),
    );
  });
});
