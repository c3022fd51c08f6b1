import { DomainError } from '../errors/domain-error.js';
import { findDivision } from './divisions.js';
import type { Attestation } from './evidence.js';

/** Lead and cooperating departments (牵头负责单位) of the catalog, by stable code. */
export const DEPARTMENT_CODES = [
  'civil-affairs',
  'human-resources-social-security',
  'health',
  'education',
  'healthcare-security',
  'housing-urban-rural',
  'disabled-persons-federation',
  'veterans-affairs',
  'justice',
  'culture-sports-tourism',
  'emergency-management',
  'market-regulation',
  'transport',
  'publicity',
] as const;
export type DepartmentCode = (typeof DEPARTMENT_CODES)[number];

export interface Department {
  readonly code: DepartmentCode;
  /** The city-level office (市…). */
  readonly nameZh: string;
  readonly nameEn: string;
  /**
   * The name of a district's or the county's counterpart, with `{district}` for the district's name
   * (`{district}民政局` → 天山区民政局). Some districts use merged or longer names (新市区 is run together
   * with 高新区, 头屯河区 with 经开区), so the pattern is an inference.
   */
  readonly districtNamePattern: string;
  readonly districtNameEvidence: Attestation;
}

const PATTERN_GUESS: Attestation = { evidence: 'G', source: null };

export const DEPARTMENTS: readonly Department[] = [
  {
    code: 'civil-affairs',
    nameZh: '市民政局',
    nameEn: 'Urumqi Civil Affairs Bureau',
    districtNamePattern: '{district}民政局',
    districtNameEvidence: PATTERN_GUESS,
  },
  {
    code: 'human-resources-social-security',
    nameZh: '市人力资源和社会保障局',
    nameEn: 'Urumqi Human Resources and Social Security Bureau',
    districtNamePattern: '{district}人力资源和社会保障局',
    districtNameEvidence: PATTERN_GUESS,
  },
  {
    code: 'health',
    nameZh: '市卫生健康委员会',
    nameEn: 'Urumqi Health Commission',
    districtNamePattern: '{district}卫生健康委员会',
    districtNameEvidence: PATTERN_GUESS,
  },
  {
    code: 'education',
    nameZh: '市教育局',
    nameEn: 'Urumqi Education Bureau',
    districtNamePattern: '{district}教育局',
    districtNameEvidence: PATTERN_GUESS,
  },
  {
    code: 'healthcare-security',
    nameZh: '市医疗保障局',
    nameEn: 'Urumqi Healthcare Security Bureau',
    districtNamePattern: '{district}医疗保障局',
    districtNameEvidence: PATTERN_GUESS,
  },
  {
    code: 'housing-urban-rural',
    nameZh: '市住房和城乡建设局',
    nameEn: 'Urumqi Housing and Urban-Rural Development Bureau',
    districtNamePattern: '{district}住房和城乡建设局',
    districtNameEvidence: PATTERN_GUESS,
  },
  // A people's organisation, not a government department, but it leads the disability items.
  {
    code: 'disabled-persons-federation',
    nameZh: '市残疾人联合会',
    nameEn: "Urumqi Disabled Persons' Federation",
    districtNamePattern: '{district}残疾人联合会',
    districtNameEvidence: PATTERN_GUESS,
  },
  {
    code: 'veterans-affairs',
    nameZh: '市退役军人事务局',
    nameEn: 'Urumqi Veterans Affairs Bureau',
    districtNamePattern: '{district}退役军人事务局',
    districtNameEvidence: PATTERN_GUESS,
  },
  {
    code: 'justice',
    nameZh: '市司法局',
    nameEn: 'Urumqi Justice Bureau',
    districtNamePattern: '{district}司法局',
    districtNameEvidence: PATTERN_GUESS,
  },
  {
    code: 'culture-sports-tourism',
    nameZh: '市文化体育广电和旅游局',
    nameEn: 'Urumqi Culture, Sports, Radio, Television and Tourism Bureau',
    districtNamePattern: '{district}文化体育广电和旅游局',
    districtNameEvidence: PATTERN_GUESS,
  },
  {
    code: 'emergency-management',
    nameZh: '市应急管理局',
    nameEn: 'Urumqi Emergency Management Bureau',
    districtNamePattern: '{district}应急管理局',
    districtNameEvidence: PATTERN_GUESS,
  },
  {
    code: 'market-regulation',
    nameZh: '市市场监督管理局',
    nameEn: 'Urumqi Market Supervision and Administration Bureau',
    districtNamePattern: '{district}市场监督管理局',
    districtNameEvidence: PATTERN_GUESS,
  },
  {
    code: 'transport',
    nameZh: '市交通运输局',
    nameEn: 'Urumqi Transport Bureau',
    districtNamePattern: '{district}交通运输局',
    districtNameEvidence: PATTERN_GUESS,
  },
  // 市委宣传部 co-leads the rural film screenings (item BPS-091); a party department, named 区委宣传部 in districts.
  {
    code: 'publicity',
    nameZh: '市委宣传部',
    nameEn: 'Publicity Department of the CPC Urumqi Municipal Committee',
    districtNamePattern: '{district}委宣传部',
    districtNameEvidence: PATTERN_GUESS,
  },
];

export function findDepartment(code: string): Department | undefined {
  return DEPARTMENTS.find((department) => department.code === code);
}

/**
 * The name of the district's (or the county's) counterpart of a city department, e.g.
 * `districtCounterpart('civil-affairs', '650102')` → `天山区民政局`. Throws `DEPARTMENT.UNKNOWN_CODE` for an
 * unknown department and `DIVISION.NOT_A_DISTRICT` unless the code is one of the 7 districts or the county.
 */
export function districtCounterpart(departmentCode: string, districtCode: string): string {
  const department = findDepartment(departmentCode);
  if (department === undefined) {
    throw new DomainError('DEPARTMENT.UNKNOWN_CODE', `no department has the code ${departmentCode}`, {
      field: 'departmentCode',
    });
  }
  const district = findDivision(districtCode);
  if (district?.level !== 'district') {
    throw new DomainError('DIVISION.NOT_A_DISTRICT', `${districtCode} is not an Urumqi district or county`, {
      field: 'districtCode',
    });
  }
  return department.districtNamePattern.replace('{district}', district.name);
}
