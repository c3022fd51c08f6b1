import { addDays, assertIsoDate, isWeekend, toDayNumber, yearOf, type IsoDate } from './calendar-date.js';
import { InvalidPeriodError } from './calendar-errors.js';
import type { CalendarSet, RegionCalendar } from './calendar-set.js';
import type { Region } from './calendar.js';

/**
 * Why a day is or is not a working day:
 * - `workday`: Monday to Friday, not a holiday;
 * - `make-up-workday`: a weekend day a notice declares a working day (调休上班日). It counts: the notices say
 *   "X月X日上班" (docs/domain.md §4.2 [G], following [S P32, P33]);
 * - `holiday`: a day off in a notice's holiday block (放假), whether weekday or weekend;
 * - `weekend`: a Saturday or Sunday that is not a make-up working day, including a national make-up day the
 *   region declared a rest day (then `name` says so).
 */
export type DayKind = 'workday' | 'make-up-workday' | 'weekend' | 'holiday';

export interface DayStatus {
  readonly date: IsoDate;
  readonly working: boolean;
  readonly kind: DayKind;
  /** The notice's name for a holiday, make-up day or overridden make-up day. */
  readonly name?: string;
  /** The calendar that decided. */
  readonly calendar: RegionCalendar;
}

/** Classifies `date` in `region`. Throws `CALENDAR.YEAR_NOT_PUBLISHED` when its year is not published. */
export function dayStatus(set: CalendarSet, region: Region, date: IsoDate): DayStatus {
  assertIsoDate(date, 'date');
  const calendar = set.resolve(region, yearOf(date));
  const holiday = calendar.holidays.get(date);
  if (holiday !== undefined) return { date, working: false, kind: 'holiday', name: holiday, calendar };
  const makeUp = calendar.makeUpWorkdays.get(date);
  if (makeUp !== undefined) return { date, working: true, kind: 'make-up-workday', name: makeUp, calendar };
  const override = calendar.restDayOverrides.get(date);
  if (override !== undefined) return { date, working: false, kind: 'weekend', name: override, calendar };
  if (isWeekend(date)) return { date, working: false, kind: 'weekend', calendar };
  return { date, working: true, kind: 'workday', calendar };
}

/** Monday to Friday and not a holiday, or a make-up working weekend day that the region has not overridden. */
export function isWorkingDay(set: CalendarSet, region: Region, date: IsoDate): boolean {
  return dayStatus(set, region, date).working;
}

function assertDayCount(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0) throw new InvalidPeriodError(field, value, 0);
}

/** The working days counted and the days passed over while adding working days. */
export interface WorkingDayWalk {
  readonly due: IsoDate;
  readonly counted: readonly DayStatus[];
  readonly skipped: readonly DayStatus[];
}

/**
 * Adds `n` working days to `start` and records every day looked at. The start day is not counted
 * (民事诉讼法 art. 85 [V L11]; 行政许可法 art. 82 counts licensing limits in working days [V L7]): day 1 is the
 * first working day after `start`, and the result is the n-th. With `n = 0` the result is `start` itself.
 */
export function walkWorkingDays(set: CalendarSet, region: Region, start: IsoDate, n: number): WorkingDayWalk {
  assertIsoDate(start, 'start');
  assertDayCount(n, 'amount');
  const counted: DayStatus[] = [];
  const skipped: DayStatus[] = [];
  let date = start;
  while (counted.length < n) {
    date = addDays(date, 1);
    const status = dayStatus(set, region, date);
    (status.working ? counted : skipped).push(status);
  }
  return { due: date, counted, skipped };
}

/** The n-th working day after `start` (the start day is not counted: 民事诉讼法 art. 85 [V L11]). */
export function addWorkingDays(set: CalendarSet, region: Region, start: IsoDate, n: number): IsoDate {
  return walkWorkingDays(set, region, start, n).due;
}

/** The first working day after `date` (not `date` itself). */
export function nextWorkingDay(set: CalendarSet, region: Region, date: IsoDate): IsoDate {
  return addWorkingDays(set, region, date, 1);
}

export interface CalendarDayOptions {
  /**
   * When the last day is a rest day (a weekend or holiday that is not a make-up working day), the period ends on
   * the next working day: "期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期"
   * (民事诉讼法 art. 85 [V L11]). Only where the governing rule says so.
   */
  readonly rollForwardFromRestDay: boolean;
}

/**
 * `start` plus `n` calendar days; the start day is not counted (民事诉讼法 art. 85 [V L11]). Without roll-forward
 * no calendar is consulted, so no published year is required.
 */
export function addCalendarDays(
  set: CalendarSet,
  region: Region,
  start: IsoDate,
  n: number,
  options: CalendarDayOptions,
): IsoDate {
  assertIsoDate(start, 'start');
  assertDayCount(n, 'amount');
  const last = addDays(start, n);
  if (!options.rollForwardFromRestDay || isWorkingDay(set, region, last)) return last;
  return nextWorkingDay(set, region, last);
}

/**
 * The number of working days in (`from`, `to`]: `from` is not counted, `to` is. So
 * `workingDaysBetween(s, addWorkingDays(s, n)) === n`. When `to` is before `from` the count is negative
 * (minus the working days in (`to`, `from`]).
 */
export function workingDaysBetween(set: CalendarSet, region: Region, from: IsoDate, to: IsoDate): number {
  assertIsoDate(from, 'from');
  assertIsoDate(to, 'to');
  if (toDayNumber(to) < toDayNumber(from)) return -workingDaysBetween(set, region, to, from);
  let count = 0;
  for (let date = addDays(from, 1); toDayNumber(date) <= toDayNumber(to); date = addDays(date, 1)) {
    if (isWorkingDay(set, region, date)) count += 1;
  }
  return count;
}
