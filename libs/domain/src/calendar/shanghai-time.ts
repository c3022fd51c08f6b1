import { DomainError } from '../errors/domain-error.js';
import { addDays, assertIsoDate, fromDayNumber, toDayNumber, type IsoDate } from './calendar-date.js';

const DAY_MS = 86_400_000;
/** China Standard Time is UTC+8 with no daylight saving since 1991, so a fixed offset is exact for every case. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

function epochMs(instant: Date, field: string): number {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new DomainError('CALENDAR.INVALID_INSTANT', `${field} must be a valid Date`, { field });
  return ms;
}

/**
 * The China Standard Time calendar date of `instant` (e.g. the acceptance day of an application received at
 * 2025-01-27T17:30:00Z, which is 01:30 on 28 January in Urumqi offices' official time). Only epoch milliseconds
 * are read, so the host time zone cannot change the answer.
 */
export function toShanghaiDate(instant: Date): IsoDate {
  return fromDayNumber(Math.floor((epochMs(instant, 'instant') + SHANGHAI_OFFSET_MS) / DAY_MS));
}

/** 00:00:00.000 China Standard Time on `date`. */
export function startOfDayInShanghai(date: IsoDate): Date {
  assertIsoDate(date, 'date');
  return new Date(toDayNumber(date) * DAY_MS - SHANGHAI_OFFSET_MS);
}

/**
 * The instant `date` ends in China Standard Time: 00:00:00.000+08:00 of the next day, an exclusive bound.
 * A period runs to 24:00 of its last day [G: the common reading of 民事诉讼法 art. 85]; the day is the half-open
 * interval [startOfDayInShanghai(date), endOfDayInShanghai(date)), so a step is overdue exactly when
 * `now >= endOfDayInShanghai(due)`. Chosen over 23:59:59.999 because PostgreSQL timestamptz keeps microseconds:
 * an inclusive end would leave 23:59:59.9995 belonging to no day, and a timer with `delay = end - now` would fire
 * 1 ms early. Note `toShanghaiDate(endOfDayInShanghai(d))` is the day after `d`.
 */
export function endOfDayInShanghai(date: IsoDate): Date {
  assertIsoDate(date, 'date');
  return startOfDayInShanghai(addDays(date, 1));
}
