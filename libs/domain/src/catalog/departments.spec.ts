import { DEPARTMENTS, DEPARTMENT_CODES, districtCounterpart, findDepartment } from './departments.js';
import { districts } from './divisions.js';

describe('departments', () => {
  it('lists each department code once, with a city name and a district pattern', () => {
    expect(DEPARTMENTS.map((d) => d.code)).toEqual([...DEPARTMENT_CODES]);
    for (const department of DEPARTMENTS) {
      expect(department.nameZh).toMatch(/^市/);
      expect(department.districtNamePattern).toContain('{district}');
      expect(department.nameEn).not.toBe('');
    }
  });

  it.each([
    ['civil-affairs', '市民政局'],
    ['human-resources-social-security', '市人力资源和社会保障局'],
    ['health', '市卫生健康委员会'],
    ['education', '市教育局'],
    ['healthcare-security', '市医疗保障局'],
    ['housing-urban-rural', '市住房和城乡建设局'],
    ['disabled-persons-federation', '市残疾人联合会'],
    ['veterans-affairs', '市退役军人事务局'],
    ['justice', '市司法局'],
    ['culture-sports-tourism', '市文化体育广电和旅游局'],
    ['emergency-management', '市应急管理局'],
    ['market-regulation', '市市场监督管理局'],
    ['transport', '市交通运输局'],
  ])('%s is %s', (code, name) => {
    expect(findDepartment(code)?.nameZh).toBe(name);
  });

  it.each([
    ['civil-affairs', '650102', '天山区民政局'],
    ['human-resources-social-security', '650109', '米东区人力资源和社会保障局'],
    ['disabled-persons-federation', '650121', '乌鲁木齐县残疾人联合会'],
    ['justice', '650107', '达坂城区司法局'],
    ['publicity', '650103', '沙依巴克区委宣传部'],
  ])('the %s counterpart in %s is %s', (department, district, name) => {
    expect(districtCounterpart(department, district)).toBe(name);
  });

  it('names a counterpart in every district and the county', () => {
    const names = districts().map((district) => districtCounterpart('health', district.code));
    expect(names).toHaveLength(8);
    expect(new Set(names).size).toBe(8);
    for (const name of names) expect(name).toMatch(/^.+(区|县)卫生健康委员会$/);
  });

  it.each([
    ['650100', 'the city'],
    ['650102002', 'a street office'],
    ['650199', 'an unknown code'],
  ])('refuses %s (%s) as a district', (code) => {
    expect(() => districtCounterpart('civil-affairs', code)).toThrow(
      expect.objectContaining({ code: 'DIVISION.NOT_A_DISTRICT', details: { field: 'districtCode' } }),
    );
  });

  it('refuses an unknown department', () => {
    expect(() => districtCounterpart('tax', '650102')).toThrow(
      expect.objectContaining({ code: 'DEPARTMENT.UNKNOWN_CODE' }),
    );
  });
});
