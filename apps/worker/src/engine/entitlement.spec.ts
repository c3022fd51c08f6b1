import { defineParameter, scheduleOf, STANDARD_PARAMETERS } from '@minsheng/domain';
import { entitlementFor, withGrant } from './entitlement.js';
import { entitlementRecord } from './entitlement-record.js';

/** Noon in Urumqi on 2026-06-01 (China Standard Time). */
const NOW = new Date('2026-06-01T04:00:00Z');
const WAGE = defineParameter({
  key: 'unemployment-benefit.minimum-wage',
  itemCode: 'BPS-032',
  value: 190_000,
  unit: 'fen-per-person-per-month',
  bound: 'exact',
  validFrom: '2026-01-01',
  validTo: null,
  source: 'test',
  evidence: 'S',
});

describe('entitlementFor: the amount a grant stores, from the published parameters (docs/domain.md §7)', () => {
  it('computes 特困 support from the self-care level the confirmation recorded', () => {
    const stored = entitlementFor(
      { kind: 'extreme-poverty-support', details: { selfCareLevel: 'unknown', supportForm: 'home' } },
      { householdRegistrationType: 'urban' },
      NOW,
      STANDARD_PARAMETERS,
    );
    // ⌈1.3 × 380.00⌉, no care amount nobody assessed; the multiple is [R] and the standard stale: provisional.
    expect(stored).toMatchObject({
      kind: 'extreme-poverty-support',
      monthlyAmountFen: 49_400,
      careFen: 0,
      selfCareFrom: 'not assessed: no care amount',
      provisional: true,
    });
  });

  it('stores each disability subsidy at the standard in force on the day of the decision, and both together', () => {
    const living = entitlementFor({ kind: 'disability-living-subsidy' }, {}, NOW, STANDARD_PARAMETERS);
    const nursing = entitlementFor({ kind: 'disability-nursing-subsidy' }, {}, NOW, STANDARD_PARAMETERS);
    expect(living).toMatchObject({ monthlyAmountFen: 14_000, provisional: false });
    expect(living['parameterSources']).toEqual([
      expect.objectContaining({ key: 'disability-subsidies.living-subsidy', on: '2026-06-01', source: 'C1' }),
    ]);
    expect(withGrant(withGrant(null, living), nursing)).toMatchObject({
      kind: 'grants',
      grants: [living, nursing],
      monthlyAmountFen: 28_000,
      provisional: false,
    });
  });

  it('computes 失业保险金 from the contributions the review recorded', () => {
    const stored = entitlementFor(
      { kind: 'unemployment-benefit' },
      { findings: { review: { contributionMonths: 130 } } },
      NOW,
      [...STANDARD_PARAMETERS, WAGE],
    );
    expect(stored).toMatchObject({ monthlyAmountFen: 171_000, months: 24 });
  });

  it('adds the months not drawn from an earlier benefit, at most 24 in all (失业保险条例 art. 17)', () => {
    const months = (contributionMonths: number, remainingMonths: number) =>
      entitlementFor(
        { kind: 'unemployment-benefit' },
        { findings: { review: { contributionMonths, remainingMonths } } },
        NOW,
        [...STANDARD_PARAMETERS, WAGE],
      )['months'];
    expect(months(36, 6)).toBe(18);
    expect(months(70, 10)).toBe(24);
    expect(months(36, 0)).toBe(12);
  });

  it('throws a typed, permanent error for a parameter with no value, never a plain Error', () => {
    expect(() => entitlementFor({ kind: 'unemployment-benefit' }, {}, NOW, STANDARD_PARAMETERS)).toThrow(
      expect.objectContaining({ code: 'PARAMETER.NOT_IN_FORCE', key: 'unemployment-benefit.minimum-wage' }),
    );
  });

  it('keeps the temporary-assistance caps fixed at intake with the approved amount', () => {
    const caps = [{ key: 'temporary-assistance.regional-urban-standard', provisional: true }];
    const stored = entitlementFor(
      { kind: 'temporary-assistance', amountFen: 120_000, instalments: 2 },
      { procedureInput: { capFen: 190_000, majorCaseCapFen: 3_000_000 }, procedureInputParameters: caps },
      NOW,
      STANDARD_PARAMETERS,
    );
    expect(stored).toMatchObject({ amountFen: 120_000, instalments: 2, parameterSources: caps, provisional: true });
    expect(stored['formula']).toContain('190000');
  });

  it('makes 临时救助 v3 an instalment schedule the run pays from the approval month, the relief left out', () => {
    const stored = entitlementFor(
      {
        kind: 'temporary-assistance',
        amountFen: 200_000,
        instalments: 3,
        instalmentsFen: [50_001, 50_000, 49_999],
        details: { assistanceType: 'emergency', reliefGivenFen: 50_000 },
      },
      {},
      NOW,
      STANDARD_PARAMETERS,
    );
    const record = entitlementRecord(stored, NOW);
    expect(record).toMatchObject({
      kind: 'temporary-assistance',
      schedule: 'instalments',
      monthlyAmountFen: 50_001,
      startMonth: '2026-06',
      endMonth: '2026-08',
      basis: {
        approvedAmountFen: 200_000,
        reliefGivenFen: 50_000,
        instalments: [
          { instalment: 1, month: '2026-06', amountFen: 50_001 },
          { instalment: 2, month: '2026-07', amountFen: 50_000 },
          { instalment: 3, month: '2026-08', amountFen: 49_999 },
        ],
      },
    });
  });

  it('keeps a 临时救助 paid at once one-off, and every monthly kind monthly', () => {
    const once = entitlementFor(
      {
        kind: 'temporary-assistance',
        amountFen: 80_000,
        instalments: 1,
        instalmentsFen: [80_000],
        details: { assistanceType: 'emergency', reliefGivenFen: 0 },
      },
      {},
      NOW,
      STANDARD_PARAMETERS,
    );
    expect(entitlementRecord(once, NOW)).toMatchObject({
      schedule: 'one-off',
      startMonth: '2026-06',
      endMonth: '2026-06',
    });
    expect(scheduleOf('temporary-assistance', 2)).toBe('instalments');
    expect(scheduleOf('temporary-assistance', 1)).toBe('one-off');
    expect(scheduleOf('minimum-living-allowance', 3)).toBe('monthly');
  });

  it('writes no 临时救助 record the run would pay when the payment tasks pay (v1, v2) or the relief covered it', () => {
    const v2 = entitlementFor({ kind: 'temporary-assistance', amountFen: 200_000, instalments: 2 }, {}, NOW, []);
    expect(entitlementRecord(v2, NOW)).toBeNull();
    const covered = entitlementFor(
      { kind: 'temporary-assistance', amountFen: 50_000, instalments: 0, instalmentsFen: [] },
      {},
      NOW,
      [],
    );
    expect(entitlementRecord(covered, NOW)).toBeNull();
  });
});
