import { DomainError } from '../errors/domain-error.js';
import type { Division, DivisionTreeNode } from './division.js';
import { URUMQI_DIVISIONS } from './urumqi-divisions.js';

/** The statistical division codes describe the situation on this date; codes change, so keep it with the data. */
export const DIVISIONS_AS_OF = '2023-06-30';

export const URUMQI_CITY_CODE = '650100';

const byCode = new Map<string, Division>(URUMQI_DIVISIONS.map((division) => [division.code, division]));

/**
 * The short form of a 6-, 9- or 12-digit statistical code: portals send `650102002000` for `650102002` and
 * `650100000000` for `650100`. Throws `DIVISION.MALFORMED_CODE` for anything else.
 */
export function normaliseDivisionCode(code: string): string {
  if (!/^\d{6}(\d{3}(\d{3})?)?$/.test(code)) {
    throw new DomainError('DIVISION.MALFORMED_CODE', `not a 6-, 9- or 12-digit division code: ${code}`, {
      field: 'divisionCode',
    });
  }
  let short = code;
  while (short.length > 6 && short.endsWith('000')) short = short.slice(0, -3);
  return short;
}

/** The 12-digit statistical code (`650102002000`), the form the Xinjiang government-service portal uses. */
export function toTwelveDigitCode(code: string): string {
  return normaliseDivisionCode(code).padEnd(12, '0');
}

/** The division with this code (any of the 6/9/12-digit forms), or undefined if it is not an Urumqi division. */
export function findDivision(code: string): Division | undefined {
  return /^\d+$/.test(code) && [6, 9, 12].includes(code.length) ? byCode.get(normaliseDivisionCode(code)) : undefined;
}

/** Like `findDivision`, but an unknown code is an error (`DIVISION.UNKNOWN_CODE`). */
export function getDivision(code: string): Division {
  const division = findDivision(code);
  if (division === undefined) {
    throw new DomainError('DIVISION.UNKNOWN_CODE', `no Urumqi division has the code ${code}`, {
      field: 'divisionCode',
    });
  }
  return division;
}

/** The divisions directly below `code`, in code order; empty for a street-level unit or an unknown code. */
export function childrenOf(code: string): readonly Division[] {
  const parent = findDivision(code);
  if (parent === undefined) return [];
  return URUMQI_DIVISIONS.filter((division) => division.parentCode === parent.code);
}

/**
 * The district or county that contains a division: the parent of a street-level unit, or the district itself.
 * Undefined for the city and for unknown codes.
 */
export function districtOf(code: string): Division | undefined {
  const division = findDivision(code);
  if (division === undefined) return undefined;
  switch (division.level) {
    case 'district':
      return division;
    case 'street':
      return byCode.get(division.parentCode);
    case 'city':
      return undefined;
  }
}

/** True for units at the 街道/乡镇 level, where social-assistance applications are accepted (社会救助暂行办法 art. 60). */
export function isStreetLevel(code: string): boolean {
  return findDivision(code)?.level === 'street';
}

/** True for the 7 districts and the county. */
export function isDistrictLevel(code: string): boolean {
  return findDivision(code)?.level === 'district';
}

/** The districts and the county, in code order. */
export function districts(): readonly Division[] {
  return URUMQI_DIVISIONS.filter((division) => division.level === 'district');
}

/** The tree below `rootCode` (the whole city by default). Throws `DIVISION.UNKNOWN_CODE` for an unknown root. */
export function buildDivisionTree(rootCode: string = URUMQI_CITY_CODE): DivisionTreeNode {
  const build = (division: Division): DivisionTreeNode => ({
    division,
    children: childrenOf(division.code).map(build),
  });
  return build(getDivision(rootCode));
}
