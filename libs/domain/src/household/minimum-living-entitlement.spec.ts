import fc from 'fast-check';
import { type Fen, fen } from '../money/fen.js';
import { household, TODAY, wages } from './household.fixtures.js';
import type { HouseholdMember } from './household.js';
import { type SpecialCategoryTopUps, minimumLivingEntitlement } from './minimum-living-entitlement.js';

/** Urumqi's last known urban standard, 380 yuan per person per month (2015 [S P20]). */
const STANDARD = fen(38_000);
const TOP_UPS: SpecialCategoryTopUps = {
  elderly: fen(1_200),
  minor: fen(1_200),
  severeDisability: fen(1_500),
  seriousIllness: fen(1_500),
};
const NO_TOP_UPS: SpecialCategoryTopUps = {
  elderly: fen(0),
  minor: fen(0),
  severeDisability: fen(0),
  seriousIllness: fen(0),
};

const severelyDisabled = { category: 'physical', grade: 1, certificate: { number: 'cert' } } as const;

describe('minimumLivingEntitlement: a worked example', () => {
  const subject = household([
    { birthDate: '1955-05-01', monthlyIncome: { netTransfer: fen(30_000) } }, // 70, elderly, a pension
    { relation: 'spouse', birthDate: '1960-08-01', disability: severelyDisabled }, // 64, elderly and grade 1
    { birthDate: '1990-01-01', monthlyIncome: { wages: fen(60_000), necessaryWorkCostDeduction: fen(4_900) } },
  ]);
  const result = minimumLivingEntitlement({
    standardPerPersonMonthly: STANDARD,
    household: subject,
    specialCategoryTopUps: TOP_UPS,
    today: TODAY,
  });

  it('pays the gap for every member plus one top-up per member in a special category', () => {
    expect(result).toMatchObject({ eligible: true, monthlyAmount: 31_602 });
  });

  it('explains the amount with its numbers', () => {
    expect(result.formula).toBe(
      'per-capita income = floor(851.00 ÷ 3) = 283.66; (380.00 − 283.66) × 3 = 289.02; ' +
        'top-ups: elderly 1 × 12.00 + severe disability 1 × 15.00 = 27.00; ' +
        'monthly amount = 289.02 + 27.00 = 316.02 yuan (社会救助暂行办法 art. 12)',
    );
  });

  it('breaks the amount down', () => {
    if (!result.eligible) throw new Error('expected an eligible household');
    expect(result.breakdown).toEqual({
      gapPerPerson: 9_634,
      baseAmount: 28_902,
      topUps: [
        { memberId: 'm1', categories: ['elderly'], applied: 'elderly', amount: 1_200 },
        { memberId: 'm2', categories: ['elderly', 'severeDisability'], applied: 'severeDisability', amount: 1_500 },
      ],
      topUpTotal: 2_700,
    });
  });

  it('records every parameter it used', () => {
    expect(result.parameters).toEqual({
      method: 'gap',
      legalBasis: '社会救助暂行办法 art. 12',
      today: TODAY,
      standardPerPersonMonthly: 38_000,
      specialCategoryTopUps: TOP_UPS,
      memberCount: 3,
      householdMonthlyIncome: 85_100,
      perCapitaMonthlyIncome: 28_366,
      perCapitaRounding: 'floor',
      topUpCombination: 'highest-per-member',
      elderlyFromAge: 60,
      minorBelowAge: 18,
      severeDisabilityGrades: [1, 2],
    });
  });

  it('is JSON-serialisable as it is stored on the case', () => {
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

describe('minimumLivingEntitlement: the income test', () => {
  it.each<[string, number[], boolean, number]>([
    ['no income at all', [0, 0], true, 76_000],
    ['one fen below the standard per person', [37_999, 37_999], true, 2],
    ['rounding down per-capita income keeps a household with 113 999 fen for 3 eligible', [113_999, 0, 0], true, 3],
    ['exactly at the standard', [38_000, 38_000], false, 0],
    ['above the standard', [100_000, 0], false, 0],
  ])('%s', (_, incomes, eligible, monthlyAmount) => {
    const result = minimumLivingEntitlement({
      standardPerPersonMonthly: STANDARD,
      household: household(incomes.map((amount) => ({ monthlyIncome: wages(amount) }))),
      specialCategoryTopUps: NO_TOP_UPS,
      today: TODAY,
    });
    expect(result.eligible).toBe(eligible);
    expect(result.monthlyAmount).toBe(monthlyAmount);
  });

  it('refuses a household at or above the standard with the reason, the formula and no top-up', () => {
    const result = minimumLivingEntitlement({
      standardPerPersonMonthly: STANDARD,
      household: household([{ monthlyIncome: wages(120_000), birthDate: '1940-01-01' }, {}, {}]),
      specialCategoryTopUps: TOP_UPS,
      today: TODAY,
    });
    expect(result).toMatchObject({ eligible: false, reason: 'INCOME_AT_OR_ABOVE_STANDARD', monthlyAmount: 0 });
    expect(result.formula).toBe(
      'per-capita income = floor(1200.00 ÷ 3) = 400.00 ≥ standard 380.00: ' +
        'income at or above the standard, not eligible (社会救助暂行办法 art. 9)',
    );
    expect('breakdown' in result).toBe(false);
  });
});

describe('minimumLivingEntitlement: top-ups', () => {
  const single = (overrides: Partial<HouseholdMember>, topUps: SpecialCategoryTopUps = TOP_UPS) =>
    minimumLivingEntitlement({
      standardPerPersonMonthly: STANDARD,
      household: household([overrides]),
      specialCategoryTopUps: topUps,
      today: TODAY,
    });

  it.each<[string, Partial<HouseholdMember>, string | undefined, number]>([
    ['none for a healthy adult', {}, undefined, 38_000],
    ['a minor', { birthDate: '2015-01-01' }, 'minor', 39_200],
    ['a seriously ill member', { health: 'serious-illness' }, 'seriousIllness', 39_500],
    [
      'the higher of elderly and serious illness',
      { birthDate: '1950-01-01', health: 'serious-illness' },
      'seriousIllness',
      39_500,
    ],
    [
      'severe disability with an expired certificate does not count',
      { disability: { ...severelyDisabled, certificate: { number: 'c', validUntil: '2024-12-31' } } },
      undefined,
      38_000,
    ],
  ])('%s', (_, overrides, applied, monthlyAmount) => {
    const result = single(overrides);
    expect(result.monthlyAmount).toBe(monthlyAmount);
    if (!result.eligible) throw new Error('expected an eligible household');
    expect(result.breakdown.topUps[0]?.applied).toBe(applied);
  });

  it('breaks a tie by the order of the categories (elderly before serious illness)', () => {
    const result = single(
      { birthDate: '1950-01-01', health: 'serious-illness' },
      { elderly: fen(1_000), minor: fen(0), severeDisability: fen(0), seriousIllness: fen(1_000) },
    );
    if (!result.eligible) throw new Error('expected an eligible household');
    expect(result.breakdown.topUps).toEqual([
      { memberId: 'm1', categories: ['elderly', 'seriousIllness'], applied: 'elderly', amount: 1_000 },
    ]);
  });

  it('says so when no member is in a special category', () => {
    expect(single({}).formula).toContain('top-ups: none = 0.00;');
  });
});

describe('minimumLivingEntitlement: refusals of bad input', () => {
  const base = {
    standardPerPersonMonthly: STANDARD,
    household: household([{}]),
    specialCategoryTopUps: TOP_UPS,
    today: TODAY,
  };

  it.each<[string, Partial<typeof base>, string, string]>([
    [
      'a negative standard',
      { standardPerPersonMonthly: -1 as Fen },
      'MONEY.NEGATIVE_AMOUNT',
      'standardPerPersonMonthly',
    ],
    [
      'a fractional standard',
      { standardPerPersonMonthly: 380.5 as Fen },
      'MONEY.NOT_INTEGER_FEN',
      'standardPerPersonMonthly',
    ],
    [
      'a fractional top-up',
      { specialCategoryTopUps: { ...TOP_UPS, minor: 12.5 as Fen } },
      'MONEY.NOT_INTEGER_FEN',
      'specialCategoryTopUps.minor',
    ],
    ['no members', { household: household([]) }, 'HOUSEHOLD.NO_MEMBERS', 'members'],
    [
      'a birth date after today',
      { household: household([{}, { birthDate: '2026-01-01' }]) },
      'HOUSEHOLD.BAD_BIRTH_DATE',
      'members[1].birthDate',
    ],
    ['a bad today', { today: '30/06/2025' }, 'CALENDAR.INVALID_DATE', 'today'],
  ])('refuses %s', (_, overrides, code, field) => {
    expect(() => minimumLivingEntitlement({ ...base, ...overrides })).toThrow(
      expect.objectContaining({ code, details: expect.objectContaining({ field }) }),
    );
  });
});

describe('minimumLivingEntitlement: properties', () => {
  const amount = (max: number) => fc.nat({ max }).map((n) => fen(n));
  const arbitraryMember: fc.Arbitrary<Partial<HouseholdMember>> = fc.record({
    birthDate: fc
      .date({ min: new Date('1920-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10)),
    health: fc.constantFrom('healthy', 'chronic-illness', 'serious-illness'),
    monthlyIncome: fc.record(
      {
        wages: amount(300_000),
        netBusiness: amount(100_000),
        netProperty: amount(20_000),
        netTransfer: amount(60_000),
        other: amount(10_000),
        necessaryWorkCostDeduction: amount(50_000),
      },
      { requiredKeys: [] },
    ),
  });
  const withDisability = fc
    .tuple(arbitraryMember, fc.option(fc.constantFrom(1, 2, 3, 4), { nil: undefined }))
    .map(([overrides, grade]): Partial<HouseholdMember> =>
      grade === undefined
        ? overrides
        : { ...overrides, disability: { category: 'physical', grade, certificate: { number: 'c' } } },
    );
  const input = fc.record({
    members: fc.array(withDisability, { minLength: 1, maxLength: 8 }),
    standard: amount(200_000),
    topUps: fc.record({
      elderly: amount(10_000),
      minor: amount(10_000),
      severeDisability: amount(10_000),
      seriousIllness: amount(10_000),
    }),
  });

  it('is never negative, always a whole number of fen, and exactly gap × members + top-ups', () => {
    fc.assert(
      fc.property(input, ({ members, standard, topUps }) => {
        const result = minimumLivingEntitlement({
          standardPerPersonMonthly: standard,
          household: household(members),
          specialCategoryTopUps: topUps,
          today: TODAY,
        });
        const n = members.length;
        const { perCapitaMonthlyIncome: perCapita, householdMonthlyIncome: total } = result.parameters;
        if (!Number.isSafeInteger(result.monthlyAmount) || result.monthlyAmount < 0) return false;
        if (!result.eligible) return perCapita >= standard && result.monthlyAmount === 0;
        const maxTopUp = Math.max(topUps.elderly, topUps.minor, topUps.severeDisability, topUps.seriousIllness);
        return (
          perCapita < standard &&
          result.monthlyAmount === (standard - perCapita) * n + result.breakdown.topUpTotal &&
          // rounding per-capita income down never leaves the household below the standard
          total + result.breakdown.baseAmount >= standard * n &&
          result.monthlyAmount <= standard * n + maxTopUp * n
        );
      }),
    );
  });
});
