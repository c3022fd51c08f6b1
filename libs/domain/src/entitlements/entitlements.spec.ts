import { fen } from '../money/fen.js';
import { type StandardParameter } from '../catalog/parameters.js';
import {
  addMonths,
  amountForMonth,
  endMonth,
  isPayable,
  minimumLivingAmountUnder,
  startMonth,
  statusAfter,
  yearMonth,
} from './index.js';

const month = (value: string) => yearMonth(value);

describe('months', () => {
  it('moves across years both ways', () => {
    expect(addMonths(month('2027-11'), 3)).toBe('2028-02');
    expect(addMonths(month('2027-01'), -1)).toBe('2026-12');
    expect(addMonths(month('2027-06'), 0)).toBe('2027-06');
  });

  it('refuses what is not a month, naming the field', () => {
    expect(() => yearMonth('2027-13', 'from')).toThrow(expect.objectContaining({ code: 'VALIDATION.FAILED' }));
    expect(() => yearMonth('2027-1')).toThrow('month must be a month YYYY-MM');
  });
});

describe('which months an entitlement pays', () => {
  it('starts a monthly benefit the month after approval, a one-off payment in its own month', () => {
    expect(startMonth('minimum-living-allowance', '2027-01-31')).toBe('2027-02');
    expect(startMonth('minimum-living-allowance', '2027-12-01')).toBe('2028-01');
    expect(startMonth('temporary-assistance', '2027-01-31')).toBe('2027-01');
  });

  it('ends unemployment benefit after its months and a one-off payment in its month', () => {
    expect(endMonth('unemployment-benefit', month('2027-02'), 12)).toBe('2028-01');
    expect(endMonth('temporary-assistance', month('2027-02'), null)).toBe('2027-02');
    expect(endMonth('minimum-living-allowance', month('2027-02'), null)).toBeNull();
  });

  it('pays active and gradual-exit entitlements within their months, never suspended or ended ones', () => {
    const base = { startMonth: month('2027-02'), endMonth: month('2027-04') };
    expect(isPayable({ ...base, status: 'active' }, month('2027-01'))).toBe(false);
    expect(isPayable({ ...base, status: 'active' }, month('2027-02'))).toBe(true);
    expect(isPayable({ ...base, status: 'gradual-exit' }, month('2027-04'))).toBe(true);
    expect(isPayable({ ...base, status: 'gradual-exit' }, month('2027-05'))).toBe(false);
    expect(isPayable({ ...base, status: 'suspended' }, month('2027-03'))).toBe(false);
    expect(isPayable({ ...base, status: 'ended' }, month('2027-03'))).toBe(false);
    expect(isPayable({ ...base, endMonth: null, status: 'active' }, month('2099-12'))).toBe(true);
  });
});

describe('a new 低保 standard', () => {
  const basis = {
    standardKey: 'minimum-living.standard.urban',
    standardFen: 60_000,
    memberCount: 2,
    perCapitaIncomeFen: 20_000,
    topUpTotalFen: 1_200,
  };

  it('applies the gap method to the new standard, with the top-ups while the gap is positive', () => {
    expect(minimumLivingAmountUnder(basis, 60_000)).toBe(fen(81_200));
    expect(minimumLivingAmountUnder(basis, 65_000)).toBe(fen(91_200));
    expect(minimumLivingAmountUnder(basis, 20_000)).toBe(fen(0));
  });

  const parameter = (value: number, validFrom: string, validTo: string | null): StandardParameter =>
    ({
      key: basis.standardKey,
      itemCode: 'BPS-064',
      value,
      unit: 'fen-per-person-per-month',
      bound: 'exact',
      validFrom,
      validTo,
      source: 'test',
      evidence: 'S',
      note: null,
      confirmed: true,
    }) as unknown as StandardParameter;

  it('pays the standard in force on the first day of each month: the new one from its month only', () => {
    const parameters = [parameter(60_000, '2020-01-01', '2027-03-15'), parameter(65_000, '2027-03-15', null)];
    const entitlement = { kind: 'minimum-living-allowance', monthlyAmountFen: 81_200, basis: { minimumLiving: basis } };
    expect(amountForMonth(entitlement, month('2027-03'), parameters)).toEqual({ amountFen: 81_200, parameter: null });
    const april = amountForMonth(entitlement, month('2027-04'), parameters);
    expect(april.amountFen).toBe(91_200);
    expect(april.parameter).toMatchObject({ key: basis.standardKey, value: 65_000, on: '2027-04-01' });
  });

  it('pays other kinds the amount their decision fixed', () => {
    const entitlement = { kind: 'disability-living-subsidy', monthlyAmountFen: 10_000, basis: {} };
    expect(amountForMonth(entitlement, month('2027-04'), [])).toEqual({ amountFen: 10_000, parameter: null });
  });
});

describe('suspension, resumption and ending', () => {
  it('suspends an active or gradual-exit entitlement, resumes a suspended one, ends any that is not ended', () => {
    expect(statusAfter('active', 'suspension')).toBe('suspended');
    expect(statusAfter('gradual-exit', 'suspension')).toBe('suspended');
    expect(statusAfter('suspended', 'resumption')).toBe('active');
    expect(statusAfter('suspended', 'ending')).toBe('ended');
    expect(statusAfter('active', 'resumption')).toBeNull();
    expect(statusAfter('ended', 'suspension')).toBeNull();
    expect(statusAfter('ended', 'ending')).toBeNull();
  });
});
