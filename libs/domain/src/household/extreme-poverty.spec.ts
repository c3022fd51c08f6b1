import { type Fen, fen } from '../money/fen.js';
import {
  EXTREME_POVERTY_RULES,
  type ExtremePovertyDecision,
  type ExtremePovertyInput,
  extremePovertyEligibility,
} from './extreme-poverty.js';
import { dutyBearer, member, TODAY, wages } from './household.fixtures.js';
import type { Disability, HouseholdMember } from './household.js';

const STANDARD = fen(38_000);
const certificate = { number: 'cert' };
const disabled = (category: Disability['category'], grade: Disability['grade']): Partial<HouseholdMember> => ({
  disability: { category, grade, certificate },
});

const input = (
  person: Partial<HouseholdMember>,
  overrides: Partial<ExtremePovertyInput> = {},
): ExtremePovertyInput => ({
  person: member({ workCapacity: 'full', ...person }),
  standardPerPersonMonthly: STANDARD,
  assetsWithinLocalRules: true,
  dutyBearers: [],
  today: TODAY,
  ...overrides,
});

const ELDERLY = { birthDate: '1950-01-01' };

describe('extremePovertyEligibility', () => {
  it.each<[string, ExtremePovertyInput, ExtremePovertyDecision]>([
    ['an elderly person alone, without income', input(ELDERLY), { eligible: true, targetGroups: ['elderly'] }],
    ['60 today', input({ birthDate: '1965-06-30' }), { eligible: true, targetGroups: ['elderly'] }],
    ['a child of 15', input({ birthDate: '2010-01-01' }), { eligible: true, targetGroups: ['minor'] }],
    [
      '16 today (not a minor under 16 any more, and able to work)',
      input({ birthDate: '2009-06-30' }),
      { eligible: false, targetGroups: [], reasons: ['NOT_IN_TARGET_GROUP', 'HAS_WORK_CAPACITY'] },
    ],
    [
      'grade 3 intellectual disability',
      input(disabled('intellectual', 3)),
      { eligible: true, targetGroups: ['disabled'] },
    ],
    [
      'grade 3 psychiatric disability',
      input(disabled('psychiatric', 3)),
      { eligible: true, targetGroups: ['disabled'] },
    ],
    ['grade 2 physical disability', input(disabled('physical', 2)), { eligible: true, targetGroups: ['disabled'] }],
    ['grade 1 visual disability', input(disabled('visual', 1)), { eligible: true, targetGroups: ['disabled'] }],
    [
      'grade 3 physical disability, assessed able to work',
      input(disabled('physical', 3)),
      { eligible: false, targetGroups: ['disabled'], reasons: ['HAS_WORK_CAPACITY'] },
    ],
    [
      'grade 2 visual disability, assessed able to work',
      input(disabled('visual', 2)),
      { eligible: false, targetGroups: ['disabled'], reasons: ['HAS_WORK_CAPACITY'] },
    ],
    [
      'grade 3 physical disability, assessed unable to work',
      input({ ...disabled('physical', 3), workCapacity: 'none' }),
      { eligible: true, targetGroups: ['disabled'] },
    ],
    [
      'grade 1 hearing disability with an expired certificate',
      input({ disability: { category: 'hearing', grade: 1, certificate: { number: 'c', validUntil: '2025-01-01' } } }),
      { eligible: false, targetGroups: [], reasons: ['NOT_IN_TARGET_GROUP', 'HAS_WORK_CAPACITY'] },
    ],
    [
      'an adult of working age unable to work but in no target group',
      input({ workCapacity: 'none' }),
      { eligible: false, targetGroups: [], reasons: ['NOT_IN_TARGET_GROUP'] },
    ],
    [
      'an elderly person with an income just below the standard',
      input({ ...ELDERLY, monthlyIncome: wages(37_999) }),
      { eligible: true, targetGroups: ['elderly'] },
    ],
    [
      'an elderly person with an income at the standard',
      input({ ...ELDERLY, monthlyIncome: wages(38_000) }),
      { eligible: false, targetGroups: ['elderly'], reasons: ['INCOME_AT_OR_ABOVE_STANDARD'] },
    ],
    [
      'an elderly person with assets above the local rules',
      input(ELDERLY, { assetsWithinLocalRules: false }),
      { eligible: false, targetGroups: ['elderly'], reasons: ['ASSETS_ABOVE_LOCAL_RULES'] },
    ],
    [
      'an elderly person whose son is able to support him',
      input(ELDERLY, { dutyBearers: [dutyBearer(), dutyBearer({ capableOfSupport: true })] }),
      { eligible: false, targetGroups: ['elderly'], reasons: ['HAS_CAPABLE_DUTY_BEARER'] },
    ],
    [
      'an elderly person whose duty-bearers cannot support him',
      input(ELDERLY, { dutyBearers: [dutyBearer(), dutyBearer({ duty: 'mutual-support' })] }),
      { eligible: true, targetGroups: ['elderly'] },
    ],
    [
      'an elderly disabled person',
      input({ ...ELDERLY, ...disabled('physical', 4) }),
      { eligible: true, targetGroups: ['elderly', 'disabled'] },
    ],
    [
      'every reason at once',
      input(
        { monthlyIncome: wages(500_000) },
        { assetsWithinLocalRules: false, dutyBearers: [dutyBearer({ capableOfSupport: true })] },
      ),
      {
        eligible: false,
        targetGroups: [],
        reasons: [
          'NOT_IN_TARGET_GROUP',
          'HAS_WORK_CAPACITY',
          'INCOME_AT_OR_ABOVE_STANDARD',
          'ASSETS_ABOVE_LOCAL_RULES',
          'HAS_CAPABLE_DUTY_BEARER',
        ],
      },
    ],
  ])('%s', (_, subject, expected) => {
    expect(extremePovertyEligibility(subject)).toEqual(expected);
  });

  it('keeps the thresholds as data with their evidence', () => {
    expect(EXTREME_POVERTY_RULES.elderlyFromAge).toEqual({ value: 60, evidence: 'R', source: '民发〔2021〕43号' });
    expect(EXTREME_POVERTY_RULES.minorBelowAge).toEqual({ value: 16, evidence: 'V', source: 'L1 art. 14' });
  });

  it.each<[string, Partial<ExtremePovertyInput>, string, string]>([
    [
      'a negative standard',
      { standardPerPersonMonthly: -1 as Fen },
      'MONEY.NEGATIVE_AMOUNT',
      'standardPerPersonMonthly',
    ],
    ['a bad today', { today: '2025-06-31' }, 'CALENDAR.INVALID_DATE', 'today'],
    [
      'a birth date after today',
      { person: member({ birthDate: '2025-07-01' }) },
      'HOUSEHOLD.BAD_BIRTH_DATE',
      'person.birthDate',
    ],
    [
      'a negative income',
      { person: member({ ...ELDERLY, monthlyIncome: { other: -5 as Fen } }) },
      'MONEY.NEGATIVE_AMOUNT',
      'person.monthlyIncome.other',
    ],
  ])('refuses %s', (_, overrides, code, field) => {
    expect(() => extremePovertyEligibility({ ...input(ELDERLY), ...overrides })).toThrow(
      expect.objectContaining({ code, details: expect.objectContaining({ field }) }),
    );
  });
});
