import {
  CalendarYearNotPublishedError,
  addDays,
  daysBetween,
  dueDate,
  endOfDayInShanghai,
  isWeekend,
  isWorkingDay,
  type CalendarSet,
  type IsoDate,
  type Region,
} from '@minsheng/domain';
import type { Limit, LimitUnit } from '@minsheng/workflows';

/** Statutory clocks count in the Xinjiang official calendar (design.md invariant 7). */
export const CLOCK_REGION: Region = 'xinjiang';

export interface ComputedDue {
  /** The last day of the period (China Standard Time). */
  readonly due: IsoDate;
  /** The instant the period ends: 24:00 of `due` in Asia/Shanghai, exclusive. */
  readonly dueAt: Date;
  readonly explanation: Record<string, unknown>;
}

/**
 * The due date of a limit started on `start`. Provisional (unconfirmed) calendars are accepted and named in the
 * explanation. When the count reaches a year with no published calendar at all, the clock cannot be left without
 * a due time (a case must not stop because next year's schedule is not out yet): it is estimated with weekends
 * only, flagged `estimated` with the missing calendar, and must be recomputed once that year is published.
 */
export function computeDue(limit: Limit, start: IsoDate, calendars: CalendarSet, region = CLOCK_REGION): ComputedDue {
  if (limit.unit === 'months') {
    const due = addMonths(start, limit.amount);
    return done(due, { start, unit: 'months', amount: limit.amount, source: limit.source.citation });
  }
  try {
    const result = dueDate(
      {
        start,
        amount: limit.amount,
        unit: limit.unit,
        region,
        source: limit.source.citation,
        ...(limit.rollForward === undefined ? {} : { rollForward: limit.rollForward }),
      },
      calendars,
    );
    return done(result.due, { ...result.explanation });
  } catch (error) {
    if (!(error instanceof CalendarYearNotPublishedError)) throw error;
    const due =
      limit.unit === 'working-days'
        ? addWorkingDaysLenient(calendars, region, start, limit.amount)
        : addDays(start, limit.amount);
    return done(due, {
      start,
      unit: limit.unit,
      amount: limit.amount,
      region,
      source: limit.source.citation,
      estimated: true,
      missingCalendar: error.missing,
      rules: ['estimated: weekends are rest days in the unpublished year; recompute when its calendar is published'],
    });
  }
}

/** Moves a due date by `amount` units (a resumed pause, an extension), counting as the clock's unit does. */
export function shiftDue(
  unit: LimitUnit,
  due: IsoDate,
  amount: number,
  calendars: CalendarSet,
  region = CLOCK_REGION,
): IsoDate {
  if (amount <= 0) return due;
  if (unit === 'working-days') return addWorkingDaysLenient(calendars, region, due, amount);
  if (unit === 'months') return addMonths(due, amount);
  return addDays(due, amount);
}

/** Units of the clock's kind in (`from`, `to`]: what a pause started on `from` left of a period ending on `to`. */
export function unitsBetween(
  unit: LimitUnit,
  from: IsoDate,
  to: IsoDate,
  calendars: CalendarSet,
  region = CLOCK_REGION,
): number {
  if (unit !== 'working-days') return daysBetween(from, to);
  let count = 0;
  for (let date = addDays(from, 1); date <= to; date = addDays(date, 1)) {
    if (workingDayLenient(calendars, region, date)) count += 1;
  }
  return count;
}

/** The due date stored on a clock: `due_at` is 24:00 of that day, so the day is the one before. */
export function dueDayOf(dueAt: Date): IsoDate {
  return new Date(dueAt.getTime() - 1).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

function done(due: IsoDate, explanation: Record<string, unknown>): ComputedDue {
  return { due, dueAt: endOfDayInShanghai(due), explanation: { ...explanation, due } };
}

function workingDayLenient(calendars: CalendarSet, region: Region, date: IsoDate): boolean {
  try {
    return isWorkingDay(calendars, region, date);
  } catch (error) {
    if (error instanceof CalendarYearNotPublishedError) return !isWeekend(date);
    throw error;
  }
}

function addWorkingDaysLenient(calendars: CalendarSet, region: Region, start: IsoDate, amount: number): IsoDate {
  let date = start;
  for (let counted = 0; counted < amount;) {
    date = addDays(date, 1);
    if (workingDayLenient(calendars, region, date)) counted += 1;
  }
  return date;
}

function addMonths(start: IsoDate, months: number): IsoDate {
  const [year, month, day] = start.split('-').map(Number) as [number, number, number];
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}
