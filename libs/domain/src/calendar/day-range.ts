import { addDays, daysBetween, type IsoDate } from './calendar-date.js';
import { InvalidCalendarError } from './calendar-errors.js';
import type { CalendarDay } from './calendar.js';

/**
 * The days `first` to `last` inclusive under one name, as a notice writes a block ("1月28日至2月4日放假").
 * Used by the calendar data files so each block reads like its notice.
 */
export function dayRange(first: IsoDate, last: IsoDate, name: string): CalendarDay[] {
  const length = daysBetween(first, last) + 1;
  if (length < 1) throw new InvalidCalendarError('dayRange', `${first}..${last} is an empty range`);
  return Array.from({ length }, (_, offset) => ({ date: addDays(first, offset), name }));
}
