import { type IsoDate, assertIsoDate, isIsoDate } from '../calendar/calendar-date.js';
import { DomainError } from '../errors/domain-error.js';
import { HOUSEHOLD_ERRORS } from './household-errors.js';

/**
 * Age in completed years on `today` (周岁). Someone born on 29 February turns a year older on 1 March in common
 * years: the birthday has not come while (month, day) of today is before (2, 29).
 * @throws DomainError `HOUSEHOLD.BAD_BIRTH_DATE` (details: `field` only, a birth date is personal data) if the
 * birth date is not a calendar date or is after today; `CALENDAR.INVALID_DATE` if `today` is not one.
 */
export function ageOn(birthDate: IsoDate, today: IsoDate, field = 'birthDate'): number {
  assertIsoDate(today, 'today');
  if (!isIsoDate(birthDate) || birthDate > today) {
    throw new DomainError(HOUSEHOLD_ERRORS.badBirthDate, 'A birth date must be a calendar date not after today', {
      field,
    });
  }
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}
