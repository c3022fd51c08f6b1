import { defineParameter, type StandardParameter } from '../catalog/parameters.js';
import { STANDARD_PARAMETERS } from '../catalog/standard-parameters.js';
import {
  firstReviewBase,
  gradualExitEnd,
  isReviewedKind,
  nextReviewDate,
  reviewHouseholdType,
  reviewIntervalKey,
  reviewDecisionLimitKey,
  reviewResponseLimitKey,
  yearMonth,
} from './index.js';

const ON = '2027-03-15';

describe('which households are reviewed how often (docs/money.md "Periodic review")', () => {
  it('counts a 低保 household stable when every member is elderly or severely disabled, else other', () => {
    const elderly = { birthDate: '1950-01-01' };
    const severe = { birthDate: '1990-01-01', disability: { grade: 2, certificate: {} } };
    const working = { birthDate: '1990-01-01' };
    const kind = 'minimum-living-allowance' as const;
    expect(reviewHouseholdType(kind, { household: { members: [elderly, severe] } }, ON)).toBe('stable');
    expect(reviewHouseholdType(kind, { household: { members: [elderly, working] } }, ON)).toBe('other');
    // A grade 3 disability, or a certificate that expired, is not severe disability.
    const grade3 = { birthDate: '1990-01-01', disability: { grade: 3, certificate: {} } };
    const expired = { birthDate: '1990-01-01', disability: { grade: 1, certificate: { validUntil: '2027-03-14' } } };
    expect(reviewHouseholdType(kind, { household: { members: [grade3] } }, ON)).toBe('other');
    expect(reviewHouseholdType(kind, { household: { members: [expired] } }, ON)).toBe('other');
    // Members not on record: the more frequent review, never the rarer one by default.
    expect(reviewHouseholdType(kind, {}, ON)).toBe('other');
    expect(reviewHouseholdType(kind, null, ON)).toBe('other');
    expect(reviewHouseholdType('extreme-poverty-support', {}, ON)).toBe('single');
  });

  it('reviews the monthly assistance kinds, not unemployment benefit or temporary assistance', () => {
    expect(
      ['minimum-living-allowance', 'extreme-poverty-support', 'disability-living-subsidy'].every(isReviewedKind),
    ).toBe(true);
    expect(isReviewedKind('unemployment-benefit')).toBe(false);
    expect(isReviewedKind('temporary-assistance')).toBe(false);
  });

  it('seeds every key it reads, with the source the reference gives', () => {
    const keys = [
      reviewIntervalKey('minimum-living-allowance', 'stable'),
      reviewIntervalKey('minimum-living-allowance', 'other'),
      reviewIntervalKey('extreme-poverty-support', 'single'),
      reviewIntervalKey('disability-nursing-subsidy', 'single'),
      reviewResponseLimitKey('minimum-living-allowance'),
      reviewResponseLimitKey('extreme-poverty-support'),
      reviewResponseLimitKey('disability-living-subsidy'),
      reviewDecisionLimitKey('minimum-living-allowance'),
      reviewDecisionLimitKey('extreme-poverty-support'),
      reviewDecisionLimitKey('disability-nursing-subsidy'),
      'minimum-living.gradual-exit-months',
    ];
    for (const key of keys) expect(STANDARD_PARAMETERS.some((p) => p.key === key)).toBe(true);
    const value = (key: string) => STANDARD_PARAMETERS.find((p) => p.key === key)!.value;
    expect([keys.slice(0, 4).map(value), value('minimum-living.gradual-exit-months')]).toEqual([[12, 6, 12, 12], 6]);
  });
});

describe('the next review date', () => {
  it('adds the interval in force on the day the date is set, clamped to the end of a short month', () => {
    const date = nextReviewDate('minimum-living-allowance', 'other', '2026-08-31', '2026-08-31', STANDARD_PARAMETERS);
    expect(date).toMatchObject({ nextReviewOn: '2027-02-28', countedFrom: '2026-08-31', householdType: 'other' });
    expect(date.parameter).toMatchObject({ key: 'minimum-living.review-interval.other', value: 6, on: '2026-08-31' });
  });

  it('follows a published change of the rule from its start, not before', () => {
    const changed: StandardParameter[] = [
      ...STANDARD_PARAMETERS.map((p) =>
        p.key === 'minimum-living.review-interval.other' ? { ...p, validTo: '2027-01-01' } : p,
      ),
      defineParameter({
        key: 'minimum-living.review-interval.other',
        itemCode: 'BPS-064',
        value: 3,
        unit: 'months',
        bound: 'exact',
        validFrom: '2027-01-01',
        validTo: null,
        source: 'test',
        evidence: 'S',
      }),
    ];
    const rate = (on: string) => nextReviewDate('minimum-living-allowance', 'other', on, on, changed).nextReviewOn;
    expect(rate('2026-12-31')).toBe('2027-06-30');
    expect(rate('2027-01-01')).toBe('2027-04-01');
  });

  it('counts a first date from the first month paid, or from today when that has passed', () => {
    expect(firstReviewBase(yearMonth('2027-04'), ON)).toBe('2027-04-01');
    expect(firstReviewBase(yearMonth('2027-01'), ON)).toBe(ON);
  });

  it('ends a gradual exit after the published number of months', () => {
    expect(gradualExitEnd(yearMonth('2027-11'), ON, STANDARD_PARAMETERS)).toMatchObject({
      endMonth: '2028-04',
      months: 6,
      parameter: { key: 'minimum-living.gradual-exit-months', value: 6, evidence: 'R' },
    });
  });
});
