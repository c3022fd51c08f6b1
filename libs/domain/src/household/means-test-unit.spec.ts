import { meansTestUnitOf, membersCounted } from './means-test-unit.js';
import { member } from './household.fixtures.js';

describe('the means test unit (docs/domain.md §3.1)', () => {
  const applicant = member({ id: 'm1', idNumber: '650102198001010011' });
  const spouse = member({ id: 'm2', idNumber: '650102198001010022', relation: 'spouse' });

  it('counts the applicant alone for 无业重度残疾人最低生活保障, with its evidence', () => {
    expect(meansTestUnitOf('BPS-073')).toMatchObject({ value: 'single-person', evidence: 'R' });
    expect(membersCounted('single-person', [applicant, spouse], applicant.idNumber)).toEqual([applicant]);
    expect(membersCounted('single-person', [spouse, applicant], applicant.idNumber)).toEqual([applicant]);
  });

  it('counts every member living together for the ordinary 低保 (社会救助暂行办法 art. 9)', () => {
    expect(meansTestUnitOf('BPS-064')).toMatchObject({ value: 'household', evidence: 'V' });
    expect(membersCounted('household', [applicant, spouse], applicant.idNumber)).toEqual([applicant, spouse]);
  });
});
