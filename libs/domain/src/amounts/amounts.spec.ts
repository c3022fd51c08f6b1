import { defineParameter, type StandardParameterDefinition } from '../catalog/parameters.js';
import { STANDARD_PARAMETERS } from '../catalog/standard-parameters.js';
import {
  disabilitySubsidyAmount,
  extremePovertySupport,
  temporaryAssistanceCaps,
  unemploymentBenefit,
} from './amounts.js';
import { decimalRatio, ParameterNotInForceError } from './parameter-use.js';

const value = (definition: Partial<StandardParameterDefinition> & Pick<StandardParameterDefinition, 'key' | 'value'>) =>
  defineParameter({
    itemCode: 'BPS-066',
    unit: 'fen-per-person-per-month',
    bound: 'exact',
    validFrom: '2026-01-01',
    validTo: null,
    source: 'test',
    evidence: 'S',
    ...definition,
  });

const CARE = [
  value({ key: 'extreme-poverty.care.partly-unable', value: 30_000 }),
  value({ key: 'extreme-poverty.care.fully-unable', value: 60_000 }),
];
const WAGE = value({ key: 'unemployment-benefit.minimum-wage', itemCode: 'BPS-032', value: 190_000 });

describe('特困 support (docs/domain.md §7.2)', () => {
  it('pays ⌈1.3 × the 低保 standard⌉ and no care to a fully self-caring person', () => {
    const amount = extremePovertySupport({
      parameters: STANDARD_PARAMETERS,
      area: 'rural',
      selfCare: 'full',
      on: '2026-06-01',
    });
    // ⌈1.3 × 195.00⌉ = 253.50; the multiple is [R], so the amount is provisional.
    expect(amount).toMatchObject({ monthlyAmountFen: 25_350, basicLivingFen: 25_350, careFen: 0, provisional: true });
    expect(amount.parameters.map((p) => p.key)).toEqual([
      'minimum-living.standard.rural',
      'extreme-poverty.basic-standard-multiple',
    ]);
  });

  it.each([
    ['partial', 30_000],
    ['none', 60_000],
  ] as const)('adds the published care standard of self-care level %s', (selfCare, care) => {
    const amount = extremePovertySupport({
      parameters: [...STANDARD_PARAMETERS, ...CARE],
      area: 'urban',
      selfCare,
      on: '2026-06-01',
    });
    expect(amount.careFen).toBe(care);
    expect(amount.monthlyAmountFen).toBe(49_400 + care); // 1.3 × 380.00 = 494.00
    expect(amount.formula).toContain(`self-care: ${selfCare}`);
  });

  it('refuses to guess a care standard nobody published', () => {
    expect(() =>
      extremePovertySupport({ parameters: STANDARD_PARAMETERS, area: 'urban', selfCare: 'none', on: '2026-06-01' }),
    ).toThrow(ParameterNotInForceError);
  });
});

describe('两项补贴 (docs/domain.md §7.3)', () => {
  it.each([
    ['2025-12-31', 12_000],
    ['2026-01-01', 14_000],
  ])('pays the standard in force on %s', (on, expected) => {
    for (const subsidy of ['living', 'nursing'] as const) {
      const amount = disabilitySubsidyAmount({ parameters: STANDARD_PARAMETERS, subsidy, on });
      expect(amount.monthlyAmountFen).toBe(expected);
      expect(amount.parameters[0]).toMatchObject({ on, source: 'C1', evidence: 'S', provisional: false });
    }
  });
});

describe('失业保险金 (docs/domain.md §7.5)', () => {
  it.each([
    [11, null],
    [12, 12],
    [59, 12],
    [60, 18],
    [119, 18],
    [120, 24],
    [400, 24],
  ])('gives %s months of contributions a benefit period of %s months', (contributionMonths, months) => {
    const amount = unemploymentBenefit({
      parameters: [...STANDARD_PARAMETERS, WAGE],
      contributionMonths,
      on: '2026-06-01',
    });
    expect(amount.months).toBe(months);
    expect(amount.monthlyAmountFen).toBe(171_000); // ⌊0.9 × 1,900.00⌋
  });

  it('is never below the urban 低保 standard', () => {
    const low = value({ key: 'unemployment-benefit.minimum-wage', itemCode: 'BPS-032', value: 40_000 });
    const amount = unemploymentBenefit({
      parameters: [...STANDARD_PARAMETERS, low],
      contributionMonths: 24,
      on: '2026-06-01',
    });
    expect(amount.monthlyAmountFen).toBe(38_000); // 0.9 × 400.00 = 360.00 < 380.00
  });

  it('fails without a published minimum wage, naming the parameter and the day', () => {
    expect(() =>
      unemploymentBenefit({ parameters: STANDARD_PARAMETERS, contributionMonths: 24, on: '2026-06-01' }),
    ).toThrow(expect.objectContaining({ code: 'PARAMETER.NOT_IN_FORCE', key: 'unemployment-benefit.minimum-wage' }));
  });

  it('is provisional without a recorded contribution period', () => {
    const amount = unemploymentBenefit({
      parameters: [...STANDARD_PARAMETERS, WAGE],
      contributionMonths: undefined,
      on: '2026-06-01',
    });
    expect(amount).toMatchObject({ months: null, provisional: true });
  });
});

describe('临时救助 caps (docs/domain.md §7.4)', () => {
  it('multiplies the regional standard, and flags the stand-in as provisional', () => {
    const caps = temporaryAssistanceCaps({ parameters: STANDARD_PARAMETERS, type: 'emergency', on: '2026-06-01' });
    expect(caps).toMatchObject({ capFen: 190_000, majorCaseCapFen: 3_000_000, provisional: true });
    expect(caps.parameters[0]).toMatchObject({ key: 'temporary-assistance.regional-urban-standard', evidence: 'G' });
  });

  it('uses a published regional standard once there is one', () => {
    const regional = value({
      key: 'temporary-assistance.regional-urban-standard',
      itemCode: 'BPS-069',
      value: 60_000,
      validFrom: '2026-03-01',
    });
    const parameters = [
      ...STANDARD_PARAMETERS.map((p) => (p.key === regional.key ? { ...p, validTo: '2026-03-01' } : p)),
      regional,
    ];
    const caps = temporaryAssistanceCaps({ parameters, type: 'expenditure', on: '2026-06-01' });
    expect(caps).toMatchObject({ capFen: 480_000, provisional: false });
  });
});

describe('decimalRatio', () => {
  it.each([
    [1.3, 13, 10],
    [0.9, 9, 10],
    [5, 5, 1],
    [0.125, 125, 1000],
  ])('reads %s as %s / %s', (decimal, numerator, denominator) => {
    expect(decimalRatio(decimal, 'x')).toEqual({ numerator, denominator });
  });

  it('refuses a negative share', () => {
    expect(() => decimalRatio(-1, 'x')).toThrow(expect.objectContaining({ code: 'PARAMETER.BAD_VALUE' }));
  });
});
