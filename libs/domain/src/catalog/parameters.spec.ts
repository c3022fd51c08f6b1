import fc from 'fast-check';
import { isConfirmed } from './evidence.js';
import {
  defineParameter,
  parameterHistory,
  parameterValueAt,
  PARAMETER_UNITS,
  type StandardParameter,
} from './parameters.js';
import { STANDARD_PARAMETERS } from './standard-parameters.js';

const valueAt = (key: string, date: string): number | undefined =>
  parameterValueAt(STANDARD_PARAMETERS, key, date)?.value;

describe('parameterValueAt', () => {
  it.each([
    ['disability-subsidies.living-subsidy', '2025-12-31', 12000],
    ['disability-subsidies.living-subsidy', '2026-01-01', 14000],
    ['disability-subsidies.nursing-subsidy', '2020-06-01', 12000],
    ['disability-subsidies.nursing-subsidy', '2030-01-01', 14000],
    ['senior-secondary-grant.average', '2024-09-01', 200000],
    ['senior-secondary-grant.average', '2025-03-01', 230000],
    ['vocational-grant.average', '2025-01-01', 230000],
    ['minimum-living.standard.urban', '2015-01-01', 38000],
    ['minimum-living.standard.rural', '2020-01-01', 19500],
    ['minimum-living.special-category-top-up.urban', '2016-01-01', 1200],
    ['minimum-living.special-category-top-up.rural', '2016-01-01', 700],
    ['temporary-assistance.cap.emergency', '2024-01-01', 5],
    ['temporary-assistance.cap.expenditure', '2024-01-01', 8],
    ['temporary-assistance.cap.major-case', '2024-01-01', 3000000],
    ['extreme-poverty.basic-standard-multiple', '2024-01-01', 1.3],
    ['winter-heating.annual-amount', '2014-11-01', 110000],
    ['free-bus.rides-per-month', '2016-01-01', 120],
  ])('%s on %s is %p', (key, date, expected) => {
    expect(valueAt(key, date)).toBe(expected);
  });

  it.each([
    ['minimum-living.standard.urban', '2014-12-31'],
    ['free-bus.rides-per-month', '2015-12-31'],
    ['unemployment-benefit.tier-increase', '2021-12-31'],
    ['no-such.parameter', '2024-01-01'],
  ])('has no value of %s on %s', (key, date) => {
    expect(parameterValueAt(STANDARD_PARAMETERS, key, date)).toBeUndefined();
  });

  it.each(['2024-1-01', '2024-13-01', '20240101', '2024-01-32', ''])('rejects the malformed date %p', (date) => {
    expect(() => parameterValueAt(STANDARD_PARAMETERS, 'minimum-living.standard.urban', date)).toThrow(
      expect.objectContaining({ code: 'PARAMETER.INVALID_DATE', details: { field: 'date' } }),
    );
  });

  it('refuses data with two values in force on one day', () => {
    const base = {
      key: 'k',
      itemCode: 'BPS-064',
      unit: 'fen-per-person-per-month',
      bound: 'exact',
      validTo: null,
      source: 'test',
      evidence: 'S',
    } as const;
    const overlapping = [
      defineParameter({ ...base, value: 1, validFrom: '2020-01-01' }),
      defineParameter({ ...base, value: 2, validFrom: '2021-01-01' }),
    ];
    expect(parameterValueAt(overlapping, 'k', '2020-06-01')?.value).toBe(1);
    expect(() => parameterValueAt(overlapping, 'k', '2021-06-01')).toThrow(
      expect.objectContaining({ code: 'PARAMETER.OVERLAPPING_PERIODS' }),
    );
  });

  it('picks, for any date, the record whose period contains it (validFrom inclusive, validTo exclusive)', () => {
    const boundaries = ['2019-01-01', '2021-07-01', '2024-03-15'];
    const history = [null, ...boundaries].map((validFrom, i) =>
      defineParameter({
        key: 'k',
        itemCode: 'BPS-064',
        value: i,
        unit: 'fen-per-person-per-month',
        bound: 'exact',
        validFrom,
        validTo: boundaries[i] ?? null,
        source: 'test',
        evidence: 'V',
      }),
    );
    const isoDate = fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(isoDate, (date) => {
        const expected = boundaries.filter((boundary) => boundary <= date).length;
        expect(parameterValueAt(history, 'k', date)?.value).toBe(expected);
      }),
    );
  });
});

describe('parameterHistory', () => {
  it('lists the records of a key oldest first, the one with an unknown start first', () => {
    const history = parameterHistory(STANDARD_PARAMETERS, 'disability-subsidies.living-subsidy');
    expect(history.map((p) => [p.validFrom, p.validTo, p.value])).toEqual([
      [null, '2026-01-01', 12000],
      ['2026-01-01', null, 14000],
    ]);
    expect(parameterHistory(STANDARD_PARAMETERS, 'no-such.parameter')).toEqual([]);
  });

  it('does not reorder the data it is given', () => {
    const before = STANDARD_PARAMETERS.map((p) => p.key);
    parameterHistory(STANDARD_PARAMETERS, 'senior-secondary-grant.average');
    expect(STANDARD_PARAMETERS.map((p) => p.key)).toEqual(before);
  });
});

describe('the standard parameters data', () => {
  const byKey = new Map<string, StandardParameter[]>();
  for (const p of STANDARD_PARAMETERS) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p]);

  it.each([...byKey.entries()])('%s has contiguous, non-overlapping periods', (_key, records) => {
    const sorted = [...records].sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''));
    sorted.forEach((record, i) => {
      if (record.validFrom !== null && record.validTo !== null) expect(record.validFrom < record.validTo).toBe(true);
      const next = sorted[i + 1];
      if (next !== undefined) expect(record.validTo).toBe(next.validFrom);
    });
    expect(sorted.filter((r) => r.validFrom === null).length).toBeLessThanOrEqual(1);
  });

  it.each(STANDARD_PARAMETERS.map((p) => [p.key, p.validFrom, p] as const))(
    '%s (from %s) is well formed',
    (_key, _from, p) => {
      expect(PARAMETER_UNITS).toContain(p.unit);
      expect(p.confirmed).toBe(isConfirmed(p.evidence));
      expect(p.source).not.toBe('');
      if (p.unit.startsWith('fen-')) expect(Number.isSafeInteger(p.value)).toBe(true);
      expect(p.value).toBeGreaterThan(0);
      for (const date of [p.validFrom, p.validTo]) if (date !== null) expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    },
  );

  it('marks only V and S values as confirmed', () => {
    expect(STANDARD_PARAMETERS.find((p) => p.key === 'minimum-living.standard.urban')?.confirmed).toBe(true);
    expect(STANDARD_PARAMETERS.find((p) => p.key === 'extreme-poverty.basic-standard-multiple')?.confirmed).toBe(false);
    expect(STANDARD_PARAMETERS.find((p) => p.key === 'unemployment-benefit.ratio-to-minimum-wage')?.confirmed).toBe(
      false,
    );
    expect(STANDARD_PARAMETERS.find((p) => p.key === 'rural-family-planning-reward.annual')?.confirmed).toBe(false);
  });
});

describe('isConfirmed', () => {
  it.each([
    ['V', true],
    ['S', true],
    ['R', false],
    ['G', false],
    ['unknown', false],
  ] as const)('%s → %p', (evidence, expected) => {
    expect(isConfirmed(evidence)).toBe(expected);
    expect(
      defineParameter({
        key: 'k',
        itemCode: 'BPS-001',
        value: 1,
        unit: 'months',
        bound: 'exact',
        validFrom: null,
        validTo: null,
        source: 's',
        evidence,
      }).confirmed,
    ).toBe(expected);
  });
});
