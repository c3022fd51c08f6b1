/** The levels as the statistical division list states them (统计用区划代码: 地级, 县级, 乡级). */
export const DIVISION_LEVELS = ['city', 'district', 'street'] as const;
export type DivisionLevel = (typeof DIVISION_LEVELS)[number];

/**
 * What a division is, read from its official name: a 县 is a county among the districts, and the units below
 * a district are 街道 (subdistrict offices), 镇 (towns), 乡 (townships) or special units (片区, 管委会, 兵团 farms,
 * 区直辖村级区划).
 */
export const DIVISION_KINDS = [
  'city',
  'district',
  'county',
  'subdistrict',
  'town',
  'township',
  'special-unit',
] as const;
export type DivisionKind = (typeof DIVISION_KINDS)[number];

/**
 * One administrative division. `code` is the statistical code without trailing zero groups: 6 digits for the
 * city and districts (GB/T 2260), 9 digits below them; the 12-digit form used by portals (`areaCode`) pads
 * it with zeros.
 */
export interface Division {
  readonly code: string;
  readonly name: string;
  /** The city's parent, 650000 (新疆维吾尔自治区), is outside this list. */
  readonly parentCode: string;
  readonly level: DivisionLevel;
  readonly kind: DivisionKind;
}

export interface DivisionTreeNode {
  readonly division: Division;
  readonly children: readonly DivisionTreeNode[];
}
