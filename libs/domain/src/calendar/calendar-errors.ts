import { DomainError } from '../errors/domain-error.js';
import type { Region, UnconfirmedCalendar } from './calendar.js';

/**
 * No calendar is published for the year a count reaches. Counting fails closed: a deadline is never computed
 * from a guessed schedule (the State Council publishes each year's schedule in the autumn before, docs/domain.md §4.1).
 */
export class CalendarYearNotPublishedError extends DomainError {
  constructor(
    readonly region: Region,
    readonly year: number,
    /** The missing layer, e.g. `national/2027` when counting in `xinjiang`. */
    readonly missing: string,
  ) {
    super('CALENDAR.YEAR_NOT_PUBLISHED', `No ${missing} calendar is published: cannot count days in ${year}`, {
      region,
      year,
      missing,
    });
  }
}

/** A calendar submitted for publication breaks a rule; `details.field` names the offending entry. */
export class InvalidCalendarError extends DomainError {
  constructor(field: string, message: string, details: Record<string, unknown> = {}) {
    super('CALENDAR.INVALID', message, { ...details, field });
  }
}

/** A count was asked for a fractional number of days or fewer than `minimum`. */
export class InvalidPeriodError extends DomainError {
  constructor(field: string, value: unknown, minimum: number) {
    super('CALENDAR.INVALID_AMOUNT', `${field} must be a whole number of days, at least ${minimum}`, {
      field,
      value,
      minimum,
    });
  }
}

/** A count used a provisional calendar although the caller required confirmed ones. */
export class CalendarUnconfirmedError extends DomainError {
  constructor(readonly unconfirmed: readonly UnconfirmedCalendar[]) {
    super('CALENDAR.UNCONFIRMED', `Provisional calendar used: ${unconfirmed.map((c) => c.calendar).join(', ')}`, {
      calendars: unconfirmed.map((c) => c.calendar),
    });
  }
}
