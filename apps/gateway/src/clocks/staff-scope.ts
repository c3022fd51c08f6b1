import { URUMQI_CITY_CODE } from '@minsheng/domain';
import { type StaffIdentity } from '../auth/staff-identity.js';

/**
 * The division-code prefixes a staff member works for: a street office (9 digits) sees its own cases, a district
 * bureau (6 digits) every street below it, the city bureau (650100) every division of the city (6501…).
 * Used inside SQL (`division LIKE prefix || '%'`): authorization lives in the query (docs/architecture.md invariant 6).
 */
export function divisionPrefixes(staff: StaffIdentity): string[] {
  return staff.divisions.map((code) => (code === URUMQI_CITY_CODE ? URUMQI_CITY_CODE.slice(0, 4) : code));
}

/** Operators watch the whole system; everyone else is held to their department and divisions. */
export function seesEverything(staff: StaffIdentity): boolean {
  return staff.roles.includes('operator');
}
