import { withCheckDigit } from '../identity/check-character.js';
import { type Fen, fen } from '../money/fen.js';
import type { DutyBearer, Household, HouseholdMember } from './household.js';

/** Builders for household tests: a healthy working-age head with no income unless told otherwise. */
export const TODAY = '2025-06-30';

export function member(overrides: Partial<HouseholdMember> = {}): HouseholdMember {
  return {
    id: 'm1',
    name: '测试成员',
    idNumber: withCheckDigit('65010219900101123'),
    relation: 'head',
    birthDate: '1990-01-01',
    health: 'healthy',
    workCapacity: 'full',
    monthlyIncome: {},
    ...overrides,
  };
}

/** Members get ids m1, m2, … in order unless they carry their own. */
export function household(members: readonly Partial<HouseholdMember>[], overrides: Partial<Household> = {}): Household {
  return {
    members: members.map((overridesOfMember, index) =>
      member({ id: `m${index + 1}`, relation: index === 0 ? 'head' : 'child', ...overridesOfMember }),
    ),
    essentialSpendingLast12Months: {
      medical: fen(0),
      education: fen(0),
      disabilityRehabilitation: fen(0),
      disasterOrAccident: fen(0),
      other: fen(0),
    },
    assets: { vehicles: [], houses: [] },
    dutyBearers: [],
    ...overrides,
  };
}

export function dutyBearer(overrides: Partial<DutyBearer> = {}): DutyBearer {
  return {
    name: '赡养人',
    duty: 'elder-support',
    familySize: 3,
    monthlyIncome: fen(300_000),
    maintenancePaidMonthly: fen(0),
    capableOfSupport: false,
    ...overrides,
  };
}

/** Monthly wages in fen, as a member's only income. */
export function wages(amount: number): HouseholdMember['monthlyIncome'] {
  return { wages: fen(amount) as Fen };
}
