import { household, member, TODAY } from './household.fixtures.js';
import type { HouseholdMember } from './household.js';
import { SPECIAL_CATEGORY_RULES, specialCategoriesOf } from './special-categories.js';

const certificate = (validUntil?: string) => ({ number: 'cert', ...(validUntil === undefined ? {} : { validUntil }) });

describe('specialCategoriesOf', () => {
  it.each<[string, Partial<HouseholdMember>, string[]]>([
    ['a healthy adult of 35', { birthDate: '1990-01-01' }, []],
    ['60 today', { birthDate: '1965-06-30' }, ['elderly']],
    ['60 tomorrow', { birthDate: '1965-07-01' }, []],
    ['17', { birthDate: '2008-01-01' }, ['minor']],
    ['18 today', { birthDate: '2007-06-30' }, []],
    ['18 tomorrow', { birthDate: '2007-07-01' }, ['minor']],
    ['born today', { birthDate: TODAY }, ['minor']],
    [
      'grade 1, certificate without limit',
      { disability: { category: 'physical', grade: 1, certificate: certificate() } },
      ['severeDisability'],
    ],
    [
      'grade 2, certificate valid until today',
      { disability: { category: 'visual', grade: 2, certificate: certificate(TODAY) } },
      ['severeDisability'],
    ],
    [
      'grade 2, certificate expired yesterday',
      { disability: { category: 'visual', grade: 2, certificate: certificate('2025-06-29') } },
      [],
    ],
    ['grade 3', { disability: { category: 'intellectual', grade: 3, certificate: certificate() } }, []],
    ['chronically ill', { health: 'chronic-illness' }, []],
    ['seriously ill', { health: 'serious-illness', seriousIllnessType: '尿毒症' }, ['seriousIllness']],
    [
      'elderly, severely disabled and seriously ill',
      {
        birthDate: '1940-03-01',
        health: 'serious-illness',
        disability: { category: 'psychiatric', grade: 1, certificate: certificate() },
      },
      ['elderly', 'severeDisability', 'seriousIllness'],
    ],
  ])('%s: %p', (_, overrides, expected) => {
    expect(specialCategoriesOf(member(overrides), TODAY)).toEqual(expected);
  });

  it('keeps the thresholds as data with their evidence', () => {
    expect(SPECIAL_CATEGORY_RULES.elderlyFromAge).toEqual({ value: 60, evidence: 'G', source: null });
    expect(SPECIAL_CATEGORY_RULES.minorBelowAge).toEqual({ value: 18, evidence: 'G', source: null });
    expect(SPECIAL_CATEGORY_RULES.severeDisabilityGrades).toEqual({ value: [1, 2], evidence: 'S', source: 'C1' });
  });

  it('names the member when the birth date is wrong', () => {
    const [, second] = household([{}, { birthDate: '2030-01-01' }]).members;
    expect(() => specialCategoriesOf(second as HouseholdMember, TODAY, 'members[1]')).toThrow(
      expect.objectContaining({ code: 'HOUSEHOLD.BAD_BIRTH_DATE', details: { field: 'members[1].birthDate' } }),
    );
  });
});
