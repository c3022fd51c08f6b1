import { DomainError } from '../errors/domain-error.js';
import type { DivisionTreeNode } from './division.js';
import {
  URUMQI_CITY_CODE,
  buildDivisionTree,
  childrenOf,
  districtOf,
  districts,
  findDivision,
  getDivision,
  isDistrictLevel,
  isStreetLevel,
  normaliseDivisionCode,
  toTwelveDigitCode,
} from './divisions.js';
import { URUMQI_DIVISIONS } from './urumqi-divisions.js';

const count = (node: DivisionTreeNode): number => 1 + node.children.reduce((sum, child) => sum + count(child), 0);

describe('Urumqi divisions data', () => {
  it('has the city, 7 districts and 1 county, and 130 units below them', () => {
    expect(URUMQI_DIVISIONS).toHaveLength(139);
    expect(URUMQI_DIVISIONS.filter((d) => d.level === 'city').map((d) => d.code)).toEqual(['650100']);
    expect(districts().map((d) => d.name)).toEqual([
      '天山区',
      '沙依巴克区',
      '新市区',
      '水磨沟区',
      '头屯河区',
      '达坂城区',
      '米东区',
      '乌鲁木齐县',
    ]);
    expect(URUMQI_DIVISIONS.filter((d) => d.level === 'street')).toHaveLength(130);
  });

  it.each([
    ['subdistrict', 93],
    ['town', 10],
    ['township', 12],
    ['special-unit', 15],
    ['county', 1],
    ['district', 7],
  ] as const)('has %s units: %i', (kind, expected) => {
    expect(URUMQI_DIVISIONS.filter((d) => d.kind === kind)).toHaveLength(expected);
  });

  it('has unique codes: 6 digits down to the districts, 9 below, each under its parent', () => {
    expect(new Set(URUMQI_DIVISIONS.map((d) => d.code)).size).toBe(139);
    for (const division of URUMQI_DIVISIONS) {
      expect(division.code).toMatch(division.level === 'street' ? /^\d{9}$/ : /^\d{6}$/);
      // GB/T 2260: a district shares the city's first 4 digits; a street-level code extends its district's 6.
      const prefix =
        division.level === 'street'
          ? division.parentCode
          : division.parentCode.slice(0, division.level === 'district' ? 4 : 2);
      expect({ code: division.code, prefix: division.code.startsWith(prefix) }).toEqual({
        code: division.code,
        prefix: true,
      });
      if (division.level !== 'city') expect(findDivision(division.parentCode)).toBeDefined();
    }
  });

  // 统计用区划代码 rules: 001–099 街道, 100–199 镇, 200–399 乡; 400–599 and 198 are other township-level units.
  it('derives kinds that agree with the code ranges of the statistical rules', () => {
    for (const division of URUMQI_DIVISIONS.filter((d) => d.level === 'street')) {
      const segment = Number(division.code.slice(6));
      const expected =
        segment < 100
          ? 'subdistrict'
          : segment < 200 && segment !== 198
            ? 'town'
            : segment < 400 && segment !== 198
              ? 'township'
              : 'special-unit';
      expect({ code: division.code, kind: division.kind }).toEqual({ code: division.code, kind: expected });
    }
  });
});

describe('division codes', () => {
  it.each([
    ['650100', '650100'],
    ['650100000000', '650100'],
    ['650102000000', '650102'],
    ['650102002', '650102002'],
    ['650102002000', '650102002'],
  ])('normalises %s to %s', (code, expected) => {
    expect(normaliseDivisionCode(code)).toBe(expected);
  });

  it.each(['65010', '6501020', '65010200200', 'abcdefabc', ''])('rejects the malformed code %p', (code) => {
    expect(() => normaliseDivisionCode(code)).toThrow(expect.objectContaining({ code: 'DIVISION.MALFORMED_CODE' }));
    expect(findDivision(code)).toBeUndefined();
  });

  it('pads to the 12-digit portal form', () => {
    expect(toTwelveDigitCode('650100')).toBe('650100000000');
    expect(toTwelveDigitCode('650109500')).toBe('650109500000');
  });
});

describe('division lookup', () => {
  it('finds divisions by any form of their code', () => {
    expect(findDivision('650102002')?.name).toBe('燕儿窝街道');
    expect(findDivision('650102002000')?.name).toBe('燕儿窝街道');
    expect(findDivision('650121')?.kind).toBe('county');
    expect(findDivision('650000')).toBeUndefined(); // 新疆 itself is outside the list
    expect(() => getDivision('650199')).toThrow(DomainError);
  });

  it.each([
    ['650102002', '650102'],
    ['650106198', '650106'],
    ['650121213', '650121'],
    ['650109500000', '650109'],
    ['650105', '650105'],
  ])('puts %s in district %s', (code, district) => {
    expect(districtOf(code)?.code).toBe(district);
  });

  it('has no district for the city or an unknown code', () => {
    expect(districtOf(URUMQI_CITY_CODE)).toBeUndefined();
    expect(districtOf('650102999')).toBeUndefined();
  });

  it('tells street-level units from districts', () => {
    expect(isStreetLevel('650104100')).toBe(true); // 安宁渠镇
    expect(isStreetLevel('650104')).toBe(false);
    expect(isStreetLevel('650100')).toBe(false);
    expect(isStreetLevel('650104999')).toBe(false);
    expect(isDistrictLevel('650104')).toBe(true);
    expect(isDistrictLevel('650104100')).toBe(false);
  });

  it('lists the children of a division', () => {
    expect(childrenOf('650100')).toHaveLength(8);
    expect(childrenOf('650107').map((d) => d.name)).toEqual([
      '艾维尔沟街道',
      '乌拉泊街道',
      '达坂城区盐湖街道',
      '达坂城镇',
      '东沟乡',
      '西沟乡',
      '阿克苏乡',
      '柴窝堡管委会',
    ]);
    expect(childrenOf('650107001')).toEqual([]);
    expect(childrenOf('999999')).toEqual([]);
  });

  it('builds the whole tree from the city, and a subtree from a district', () => {
    const tree = buildDivisionTree();
    expect(tree.division.code).toBe('650100');
    expect(tree.children).toHaveLength(8);
    expect(count(tree)).toBe(139);
    const district = buildDivisionTree('650121');
    expect(count(district)).toBe(1 + 8);
    expect(district.children.every((child) => child.children.length === 0)).toBe(true);
    expect(() => buildDivisionTree('650199')).toThrow(expect.objectContaining({ code: 'DIVISION.UNKNOWN_CODE' }));
  });
});
