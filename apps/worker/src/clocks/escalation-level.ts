import { districtOf, type Level, URUMQI_CITY_CODE } from '@minsheng/domain';

/**
 * Who supervises a step one level up: a community's step goes to its street office, a street office's to the
 * district bureau, a district's to the city bureau. The city bureau is the top of the city's line: its escalations
 * stay at city level, with its own supervisor.
 */
export function levelAbove(level: string, division: string): { level: Level; division: string } {
  switch (level) {
    case 'community':
      return { level: 'street', division: division.length > 9 ? division.slice(0, 9) : division };
    case 'street':
      return { level: 'district', division: districtOf(division)?.code ?? division.slice(0, 6) };
    case 'district':
      return { level: 'city', division: URUMQI_CITY_CODE };
    default:
      return { level: 'city', division: URUMQI_CITY_CODE };
  }
}
