import { DomainError } from '../errors/domain-error.js';
import { type IsoDate } from '../calendar/calendar-date.js';

/** A calendar month, `YYYY-MM`: what a payment is for (one line per entitlement and month, docs/money.md). */
export type YearMonth = string & { readonly __brand: 'year-month' };

const YEAR_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isYearMonth(value: unknown): value is YearMonth {
  return typeof value === 'string' && YEAR_MONTH.test(value);
}

/** `value` as a month, or `VALIDATION.FAILED` naming `field`. */
export function yearMonth(value: string, field = 'month'): YearMonth {
  if (!isYearMonth(value)) {
    throw new DomainError('VALIDATION.FAILED', `${field} must be a month YYYY-MM`, {
      errors: [{ field, code: 'NOT_A_MONTH', message: `${field} must be a month YYYY-MM` }],
    });
  }
  return value;
}

/** The month a day is in. */
export function monthOf(day: IsoDate): YearMonth {
  return day.slice(0, 7) as YearMonth;
}

/** The first day of a month: the day whose published values a month's amount is computed from (docs/money.md). */
export function firstDayOf(month: YearMonth): IsoDate {
  return `${month}-01` as IsoDate;
}

/** `month` moved by `count` months (negative: back). */
export function addMonths(month: YearMonth, count: number): YearMonth {
  const [year, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  const index = year * 12 + (m - 1) + count;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}` as YearMonth;
}
